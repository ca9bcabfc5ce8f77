"""Text messages' metadata in the database: who wrote, when, how long, relayed or not. A body is held
encrypted only until relayed, unless the association opted in to keeping it, until ``purge_after``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from routing.errors import NotFoundError
from routing.text.relay import count_segments
from schemas.tables import Conversation, ConversationStatus, MessageDirection, TextDelivery, TextMessage


def is_recorded(session: Session, message_sid: str) -> bool:
    return (
        session.exec(select(TextMessage.id).where(TextMessage.message_sid == message_sid)).first() is not None
    )


DELIVERIES_KEPT = timedelta(days=1)  # Twilio redelivers within seconds; a day is ample


def get_delivery(session: Session, message_sid: str) -> TextDelivery | None:
    """The earlier handling of this message, when the provider delivers it again."""
    return session.get(TextDelivery, message_sid)


def record_delivery(
    session: Session, message_sid: str, association_id: int, replies: list[str], now: datetime
) -> None:
    """Remember that this message was handled and what it was answered: the claim on its MessageSid (a
    concurrent redelivery fails on the key and changes nothing)."""
    session.add(TextDelivery(message_sid=message_sid, association_id=association_id, replies=replies, at=now))


def forget_deliveries(session: Session, now: datetime) -> int:
    """Drop the record of deliveries older than any redelivery."""
    old = session.exec(select(TextDelivery).where(col(TextDelivery.at) < now - DELIVERIES_KEPT)).all()
    for delivery in old:
        session.delete(delivery)
    return len(old)


def record_message(
    session: Session,
    conversation: Conversation,
    *,
    message_sid: str,
    direction: MessageDirection,
    body_encrypted: bytes | None,
    length: int,
    segments: int,
    now: datetime,
) -> TextMessage:
    """Metadata of one message; the encrypted body waits here until relayed."""
    assert conversation.id is not None
    message = TextMessage(
        conversation_id=conversation.id,
        message_sid=message_sid,
        direction=direction,
        length=length,
        segments=segments,
        at=now,
        body_encrypted=body_encrypted,
    )
    session.add(message)
    conversation.last_activity_at = now
    session.add(conversation)
    session.flush()
    return message


def get_message(session: Session, message_id: int) -> TextMessage:
    found = session.get(TextMessage, message_id)
    if found is None:
        raise NotFoundError("no such message", message_id=message_id)
    return found


def unrelayed(
    session: Session, conversation: Conversation, direction: MessageDirection | None = None
) -> list[TextMessage]:
    """Messages of the conversation not relayed yet, oldest first."""
    query = select(TextMessage).where(
        TextMessage.conversation_id == conversation.id, col(TextMessage.relayed_at).is_(None)
    )
    if direction is not None:
        query = query.where(TextMessage.direction == direction)
    return list(session.exec(query.order_by(col(TextMessage.id))).all())


def messages_to_relay(session: Session, limit: int = 200) -> list[int]:
    """Messages of connected conversations that wait to be relayed, oldest first: their relay job was lost
    (Redis failed at the hand-off, or lost its data) or gave up."""
    rows = session.exec(
        select(TextMessage.id)
        .join(Conversation, col(Conversation.id) == col(TextMessage.conversation_id))
        .where(
            Conversation.status == ConversationStatus.active,
            col(Conversation.listener_id).is_not(None),
            col(TextMessage.relayed_at).is_(None),
            col(TextMessage.body_encrypted).is_not(None),
        )
        .order_by(col(TextMessage.id))
        .limit(limit)
    ).all()
    return [message_id for message_id in rows if message_id is not None]


def mark_relayed(
    session: Session, message: TextMessage, parts: list[str], now: datetime, keep_days: int | None
) -> None:
    """Relayed: the body goes, unless kept (encrypted) for ``keep_days`` by the association's choice."""
    message.relayed_at = now
    message.relay_parts = len(parts)
    message.segments = max(message.segments, sum(count_segments(part) for part in parts))
    if keep_days is None:
        message.body_encrypted = None
        message.purge_after = None
    else:
        message.purge_after = now + timedelta(days=keep_days)
    session.add(message)


def purge_bodies(session: Session, now: datetime) -> int:
    """Drop kept bodies past their association's retention; returns how many went."""
    due = session.exec(
        select(TextMessage).where(
            col(TextMessage.body_encrypted).is_not(None),
            col(TextMessage.purge_after).is_not(None),
            col(TextMessage.purge_after) <= now,
        )
    ).all()
    for message in due:
        message.body_encrypted = None
        session.add(message)
    return len(due)
