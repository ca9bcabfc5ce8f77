"""Offers: a waiting contact reserved for one listener until a deadline. ``dispatch`` makes them (crisis first,
the hardest language first, each to the longest-idle listener its policy step admits, one atomic claim per
contact); ``accept_offer`` connects; ``decline_offer``, ``miss_offer`` and expiry put the contact back in its
place and offer it again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from routing import transaction
from routing.engine import records, tally
from routing.engine.live import KINDS, Dropped, LiveContact, LiveState, kind_of, new_id, to_us
from routing.engine.policy import US, StepChoice, step_at
from routing.engine.recovery import with_rebuild
from routing.engine.selection import QueueLoad, hardest_first
from routing.engine.snapshot import RoutingConfig, load_config, load_policies
from schemas.tables import Contact, ContactStatus

DECLINE_COOLDOWN_SECONDS = 300
"""A listener who declined a contact is not offered that same contact again for this long (per listener and
contact; kept in the live state only, so a rebuild forgets it)."""

UNCOMMITTED_GRACE_SECONDS = 30
"""A queued contact the database does not show yet may belong to a step of another process that has not
committed (a webhook commits within its deadline, seconds at most): for this long after its arrival it keeps
its place; after that it is taken for the leftover of a step that died before its commit."""

WHISPER_SECONDS = 12
"""Added to a voice offer's deadline: after ringing for ``ring_seconds`` the listener who answers must still
hear the whisper (who is calling, in which language) and press 1 before the offer expires."""


@dataclass(frozen=True)
class Offer:
    """A listener reserved for a contact until ``deadline``: ring them (voice) or notify them (text)."""

    offer_id: str
    contact_id: str
    listener_id: int
    association_id: int
    kind: str
    language: str
    deadline: datetime
    step: int


@dataclass(frozen=True)
class AcceptOutcome:
    """``ok``; otherwise ``reason`` says why the offer is gone: expired, declined, missed, cancelled (the
    caller hung up), accepted (already connected) or unknown. ``offers`` are offers made as a consequence."""

    ok: bool
    reason: str = ""
    contact_id: str | None = None
    offers: tuple[Offer, ...] = ()
    taken: tuple[str, ...] = ()  # offers rung alongside this one, taken back: tell their listeners


def dispatch(session: Session, live: LiveState, association_id: int, now: datetime) -> list[Offer]:
    """Offer waiting contacts to free listeners: expired offers first go back to their place; then crisis
    before normal, the hardest language first, first come first served within a language, each to the
    longest-idle listener its current policy step admits (one atomic claim per contact)."""
    return with_rebuild(session, live, now, lambda: _dispatch(session, live, association_id, now))


def _dispatch(session: Session, live: LiveState, association_id: int, now: datetime) -> list[Offer]:
    expired = live.expire_due(to_us(now))
    record_dropped(session, expired, now)
    for item in expired:  # rung to the end of its offer time unanswered
        count_offer_of(session, live, item.contact_id, "missed")
    waiting = live.waiting(association_id)
    if not waiting:
        return []
    config = load_config(session, association_id)
    policies = load_policies(session, association_id)
    offers: list[Offer] = []
    hopeless: set[tuple[str, tuple[str, ...]]] = set()
    for contact in dispatch_order(waiting, _loads(live, association_id, waiting)):
        choice = step_at(policies.policy_for(contact.language), waited(contact, now))
        key = (contact.kind, choice.pools)
        if key in hopeless or not choice.pools:
            continue
        offer = _claim(session, live, config, contact, choice, now)
        if offer is None and not contact.excluding:
            hopeless.add(key)
        elif offer is not None:
            offers.append(offer)
            offers += ring_alongside(session, live, config, contact, choice, now)
    return offers


def ring_alongside(
    session: Session,
    live: LiveState,
    config: RoutingConfig,
    contact: LiveContact,
    choice: StepChoice,
    now: datetime,
) -> list[Offer]:
    """A caller in danger is offered to the first few eligible listeners at once (the association's
    ``crisis_ring_together``): the first to accept takes the call, the others are told it was taken. Each
    extra claim is its own atomic script call, so no listener is reserved twice."""
    if contact.priority != "crisis" or contact.kind != "voice":
        return []
    offers: list[Offer] = []
    for _ in range(config.crisis_ring_together - 1):
        offer_id = new_id()
        deadline = now + timedelta(seconds=offer_seconds(config, contact.kind))
        listener_id = live.claim_alongside(
            contact.contact_id,
            choice.pools,
            to_us(now),
            to_us(deadline),
            offer_id,
            choice.index,
            config.crisis_ring_together,
        )
        if listener_id is None:
            break
        if not records.record_ring_offer(
            session, contact.contact_id, listener_id, offer_id, to_us(deadline), now
        ):
            live.drop_offer(offer_id, to_us(now), "cancelled")
            break
        transaction.undo_unless_committed(session, _take_back(live, offer_id, to_us(now)))
        count_offer(session, live, contact.association_id, contact.language, contact.kind, "made")
        offers.append(_offer(offer_id, contact, listener_id, deadline, choice.index))
    return offers


def _take_back(live: LiveState, offer_id: str, now_us: int) -> Callable[[], object]:
    """The undo of an offer rung alongside, if its step does not commit."""
    return lambda: live.drop_offer(offer_id, now_us, "cancelled")


def _offer(offer_id: str, contact: LiveContact, listener_id: int, deadline: datetime, step: int) -> Offer:
    return Offer(
        offer_id, contact.contact_id, listener_id, contact.association_id, contact.kind, contact.language,
        deadline, step,
    )  # fmt: skip


def dispatch_order(waiting: list[LiveContact], loads: dict[tuple[str, str], QueueLoad]) -> list[LiveContact]:
    """Crisis first; within a priority, the hardest language first; within a language, first come."""
    rank: dict[tuple[str, str], int] = {}
    for kind in KINDS:
        languages = hardest_first(load for (k, _), load in loads.items() if k == kind)
        rank.update({(kind, language): i for i, language in enumerate(languages)})
    return sorted(
        waiting,
        key=lambda c: (
            c.priority != "crisis",
            rank.get((c.kind, c.language), len(rank)),
            c.arrival_us,
            c.contact_id,
        ),
    )


def _loads(
    live: LiveState, association_id: int, waiting: list[LiveContact]
) -> dict[tuple[str, str], QueueLoad]:
    counts: dict[tuple[str, str], int] = {}
    for contact in waiting:
        counts[(contact.kind, contact.language)] = counts.get((contact.kind, contact.language), 0) + 1
    loads = {}
    for (kind, language), n in counts.items():
        free = live.pool_sizes(association_id, kind, [f"{language}:conversational"])[
            f"{language}:conversational"
        ]
        loads[(kind, language)] = QueueLoad(language, free, n)
    return loads


def _claim(
    session: Session,
    live: LiveState,
    config: RoutingConfig,
    contact: LiveContact,
    choice: StepChoice,
    now: datetime,
) -> Offer | None:
    offer_id = new_id()
    deadline = now + timedelta(seconds=offer_seconds(config, contact.kind))
    listener_id = live.claim(
        contact.contact_id, choice.pools, to_us(now), to_us(deadline), offer_id, choice.index
    )
    if listener_id is None:
        return None
    if not record_offer(session, live, contact.contact_id, listener_id, offer_id, now, deadline):
        return None
    count_offer(session, live, contact.association_id, contact.language, contact.kind, "made")
    return _offer(offer_id, contact, listener_id, deadline, choice.index)


def record_offer(
    session: Session,
    live: LiveState,
    contact_id: str,
    listener_id: int,
    offer_id: str,
    now: datetime,
    deadline: datetime,
) -> bool:
    """Record an offer the live state made. When the database says the contact is already connected or over
    (the live state lagged behind it), the contact leaves the queue and the listener gets their place back;
    when it does not show the contact yet (``is_awaiting_commit``), the contact keeps its place."""
    if records.record_offer(session, contact_id, listener_id, offer_id, to_us(deadline)):
        # the contact goes back to its place, the listener keeps their idle time, if the step does not commit
        transaction.undo_unless_committed(session, lambda: live.drop_offer(offer_id, to_us(now), "cancelled"))
        return True
    if is_awaiting_commit(session, live, contact_id, now):
        live.drop_offer(offer_id, to_us(now), "cancelled")  # its own step commits it; the tick offers it then
        return False
    live.finish(contact_id, to_us(now), to_us(now))
    return False


def is_awaiting_commit(session: Session, live: LiveState, contact_id: str, now: datetime) -> bool:
    """Queued lately by a step of another process that had not committed when the offer was recorded: the
    database shows no row yet, or shows it waiting now (that step committed in between)."""
    queued = live.contact(contact_id)
    if queued is None:
        return False
    row = records.find_contact(session, contact_id)
    if row is not None:
        return row.status in (ContactStatus.waiting, ContactStatus.callback)
    return to_us(now) - queued.arrival_us < UNCOMMITTED_GRACE_SECONDS * US


def accept_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> AcceptOutcome:
    """The listener took the contact (pressed 1 / replied): connected. If the offer is gone, say why, so the
    whisper can tell the listener ("the caller has already been connected" / "the caller hung up")."""
    result = with_rebuild(session, live, now, lambda: live.accept(offer_id, to_us(now)))
    if result.ok and result.contact_id is not None and result.listener_id is not None:
        if records.record_connected(session, result.contact_id, result.listener_id, now):
            count_contact(session, live, records.get_contact(session, result.contact_id), "accepted")
        records.forget_ring_offers(session, result.contact_id)
        return AcceptOutcome(True, "", result.contact_id, taken=tuple(t.offer_id for t in result.taken))
    offers: list[Offer] = []
    if result.dropped is not None:
        record_dropped(session, [result.dropped], now)
        contact = records.get_contact(session, result.dropped.contact_id)
        offers = dispatch(session, live, contact.association_id, now)
    return AcceptOutcome(False, result.reason, None, tuple(offers))


def decline_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> list[Offer]:
    """The listener said no: the contact goes back to its place and is offered to the next listener, never
    to this one again before ``DECLINE_COOLDOWN_SECONDS``; like a missed offer, it counts towards the
    automatic pause (a listener who declines everything is not rung without end)."""
    cool_until = to_us(now + timedelta(seconds=DECLINE_COOLDOWN_SECONDS))
    return _drop(session, live, offer_id, now, "declined", cool_until)


def withdraw_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> list[Offer]:
    """Samvaad takes back an offer nobody was told of (the conversation closed, the offer already gone):
    the contact goes back to its place, and nothing counts against the listener (no cool-down, no miss)."""
    return _drop(session, live, offer_id, now, "withdrawn")


def miss_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> list[Offer]:
    """The listener did not answer (no-answer, busy, failed): the contact goes back to its place; it counts
    towards the automatic pause (after ``missed_offers_before_pause`` in a row, default 3)."""
    return _drop(session, live, offer_id, now, "missed")


def _drop(
    session: Session, live: LiveState, offer_id: str, now: datetime, why: str, cool_until_us: int = 0
) -> list[Offer]:
    dropped = with_rebuild(
        session, live, now, lambda: live.drop_offer(offer_id, to_us(now), why, cool_until_us)
    )
    if dropped is None:
        return []
    record_dropped(session, [dropped], now)
    contact = records.get_contact(session, dropped.contact_id)
    count_offer(session, live, contact.association_id, contact.language, kind_of(contact.channel), why)
    return dispatch(session, live, contact.association_id, now)


def record_dropped(session: Session, dropped: list[Dropped], now: datetime) -> None:
    for item in dropped:
        if item.requeued:
            records.record_back_in_queue(session, item.contact_id, item.offer_id)
        elif item.successor:
            records.record_successor(session, item.contact_id, item.offer_id, item.successor)
        records.forget_ring_offers(session, item.contact_id, item.offer_id)
        if item.paused:
            records.set_pause(session, item.listener_id, True, records.AUTOMATIC_PAUSE, now)
            by = "routing: offers missed in a row"
            records.record_presence_change(session, item.listener_id, True, records.AUTOMATIC_PAUSE, by, now)


def count_offer(
    session: Session, live: LiveState, association_id: int, language: str, kind: str, outcome: str
) -> None:
    tally.count(session, live.client, "offers", association_id, language, kind, outcome)


def count_offer_of(session: Session, live: LiveState, contact_id: str, outcome: str) -> None:
    contact = records.find_contact(session, contact_id)
    if contact is not None:
        count_offer(
            session, live, contact.association_id, contact.language, kind_of(contact.channel), outcome
        )


def count_contact(session: Session, live: LiveState, contact: Contact, offer_outcome: str) -> None:
    """An offer accepted: the contact answered."""
    kind = kind_of(contact.channel)
    count_offer(session, live, contact.association_id, contact.language, kind, offer_outcome)
    tally.count(session, live.client, "contacts", contact.association_id, contact.language, kind, "answered")


def waited(contact: LiveContact, now: datetime) -> float:
    return (to_us(now) - contact.arrival_us) / US


def offer_seconds(config: RoutingConfig, kind: str) -> int:
    """How long an offer holds its listener: the ring time, and for a call the whisper after it."""
    return config.ring_seconds + (WHISPER_SECONDS if kind == "voice" else 0)
