"""Messages kept for later: when the webhook cannot take a message in (Redis down or hung, a step failed), it
keeps the message, sender and body encrypted, tells the texter it has it, and a sweep hands it to the text
channel once it can. A message is kept once (its provider id), and forgotten as soon as it is handled."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from routing.events import MessageReceived
from routing.phones import PhoneVault
from schemas.tables import PendingText

BATCH = 50


def keep_for_later(session: Session, vault: PhoneVault, message: MessageReceived, now: datetime) -> None:
    """Kept in this session (the caller commits); a redelivery of a message already kept adds nothing."""
    if session.exec(
        select(PendingText.id).where(col(PendingText.message_sid) == message.message_sid)
    ).first():
        return
    session.add(
        PendingText(
            message_sid=message.message_sid,
            channel=message.channel,
            recipient=message.recipient,
            sender_encrypted=vault.encrypt(message.sender),
            body_encrypted=vault.encrypt(message.body),
            num_media=message.num_media,
            button_payload=message.button_payload,
            received_at=now,
        )
    )


def pending_texts(session: Session, limit: int = BATCH) -> list[int]:
    """The kept messages, oldest first."""
    statement = (
        select(PendingText.id).order_by(col(PendingText.received_at), col(PendingText.id)).limit(limit)
    )
    return [i for i in session.exec(statement).all() if i is not None]


def take_pending(session: Session, vault: PhoneVault, pending_id: int) -> MessageReceived | None:
    """The message as it arrived, and its row deleted in this session: handled once, when it commits."""
    row = session.get(PendingText, pending_id)
    if row is None:
        return None
    message = MessageReceived(
        message_sid=row.message_sid,
        sender=vault.decrypt(row.sender_encrypted),
        recipient=row.recipient,
        body=vault.decrypt(row.body_encrypted),
        channel=row.channel,
        num_media=row.num_media,
        button_payload=row.button_payload,
    )
    session.delete(row)
    return message
