"""Voice's repository: what Samvaad remembers about call legs (keyed by the provider's call id), offers,
callbacks and returning callers' last language, and which webhook side effects already happened. Providers deliver a webhook one or more times, possibly out of order and concurrently:
``claim_effect`` lets exactly one delivery act (a unique row is the claim, inserted in the webhook's own
transaction: it commits, or goes, with what the delivery did), and every webhook reads what the first delivery
decided from here. No phone number is ever stored in these tables. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from schemas.database import insert_for, insert_new, try_lock
from schemas.tables import (
    Callback,
    CallbackStatus,
    CallerProfile,
    Channel,
    Contact,
    ContactStatus,
    Listener,
    RingOffer,
    VoiceCall,
    VoiceOffer,
    WebhookEffect,
)

OPEN_CALLBACK = (CallbackStatus.scheduled, CallbackStatus.calling)


def claim_effect(session: Session, call_sid: str, effect: str, key: str, at: datetime) -> bool:
    """True for the first delivery of (call, effect, key), which must then act; False for every repeat.
    Concurrent deliveries serialise on the unique key; a delivery that fails rolls its claim back with the
    rest of its work, so a redelivery acts."""
    if not try_lock(session, f"webhook-effect/{call_sid}/{effect}/{key[:64]}"):
        return False  # the first delivery is acting on it right now: this one is a repeat
    return insert_new(session, WebhookEffect, call_sid=call_sid, effect=effect, key=key[:64], at=at)


def has_effect(session: Session, call_sid: str, effect: str, key: str = "") -> bool:
    """Whether an earlier step of the call claimed (call, effect, key): what it decided, read back."""
    query = select(WebhookEffect).where(
        WebhookEffect.call_sid == call_sid, WebhookEffect.effect == effect, WebhookEffect.key == key[:64]
    )
    return session.exec(query).first() is not None


def find_contact(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def find_listener(session: Session, listener_id: int) -> Listener | None:
    return session.get(Listener, listener_id)


def find_offered_contact(session: Session, offer_id: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.offer_id == offer_id)).first()


def unrung_offers(session: Session, limit: int) -> list[str]:
    """Voice offers of contacts still offered that have no offer row yet: no job has rung them."""
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
    alongside = session.exec(
        select(RingOffer.offer_id)
        .join(Contact, col(Contact.id) == col(RingOffer.contact_id))
        .where(Contact.status == ContactStatus.offered, col(RingOffer.offer_id).not_in(rung))
        .limit(limit)
    ).all()
    return [offer_id for offer_id in [*rows, *alongside] if offer_id]


def get_callback(session: Session, callback_id: str) -> Callback | None:
    return session.get(Callback, callback_id)


def get_open_callback(session: Session, contact_id: str) -> Callback | None:
    return session.exec(
        select(Callback).where(Callback.contact_id == contact_id, col(Callback.status).in_(OPEN_CALLBACK))
    ).first()


def due_callbacks(session: Session, now: datetime) -> list[Callback]:
    """Scheduled callbacks whose next attempt is due."""
    return list(
        session.exec(
            select(Callback).where(
                Callback.status == CallbackStatus.scheduled, col(Callback.next_attempt_at) <= now
            )
        ).all()
    )


def get_call(session: Session, call_sid: str) -> VoiceCall | None:
    return session.get(VoiceCall, call_sid)


def get_call_for_contact(session: Session, contact_id: str) -> VoiceCall | None:
    """The caller's leg for a contact (the first one: a callback adds a second leg later)."""
    return session.exec(
        select(VoiceCall).where(VoiceCall.contact_id == contact_id).order_by(VoiceCall.created_at)  # type: ignore[arg-type]
    ).first()


def record_call(
    session: Session,
    call_sid: str,
    *,
    association_id: int,
    helpline: str,
    language: str,
    contact_id: str | None,
    at: datetime,
) -> VoiceCall:
    """Remember a call leg; a leg already known keeps its first record."""
    call = session.get(VoiceCall, call_sid)
    if call is not None:
        return call
    call = VoiceCall(
        call_sid=call_sid,
        association_id=association_id,
        helpline=helpline,
        language=language,
        contact_id=contact_id,
        created_at=at,
    )
    session.add(call)
    return call


def set_exit_reason(session: Session, call: VoiceCall, reason: str) -> None:
    call.exit_reason = reason
    session.add(call)


def remember_queue(session: Session, call: VoiceCall, queue_sid: str) -> None:
    """The provider's id of the queue the caller waits in, needed to move them to a listener later."""
    if call.queue_sid == queue_sid or not queue_sid:
        return
    call.queue_sid = queue_sid
    session.add(call)


def mark_ended(session: Session, call: VoiceCall, at: datetime) -> None:
    if call.ended_at is None:
        call.ended_at = at
        session.add(call)


def get_offer(session: Session, offer_id: str) -> VoiceOffer | None:
    return session.get(VoiceOffer, offer_id)


def get_offer_by_call(session: Session, call_sid: str) -> VoiceOffer | None:
    return session.exec(select(VoiceOffer).where(VoiceOffer.call_sid == call_sid)).first()


def claim_offer(session: Session, offer: VoiceOffer) -> VoiceOffer | None:
    """Insert the offer's row and return it; None when another run of the job already did (only one rings
    the listener)."""
    if not insert_new(session, VoiceOffer, **offer.model_dump()):
        return None
    return session.get(VoiceOffer, offer.offer_id)


def set_offer_outcome(session: Session, offer: VoiceOffer, outcome: str, call_sid: str | None = None) -> None:
    offer.outcome = outcome
    if call_sid is not None:
        offer.call_sid = call_sid
    session.add(offer)


# ---- returning callers: their last language, under the keyed hash of their number ----

# Every incoming call asks this: plain SQL skips the ORM's per-query work (a third of the webhook's time).
_LANGUAGE_OF = text(
    "SELECT language FROM caller_profiles WHERE association_id = :association AND caller_hash = :hash"
)


def get_language(session: Session, association_id: int, caller_hash: str | None) -> str | None:
    """The language this caller last chose with this association, or None (new, or caller ID withheld)."""
    if caller_hash is None:
        return None
    found = session.connection().execute(_LANGUAGE_OF, {"association": association_id, "hash": caller_hash})
    language = found.scalar()
    return str(language) if language is not None else None


def remember_language(
    session: Session, association_id: int, caller_hash: str | None, language: str, at: datetime
) -> None:
    """Keep the caller's choice for their next call. Two calls at once both succeed (one upsert each)."""
    if caller_hash is None:
        return
    upsert = insert_for(session)(CallerProfile).values(
        association_id=association_id, caller_hash=caller_hash, language=language, last_seen=at
    )
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["association_id", "caller_hash"], set_={"language": language, "last_seen": at}
        )
    )
