"""The caller's leg, step by step: the menu, the queue, the wait loop, leaving it, and the end of the call.

Each function reads what it needs (the caller's profile, the call's record, routing's live state), decides
with the pure modules (``menus``, ``waiting``), and has its side effects once: a repeated delivery of the
same webhook finds its claim taken (``records.claim_effect``) and returns the same decision without acting
again. Offers an action produced are returned, so the caller (a webhook handler or a job) has them rung once
it has committed the step's one transaction (nothing here commits).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from routing import engine, safety
from routing.crisis_numbers import CrisisNumbers
from routing.engine import records as contacts
from routing.engine.live import LiveState
from routing.engine.policy import US
from routing.errors import NotFoundError
from routing.phones import PhoneVault
from routing.voice import callbacks, decisions, menus, records, waiting, whispers
from routing.voice.helplines import HelplineConfig
from routing.voice.outcome import Outcome, settled, voice_offers
from schemas.tables import (
    Channel,
    ContactStatus,
    Priority,
    VoiceCall,
)

AUTO_BUSY = "callback-auto"  # the policy's callback while everyone who could answer is on a call
AUTO_NOBODY = "callback-nobody"  # ... while they are paused, away or not answering
SILENT_RESULTS = ("redirected", "redirected-from-bridged", "bridging-in-process")


def answer_incoming(
    session: Session,
    live: LiveState,
    config: HelplineConfig,
    caller_hash: str | None,
    *,
    limits: safety.Limits,
    crisis: CrisisNumbers,
    now: datetime,
) -> decisions.Menu | decisions.Transfer:
    """The menu; or, for a blocked caller or one over the association's limit, the crisis line."""
    language = records.get_language(session, config.association_id, caller_hash)
    screening = safety.screen(
        session,
        live.client,
        limits,
        association_id=config.association_id,
        kind="call",
        caller_hash=caller_hash,
        now=now,
    )
    if not screening.admitted:
        return waiting.refused(config, language, screening.verdict, crisis)
    return menus.greet(config, crisis, language)


def menu_for(
    config: HelplineConfig, crisis: CrisisNumbers, kind: str, attempt: int, last: str | None
) -> decisions.Menu:
    """The menu a choice answers, rebuilt from the action URL's query (the menus are pure)."""
    if kind == "returning" and last and config.language(last) is not None:
        return menus.returning_menu(config, crisis, last, attempt)
    return menus.language_menu(
        config, crisis, attempt, last_language=last if last and config.language(last) else None
    )


def take_menu_choice(
    session: Session,
    live: LiveState,
    config: HelplineConfig,
    menu: decisions.Menu,
    *,
    call_sid: str,
    caller_hash: str | None,
    digits: str,
    spoken_choice: str | None,
    crisis: CrisisNumbers,
    now: datetime,
) -> Outcome:
    """A key (or a spoken language) in a menu: the menu again, or the queue of the chosen language. The
    claim, the contact and its call record are one transaction: if any step fails, none of them stays."""
    choice = menus.choose_language(config, crisis, menu, digits, spoken_choice)
    if isinstance(choice, decisions.Menu):
        return Outcome(choice)
    if choice.crisis and config.crisis_policy == "crisis_line":  # the association's choice: no queue at all
        return Outcome(waiting.crisis_transfer(choice.language, crisis))
    join = menus.join_queue(config, choice)
    if not records.claim_effect(session, call_sid, "enqueue", "", now):
        return Outcome(join)
    if not choice.defaulted and not choice.crisis:
        records.remember_language(session, config.association_id, caller_hash, choice.language, now)
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
    return Outcome(join, voice_offers(engine.dispatch(session, live, config.association_id, now)))


def wait_state(
    session: Session, live: LiveState, call: VoiceCall, now: datetime, can_call_back: bool
) -> waiting.WaitState:
    assert call.contact_id is not None
    contact = contacts.get_contact(session, call.contact_id)
    position = engine.queue_position(session, live, call.contact_id, now)
    waited = max(0.0, now.timestamp() - contact.arrival_us / US)
    return waiting.WaitState(
        state=position.state,
        position=position.position,
        expected_wait_seconds=position.expected_wait_seconds,
        step_kind=position.step_kind,
        waited_seconds=waited,
        crisis=contact.priority == Priority.crisis,
        can_call_back=can_call_back and not contact.callback_requested,
        all_on_calls=position.can_answer > 0 and position.on_calls == position.can_answer,
        step_seconds_left=position.step_seconds_left,
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
    crisis: CrisisNumbers,
    now: datetime,
) -> Outcome:
    """A turn of the wait loop: position and expected wait, or out of the queue when the policy says so."""
    call = records.get_call(session, call_sid)
    if call is None or call.contact_id is None:
        return Outcome(decisions.HoldAnnouncement((), 3, options=False))
    first_turn = bool(queue_sid) and call.queue_sid != queue_sid
    records.remember_queue(session, call, queue_sid)
    if call.exit_reason:
        return Outcome(decisions.LeaveQueue("crisis" if call.exit_reason == "crisis" else "callback"))
    try:
        wait = wait_state(session, live, call, now, caller_number is not None)
    except NotFoundError:
        records.set_exit_reason(session, call, "lost")
        return Outcome(decisions.LeaveQueue("crisis"))
    limit = config.crisis_max_wait_seconds or crisis_max_wait  # the association's own, else the settings'
    crisis = crisis.within(config.crisis_max_wait_seconds)
    decision = waiting.announce_wait(call.language, wait, limit, crisis, first_turn)
    if isinstance(decision, decisions.LeaveQueue):
        automatic = AUTO_BUSY if wait.all_on_calls else AUTO_NOBODY
        return leave_queue(session, live, vault, config, call, decision, caller_number, now, automatic)
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
    decision = waiting.wait_key(digits)
    if call is None or call.contact_id is None or isinstance(decision, decisions.Silence):
        return Outcome(decisions.Silence())
    if decision.reason == "callback" and caller_number is None:
        return Outcome(decisions.Silence())  # a withheld number cannot be called back
    return leave_queue(session, live, vault, config, call, decision, caller_number, now, automatic="")


def leave_queue(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    call: VoiceCall,
    decision: decisions.LeaveQueue,
    caller_number: str | None,
    now: datetime,
    automatic: str,
) -> Outcome:
    """Out of the queue; ``automatic`` names why the policy chose a callback ("" when the caller did)."""
    if call.exit_reason:
        return Outcome(decision)
    wants_callback = decision.reason == "callback" and caller_number is not None
    if wants_callback and records.claim_effect(session, call.call_sid, "callback", "", now):
        assert caller_number is not None
        callbacks.request_callback(session, live, vault, config, call, caller_number, now)
    records.set_exit_reason(
        session,
        call,
        (automatic or "callback") if decision.reason == "callback" else "crisis",
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
        return Outcome(decisions.Silence())
    call = records.get_call(session, call_sid)
    if call is None:
        return Outcome(waiting.after_queue(config, result, "", config.default_language, crisis))
    reason = call.exit_reason
    hours = callbacks.hours_at(config, now)
    decision = waiting.after_queue(
        config,
        result,
        "callback" if reason.startswith("callback") else reason,
        call.language,
        crisis,
        hours,
        automatic=reason in (AUTO_BUSY, AUTO_NOBODY),
        all_on_calls=reason == AUTO_BUSY,
    )
    if records.claim_effect(session, call_sid, "queue-exit", result, now):
        return settled(decision, _settle_contact(session, live, call, keep_callback=True, now=now))
    return Outcome(decision)


def call_ended(session: Session, live: LiveState, *, call_sid: str, now: datetime) -> Outcome:
    """A caller's leg is over (the number's status callback): end or cancel its contact, unless it waits
    for a callback. Safe in any order with the queue's own exit."""
    call = records.get_call(session, call_sid)
    if call is None:
        return Outcome(decisions.Silence())
    records.mark_ended(session, call, now)
    if not records.claim_effect(session, call_sid, "ended", "", now):
        return Outcome(decisions.Silence())
    return settled(decisions.Silence(), _settle_contact(session, live, call, keep_callback=True, now=now))


def _settle_contact(
    session: Session, live: LiveState, call: VoiceCall, *, keep_callback: bool, now: datetime
) -> engine.Ended | None:
    if call.contact_id is None:
        return None
    contact = records.find_contact(session, call.contact_id)
    if contact is None or contact.status not in contacts.ACTIVE:
        return None
    if keep_callback and contact.callback_requested and contact.status != ContactStatus.connected:
        return None
    if contact.status == ContactStatus.connected:
        return engine.end_contact(session, live, contact.id, now)
    return engine.cancel_contact(session, live, contact.id, now)


def bridge_into_offer(session: Session, *, call_sid: str, offer_id: str) -> decisions.JoinQueue:
    """The caller, moved out of the language queue, waits a moment in the offer's own queue."""
    call = records.get_call(session, call_sid)
    language = call.language if call is not None else "en"
    return whispers.connecting(language, decisions.offer_queue_name(offer_id))
