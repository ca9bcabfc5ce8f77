"""Contacts in the live state: queued in arrival order per language and priority, finished (the caller hung
up, or the call or conversation is over), flagged for a callback, and restored by a rebuild."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from routing.engine.live.keys import text_of
from routing.engine.live.records import ContactRecord, Finished
from routing.engine.live.scripts import ScriptRunner


class ContactMoves(ScriptRunner):
    def enqueue(
        self,
        contact_id: str,
        association_id: int,
        kind: str,
        language: str,
        priority: str,
        arrival_us: int,
        skip: Iterable[int] = (),
    ) -> bool:
        """Add a waiting contact in arrival order; False if it was already queued."""
        args: list[Any] = [
            contact_id,
            association_id,
            kind,
            language,
            priority,
            arrival_us,
            *sorted(set(skip)),
        ]
        answer = text_of(self._run("enqueue", args))
        self._check(answer)
        return answer == "ok"

    def finish(self, contact_id: str, now_us: int, wrap_until_us: int) -> Finished:
        answer = [text_of(v) for v in self._run("finish", [contact_id, now_us, wrap_until_us])]
        self._check(answer[0])
        listener = int(answer[1]) if len(answer) > 1 and answer[1] else None
        wrap = int(answer[3]) if len(answer) > 3 else None
        return Finished(answer[0], listener, answer[2] if len(answer) > 2 else "", wrap)

    def request_callback(self, contact_id: str) -> bool:
        answer = text_of(self._run("callback", [contact_id]))
        self._check(answer)
        return answer == "ok"

    def restore_contact(self, record: ContactRecord, now_us: int) -> None:
        args: list[Any] = [
            record.contact_id,
            record.association_id,
            record.kind,
            record.language,
            record.priority,
            record.arrival_us,
            "1" if record.callback else "0",
            record.state,
            record.listener_id or "",
            record.offer_id,
            record.deadline_us,
            record.step,
            now_us,
            *record.skip,
        ]
        self._run("restore_contact", args)
