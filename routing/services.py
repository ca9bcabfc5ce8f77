"""Routing's service layer: what the voice and text channels, the jobs and the API call.

Each function takes the database session, the ``LiveState`` (Redis) and the time, decides with the pure
modules (``policy``, ``selection``), changes the live state in one script call where it matters, records what
must survive a Redis restart, and commits. If Redis lost its data, the state is rebuilt from the database and
the operation retried once.

The life of a contact: ``enqueue_contact`` -> (``dispatch`` | ``listener_freed``) makes an ``Offer`` to one
listener -> ``accept_offer`` (connected) or ``decline_offer`` / ``miss_offer`` / expiry (back to its place)
-> ``end_contact`` (the listener enters a wrap-up that grows with the call). ``request_callback`` keeps the
contact's place; ``cancel_contact`` is a caller who hung up.
"""

from __future__ import annotations

import math
import statistics
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlmodel import Session

from routing import contact_records as records
from routing.errors import InvalidConfigurationError, LiveStateLostError, NotFoundError
from routing.live import (
    ContactRecord,
    Dropped,
    ListenerRecord,
    LiveContact,
    LiveState,
    QueueQuery,
    Window,
)
from routing.policy import US, ArrivalWindow, StepChoice, arrival_windows, step_at
from routing.roster import (
    PolicyBook,
    Roster,
    RoutingConfig,
    load_config,
    load_listener,
    load_policies,
    load_roster,
)
from routing.selection import Exclusion, QueueLoad, excluded_ids, hardest_first
from schemas.tables import Channel, Contact, ContactStatus, Priority

T = TypeVar("T")
KINDS = ("voice", "text")


def kind_of(channel: Channel) -> str:
    """Calls are exclusive; SMS and WhatsApp conversations share a listener's text capacity."""
    return "voice" if channel == Channel.voice else "text"


def to_us(at: datetime) -> int:
    return round(at.timestamp() * US)


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / US, UTC)


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


@dataclass(frozen=True)
class QueuePosition:
    """Where a contact stands. ``expected_wait_seconds`` is None when there is no honest basis for one."""

    contact_id: str
    state: str
    position: int  # 1 = next; 0 when not waiting
    expected_wait_seconds: float | None
    step_index: int
    step_kind: str
    step_reason: str


@dataclass(frozen=True)
class Ended:
    """A contact ended: its listener (if any), their state now, and the offer they were given next, if any.
    ``wrap_until``: when the listener's wrap-up ends, if they entered one (schedule ``end_wrapup`` then)."""

    listener_id: int | None
    listener_state: str
    next_offer: Offer | None
    wrap_until: datetime | None = None


def _new_id() -> str:
    return str(uuid.uuid4())


def _with_rebuild(session: Session, live: LiveState, now: datetime, operation: Callable[[], T]) -> T:
    try:
        return operation()
    except LiveStateLostError:
        rebuild(session, live, now)
        return operation()


# ---- contacts ----


def enqueue_contact(
    session: Session,
    live: LiveState,
    *,
    association_id: int,
    channel: Channel,
    language: str,
    caller_hash: str,
    now: datetime,
    priority: Priority = Priority.normal,
    exclusion: Exclusion = Exclusion(),
) -> str:
    """Put a contact in its language's queue (crisis before normal, first come first served within a
    priority) and return its id. ``caller_hash`` is the keyed hash of the number, never the number.
    Call ``dispatch`` afterwards (or let the tick do it) to make the first offer."""
    if not language or len(language) > 16:
        raise InvalidConfigurationError("a language code is required", field="language")
    load_config(session, association_id)  # the association must exist
    skip: set[int] = set()
    if exclusion.institution.strip() or exclusion.city.strip():
        skip = excluded_ids(load_roster(session, association_id, now).listeners.values(), exclusion)
    contact = Contact(
        id=_new_id(),
        association_id=association_id,
        channel=channel,
        language=language,
        priority=priority,
        caller_hash=caller_hash,
        exclude_institution=exclusion.institution,
        exclude_city=exclusion.city,
        arrival_us=to_us(now),
        created_at=now,
    )
    session.add(contact)
    session.commit()
    _with_rebuild(
        session,
        live,
        now,
        lambda: live.enqueue(
            contact.id, association_id, kind_of(channel), language, priority.value, contact.arrival_us, skip
        ),
    )
    return contact.id


def request_callback(session: Session, live: LiveState, contact_id: str, now: datetime) -> None:
    """The caller chose a call back: they keep their place and are served by the first free listener their
    policy admits (the callback itself is dialled by the voice channel when the offer is accepted)."""
    records.record_callback(session, contact_id)
    session.commit()
    _with_rebuild(session, live, now, lambda: live.request_callback(contact_id))


def cancel_contact(session: Session, live: LiveState, contact_id: str, now: datetime) -> Ended:
    """The caller hung up (or the conversation was abandoned) before being connected."""
    return _end(session, live, contact_id, now, ContactStatus.abandoned)


def end_contact(session: Session, live: LiveState, contact_id: str, now: datetime) -> Ended:
    """The call or conversation is over. A call's listener enters wrap-up (base + factor × call length,
    capped); a text listener gets one unit of capacity back and may be offered the next contact at once."""
    return _end(session, live, contact_id, now, ContactStatus.ended)


def _end(session: Session, live: LiveState, contact_id: str, now: datetime, status: ContactStatus) -> Ended:
    contact = records.get_contact(session, contact_id)
    config = load_config(session, contact.association_id)
    connected_at = records.aware(contact.connected_at)
    talked = (now - connected_at).total_seconds() if connected_at else 0.0
    wrap_until = now + timedelta(seconds=config.wrapup_seconds(talked))
    finished = _with_rebuild(
        session, live, now, lambda: live.finish(contact_id, to_us(now), to_us(wrap_until))
    )
    if contact.status in records.ACTIVE:
        final = ContactStatus.ended if contact.status == ContactStatus.connected else status
        records.record_finished(session, contact_id, final, now)
    session.commit()
    next_offer = None
    if finished.listener_id is not None and finished.listener_state == "available":
        next_offer = listener_freed(session, live, finished.listener_id, now)
    elif finished.outcome == "cancelled":
        dispatch(session, live, contact.association_id, now)
    wrapping = wrap_until if finished.listener_state == "wrapup" else None
    return Ended(finished.listener_id, finished.listener_state, next_offer, wrapping)


def queue_position(session: Session, live: LiveState, contact_id: str, now: datetime) -> QueuePosition:
    """Where the contact stands in its language's queue, the step its policy is at, and an expected wait
    from recent handling times in that language (None when there is no recent history)."""
    contact = records.get_contact(session, contact_id)
    live_contact = live.contact(contact_id)
    if live_contact is None and not live.is_built():
        rebuild(session, live, now)
        live_contact = live.contact(contact_id)
    if live_contact is None:
        raise NotFoundError("contact is no longer queued", contact_id=contact_id)
    choice = step_at(
        load_policies(session, contact.association_id).policy_for(contact.language),
        _waited(live_contact, now),
    )
    if live_contact.state != "waiting":
        return QueuePosition(
            contact_id, live_contact.state, 0, 0.0, choice.index, choice.step.kind, choice.reason
        )
    ahead = [
        c
        for c in live.waiting(contact.association_id)
        if c.kind == live_contact.kind
        and c.language == live_contact.language
        and _serves_first(c, live_contact)
    ]
    position = len(ahead) + 1
    roster = load_roster(session, contact.association_id, now)
    speakers = sum(1 for p in roster.listeners.values() if p.on_shift and p.speaks(contact.language))
    handled = records.recent_handle_seconds(session, contact.association_id, contact.language, now)
    expected = None
    if handled and speakers:
        expected = math.ceil(position / speakers) * statistics.median(handled)
    return QueuePosition(
        contact_id, "waiting", position, expected, choice.index, choice.step.kind, choice.reason
    )


def _serves_first(a: LiveContact, b: LiveContact) -> bool:
    return (a.priority != "crisis", a.arrival_us, a.contact_id) < (
        b.priority != "crisis",
        b.arrival_us,
        b.contact_id,
    )


def _waited(contact: LiveContact, now: datetime) -> float:
    return (to_us(now) - contact.arrival_us) / US


# ---- offers ----


def dispatch(session: Session, live: LiveState, association_id: int, now: datetime) -> list[Offer]:
    """Offer waiting contacts to free listeners: expired offers first go back to their place; then crisis
    before normal, the hardest language first, first come first served within a language, each to the
    longest-idle listener its current policy step admits (one atomic claim per contact)."""
    return _with_rebuild(session, live, now, lambda: _dispatch(session, live, association_id, now))


def _dispatch(session: Session, live: LiveState, association_id: int, now: datetime) -> list[Offer]:
    _record_dropped(session, live.expire_due(to_us(now)), now)
    waiting = live.waiting(association_id)
    if not waiting:
        session.commit()
        return []
    config = load_config(session, association_id)
    policies = load_policies(session, association_id)
    offers: list[Offer] = []
    hopeless: set[tuple[str, tuple[str, ...]]] = set()
    for contact in dispatch_order(waiting, _loads(live, association_id, waiting)):
        choice = step_at(policies.policy_for(contact.language), _waited(contact, now))
        key = (contact.kind, choice.pools)
        if key in hopeless or not choice.pools:
            continue
        offer = _claim(session, live, config, contact, choice, now)
        if offer is None and not contact.excluding:
            hopeless.add(key)
        elif offer is not None:
            offers.append(offer)
    session.commit()
    return offers


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
    offer_id = _new_id()
    deadline = now + timedelta(seconds=config.ring_seconds)
    listener_id = live.claim(
        contact.contact_id, choice.pools, to_us(now), to_us(deadline), offer_id, choice.index
    )
    if listener_id is None:
        return None
    records.record_offer(session, contact.contact_id, listener_id, offer_id, to_us(deadline))
    return Offer(
        offer_id,
        contact.contact_id,
        listener_id,
        contact.association_id,
        contact.kind,
        contact.language,
        deadline,
        choice.index,
    )


def listener_freed(
    session: Session,
    live: LiveState,
    listener_id: int,
    now: datetime,
    *,
    release: str = "",
    paused: bool | None = None,
    on_shift: bool | None = None,
    wrap_until_us: int | None = None,
) -> Offer | None:
    """The listener is free (wrap-up over, back from a pause, a conversation ended): offer them, in one
    script call, the contact they should take next: crisis first, then the waiting contact whose language is
    hardest to serve, then the longest waiting; a contact only when its current step admits this listener.
    ``release`` names the engaged state being left (``wrapup``); ``paused``/``on_shift`` change those flags;
    ``wrap_until_us`` frees them only from the wrap-up ending then."""
    listener = load_listener(session, listener_id, now)
    config = load_config(session, listener.association_id)
    policies = load_policies(session, listener.association_id)
    roster_pools = Roster(config, policies, {}, ()).eligible_pools(listener, now)
    queries = freed_queries(policies, listener.languages.keys(), set(roster_pools), to_us(now))
    offer_id = _new_id()
    deadline = now + timedelta(seconds=config.ring_seconds)
    freed = _with_rebuild(
        session,
        live,
        now,
        lambda: live.free_listener(
            listener_id,
            to_us(now),
            to_us(deadline),
            offer_id,
            queries,
            release,
            paused,
            on_shift,
            wrap_until_us,
        ),
    )
    if freed.contact_id is None or freed.step is None:
        return None
    contact = records.get_contact(session, freed.contact_id)
    records.record_offer(session, freed.contact_id, listener_id, offer_id, to_us(deadline))
    session.commit()
    return Offer(
        offer_id,
        freed.contact_id,
        listener_id,
        listener.association_id,
        kind_of(contact.channel),
        contact.language,
        deadline,
        freed.step,
    )


def end_wrapup(
    session: Session, live: LiveState, listener_id: int, wrap_until_us: int, now: datetime
) -> Offer | None:
    """The wrap-up that began when a call ended is over: free the listener now and offer them the next
    contact, rather than at the next tick. Safe to run twice, late, or after the tick got there first: only
    a listener still in that same wrap-up, and only once it is due, is freed."""
    if to_us(now) < wrap_until_us:
        return None
    return listener_freed(session, live, listener_id, now, release="wrapup", wrap_until_us=wrap_until_us)


def freed_queries(
    policies: PolicyBook, spoken: object, listener_pools: set[str], now_us: int
) -> list[QueueQuery]:
    """The queues a freed listener may serve, with the arrival windows where the contact's current step
    admits them. A queue in a language without its own policy can only want its own speakers, so the
    candidates are the listener's languages plus every language with an explicit policy."""
    if not listener_pools:
        return []
    languages = sorted(set(policies.explicit) | set(spoken))  # type: ignore[call-overload]
    queries = []
    for language in languages:
        windows = arrival_windows(policies.policy_for(language), listener_pools, now_us)
        if windows:
            scored = tuple(_score_range(w) for w in windows)
            queries += [QueueQuery(kind, language, scored) for kind in KINDS]
    return queries


def _score_range(window: ArrivalWindow) -> Window:
    lowest = "-inf" if window.lowest_us is None else f"({window.lowest_us}"
    highest = "+inf" if window.highest_us is None else str(window.highest_us)
    return Window(lowest, highest, window.step)


def accept_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> AcceptOutcome:
    """The listener took the contact (pressed 1 / replied): connected. If the offer is gone, say why, so the
    whisper can tell the listener ("the caller has already been connected" / "the caller hung up")."""
    result = _with_rebuild(session, live, now, lambda: live.accept(offer_id, to_us(now)))
    if result.ok and result.contact_id is not None and result.listener_id is not None:
        records.record_connected(session, result.contact_id, result.listener_id, now)
        session.commit()
        return AcceptOutcome(True, "", result.contact_id)
    offers: list[Offer] = []
    if result.dropped is not None:
        _record_dropped(session, [result.dropped], now)
        contact = records.get_contact(session, result.dropped.contact_id)
        offers = dispatch(session, live, contact.association_id, now)
    session.commit()
    return AcceptOutcome(False, result.reason, None, tuple(offers))


def decline_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> list[Offer]:
    """The listener said no: the contact goes back to its place and is offered to the next listener."""
    return _drop(session, live, offer_id, now, "declined")


def miss_offer(session: Session, live: LiveState, offer_id: str, now: datetime) -> list[Offer]:
    """The listener did not answer (no-answer, busy, failed): as a decline, but it counts towards the
    automatic pause (after ``missed_offers_before_pause`` in a row, default 3)."""
    return _drop(session, live, offer_id, now, "missed")


def _drop(session: Session, live: LiveState, offer_id: str, now: datetime, why: str) -> list[Offer]:
    dropped = _with_rebuild(session, live, now, lambda: live.drop_offer(offer_id, to_us(now), why))
    if dropped is None:
        return []
    _record_dropped(session, [dropped], now)
    session.commit()
    contact = records.get_contact(session, dropped.contact_id)
    return dispatch(session, live, contact.association_id, now)


def _record_dropped(session: Session, dropped: list[Dropped], now: datetime) -> None:
    for item in dropped:
        records.record_back_in_queue(session, item.contact_id)
        if item.paused:
            records.set_pause(session, item.listener_id, True, "missed_offers", now)


# ---- listeners ----


def pause_listener(
    session: Session, live: LiveState, listener_id: int, now: datetime, reason: str = "listener"
) -> str:
    """The listener (or a coordinator) pauses: no new offers; a call in progress finishes. Returns the state."""
    records.set_pause(session, listener_id, True, reason, now)
    session.commit()
    freed = _with_rebuild(
        session, live, now, lambda: live.free_listener(listener_id, to_us(now), 0, "", [], paused=True)
    )
    return freed.state


def set_available(session: Session, live: LiveState, listener_id: int, now: datetime) -> Offer | None:
    """The listener is ready again (un-pauses, missed-offer count reset): offered the next contact at once
    if one is waiting for them. Off shift, they stay offline until their shift starts."""
    records.set_pause(session, listener_id, False, "", now)
    session.commit()
    return listener_freed(session, live, listener_id, now, paused=False)


def sync_roster(session: Session, live: LiveState, association_id: int, now: datetime) -> dict[int, str]:
    """Align the live state with the roster: who is on shift now, eligible (verified, trained), paused, and
    which pools they join. Off-shift listeners get no new offers but finish what they are doing."""
    roster = load_roster(session, association_id, now)
    known = set(live.listeners(association_id))
    listener_records = [_record_for(roster, listener_id, now) for listener_id in roster.listeners]
    gone = known - set(roster.listeners)
    listener_records += [ListenerRecord(i, association_id, (), False, False, 0, 3) for i in sorted(gone)]
    return live.sync_listeners(listener_records, to_us(now))


def _record_for(roster: Roster, listener_id: int, now: datetime) -> ListenerRecord:
    listener = roster.listeners[listener_id]
    return ListenerRecord(
        listener_id=listener_id,
        association_id=listener.association_id,
        pools=roster.eligible_pools(listener, now),
        on_shift=listener.on_shift,
        paused=listener.paused,
        capacity=listener.text_capacity,
        misses_before_pause=roster.config.missed_offers_before_pause,
    )


# ---- rebuilding after Redis lost its data ----


def ensure_live(session: Session, live: LiveState, now: datetime) -> bool:
    """Rebuild the live state if Redis lost it (flushed: no sentinel) or restarted from an old snapshot (the
    sentinel names another server run). Returns whether it rebuilt."""
    built_for = live.built_for()
    if built_for is not None and built_for == live.server_run_id():
        return False
    if built_for is not None and not live.begin_rebuild():
        return False
    if built_for is not None:
        live.wipe()
        return _rebuild_locked(session, live, now)
    return rebuild(session, live, now)


def rebuild(session: Session, live: LiveState, now: datetime) -> bool:
    """Recreate the live state from the database: waiting contacts in their original order, offers still
    within their deadline, calls in progress, wrap-ups, and every listener from the roster. Only one process
    rebuilds; the others wait for it."""
    if live.is_built():
        return False
    if not live.begin_rebuild():
        live.wait_for_build()
        return False
    return _rebuild_locked(session, live, now)


def _rebuild_locked(session: Session, live: LiveState, now: datetime) -> bool:
    from routing.roster import association_ids

    for association_id in association_ids(session):
        _rebuild_association(session, live, association_id, now)
    session.commit()
    live.mark_built(live.server_run_id())
    return True


def _rebuild_association(session: Session, live: LiveState, association_id: int, now: datetime) -> None:
    roster = load_roster(session, association_id, now)
    now_us = to_us(now)
    offered: dict[int, str] = {}
    calls: dict[int, str] = {}
    texts: dict[int, int] = {}
    for contact in records.active_contacts(session, association_id):
        kept = _contact_record(roster, contact, now_us)
        if kept.state == "waiting" and contact.status == ContactStatus.offered:
            records.record_back_in_queue(session, contact.id)
        if kept.state == "offered" and kept.listener_id is not None:
            offered[kept.listener_id] = kept.offer_id
        if kept.state == "connected" and kept.listener_id is not None:
            if kept.kind == "voice":
                calls[kept.listener_id] = contact.id
            else:
                texts[kept.listener_id] = texts.get(kept.listener_id, 0) + 1
        live.restore_contact(kept, now_us)
    wrapups = _wrapups(session, roster.config, association_id, now)
    for listener_id in roster.listeners:
        record = _record_for(roster, listener_id, now)
        state, wrap = "free", 0
        if listener_id in offered:
            state = "offered"
        elif listener_id in calls:
            state = "busy"
        elif listener_id in wrapups:
            state, wrap = "wrapup", wrapups[listener_id]
        live.restore_listener(
            record,
            now_us,
            state,
            calls.get(listener_id, ""),
            texts.get(listener_id, 0),
            offered.get(listener_id, ""),
            wrap,
        )


def _contact_record(roster: Roster, contact: Contact, now_us: int) -> ContactRecord:
    exclusion = Exclusion(contact.exclude_institution, contact.exclude_city)
    skip = tuple(sorted(excluded_ids(roster.listeners.values(), exclusion)))
    state = "waiting"
    if contact.status == ContactStatus.connected:
        state = "connected"
    elif contact.status == ContactStatus.offered and (contact.offer_deadline_us or 0) > now_us:
        state = "offered"
    return ContactRecord(
        contact_id=contact.id,
        association_id=contact.association_id,
        kind=kind_of(contact.channel),
        language=contact.language,
        priority=contact.priority.value,
        arrival_us=contact.arrival_us,
        callback=contact.callback_requested,
        state=state,
        listener_id=contact.listener_id if state in ("offered", "connected") else None,
        offer_id=(contact.offer_id or "") if state == "offered" else "",
        deadline_us=(contact.offer_deadline_us or 0) if state == "offered" else 0,
        skip=skip,
    )


def _wrapups(session: Session, config: RoutingConfig, association_id: int, now: datetime) -> dict[int, int]:
    found: dict[int, int] = {}
    since = now - timedelta(seconds=config.wrapup_max_seconds)
    for contact in records.recent_call_ends(session, association_id, since):
        start, end = records.aware(contact.connected_at), records.aware(contact.ended_at)
        if contact.listener_id is None or start is None or end is None or contact.channel != Channel.voice:
            continue
        until = end + timedelta(seconds=config.wrapup_seconds((end - start).total_seconds()))
        if until > now:
            found[contact.listener_id] = max(found.get(contact.listener_id, 0), to_us(until))
    return found


# ---- the periodic tick ----


@dataclass(frozen=True)
class TickReport:
    rebuilt: bool
    expired: int
    released: int
    offers: tuple[Offer, ...]


def tick(session: Session, live: LiveState, now: datetime, association_id: int | None = None) -> TickReport:
    """What the worker runs every few seconds; safe to run twice or concurrently: rebuild if Redis lost its
    state, expire unanswered offers, end due wrap-ups (offering the next contact), apply shift starts and
    ends, and dispatch."""
    from routing.roster import association_ids

    rebuilt = ensure_live(session, live, now)
    expired = _with_rebuild(session, live, now, lambda: live.expire_due(to_us(now)))
    _record_dropped(session, expired, now)
    session.commit()
    offers: list[Offer] = []
    released = 0
    for listener_id in live.due_wrapups(to_us(now)):
        released += 1
        try:
            offer = listener_freed(session, live, listener_id, now, release="wrapup")
        except NotFoundError:
            live.forget_wrapup(listener_id)
            continue
        if offer is not None:
            offers.append(offer)
    ids = [association_id] if association_id is not None else association_ids(session)
    for one in ids:
        sync_roster(session, live, one, now)
        offers += dispatch(session, live, one, now)
    return TickReport(rebuilt, len(expired), released, tuple(offers))
