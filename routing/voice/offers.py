"""The listener's leg, step by step: the offer's row, the whisper, pressing 1 (or not), and the end of the
listener's call, which drives presence (wrap-up after a call, a missed offer counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from routing import engine
from routing.engine import records as contacts
from routing.engine.live import LiveState
from routing.engine.policy import US
from routing.voice import decisions, records, whispers
from routing.voice.outcome import Outcome, settled, voice_offers
from schemas.tables import Contact, ContactStatus, Priority, VoiceOffer


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
    contact, listener_id = _offered(session, offer_id)
    if contact is None or contact.status != ContactStatus.offered or listener_id is None:
        return None
    call = records.get_call_for_contact(session, contact.id)
    open_callback = records.get_open_callback(session, contact.id)
    helpline = call.helpline if call is not None else open_callback.helpline if open_callback else None
    if helpline is None:
        return None
    row = VoiceOffer(
        offer_id=offer_id,
        contact_id=contact.id,
        listener_id=listener_id,
        association_id=contact.association_id,
        helpline=helpline,
        callback_id=open_callback.id if open_callback is not None and contact.callback_requested else None,
        created_at=now,
    )
    return records.claim_offer(session, row) or records.get_offer(session, offer_id)


def _offered(session: Session, offer_id: str) -> tuple[Contact | None, int | None]:
    """The contact an offer is for and the listener it rings: the contact's own offer, or one rung
    alongside it (a caller in danger is offered to several listeners at once)."""
    contact = records.find_offered_contact(session, offer_id)
    if contact is not None:
        return contact, contact.listener_id
    ring = contacts.get_ring_offer(session, offer_id)
    if ring is None:
        return None, None
    return records.find_contact(session, ring.contact_id), ring.listener_id


def offered_contacts_without_call(session: Session, limit: int = 50) -> list[str]:
    """Voice offers routing made that no job has rung yet (made by the tick, or lost on the way)."""
    return records.unrung_offers(session, limit)


def whisper(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, answered_by: str | None, now: datetime
) -> Outcome:
    """The listener's phone was answered: by a person, the whisper; by a machine, hang up (missed)."""
    offer = records.get_offer(session, offer_id)
    if offer is None:
        return Outcome(decisions.Goodbye())
    listener = records.find_listener(session, offer.listener_id)
    language = listener.prompt_language if listener is not None else "en"
    if whispers.is_machine(answered_by):
        offers: tuple[engine.Offer, ...] = ()
        if records.claim_effect(session, call_sid, "machine", "", now):
            records.set_offer_outcome(session, offer, "voicemail")
            offers = voice_offers(engine.miss_offer(session, live, offer_id, now))
        return Outcome(decisions.Goodbye(), offers)
    contact = records.find_contact(session, offer.contact_id)
    if contact is None:
        return Outcome(decisions.Goodbye())
    waited = max(0.0, now.timestamp() - contact.arrival_us / US)
    if offer.outcome == "taken":
        return Outcome(whispers.taken(language))
    urgent = contact.priority == Priority.crisis
    return Outcome(
        whispers.whisper(language, contact.language, waited, offer.callback_id is not None, urgent)
    )


def answer_offer(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, digits: str, now: datetime
) -> Outcome:
    """1: take the call (connected, and the caller is brought over by a job); any other key: decline."""
    offer = records.get_offer(session, offer_id)
    if offer is None:
        return Outcome(decisions.Goodbye())
    listener = records.find_listener(session, offer.listener_id)
    language = listener.prompt_language if listener is not None else "en"
    queue = decisions.offer_queue_name(offer_id)
    if digits != "1":
        offers: tuple[engine.Offer, ...] = ()
        if records.claim_effect(session, call_sid, "answer", "decline", now):
            records.set_offer_outcome(session, offer, "declined")
            offers = voice_offers(engine.decline_offer(session, live, offer_id, now))
        return Outcome(decisions.Goodbye(), offers)
    if not records.claim_effect(session, call_sid, "answer", "accept", now):
        session.refresh(offer)
        accepted = offer.outcome in ("accepted", "connected")
        known = whispers.AcceptResult(accepted, offer.outcome)
        return Outcome(whispers.accept(language, known, queue, callback=offer.callback_id is not None))
    result = engine.accept_offer(session, live, offer_id, now)
    if result.ok:
        records.set_offer_outcome(session, offer, "accepted")
        decision = whispers.accept(
            language, whispers.AcceptResult(True), queue, callback=offer.callback_id is not None
        )
        return Outcome(decision, jobs=(("bridge", offer_id), *_taken(session, result.taken)))
    records.set_offer_outcome(session, offer, result.reason or "gone")
    return Outcome(
        whispers.accept(language, whispers.AcceptResult(False, result.reason), queue),
        voice_offers(result.offers),
    )


def _taken(session: Session, offer_ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The offers rung alongside the accepted one are over: a leg not yet placed is never placed, a ringing
    one stops, an answered one hears that the call was taken (a job, after the commit)."""
    for offer_id in offer_ids:
        row = records.get_offer(session, offer_id)
        if row is not None and not row.outcome:
            records.set_offer_outcome(session, row, "taken")
    return tuple(("taken", offer_id) for offer_id in offer_ids)


def taken_notice(session: Session, offer_id: str) -> Outcome:
    """The leg of a listener whose offer was taken by another, redirected: told so, in their language."""
    offer = records.get_offer(session, offer_id)
    listener = records.find_listener(session, offer.listener_id) if offer is not None else None
    return Outcome(whispers.taken(listener.prompt_language if listener is not None else "en"))


def listener_call_status(
    session: Session, live: LiveState, *, offer_id: str, call_sid: str, status: str, now: datetime
) -> Outcome:
    """The listener's leg progressed. At its end: wrap-up after a call, or a missed offer (no answer, busy,
    voicemail, hung up during the whisper). Early statuses change nothing, so order does not matter."""
    silence = decisions.Silence()
    if status not in ("completed", "busy", "no-answer", "failed", "canceled"):
        return Outcome(silence)
    offer = records.get_offer(session, offer_id)
    if offer is None or not records.claim_effect(session, call_sid, "listener-ended", "", now):
        return Outcome(silence)
    if offer.outcome in ("accepted", "connected"):
        contact = records.find_contact(session, offer.contact_id)
        if contact is None or contact.status not in contacts.ACTIVE:
            return Outcome(silence)
        return settled(silence, engine.end_contact(session, live, offer.contact_id, now))
    if not offer.outcome:
        records.set_offer_outcome(session, offer, "missed" if status == "completed" else status)
    return Outcome(silence, voice_offers(engine.miss_offer(session, live, offer_id, now)))
