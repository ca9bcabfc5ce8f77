"""What routing remembers in the database so the live state can be rebuilt: contacts and listener pauses.

The caller is only ever a keyed hash here. Writes are flushed by the service layer, which commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from routing.errors import NotFoundError
from schemas.tables import Contact, ContactStatus, ListenerPresence

ACTIVE = (ContactStatus.waiting, ContactStatus.offered, ContactStatus.connected, ContactStatus.callback)


def aware(at: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def get_contact(session: Session, contact_id: str) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("no such contact", contact_id=contact_id)
    return contact


def record_offer(
    session: Session, contact_id: str, listener_id: int, offer_id: str, deadline_us: int
) -> None:
    contact = get_contact(session, contact_id)
    contact.status = ContactStatus.offered
    contact.listener_id = listener_id
    contact.offer_id = offer_id
    contact.offer_deadline_us = deadline_us
    session.add(contact)


def record_back_in_queue(session: Session, contact_id: str) -> None:
    contact = session.get(Contact, contact_id)
    if contact is None or contact.status not in (ContactStatus.offered, ContactStatus.waiting):
        return
    contact.status = ContactStatus.callback if contact.callback_requested else ContactStatus.waiting
    contact.listener_id = None
    contact.offer_id = None
    contact.offer_deadline_us = None
    session.add(contact)


def record_connected(session: Session, contact_id: str, listener_id: int, at: datetime) -> None:
    contact = get_contact(session, contact_id)
    contact.status = ContactStatus.connected
    contact.listener_id = listener_id
    contact.offer_id = None
    contact.offer_deadline_us = None
    contact.connected_at = at
    session.add(contact)


def record_finished(session: Session, contact_id: str, status: ContactStatus, at: datetime) -> Contact:
    contact = get_contact(session, contact_id)
    contact.status = status
    contact.ended_at = at
    contact.offer_id = None
    contact.offer_deadline_us = None
    session.add(contact)
    return contact


def record_callback(session: Session, contact_id: str) -> None:
    contact = get_contact(session, contact_id)
    contact.callback_requested = True
    if contact.status == ContactStatus.waiting:
        contact.status = ContactStatus.callback
    session.add(contact)


def set_pause(session: Session, listener_id: int, paused: bool, reason: str, at: datetime) -> None:
    presence = session.get(ListenerPresence, listener_id) or ListenerPresence(listener_id=listener_id)
    presence.paused = paused
    presence.paused_reason = reason if paused else ""
    presence.paused_since = at if paused else None
    session.add(presence)


def active_contacts(session: Session, association_id: int) -> list[Contact]:
    return list(
        session.exec(
            select(Contact)
            .where(Contact.association_id == association_id, col(Contact.status).in_(ACTIVE))
            .order_by(col(Contact.arrival_us))
        ).all()
    )


def recent_call_ends(session: Session, association_id: int, since: datetime) -> list[Contact]:
    """Calls ended since ``since``: a rebuild puts their listeners back in wrap-up."""
    return list(
        session.exec(
            select(Contact).where(
                Contact.association_id == association_id,
                Contact.status == ContactStatus.ended,
                col(Contact.ended_at) >= since,
                col(Contact.connected_at).is_not(None),
            )
        ).all()
    )


def recent_handle_seconds(session: Session, association_id: int, language: str, at: datetime) -> list[float]:
    """How long recent contacts in this language held a listener (last 24 hours), for an honest estimate."""
    rows = session.exec(
        select(Contact).where(
            Contact.association_id == association_id,
            Contact.language == language,
            Contact.status == ContactStatus.ended,
            col(Contact.ended_at) >= at - timedelta(hours=24),
            col(Contact.connected_at).is_not(None),
        )
    ).all()
    spans = []
    for row in rows:
        start, end = aware(row.connected_at), aware(row.ended_at)
        if start is not None and end is not None:
            spans.append(max(0.0, (end - start).total_seconds()))
    return spans
