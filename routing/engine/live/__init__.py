"""The live routing state in Redis: the one place that owns its keys and its Lua scripts.

Every change that must be atomic is one script call (one round trip): a claim takes a listener out of every
pool at once, so two claimers can never take the same listener. The key layout and the moves shared by the
scripts are in ``prelude.lua``; each operation is a ``.lua`` file beside the module that runs it. Times are
integer microseconds passed in by the caller (scripts never read the clock), so tests control time. Nothing
here is a phone number: listeners are database ids, contacts are random ids.

The database is the source of truth; this state can always be rebuilt from it (``restore_*`` then
``mark_built``). Every script first checks the ``sv:built`` sentinel and answers ``rebuild`` when Redis lost
its data, which surfaces as ``LiveStateLostError``.

May import: ``routing.engine.policy``, ``routing.errors``, ``schemas``. Nothing else of ours.
"""

from routing.engine.live.keys import (
    KINDS,
    PRIORITIES,
    from_us,
    kind_of,
    level_suffixes,
    new_id,
    pool_key,
    to_us,
    wait_key,
)
from routing.engine.live.records import (
    Accepted,
    ContactRecord,
    Dropped,
    Finished,
    Freed,
    ListenerRecord,
    LiveContact,
    LiveListener,
    LiveOffer,
    QueueQuery,
    Window,
)
from routing.engine.live.state import LiveState

__all__ = [
    "KINDS",
    "PRIORITIES",
    "Accepted",
    "ContactRecord",
    "Dropped",
    "Finished",
    "Freed",
    "ListenerRecord",
    "LiveContact",
    "LiveListener",
    "LiveOffer",
    "LiveState",
    "QueueQuery",
    "Window",
    "from_us",
    "kind_of",
    "level_suffixes",
    "new_id",
    "pool_key",
    "to_us",
    "wait_key",
]
