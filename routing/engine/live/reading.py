"""Reading the live state, for dashboards, the preview and tests: listeners, contacts, waiting queues,
offers and pools. Nothing here changes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routing.engine.live.keys import PREFIX, PRIORITIES, int_of, level_suffixes, pool_key, text_of, wait_key
from routing.engine.live.records import LiveContact, LiveListener, LiveOffer
from routing.engine.live.scripts import ScriptRunner


class LiveReading(ScriptRunner):
    def listener(self, listener_id: int) -> LiveListener | None:
        return self._to_listener(listener_id, self.client.hgetall(f"{PREFIX}l:{listener_id}"))

    def listeners(self, association_id: int) -> dict[int, LiveListener]:
        ids = sorted(int(v) for v in self.client.smembers(f"{PREFIX}a:{association_id}:listeners"))
        pipe = self.client.pipeline(transaction=False)
        for listener_id in ids:
            pipe.hgetall(f"{PREFIX}l:{listener_id}")
        found = {}
        for listener_id, raw in zip(ids, pipe.execute(), strict=True):
            live = self._to_listener(listener_id, raw)
            if live is not None:
                found[listener_id] = live
        return found

    def listener_states(self, association_id: int) -> dict[int, str]:
        """Listener id -> state for every live listener of the association, in one script call (the board's
        read: ``listeners`` parses every field of every listener, about 20 times as long for 500)."""
        words = text_of(self._scripts["listener_states"](args=[association_id])).split()
        return {int(words[i]): words[i + 1] for i in range(0, len(words), 2)}

    @staticmethod
    def _to_listener(listener_id: int, raw: dict[Any, Any]) -> LiveListener | None:
        if not raw:
            return None
        h = {text_of(k): text_of(v) for k, v in raw.items()}
        return LiveListener(
            listener_id=listener_id,
            association_id=int_of(h.get("a")),
            state=h.get("st", "offline"),
            pools=tuple(h.get("pools", "").split()),
            on_shift=h.get("on") == "1",
            paused=h.get("paused") == "1",
            texts=int_of(h.get("texts")),
            capacity=int_of(h.get("cap")),
            idle_since_us=int_of(h.get("idle")),
            offer_id=h.get("offer", ""),
            call_contact=h.get("call", ""),
            misses=int_of(h.get("miss")),
            wrap_until_us=int_of(h.get("wrap")),
        )

    def contact(self, contact_id: str) -> LiveContact | None:
        return self._to_contact(contact_id, self.client.hgetall(f"{PREFIX}c:{contact_id}"))

    @staticmethod
    def _to_contact(contact_id: str, raw: dict[Any, Any]) -> LiveContact | None:
        if not raw:
            return None
        h = {text_of(k): text_of(v) for k, v in raw.items()}
        return LiveContact(
            contact_id=contact_id,
            association_id=int_of(h.get("a")),
            kind=h["kind"],
            language=h["lang"],
            priority=h["prio"],
            arrival_us=int_of(h.get("arr")),
            state=h.get("st", ""),
            callback=h.get("cb") == "1",
            offer_id=h.get("offer", ""),
            listener_id=int_of(h["l"]) if h.get("l") else None,
            excluding=h.get("skip") == "1",
        )

    def waiting(self, association_id: int) -> list[LiveContact]:
        """Every waiting contact of the association, crisis first, then by arrival."""
        queues = sorted(text_of(v) for v in self.client.smembers(f"{PREFIX}a:{association_id}:queues"))
        pipe = self.client.pipeline(transaction=False)
        for queue in queues:
            kind, language = queue.split(":", 1)
            for priority in PRIORITIES:
                pipe.zrange(wait_key(association_id, kind, language, priority), 0, -1)
        ids = [text_of(v) for members in pipe.execute() for v in members]
        for contact_id in ids:
            pipe.hgetall(f"{PREFIX}c:{contact_id}")
        contacts = [self._to_contact(cid, raw) for cid, raw in zip(ids, pipe.execute(), strict=True)]
        found = [c for c in contacts if c is not None]
        return sorted(found, key=lambda c: (PRIORITIES.index(c.priority), c.arrival_us, c.contact_id))

    def offer(self, offer_id: str) -> LiveOffer | None:
        h = {text_of(k): text_of(v) for k, v in self.client.hgetall(f"{PREFIX}o:{offer_id}").items()}
        if not h or "gone" in h:
            return None
        return LiveOffer(offer_id, h["c"], int(h["l"]), int(h["a"]), h["kind"], int(h["dl"]), int(h["step"]))

    def pool_members(self, association_id: int, kind: str, suffix: str) -> dict[int, int]:
        """Listener id -> idle since (µs) for one policy pool (``ta:fluent``: fluent or better)."""
        pipe = self.client.pipeline(transaction=False)
        for level in level_suffixes(suffix):
            pipe.zrange(pool_key(association_id, kind, level), 0, -1, withscores=True)
        return {int(text_of(member)): int(score) for raw in pipe.execute() for member, score in raw}

    def pool_sizes(self, association_id: int, kind: str, suffixes: Sequence[str]) -> dict[str, int]:
        """How many are free in each policy pool (``ta:conversational``: every free Tamil speaker)."""
        pipe = self.client.pipeline(transaction=False)
        for suffix in suffixes:
            for level in level_suffixes(suffix):
                pipe.zcard(pool_key(association_id, kind, level))
        counts = iter(int(n) for n in pipe.execute())
        return {suffix: sum(next(counts) for _ in level_suffixes(suffix)) for suffix in suffixes}

    def waiting_count(self, association_id: int, kind: str, language: str) -> int:
        pipe = self.client.pipeline(transaction=False)
        for priority in PRIORITIES:
            pipe.zcard(wait_key(association_id, kind, language, priority))
        return sum(int(n) for n in pipe.execute())
