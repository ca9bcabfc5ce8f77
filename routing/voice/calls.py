"""The voice channel's service layer: each step of a call, from Samvaad's events to a decision.

Each function reads what it needs (the caller's profile, the call's record, routing's live state), decides
with ``call_flow``, and has its side effects once: a repeated delivery of the same webhook finds its claim
taken (``call_records.claim_effect``) and returns the same decision without acting again. Offers that an
action produced are returned, so the caller (a webhook handler or a job) can have them rung.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from routing import engine
from routing.crisis_numbers import CrisisNumbers
from routing.engine import records as contacts
from routing.engine.live import LiveState
from routing.engine.policy import US
from routing.errors import NotFoundError
from routing.phones import PhoneVault
from routing.voice import callbacks, callers, flow, records
from routing.voice.helplines import HelplineConfig
from schemas.tables import (
    CallbackStatus,
    Channel,
    Contact,
    ContactStatus,
    Listener,
    Priority,
    VoiceCall,
    VoiceOffer,
)

SILENT_RESULTS = ("redirected", "redirected-from-bridged", "bridging-in-process")


@dataclass(frozen=True)
class Outcome:
    """A decision, and the offers the step made (to be rung by a job)."""

    decision: flow.Decision
    offers: tuple[engine.Offer, ...] = ()
    jobs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (job name, id) to enqueue
    ended: tuple[engine.Ended, ...] = ()  # calls that ended: their listener's wrap-up end is scheduled


def _offers(
    *found: engine.Offer | list[engine.Offer] | tuple[engine.Offer, ...] | None,
) -> tuple[engine.Offer, ...]:
    out: list[engine.Offer] = []
    for item in found:
        if item is None:
            continue
        if isinstance(item, engine.Offer):
            out.append(item)
        else:
            out.extend(item)
    return tuple(o for o in out if o.kind == "voice")


# ---- the caller ----


def answer_incoming(session: Session, config: HelplineConfig, caller_hash: str | None) -> flow.Menu:
    return flow.greet(config, callers.get_language(session, config.association_id, caller_hash))


def menu_for(config: HelplineConfig, kind: str, attempt: int, last: str | None) -> flow.Menu:
    """The menu a choice answers, rebuilt from the action URL's query (the menus are pure)."""
    if kind == "returning" and last and config.language(last) is not None:
        return flow.returning_menu(config, last, attempt)
    return flow.language_menu(config, attempt, last_language=last if last and config.language(last) else None)


def take_menu_choice(
    session: Session,
    live: LiveState,
    config: HelplineConfig,
    menu: flow.Menu,
    *,
    call_sid: str,
    caller_hash: str | None,
    digits: str,
    spoken_choice: str | None,
    now: datetime,
) -> Outcome:
    """A key (or a spoken language) in a menu: the menu again, or the queue of the chosen language."""
    choice = flow.choose_language(config, menu, digits, spoken_choice)
    if isinstance(choice, flow.Menu):
        return Outcome(choice)
    join = flow.join_queue(config, choice)
    if not records.claim_effect(session, call_sid, "enqueue", "", now):
        return Outcome(join)
    try:
        if not choice.defaulted and not choice.crisis:
            callers.remember_language(session, config.association_id, caller_hash, choice.language, now)
        contact_id = engine.enqueue_contact(
            session,
            live,
            association_id=config.association_id,
            channel=Channel.voice,
            language=choice.language,
            caller_hash=caller_hash or f"withheld-{call_sid}",
            now=now,
            priority=Priority.crisis if choice.crisis else Priority.normal,
        )
        records.record_call(
            session,
            call_sid,
            association_id=config.association_id,
            helpline=config.number,
            language=choice.language,
            contact_id=contact_id,
            at=now,
        )
        session.commit()
    except Exception:
        records.release_effect(session, call_sid, "enqueue", "")
        raise
    return Outcome(join, _offers(engine.dispatch(session, live, config.association_id, now)))


def _wait_state(
    session: Session, live: LiveState, call: VoiceCall, now: datetime, can_call_back: bool
) -> flow.WaitState:
    assert call.contact_id is not None
    contact = contacts.get_contact(session, call.contact_id)
    position = engine.queue_position(session, live, call.contact_id, now)
    waited = max(0.0, now.timestamp() - contact.arrival_us / US)
    return flow.WaitState(
        state=position.state,
        position=position.position,
        expected_wait_seconds=position.expected_wait_seconds,
        step_kind=position.step_kind,
        waited_seconds=waited,
        crisis=contact.priority == Priority.crisis,
        can_call_back=can_call_back and not contact.callback_requested,
    )


def hold(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    *,
    call_sid: str,
    queue_sid: str,
    caller_number: str | None,
    crisis_max_wait: float,
    now: datetime,
) -> Outcome:
    """A turn of the wait loop: position and expected wait, or out of the queue when the policy says so."""
    call = records.get_call(session, call_sid)
    if call is None or call.contact_id is None:
        return Outcome(flow.HoldAnnouncement((), 3, options=False))
    records.remember_queue(session, call, queue_sid)
    if call.exit_reason:
        return Outcome(flow.LeaveQueue("crisis" if call.exit_reason == "crisis" else "callback"))
    try:
        wait = _wait_state(session, live, call, now, caller_number is not None)
    except NotFoundError:
        records.set_exit_reason(session, call, "lost")
        return Outcome(flow.LeaveQueue("crisis"))
    decision = flow.announce_wait(call.language, wait, crisis_max_wait)
    if isinstance(decision, flow.LeaveQueue):
        return leave_queue(session, live, vault, config, call, decision, caller_number, now, automatic=True)
    return Outcome(decision)


def press_while_waiting(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    *,
    call_sid: str,
    digits: str,
    caller_number: str | None,
    now: datetime,
) -> Outcome:
    """1: a callback (their place kept); 0: the crisis line. Other keys: the wait goes on."""
    call = records.get_call(session, call_sid)
    decision = flow.wait_key(digits)
    if call is None or call.contact_id is None or isinstance(decision, flow.Silence):
        return Outcome(flow.Silence())
    if decision.reason == "callback" and caller_number is None:
        return Outcome(flow.Silence())  # a withheld number cannot be called back
    return leave_queue(session, live, vault, config, call, decision, caller_number, now, automatic=False)


def leave_queue(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    call: VoiceCall,
    decision: flow.LeaveQueue,
    caller_number: str | None,
    now: datetime,
    automatic: bool,
) -> Outcome:
    if call.exit_reason:
        return Outcome(decision)
    wants_callback = decision.reason == "callback" and caller_number is not None
    if wants_callback and records.claim_effect(session, call.call_sid, "callback", "", now):
        assert caller_number is not None
        callbacks.request_callback(session, live, vault, config, call, caller_number, now)
    records.set_exit_reason(
        session,
        call,
        ("callback-auto" if automatic else "callback") if decision.reason == "callback" else "crisis",
    )
    return Outcome(decision)


def left_queue(
    session: Session,
    live: LiveState,
    config: HelplineConfig,
    *,
    call_sid: str,
    result: str,
    crisis: CrisisNumbers,
    now: datetime,
) -> Outcome:
    """The caller left a queue (``result``): confirm a callback, transfer to the crisis line, or end."""
    if result in SILENT_RESULTS:
        return Outcome(flow.Silence())
    call = records.get_call(session, call_sid)
    if call is None:
        return Outcome(flow.after_queue(config, result, "", config.default_language, crisis))
    reason = call.exit_reason
    hours = callbacks.hours_at(config, now)
    decision = flow.after_queue(
        config,
        result,
        "callback" if reason.startswith("callback") else reason,
        call.language,
        crisis,
        hours,
        automatic=reason == "callback-auto",
    )
    if records.claim_effect(session, call_sid, "queue-exit", result, now):
        return _settled(decision, _settle_contact(session, live, call, keep_callback=True, now=now))
    return Outcome(decision)


def _settled(decision: flow.Decision, ended: engine.Ended | None) -> Outcome:
    if ended is None:
        return Outcome(decision)
    return Outcome(decision, _offers(ended.next_offer), ended=(ended,))


def call_ended(session: Session, live: LiveState, *, call_sid: str, now: datetime) -> Outcome:
    """A caller's leg is over (the number's status callback): end or cancel its contact, unless it waits
    for a callback. Safe in any order with the queue's own exit."""
    call = records.get_call(session, call_sid)
    if call is None:
        return Outcome(flow.Silence())
    records.mark_ended(session, call, now)
    if not records.claim_effect(session, call_sid, "ended", "", now):
        return Outcome(flow.Silence())
    return _settled(flow.Silence(), _settle_contact(session, live, call, keep_callback=True, now=now))


def _settle_contact(
    session: Session, live: LiveState, call: VoiceCall, *, keep_callback: bool, now: datetime
) -> engine.Ended | None:
    if call.contact_id is None:
        return None
    contact = session.get(Contact, call.contact_id)
    if contact is None or contact.status not in contacts.ACTIVE:
        return None
    if keep_callback and contact.callback_requested and contact.status != ContactStatus.connected:
        return None
    if contact.status == ContactStatus.connected:
        return engine.end_contact(session, live, contact.id, now)
    return engine.cancel_contact(session, live, contact.id, now)


def bridge_into_offer(session: Session, *, call_sid: str, offer_id: str) -> flow.JoinQueue:
    """The caller, moved out of the language queue, waits a moment in the offer's own queue."""
    call = records.get_call(session, call_sid)
    language = call.language if call is not None else "en"
    return flow.connecting(language, flow.offer_queue_name(offer_id))


# ---- the listener ----


@dataclass(frozen=True)
class OfferCall:
    """What the job needs to ring a listener for an offer (the listener's number stays encrypted here)."""

    offer: VoiceOffer
    listener_phone_encrypted: bytes
    listener_language: str
    caller_language: str
    is_callback: bool


def prepare_offer(session: Session, offer_id: str, now: datetime) -> VoiceOffer | None:
    """The offer's row, created on first use: None when the offer is gone (expired, taken, cancelled)."""
    existing = records.get_offer(session, offer_id)
    if existing is not None:
        return existing
    contact = session.exec(select(Contact).where(Contact.offer_id == offer_id)).first()
    if contact is None or contact.status != ContactStatus.offered or contact.listener_id is None:
        return None
    call = records.get_call_for_contact(session, contact.id)
    open_callback = callbacks.get_open_callback(session, contact.id)
    helpline = call.helpline if call is not None else open_callback.helpline if open_callback else None
    if helpline is None:
        return None
    row = VoiceOffer(
        offer_id=offer_id,
        contact_id=contact.id,
        listener_id=contact.listener_id,
        association_id=contact.association_id,
        helpline=helpline,
        callback_id=open_callback.id if open_callback is not None and contact.callback_requested else None,
        created_at=now,
    )
    if records.claim_offer(session, row):
        return row
    return records.get_offer(session, offer_id)


def offered_contacts_without_call(session: Session, limit: int = 50) -> list[str]:
    """Voice offers routing made that no job has rung yet (made by the tick, or lost on the way)."""
    rung = select(VoiceOffer.offer_id)
    rows = session.exec(
        select(Contact.offer_id)
        .where(
            Contact.status == ContactStatus.offered,
            Contact.channel == Channel.voice,
            col(Contact.offer_id).is_not(None),
            col(Contact.offer_id).not_in(rung),
        )
        .limit(limit)
    ).all()
    return [offer_id for offer_id in rows if offer_id]


def whisper(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, answered_by: str | None, now: datetime
) -> Outcome:
    """The listener's phone was answered: by a person, the whisper; by a machine, hang up (missed)."""
    offer = records.get_offer(session, offer_id)
    if offer is None:
        return Outcome(flow.Goodbye())
    listener = session.get(Listener, offer.listener_id)
    language = listener.prompt_language if listener is not None else "en"
    if flow.is_machine(answered_by):
        offers: tuple[engine.Offer, ...] = ()
        if records.claim_effect(session, call_sid, "machine", "", now):
            records.set_offer_outcome(session, offer, "voicemail")
            offers = _offers(engine.miss_offer(session, live, offer_id, now))
        return Outcome(flow.Goodbye(), offers)
    contact = session.get(Contact, offer.contact_id)
    if contact is None:
        return Outcome(flow.Goodbye())
    waited = max(0.0, now.timestamp() - contact.arrival_us / US)
    return Outcome(flow.whisper(language, contact.language, waited, offer.callback_id is not None))


def answer_offer(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, digits: str, now: datetime
) -> Outcome:
    """1: take the call (connected, and the caller is brought over by a job); any other key: decline."""
    offer = records.get_offer(session, offer_id)
    if offer is None:
        return Outcome(flow.Goodbye())
    listener = session.get(Listener, offer.listener_id)
    language = listener.prompt_language if listener is not None else "en"
    queue = flow.offer_queue_name(offer_id)
    if digits != "1":
        offers: tuple[engine.Offer, ...] = ()
        if records.claim_effect(session, call_sid, "answer", "decline", now):
            records.set_offer_outcome(session, offer, "declined")
            offers = _offers(engine.decline_offer(session, live, offer_id, now))
        return Outcome(flow.Goodbye(), offers)
    if not records.claim_effect(session, call_sid, "answer", "accept", now):
        session.refresh(offer)
        accepted = offer.outcome in ("accepted", "connected")
        known = flow.AcceptResult(accepted, offer.outcome)
        return Outcome(flow.accept(language, known, queue, callback=offer.callback_id is not None))
    result = engine.accept_offer(session, live, offer_id, now)
    if result.ok:
        records.set_offer_outcome(session, offer, "accepted")
        decision = flow.accept(
            language, flow.AcceptResult(True), queue, callback=offer.callback_id is not None
        )
        return Outcome(decision, jobs=(("bridge", offer_id),))
    records.set_offer_outcome(session, offer, result.reason or "gone")
    return Outcome(
        flow.accept(language, flow.AcceptResult(False, result.reason), queue), _offers(result.offers)
    )


def listener_call_status(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, status: str, now: datetime
) -> Outcome:
    """The listener's leg progressed. At its end: wrap-up after a call, or a missed offer (no answer, busy,
    voicemail, hung up during the whisper). Early statuses change nothing, so order does not matter."""
    silence = flow.Silence()
    if status not in ("completed", "busy", "no-answer", "failed", "canceled"):
        return Outcome(silence)
    offer = records.get_offer(session, offer_id)
    if offer is None or not records.claim_effect(session, call_sid, "listener-ended", "", now):
        return Outcome(silence)
    if offer.outcome in ("accepted", "connected"):
        contact = session.get(Contact, offer.contact_id)
        if contact is None or contact.status not in contacts.ACTIVE:
            return Outcome(silence)
        return _settled(silence, engine.end_contact(session, live, offer.contact_id, now))
    if not offer.outcome:
        records.set_offer_outcome(session, offer, "missed" if status == "completed" else status)
    return Outcome(silence, _offers(engine.miss_offer(session, live, offer_id, now)))


# ---- callbacks ----


def callback_answered(
    session: Session,
    *,
    callback_id: str,
    offer_id: str,
    call_sid: str,
    answered_by: str | None,
    now: datetime,
) -> Outcome:
    """The caller we called back picked up: greet them in their language and put them in the offer's queue,
    where their listener waits. The number is erased now: the callback is done."""
    callback = callbacks.get_callback(session, callback_id)
    offer = records.get_offer(session, offer_id)
    if callback is None or offer is None or flow.is_machine(answered_by):
        return Outcome(flow.Goodbye())
    records.record_call(
        session,
        call_sid,
        association_id=callback.association_id,
        helpline=callback.helpline,
        language=callback.language,
        contact_id=offer.contact_id,
        at=now,
    )
    session.commit()
    if callback.status == CallbackStatus.calling:
        callbacks.finish(session, callback, CallbackStatus.connected, "answered", now)
    return Outcome(flow.callback_greeting(callback.language, flow.offer_queue_name(offer_id)))
