"""What the live state's operations take and answer: plain frozen values, never a phone number (listeners
are database ids, contacts and offers random ids)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Window:
    """Contacts that arrived in [lowest, highest] (Redis score syntax, "(" excludes) are at ``step``."""

    lowest: str
    highest: str
    step: int


@dataclass(frozen=True)
class QueueQuery:
    """A queue a freed listener may serve: its kind and language, and the arrival windows in which the
    policy's current step admits this listener."""

    kind: str
    language: str
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class LiveListener:
    listener_id: int
    association_id: int
    state: str
    pools: tuple[str, ...]
    on_shift: bool
    paused: bool
    texts: int
    capacity: int
    idle_since_us: int
    offer_id: str
    call_contact: str
    misses: int
    wrap_until_us: int


@dataclass(frozen=True)
class LiveContact:
    contact_id: str
    association_id: int
    kind: str
    language: str
    priority: str
    arrival_us: int
    state: str
    callback: bool
    offer_id: str
    listener_id: int | None
    excluding: bool = False


@dataclass(frozen=True)
class LiveOffer:
    offer_id: str
    contact_id: str
    listener_id: int
    association_id: int
    kind: str
    deadline_us: int
    step: int


@dataclass(frozen=True)
class Dropped:
    """An offer that ended unanswered; ``paused`` if the listener was paused for missing too many.
    ``requeued``: the contact went back to its place (no other offer of it still rings); ``successor``: the
    offer rung alongside that now stands for the contact, when this one did."""

    offer_id: str
    listener_id: int
    contact_id: str
    paused: bool
    requeued: bool = True
    successor: str = ""


@dataclass(frozen=True)
class Taken:
    """An offer rung alongside the one accepted, taken back: its listener is told the contact was taken."""

    offer_id: str
    listener_id: int


@dataclass(frozen=True)
class Freed:
    """What freeing a listener did: an offer (contact, step), or the state they are now in."""

    state: str
    contact_id: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class Accepted:
    ok: bool
    reason: str = ""
    contact_id: str | None = None
    listener_id: int | None = None
    kind: str = ""
    dropped: Dropped | None = None
    taken: tuple[Taken, ...] = ()


@dataclass(frozen=True)
class Finished:
    """``outcome``: removed (was waiting), cancelled (was being offered), ended (was connected), unknown."""

    outcome: str
    listener_id: int | None = None
    listener_state: str = ""
    wrap_until_us: int | None = None  # set when this end started the listener's wrap-up


@dataclass(frozen=True)
class ListenerRecord:
    """A listener as the roster says they should be live: pools are empty when they may not be offered."""

    listener_id: int
    association_id: int
    pools: tuple[str, ...]
    on_shift: bool
    paused: bool
    capacity: int
    misses_before_pause: int


@dataclass(frozen=True)
class ContactRecord:
    """A contact as the database remembers it, for a rebuild."""

    contact_id: str
    association_id: int
    kind: str
    language: str
    priority: str
    arrival_us: int
    callback: bool
    state: str  # waiting | offered | connected
    listener_id: int | None = None
    offer_id: str = ""
    deadline_us: int = 0
    step: int = 0
    skip: tuple[int, ...] = field(default_factory=tuple)
