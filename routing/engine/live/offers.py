"""Offers in the live state: a claim reserves the longest-idle listener of a step's pools for a contact in
one script call; the listener accepts, declines or misses it, or it expires at its deadline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routing.engine.live.keys import text_of
from routing.engine.live.records import Accepted, Dropped
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

    def accept(self, offer_id: str, now_us: int) -> Accepted:
        answer = [text_of(v) for v in self._run("accept", [offer_id, now_us])]
        self._check(answer[0])
        if answer[0] == "ok":
            return Accepted(True, "", answer[1], int(answer[2]), answer[3])
        dropped = None
        if answer[1] == "expired":
            dropped = Dropped(offer_id, int(answer[2]), answer[3], answer[4] == "1")
        return Accepted(False, answer[1], dropped=dropped)

    def drop_offer(self, offer_id: str, now_us: int, why: str, cool_until_us: int = 0) -> Dropped | None:
        """``why`` is ``declined`` or ``missed`` (both counted towards the automatic pause); until
        ``cool_until_us`` the listener is not offered this contact again. None if already gone."""
        answer = [text_of(v) for v in self._run("drop", [offer_id, now_us, why, cool_until_us])]
        self._check(answer[0])
        if answer[0] != "ok":
            return None
        return Dropped(offer_id, int(answer[1]), answer[2], answer[3] == "1")

    def expire_due(self, now_us: int, limit: int = 1000) -> list[Dropped]:
        answer = [text_of(v) for v in self._run("expire", [now_us, limit])]
        if answer[:1] == ["rebuild"]:
            raise LiveStateLostError()
        return [
            Dropped(answer[i], int(answer[i + 1]), answer[i + 2], answer[i + 3] == "1")
            for i in range(0, len(answer), 4)
        ]
