"""Listeners in the live state: freed (and offered their next contact in the same call), brought in line
with the roster, restored by a rebuild, and their wrap-ups by the time they end."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from routing.engine.live.keys import PREFIX, WRAPUPS, text_of
from routing.engine.live.records import Freed, ListenerRecord, QueueQuery
from routing.engine.live.scripts import ScriptRunner
from routing.errors import LiveStateLostError


class ListenerMoves(ScriptRunner):
    def set_text_blocks_calls(self, association_id: int, blocks: bool) -> None:
        """The association's policy for listeners in a text conversation: ``blocks`` keeps them out of the
        voice pools; otherwise a text is interruptible by a call (the default). Applied at the next free."""
        key = f"{PREFIX}a:{association_id}:tbc"
        if blocks:
            self.client.set(key, "1")
        else:
            self.client.delete(key)

    def free_listener(
        self,
        listener_id: int,
        now_us: int,
        deadline_us: int,
        offer_id: str,
        queries: Sequence[QueueQuery],
        release: str = "",
        paused: bool | None = None,
        on_shift: bool | None = None,
        wrap_until_us: int | None = None,
    ) -> Freed:
        """The listener is free (after ``release``-ing wrap-up or a call, or a pause/shift change): offer them
        the contact they should take next in this same round trip, or put them in their pools.
        ``wrap_until_us``: act only if they are still in the wrap-up that ends then (a job scheduled for
        one wrap-up must not cut a later one short); otherwise the answer is ``engaged``."""
        args: list[Any] = [
            listener_id,
            now_us,
            deadline_us,
            offer_id,
            release,
            "" if paused is None else ("1" if paused else "0"),
            "" if on_shift is None else ("1" if on_shift else "0"),
            "" if wrap_until_us is None else wrap_until_us,
            len(queries),
        ]
        for query in queries:
            args += [query.kind, query.language, len(query.windows)]
            for window in query.windows:
                args += [window.lowest, window.highest, window.step]
        answer = [text_of(v) for v in self._run("free", args)]
        self._check(answer[0])
        if answer[0] == "offer":
            return Freed("offered", answer[1], int(answer[2]))
        return Freed(answer[1] if len(answer) > 1 else answer[0])

    def sync_listeners(self, records: Iterable[ListenerRecord], now_us: int) -> dict[int, str]:
        """Apply the roster to many listeners in one pipelined round trip; returns each one's state."""
        records = list(records)
        if not records:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for record in records:
            self._run("sync_listener", self._listener_args(record, now_us), client=pipe)
        states = [text_of(state) for state in pipe.execute()]
        if "rebuild" in states:
            raise LiveStateLostError()
        return dict(zip((record.listener_id for record in records), states, strict=True))

    @staticmethod
    def _listener_args(record: ListenerRecord, now_us: int) -> list[Any]:
        return [
            record.listener_id,
            record.association_id,
            " ".join(record.pools),
            "1" if record.on_shift else "0",
            "1" if record.paused else "0",
            record.capacity,
            record.misses_before_pause,
            now_us,
        ]

    def forget_wrapup(self, listener_id: int) -> None:
        self.client.zrem(WRAPUPS, listener_id)

    def due_wrapups(self, now_us: int, limit: int = 1000) -> list[int]:
        raw = self.client.zrangebyscore(WRAPUPS, "-inf", now_us, start=0, num=limit)
        return [int(text_of(v)) for v in raw]

    def restore_listener(
        self,
        record: ListenerRecord,
        now_us: int,
        state: str = "free",
        call: str = "",
        texts: int = 0,
        offer_id: str = "",
        wrap_until_us: int = 0,
    ) -> bool:
        """Recreate a listener's live state (``state``: free, offered, busy or wrapup), replacing any."""
        args = [*self._listener_args(record, now_us), state, call, texts, offer_id, wrap_until_us]
        return bool(self._run("restore_listener", args))
