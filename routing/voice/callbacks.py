"""Callbacks: a caller who would rather be called back keeps their place in the queue; when a listener takes
the offer, Samvaad calls the listener first, then the caller, from the helpline number, within the
association's callback hours, up to its number of attempts.

The caller's number is the one thing Samvaad must keep here: encrypted (Fernet) in ``callbacks``, decrypted
only inside the job that dials it, and erased as soon as the callback is done, whatever the outcome.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session

from routing import engine
from routing.engine.live import LiveState
from routing.engine.policy import is_within_callback_hours, next_callback_time
from routing.engine.records import ACTIVE
from routing.phones import PhoneVault
from routing.voice import decisions, records, whispers
from routing.voice.helplines import HelplineConfig
from routing.voice.outcome import Outcome
from routing.voice.waiting import CallbackHours
from schemas.tables import Callback, CallbackStatus, Channel, VoiceCall

RETRY_AFTER = timedelta(minutes=10)
OPEN = records.OPEN_CALLBACK


def hours_at(config: HelplineConfig, at: datetime) -> CallbackHours:
    """The association's callback hours, and whether ``at`` falls inside them (local time; equal start and
    end times are open all day)."""
    start, end = config.callback_start, config.callback_end
    return CallbackHours(start.strftime("%H:%M"), end.strftime("%H:%M"), is_within_callback_hours(config, at))


def next_opening(config: HelplineConfig, at: datetime) -> datetime:
    """``at`` itself within the hours, else the next time they open."""
    return next_callback_time(config, at)


def request_callback(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    call: VoiceCall,
    caller_number: str,
    now: datetime,
) -> Callback:
    """Record the request (number encrypted) and keep the caller's place in routing's queue."""
    assert call.contact_id is not None
    return schedule_callback(session, live, vault, config, call.contact_id, call.language, caller_number, now)


def schedule_callback(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    config: HelplineConfig,
    contact_id: str,
    language: str,
    caller_number: str,
    now: datetime,
) -> Callback:
    """A callback for a voice contact, dialled from ``config``'s number: the listener first, then the
    caller, within the callback hours. The number is encrypted into the callback's own copy."""
    existing = records.get_open_callback(session, contact_id)
    if existing is not None:
        return existing
    callback = Callback(
        id=str(uuid.uuid4()),
        contact_id=contact_id,
        association_id=config.association_id,
        language=language,
        helpline=config.number,
        number_encrypted=vault.encrypt(caller_number),
        max_attempts=max(1, config.callback_attempts),
        next_attempt_at=next_opening(config, now),
        created_at=now,
    )
    session.add(callback)
    engine.request_callback(session, live, contact_id, now)
    return callback


def start_attempt(session: Session, callback: Callback, now: datetime) -> bool:
    """Count an attempt to reach the caller; False when none is left (or the callback is over)."""
    if callback.status not in OPEN or callback.number_encrypted is None:
        return False
    if callback.attempts >= callback.max_attempts:
        finish(session, callback, CallbackStatus.failed, "no attempts left", now)
        return False
    callback.attempts += 1
    callback.status = CallbackStatus.calling
    session.add(callback)
    return True


def attempt_failed(session: Session, callback: Callback, outcome: str, now: datetime) -> datetime | None:
    """The caller did not answer (or a machine did): when to try again, or None after the last attempt,
    when the callback is closed and the number erased."""
    if callback.status not in OPEN:
        return None
    if callback.attempts >= callback.max_attempts:
        finish(session, callback, CallbackStatus.failed, outcome, now)
        return None
    callback.status = CallbackStatus.scheduled
    callback.outcome = outcome
    callback.next_attempt_at = now + RETRY_AFTER
    session.add(callback)
    return callback.next_attempt_at


def finish(session: Session, callback: Callback, status: CallbackStatus, outcome: str, now: datetime) -> None:
    """Close the callback and erase the caller's number: it is never needed again."""
    callback.status = status
    callback.outcome = outcome[:40]
    callback.number_encrypted = None
    callback.finished_at = now
    callback.next_attempt_at = None
    session.add(callback)


def requeue(session: Session, live: LiveState, callback: Callback, now: datetime) -> str | None:
    """Put a scheduled callback back in routing's queue for its next attempt (a new contact, flagged as a
    callback). Returns the new contact id, or None when the callback is over or already queued."""
    if callback.status != CallbackStatus.scheduled or callback.number_encrypted is None:
        return None
    current = records.find_contact(session, callback.contact_id)
    if current is not None and current.status in ACTIVE:
        return None
    contact_id = engine.enqueue_contact(
        session,
        live,
        association_id=callback.association_id,
        channel=Channel.voice,
        language=callback.language,
        caller_hash=current.caller_hash if current is not None else f"callback-{callback.id}",
        now=now,
    )
    callback.contact_id = contact_id
    session.add(callback)
    engine.request_callback(session, live, contact_id, now)
    return contact_id


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
    callback = records.get_callback(session, callback_id)
    offer = records.get_offer(session, offer_id)
    if callback is None or offer is None or whispers.is_machine(answered_by):
        return Outcome(decisions.Goodbye())
    records.record_call(
        session,
        call_sid,
        association_id=callback.association_id,
        helpline=callback.helpline,
        language=callback.language,
        contact_id=offer.contact_id,
        at=now,
    )
    if callback.status == CallbackStatus.calling:
        finish(session, callback, CallbackStatus.connected, "answered", now)
    return Outcome(whispers.callback_greeting(callback.language, decisions.offer_queue_name(offer_id)))
