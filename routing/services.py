"""Routing's service layer: what the voice and text channels, the jobs and the API call.

Each function takes the database session, the ``LiveState`` (Redis) and the time, decides with the pure
modules (``policy``, ``selection``), changes the live state in one script call where it matters, records what
must survive a Redis restart, and commits. If Redis lost its data, the state is rebuilt from the database and
the operation retried once.

The life of a contact: ``enqueue_contact`` -> (``dispatch`` | ``listener_freed``) makes an ``Offer`` to one
listener -> ``accept_offer`` (connected) or ``decline_offer`` / ``miss_offer`` / expiry (back to its place)
-> ``end_contact`` (the listener enters a wrap-up that grows with the call; ``end_wrapup`` frees them when it
ends). ``request_callback`` keeps the contact's place; ``cancel_contact`` is a caller who hung up.

The functions live in modules named for what they are about: ``contacts`` (a contact's life from the
caller's side), ``offers`` (reserving a listener for a contact), ``presence`` (listeners freed, paused, on
and off shift, the tick) and ``recovery`` (rebuilding the live state). This module is the one place the rest
of the code imports them from: ``from routing import services``.
"""

from __future__ import annotations

from routing.contacts import (
    Ended,
    QueuePosition,
    cancel_contact,
    end_contact,
    enqueue_contact,
    queue_position,
    request_callback,
)
from routing.live import KINDS, from_us, kind_of, to_us
from routing.offers import (
    AcceptOutcome,
    Offer,
    accept_offer,
    decline_offer,
    dispatch,
    dispatch_order,
    miss_offer,
)
from routing.presence import (
    TickReport,
    end_wrapup,
    freed_queries,
    listener_freed,
    pause_listener,
    set_available,
    sync_roster,
    tick,
)
from routing.recovery import ensure_live, rebuild

__all__ = [
    "KINDS",
    "AcceptOutcome",
    "Ended",
    "Offer",
    "QueuePosition",
    "TickReport",
    "accept_offer",
    "cancel_contact",
    "decline_offer",
    "dispatch",
    "dispatch_order",
    "end_contact",
    "end_wrapup",
    "enqueue_contact",
    "ensure_live",
    "freed_queries",
    "from_us",
    "kind_of",
    "listener_freed",
    "miss_offer",
    "pause_listener",
    "queue_position",
    "rebuild",
    "request_callback",
    "set_available",
    "sync_roster",
    "tick",
    "to_us",
]
