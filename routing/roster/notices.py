"""Roster messages, each claimed before it goes out: a ``roster_notices`` row under a unique key
(``reminder:<shift>:<start>:<hours>``, ``invite:<open>:<listener>``, ...) inserted in the sending job's
transaction. Two workers, or a tick that ran twice, race on the key: the second waits for the first and finds
it taken, and a send that fails rolls its claim back with the rest, so the retry sends. Reminders and
invitations are questions; their row keeps the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, record_change
from schemas.database import insert_new
from schemas.tables import RosterNotice

ACTOR = "roster automation"


@dataclass(frozen=True)
class RosterMessage:
    """One message to send from a helpline number (addresses carry ``whatsapp:`` on WhatsApp). With a
    ``content_sid`` it goes as that content template (quick replies), the body filling its ``{{1}}``."""

    to: str
    from_: str
    body: str
    content_sid: str | None = None


@dataclass(frozen=True)
class RosterOptions:
    """What the process's settings say about sending: the WhatsApp quick-reply template of each locale (its
    buttons are in that language, so a locale without one asks in plain text rather than with English
    buttons), and whether SMS replies from India reach us (Twilio's do not)."""

    content_sids: dict[str, str] = field(default_factory=dict)
    sms_replies_in_india: bool = False

    def template_for(self, locale: str) -> str | None:
        return self.content_sids.get(locale) or None


def claim(session: Session, association_id: int, key: str, kind: str, now: datetime, **ids: Any) -> bool:
    """True if this transaction is the one to send the message ``key`` names."""
    return insert_new(
        session,
        RosterNotice,
        association_id=association_id,
        key=key,
        kind=kind,
        sent_at=now,
        answer="",
        **ids,
    )


def audit(session: Session, association_id: int, action: str, entity: str, entity_id: int | str | None,
          now: datetime, **changes: Any) -> None:  # fmt: skip
    record_change(session, Actor(ACTOR, now), action, Subject(entity, entity_id, association_id), changes)


def latest_question(session: Session, listener_id: int) -> RosterNotice | None:
    """The newest reminder or invitation to the listener that has no answer yet."""
    query = (
        select(RosterNotice)
        .where(
            RosterNotice.listener_id == listener_id,
            col(RosterNotice.kind).in_(("reminder", "invitation")),
            RosterNotice.answer == "",
        )
        .order_by(col(RosterNotice.sent_at).desc(), col(RosterNotice.id).desc())
    )
    return session.exec(query).first()


def notices_about(session: Session, open_shift_id: int) -> list[RosterNotice]:
    """Every message sent about one open shift, oldest first."""
    query = select(RosterNotice).where(RosterNotice.open_shift_id == open_shift_id)
    return list(session.exec(query.order_by(col(RosterNotice.sent_at), col(RosterNotice.id))).all())


def count_sent(session: Session, kind: str | None = None) -> int:
    query = select(RosterNotice)
    if kind is not None:
        query = query.where(RosterNotice.kind == kind)
    return len(session.exec(query).all())
