"""``LiveState``: the whole live state on one Redis connection, composed of its parts (contacts, offers,
listeners, the rebuild, reading), each of which owns its own scripts."""

from __future__ import annotations

import redis

from routing.engine.live.contacts import ContactMoves
from routing.engine.live.listeners import ListenerMoves
from routing.engine.live.offers import OfferMoves
from routing.engine.live.reading import LiveReading
from routing.engine.live.rebuild import RebuildMoves


class LiveState(RebuildMoves, ContactMoves, OfferMoves, ListenerMoves, LiveReading):
    """Routing's live state on one Redis connection (bytes mode; we decode)."""

    def __init__(self, client: redis.Redis, build_wait_seconds: float = 5.0) -> None:
        super().__init__(client)
        self.build_wait_seconds = build_wait_seconds
        self._rebuild_token = ""
