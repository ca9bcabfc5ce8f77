"""The matching engine: the live state in Redis and its Lua scripts, presence, claims and offers, selection
and fairness, fallback policies, recovery and rebuild, and the preview. This package is its one door.

The life of a contact: ``enqueue_contact`` -> (``dispatch`` | ``listener_freed``) makes an ``Offer`` to one
listener -> ``accept_offer`` (connected) or ``decline_offer`` / ``miss_offer`` / expiry (back to its place)
-> ``end_contact`` (the listener enters a wrap-up that grows with the call; ``end_wrapup`` frees them when it
ends). ``request_callback`` keeps the contact's place; ``cancel_contact`` is a caller who hung up.

May import: ``routing.errors``, ``routing.clock``, ``routing.transaction``, ``locales``, ``schemas``; no other routing sub-package.
"""

from routing.engine.board import LISTENER_STATES, Board, LanguageBoard, is_rung_for_crisis, read_board
from routing.engine.contacts import (
    Ended,
    QueuePosition,
    cancel_contact,
    end_contact,
    enqueue_contact,
    queue_position,
    request_callback,
)
from routing.engine.live import KINDS, LiveState, from_us, kind_of, to_us
from routing.engine.offers import (
    WHISPER_SECONDS,
    AcceptOutcome,
    Offer,
    accept_offer,
    decline_offer,
    dispatch,
    dispatch_order,
    miss_offer,
    withdraw_offer,
)
from routing.engine.presence import (
    TickReport,
    end_wrapup,
    freed_queries,
    listener_freed,
    pause_listener,
    set_available,
    sync_roster,
    tick,
    tick_association,
    tick_live,
)
from routing.engine.preview import Preview, preview
from routing.engine.recovery import ensure_live, rebuild
from routing.engine.snapshot import association_ids
from routing.engine.tally import count_now, read_tally

__all__ = [
    "KINDS",
    "LISTENER_STATES",
    "WHISPER_SECONDS",
    "AcceptOutcome",
    "Board",
    "Ended",
    "LanguageBoard",
    "LiveState",
    "Offer",
    "Preview",
    "QueuePosition",
    "TickReport",
    "accept_offer",
    "association_ids",
    "cancel_contact",
    "count_now",
    "decline_offer",
    "dispatch",
    "dispatch_order",
    "end_contact",
    "end_wrapup",
    "enqueue_contact",
    "ensure_live",
    "freed_queries",
    "from_us",
    "is_rung_for_crisis",
    "kind_of",
    "listener_freed",
    "miss_offer",
    "pause_listener",
    "preview",
    "queue_position",
    "read_board",
    "read_tally",
    "rebuild",
    "request_callback",
    "set_available",
    "sync_roster",
    "tick",
    "tick_association",
    "tick_live",
    "to_us",
    "withdraw_offer",
]
