"""The caller's leg where the provider rings the listener itself (Exotel's Connect applet asks Samvaad whom
to dial): the listener is chosen by routing as for any call (queue order, fairness, exclusions), reserved
when their number is handed over, and put back if they do not pick up.

A provider of this kind has no queue and no keypress from the listener before the bridge: handing the
number over is the acceptance (as Exotel's own call-centre Connect marks an agent busy when it returns
them). If the listener does not answer, their reservation ends (a short wrap-up, not a missed offer: the
provider does not say why) and the caller keeps their place: a callback, or the crisis line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from locales import messages
from routing import engine
from routing.crisis_numbers import CrisisNumbers
from routing.engine import records as contacts
from routing.engine.live import LiveState
from routing.phones import PhoneVault
from routing.voice import callbacks, calls, decisions, records, waiting
from routing.voice.helplines import HelplineConfig
from routing.voice.offers import prepare_offer
from routing.voice.outcome import Outcome, settled, voice_offers
from schemas.tables import CallbackStatus, Contact, ContactStatus, Priority, VoiceCall

RESERVED = "reserved"
PROVIDER_DIALS = "provider:"  # the offer's call_sid when the provider's applet rings it: no job rings it


def ring_listener(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    *,
    call_sid: str,
    crisis: CrisisNumbers,
    now: datetime,
) -> Outcome:
    """Whom the provider should ring for this caller: the listener routing offered them, reserved now. A
    repeated request (the provider retries) gets the same listener, reserved once."""
    call = records.get_call(session, call_sid)
    if call is None or call.contact_id is None:
        return Outcome(decisions.RingListener((), config.number))
    if not records.claim_effect(session, call_sid, "ring-listener", call.contact_id, now):
        return Outcome(_reserved(session, vault, config, call, crisis))
    contact = records.find_contact(session, call.contact_id)
    offers: list[engine.Offer] = []
    if contact is not None and contact.status == ContactStatus.waiting:
        offers = engine.dispatch(session, live, config.association_id, now)
        session.refresh(contact)
    if contact is None or contact.status != ContactStatus.offered or contact.offer_id is None:
        return Outcome(decisions.RingListener((), config.number), voice_offers(offers))
    offer_id = contact.offer_id
    offer = prepare_offer(session, offer_id, now)
    result = engine.accept_offer(session, live, offer_id, now)
    if offer is None or not result.ok:
        return Outcome(decisions.RingListener((), config.number), voice_offers(offers, result.offers))
    records.set_offer_outcome(session, offer, RESERVED, PROVIDER_DIALS + call_sid)
    others = [o for o in offers if o.offer_id != offer_id]
    return Outcome(_reserved(session, vault, config, call, crisis), voice_offers(others))


def _reserved(
    session: Session, vault: PhoneVault, config: HelplineConfig, call: VoiceCall, crisis: CrisisNumbers
) -> decisions.Decision:
    offer = records.get_offer_by_call(session, PROVIDER_DIALS + call.call_sid)
    listener = records.find_listener(session, offer.listener_id) if offer is not None else None
    if offer is None or listener is None or offer.contact_id != call.contact_id:
        return decisions.RingListener((), config.number)
    contact = records.find_contact(session, call.contact_id) if call.contact_id else None
    ring = config.ring_seconds
    if contact is not None and contact.priority == Priority.crisis:
        ring = crisis_ring_seconds(config, crisis)
    line = decisions.say(
        "listener_connected",
        messages.CONTINUE_IN_LANGUAGE,
        listener.prompt_language,
        names={"language": call.language},
    )
    number = vault.decrypt(listener.phone_encrypted)
    return decisions.RingListener((number,), config.number, (line,), ring)


def crisis_ring_seconds(config: HelplineConfig, crisis: CrisisNumbers) -> int:
    """How long a caller in danger waits on this kind of provider: the one listener rings for their ring
    time, cut to the association's crisis wait limit (the settings' when it has none), then the crisis line.
    The provider's Connect rings the numbers it is given one after another, so only one is given."""
    return max(1, min(config.ring_seconds, config.crisis_max_wait_seconds or crisis.wait_seconds))


def not_connected(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    *,
    call_sid: str,
    caller_number: str | None,
    now: datetime,
) -> Outcome:
    """Nobody could be put through (none free, or the reserved listener did not pick up): the caller keeps
    their place for a callback, or, in danger or with a withheld number, goes to the crisis line."""
    call = records.get_call(session, call_sid)
    if call is None or call.contact_id is None:
        return Outcome(decisions.LeaveQueue("crisis"))
    if call.exit_reason:
        return Outcome(decisions.LeaveQueue("crisis" if call.exit_reason == "crisis" else "callback"))
    contact = records.find_contact(session, call.contact_id)
    ended: tuple[engine.Ended, ...] = ()
    if contact is not None and contact.status == ContactStatus.connected:
        ended = (_release(session, live, call, contact, now),)
        contact = records.find_contact(session, call.contact_id)
    if contact is None or contact.status not in contacts.ACTIVE:
        records.set_exit_reason(session, call, "crisis")
        return Outcome(decisions.LeaveQueue("crisis"), ended=ended)
    crisis = contact.priority == Priority.crisis or caller_number is None
    wait = calls.wait_state(session, live, call, now, caller_number is not None)
    automatic = calls.AUTO_BUSY if wait.all_on_calls else calls.AUTO_NOBODY
    leave = decisions.LeaveQueue("crisis" if crisis else "callback")
    outcome = calls.leave_queue(session, live, vault, config, call, leave, caller_number, now, automatic)
    return Outcome(outcome.decision, ended=ended)


def _release(
    session: Session, live: LiveState, call: VoiceCall, contact: Contact, now: datetime
) -> engine.Ended:
    """The reserved listener never answered: end that reservation and queue the caller again, in their place."""
    offer = records.get_offer_by_call(session, PROVIDER_DIALS + call.call_sid)
    if offer is not None:
        records.set_offer_outcome(session, offer, "no-answer")
    ended = engine.end_contact(session, live, contact.id, now)
    call.contact_id = engine.enqueue_contact(
        session,
        live,
        association_id=contact.association_id,
        channel=contact.channel,
        language=contact.language,
        caller_hash=contact.caller_hash,
        now=now,
        priority=contact.priority,
        arrival_us=contact.arrival_us,
    )
    session.add(call)
    return ended


def spoken_now(
    session: Session, config: HelplineConfig, crisis: CrisisNumbers, *, call_sid: str, now: datetime
) -> tuple[decisions.Line, ...]:
    """What a Greeting applet says at this point of the call: "please stay on the line" once queued, the
    callback's confirmation, or the crisis line's announcement after the caller left the queue."""
    call = records.get_call(session, call_sid)
    if call is None:
        return waiting.degraded(config, crisis).lines
    if call.exit_reason.startswith("callback"):
        hours = callbacks.hours_at(config, now)
        automatic = call.exit_reason in (calls.AUTO_BUSY, calls.AUTO_NOBODY)
        return waiting.callback_lines(call.language, hours, automatic, call.exit_reason == calls.AUTO_BUSY)
    if call.exit_reason:
        return waiting.crisis_transfer(call.language, crisis).crisis_lines
    contact = records.find_contact(session, call.contact_id) if call.contact_id else None
    if contact is not None and contact.priority == Priority.crisis:  # the wait it names is the one it gets
        honest = replace(crisis, wait_seconds=crisis_ring_seconds(config, crisis))
        return (waiting.crisis_acknowledgement(call.language, honest),)
    return (decisions.say("stay", messages.PLEASE_STAY, call.language),)


def callback_ended(
    session: Session, live: LiveState, *, callback_id: str, offer_id: str, talked: bool, now: datetime
) -> Outcome:
    """A callback the provider placed (listener first, then the caller) is over: done if they talked,
    else an attempt spent (the next in ten minutes, or the number erased after the last). Once."""
    callback = records.get_callback(session, callback_id)
    offer = records.get_offer(session, offer_id)
    if (
        callback is None
        or offer is None
        or not records.claim_effect(session, offer_id, "callback-ended", "", now)
    ):
        return Outcome(decisions.Silence())
    if talked:
        if callback.status in records.OPEN_CALLBACK:
            callbacks.finish(session, callback, CallbackStatus.connected, "answered", now)
        records.set_offer_outcome(session, offer, "connected")
    else:
        callbacks.attempt_failed(session, callback, "not reached", now)
        records.set_offer_outcome(session, offer, "not-reached")
    contact = records.find_contact(session, offer.contact_id)
    if contact is None or contact.status not in contacts.ACTIVE:
        return Outcome(decisions.Silence())
    return settled(decisions.Silence(), engine.end_contact(session, live, contact.id, now))
