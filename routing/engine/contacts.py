"""A contact's life from the caller's side: queued in its language (``enqueue_contact``), where it stands
(``queue_position``), a callback that keeps its place (``request_callback``), and its end: the caller hung up
(``cancel_contact``) or the call or conversation is over (``end_contact``, which starts the listener's
wrap-up and offers a free listener the next contact)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from routing import transaction
from routing.engine import records, tally
from routing.engine.live import LiveContact, LiveState, kind_of, new_id, to_us
from routing.engine.offers import Offer, dispatch, waited
from routing.engine.policy import step_at
from routing.engine.presence import listener_freed
from routing.engine.recovery import rebuild, with_rebuild
from routing.engine.selection import Exclusion, excluded_ids
from routing.engine.snapshot import load_config, load_policies, load_roster
from routing.errors import InvalidConfigurationError, NotFoundError
from schemas.tables import Channel, Contact, ContactStatus, Priority


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
    can_answer: int = 0  # listeners who could take it now: on shift, eligible, not paused, speaking it
    on_calls: int = 0  # of those, how many are engaged (offered, in a call, in wrap-up)
    step_seconds_left: float | None = None  # until the policy's next step; None at the terminal steps


@dataclass(frozen=True)
class Ended:
    """A contact ended: its listener (if any), their state now, and the offer they were given next, if any.
    ``wrap_until``: when the listener's wrap-up ends, if they entered one (schedule ``end_wrapup`` then)."""

    listener_id: int | None
    listener_state: str
    next_offer: Offer | None
    wrap_until: datetime | None = None


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
    arrival_us: int | None = None,
) -> str:
    """Put a contact in its language's queue (crisis before normal, first come first served within a
    priority) and return its id. ``caller_hash`` is the keyed hash of the number, never the number.
    ``arrival_us`` keeps the place of an earlier contact this one replaces (a texter's CALL).
    Call ``dispatch`` afterwards (or let the tick do it) to make the first offer."""
    if not language or len(language) > 16:
        raise InvalidConfigurationError("a language code is required", field="language")
    load_config(session, association_id)  # the association must exist
    skip: set[int] = set()
    if exclusion.institution.strip() or exclusion.city.strip():
        skip = excluded_ids(load_roster(session, association_id, now).listeners.values(), exclusion)
    contact = Contact(
        id=new_id(),
        association_id=association_id,
        channel=channel,
        language=language,
        priority=priority,
        caller_hash=caller_hash,
        exclude_institution=exclusion.institution,
        exclude_city=exclusion.city,
        arrival_us=to_us(now) if arrival_us is None else arrival_us,
        created_at=now,
    )
    session.add(contact)
    session.flush()
    with_rebuild(
        session,
        live,
        now,
        lambda: live.enqueue(
            contact.id, association_id, kind_of(channel), language, priority.value, contact.arrival_us, skip
        ),
    )
    # queued at once, so the step's own dispatch can offer it; gone again if the step does not commit
    transaction.undo_unless_committed(session, lambda: live.finish(contact.id, to_us(now), to_us(now)))
    return contact.id


def request_callback(session: Session, live: LiveState, contact_id: str, now: datetime) -> None:
    """The caller chose a call back: they keep their place and are served by the first free listener their
    policy admits (the callback itself is dialled by the voice channel when the offer is accepted)."""
    records.record_callback(session, contact_id)
    transaction.after_commit(
        session, lambda: with_rebuild(session, live, now, lambda: live.request_callback(contact_id))
    )


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
    finished = with_rebuild(
        session, live, now, lambda: live.finish(contact_id, to_us(now), to_us(wrap_until))
    )
    if contact.status in records.ACTIVE:
        final = ContactStatus.ended if contact.status == ContactStatus.connected else status
        if records.record_finished(session, contact_id, final, now) and final == ContactStatus.abandoned:
            labels = (contact.association_id, contact.language, kind_of(contact.channel), "abandoned")
            tally.count(session, live.client, "contacts", *labels)
    next_offer = None
    if finished.listener_id is not None and finished.listener_state == "available":
        next_offer = listener_freed(session, live, finished.listener_id, now)
    elif finished.outcome == "cancelled":
        dispatch(session, live, contact.association_id, now)
    wrapping = wrap_until if finished.wrap_until_us is not None else None
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
        waited(live_contact, now),
    )
    if live_contact.state != "waiting":
        return QueuePosition(
            contact_id,
            live_contact.state,
            0,
            0.0,
            choice.index,
            choice.step.kind,
            choice.reason,
            step_seconds_left=choice.seconds_left,
        )
    ahead = [
        c
        for c in live.waiting(contact.association_id)
        if c.kind == live_contact.kind
        and c.language == live_contact.language
        and _serves_first(c, live_contact)
    ]
    position = len(ahead) + 1
    speakers = _can_answer(session, live, contact.association_id, contact.language, now)
    engaged = sum(1 for state in speakers if state in ENGAGED)
    handled = records.recent_handle_seconds(session, contact.association_id, contact.language, now)
    expected = None
    if handled and speakers:
        expected = math.ceil(position / len(speakers)) * statistics.median(handled)
    return QueuePosition(
        contact_id,
        "waiting",
        position,
        expected,
        choice.index,
        choice.step.kind,
        choice.reason,
        len(speakers),
        engaged,
        choice.seconds_left,
    )


ENGAGED = ("offered", "busy", "wrapup")


def _can_answer(
    session: Session, live: LiveState, association_id: int, language: str, now: datetime
) -> list[str]:
    """The live states of the listeners who could answer this language now: an estimate rests on them only
    (a paused or off-shift speaker answers nobody)."""
    roster = load_roster(session, association_id, now)
    states = []
    for p in roster.listeners.values():
        if p.on_shift and not p.paused and p.speaks(language) and roster.eligible_pools(p, now):
            found = live.listener(p.listener_id)
            states.append(found.state if found is not None else "offline")
    return [state for state in states if state == "available" or state in ENGAGED]


def _serves_first(a: LiveContact, b: LiveContact) -> bool:
    return (a.priority != "crisis", a.arrival_us, a.contact_id) < (
        b.priority != "crisis",
        b.arrival_us,
        b.contact_id,
    )
