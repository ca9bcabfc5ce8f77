"""What routing remembers in the database so the live state can be rebuilt: contacts and listener pauses.

The caller is only ever a keyed hash here. Writes are flushed by the service layer, which commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from routing.engine.live.keys import to_us
from routing.errors import NotFoundError
from schemas.tables import AuditEntry, Contact, ContactStatus, Listener, ListenerPresence, RingOffer

ACTIVE = (ContactStatus.waiting, ContactStatus.offered, ContactStatus.connected, ContactStatus.callback)


def aware(at: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def find_contact(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def get_contact(session: Session, contact_id: str) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("no such contact", contact_id=contact_id)
    return contact


# How a contact's status may move. Forward only (waiting -> offered -> connected -> ended), except that an
# unanswered offer goes back to waiting; ``callback`` is waiting with the callback flag set. A late writer
# (a dispatch that claimed before the caller was connected elsewhere) then changes nothing.
NEXT: dict[ContactStatus, frozenset[ContactStatus]] = {
    ContactStatus.waiting: frozenset(
        {
            ContactStatus.callback,
            ContactStatus.offered,
            ContactStatus.connected,
            ContactStatus.ended,
            ContactStatus.abandoned,
        }
    ),
    ContactStatus.callback: frozenset(
        {ContactStatus.offered, ContactStatus.connected, ContactStatus.ended, ContactStatus.abandoned}
    ),
    ContactStatus.offered: frozenset(
        {
            ContactStatus.waiting,
            ContactStatus.callback,
            ContactStatus.offered,
            ContactStatus.connected,
            ContactStatus.ended,
            ContactStatus.abandoned,
        }
    ),
    ContactStatus.connected: frozenset({ContactStatus.ended, ContactStatus.abandoned}),
    ContactStatus.ended: frozenset(),
    ContactStatus.abandoned: frozenset(),
}


def may_move(current: ContactStatus, to: ContactStatus) -> bool:
    return to in NEXT[current]


def sources(to: ContactStatus) -> tuple[ContactStatus, ...]:
    """The statuses a contact may be in for a write to move it to ``to``."""
    return tuple(status for status, targets in NEXT.items() if to in targets)


def _move(
    session: Session,
    contact_id: str,
    to: ContactStatus,
    values: dict[str, Any],
    *,
    since: tuple[ContactStatus, ...] | None = None,
    offer_id: str | None = None,
) -> bool:
    """One conditional UPDATE: the database decides, not a possibly stale copy of the row in this session.
    Returns whether the contact moved."""
    statement = update(Contact).where(
        col(Contact.id) == contact_id, col(Contact.status).in_(since if since is not None else sources(to))
    )
    if offer_id is not None:
        statement = statement.where(col(Contact.offer_id) == offer_id)
    result = session.exec(statement.values(status=to, **values))
    return bool(result.rowcount == 1)


def record_offer(
    session: Session, contact_id: str, listener_id: int, offer_id: str, deadline_us: int
) -> bool:
    """False when the contact is already connected or over: the offer must not be made."""
    values = {"listener_id": listener_id, "offer_id": offer_id, "offer_deadline_us": deadline_us}
    return _move(session, contact_id, ContactStatus.offered, values)


def record_ring_offer(
    session: Session, contact_id: str, listener_id: int, offer_id: str, deadline_us: int, at: datetime
) -> bool:
    """An offer rung alongside the contact's first; False when the contact is no longer offered."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.status != ContactStatus.offered:
        return False
    session.add(RingOffer(offer_id=offer_id, contact_id=contact_id, listener_id=listener_id,
                          deadline_us=deadline_us, created_at=at))  # fmt: skip
    session.flush()
    return True


def get_ring_offer(session: Session, offer_id: str) -> RingOffer | None:
    return session.get(RingOffer, offer_id)


def forget_ring_offers(session: Session, contact_id: str, offer_id: str | None = None) -> None:
    """The offers rung alongside are over (one of them, or all of the contact's)."""
    statement = delete(RingOffer).where(col(RingOffer.contact_id) == contact_id)
    if offer_id is not None:
        statement = statement.where(col(RingOffer.offer_id) == offer_id)
    session.exec(statement)  # type: ignore[call-overload]


def record_successor(session: Session, contact_id: str, offer_id: str, successor: str) -> None:
    """The offer the contact row named ended while others still ring: the row names one of those instead."""
    ring = session.get(RingOffer, successor)
    if ring is None:
        return
    values = {"listener_id": ring.listener_id, "offer_id": successor, "offer_deadline_us": ring.deadline_us}
    _move(
        session, contact_id, ContactStatus.offered, values, since=(ContactStatus.offered,), offer_id=offer_id
    )
    forget_ring_offers(session, contact_id, successor)


def record_back_in_queue(session: Session, contact_id: str, offer_id: str | None = None) -> bool:
    """An offer ended unanswered (only that offer, when ``offer_id`` is given): waiting again, or waiting
    for a call back."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return False
    to = ContactStatus.callback if contact.callback_requested else ContactStatus.waiting
    values = {"listener_id": None, "offer_id": None, "offer_deadline_us": None}
    return _move(session, contact_id, to, values, since=(ContactStatus.offered,), offer_id=offer_id)


def record_connected(session: Session, contact_id: str, listener_id: int, at: datetime) -> bool:
    values = {
        "listener_id": listener_id, "offer_id": None, "offer_deadline_us": None,
        "connected_at": at, "connected_us": to_us(at),
    }  # fmt: skip
    return _move(session, contact_id, ContactStatus.connected, values)


def record_finished(session: Session, contact_id: str, status: ContactStatus, at: datetime) -> bool:
    """Ends an active contact once; the first end wins (a second one changes nothing and returns False)."""
    values = {"ended_at": at, "ended_us": to_us(at), "offer_id": None, "offer_deadline_us": None}
    return _move(session, contact_id, status, values)


def record_callback(session: Session, contact_id: str) -> None:
    get_contact(session, contact_id)
    session.exec(update(Contact).where(col(Contact.id) == contact_id).values(callback_requested=True))
    _move(session, contact_id, ContactStatus.callback, {}, since=(ContactStatus.waiting,))


AUTOMATIC_PAUSE = "missed_offers"


def record_presence_change(
    session: Session, listener_id: int, paused: bool, reason: str, by: str, at: datetime
) -> None:
    """A pause routing made or ended on its own, in the audit log the coordinator reads (the same entry the
    roster writes for a pause a person makes): who (``by``), the listener, and why."""
    listener = session.get(Listener, listener_id)
    if listener is None:
        return
    session.add(
        AuditEntry(
            association_id=listener.association_id,
            actor=by,
            action="update",
            entity="availability",
            entity_id=str(listener_id),
            changes={"paused": [not paused, paused], "reason": reason},
            at=at,
        )
    )


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
