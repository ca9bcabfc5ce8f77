"""Offers in the live state: a claim reserves the longest-idle listener of a step's pools for a contact in
one script call; the listener accepts, declines or misses it, or it expires at its deadline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routing.engine.live.keys import text_of
from routing.engine.live.records import Accepted, Dropped, Taken
from routing.engine.live.scripts import ScriptRunner
from routing.errors import LiveStateLostError


def claim_args(
    contact_id: str, pools: Sequence[str], now_us: int, deadline_us: int, offer_id: str, step: int
) -> list[Any]:
    return [contact_id, now_us, deadline_us, offer_id, step, *pools]


class OfferMoves(ScriptRunner):
    def claim(
        self, contact_id: str, pools: Sequence[str], now_us: int, deadline_us: int, offer_id: str, step: int
    ) -> int | None:
        """Reserve the longest-idle listener of ``pools`` for the contact; None if nobody fits or the contact
        is no longer waiting."""
        args = claim_args(contact_id, pools, now_us, deadline_us, offer_id, step)
        answer = [text_of(v) for v in self._run("claim", args)]
        self._check(answer[0])
        return int(answer[1]) if answer[0] == "offer" else None

    def claim_alongside(
        self,
        contact_id: str,
        pools: Sequence[str],
        now_us: int,
        deadline_us: int,
        offer_id: str,
        step: int,
        most: int,
    ) -> int | None:
        """Ring one more listener for a contact already offered, while fewer than ``most`` of its offers
        ring: the longest-idle listener of ``pools`` (never one already reserved). None if nobody fits, the
        ring is full, or the contact is no longer offered."""
        args = [contact_id, now_us, deadline_us, offer_id, step, most, *pools]
        answer = [text_of(v) for v in self._run("claim_alongside", args)]
        self._check(answer[0])
        return int(answer[1]) if answer[0] == "offer" else None

    def accept(self, offer_id: str, now_us: int) -> Accepted:
        answer = [text_of(v) for v in self._run("accept", [offer_id, now_us])]
        self._check(answer[0])
        if answer[0] == "ok":
            taken = tuple(Taken(answer[i], int(answer[i + 1])) for i in range(4, len(answer), 2))
            return Accepted(True, "", answer[1], int(answer[2]), answer[3], taken=taken)
        dropped = None
        if answer[1] == "expired":
            dropped = _dropped(offer_id, answer[2:7])
        return Accepted(False, answer[1], dropped=dropped)

    def drop_offer(self, offer_id: str, now_us: int, why: str, cool_until_us: int = 0) -> Dropped | None:
        """``why`` is ``declined`` or ``missed`` (both counted towards the automatic pause); until
        ``cool_until_us`` the listener is not offered this contact again. None if already gone."""
        answer = [text_of(v) for v in self._run("drop", [offer_id, now_us, why, cool_until_us])]
        self._check(answer[0])
        if answer[0] != "ok":
            return None
        return _dropped(offer_id, answer[1:6])

    def expire_due(self, now_us: int, limit: int = 1000) -> list[Dropped]:
        answer = [text_of(v) for v in self._run("expire", [now_us, limit])]
        if answer[:1] == ["rebuild"]:
            raise LiveStateLostError()
        return [_dropped(answer[i], answer[i + 1 : i + 6]) for i in range(0, len(answer), 6)]


def _dropped(offer_id: str, fields: Sequence[str]) -> Dropped:
    """From the script's fields: listener, contact, paused, requeued, successor."""
    listener, contact, paused, requeued, successor = fields
    return Dropped(offer_id, int(listener), contact, paused == "1", requeued == "1", successor)
