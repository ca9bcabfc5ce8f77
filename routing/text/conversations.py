"""Text conversations in the database, with the numbers and people they involve (message metadata:
``messages``).

Callers are found by the keyed hash of their number. The number itself is kept encrypted on an open
conversation (replies must reach it) and erased once the closing notices are sent. Message bodies are held
encrypted only until relayed, unless the association opted in to keeping them, until ``purge_after``.
Writes are flushed by the callers, which commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from routing.errors import NotFoundError
from routing.text.records import unrelayed
from routing.text.relay import new_tag
from schemas.tables import (
    Association,
    AssociationLanguage,
    CallerProfile,
    Channel,
    Contact,
    ContactStatus,
    Conversation,
    ConversationStatus,
    HelplineNumber,
    Listener,
)

OPEN = (
    ConversationStatus.choosing,
    ConversationStatus.waiting,
    ConversationStatus.offered,
    ConversationStatus.active,
)
TEXT_CHANNELS = (Channel.sms, Channel.whatsapp)


def aware(at: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# ---- numbers, people and preferences ----


def find_text_number(session: Session, number: str, channel: Channel | None = None) -> HelplineNumber | None:
    """The association's SMS or WhatsApp number that was written to (without any ``whatsapp:`` prefix): its
    entry on the message's channel first, else its other text entry. A number that takes calls only is
    none: the same number may have a row per channel."""
    rows = session.exec(
        select(HelplineNumber)
        .where(HelplineNumber.number == number, col(HelplineNumber.channel).in_(TEXT_CHANNELS))
        .order_by(col(HelplineNumber.id))
    ).all()
    return next((row for row in rows if row.channel == channel), rows[0] if rows else None)


def number_for_channel(session: Session, association_id: int, channel: Channel) -> HelplineNumber | None:
    """The association's number on ``channel``, to reach a listener on the channel they prefer."""
    return session.exec(
        select(HelplineNumber)
        .where(HelplineNumber.association_id == association_id, HelplineNumber.channel == channel)
        .order_by(col(HelplineNumber.id))
    ).first()


def get_helpline_number(session: Session, number_id: int) -> HelplineNumber:
    found = session.get(HelplineNumber, number_id)
    if found is None:
        raise NotFoundError("no such helpline number", number_id=number_id)
    return found


def find_listener(session: Session, association_id: int, phone_hash: str) -> Listener | None:
    return session.exec(
        select(Listener).where(
            Listener.association_id == association_id,
            Listener.phone_hash == phone_hash,
            col(Listener.active).is_(True),
        )
    ).first()


def get_listener(session: Session, listener_id: int) -> Listener:
    found = session.get(Listener, listener_id)
    if found is None:
        raise NotFoundError("no such listener", listener_id=listener_id)
    return found


def get_association(session: Session, association_id: int) -> Association:
    found = session.get(Association, association_id)
    if found is None:
        raise NotFoundError("no such association", association_id=association_id)
    return found


def served_languages(session: Session, association_id: int) -> list[str]:
    """The association's enabled languages in menu order; its default language if it listed none."""
    rows = session.exec(
        select(AssociationLanguage)
        .where(
            AssociationLanguage.association_id == association_id,
            col(AssociationLanguage.enabled).is_(True),
        )
        .order_by(col(AssociationLanguage.position), col(AssociationLanguage.digit))
    ).all()
    return [row.code for row in rows] or [get_association(session, association_id).default_language]


def get_profile(session: Session, association_id: int, caller_hash: str) -> CallerProfile | None:
    return session.exec(
        select(CallerProfile).where(
            CallerProfile.association_id == association_id, CallerProfile.caller_hash == caller_hash
        )
    ).first()


def remember_caller(
    session: Session,
    association_id: int,
    caller_hash: str,
    now: datetime,
    *,
    language: str | None = None,
    script: str | None = None,
    opted_out: bool | None = None,
) -> CallerProfile:
    """Keep what Samvaad should remember of a caller (language, script, opt-out), under the hash only."""
    profile = get_profile(session, association_id, caller_hash) or CallerProfile(
        association_id=association_id, caller_hash=caller_hash, last_seen=now
    )
    if language is not None:
        profile.language, profile.script = language, script
    if opted_out is not None:
        profile.opted_out = opted_out
    profile.last_seen = now
    session.add(profile)
    return profile


# ---- conversations ----


def get_conversation(session: Session, conversation_id: int) -> Conversation:
    found = session.get(Conversation, conversation_id)
    if found is None:
        raise NotFoundError("no such conversation", conversation_id=conversation_id)
    return found


def find_contact(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def find_by_contact(session: Session, contact_id: str) -> Conversation | None:
    return session.exec(select(Conversation).where(Conversation.contact_id == contact_id)).first()


def open_conversation_of(session: Session, association_id: int, caller_hash: str) -> Conversation | None:
    return session.exec(
        select(Conversation)
        .where(
            Conversation.association_id == association_id,
            Conversation.caller_hash == caller_hash,
            col(Conversation.status).in_(OPEN),
        )
        .order_by(col(Conversation.opened_at).desc())
    ).first()


def listener_conversations(session: Session, listener_id: int) -> list[Conversation]:
    """The listener's connected conversations, most recently active first."""
    return list(
        session.exec(
            select(Conversation)
            .where(Conversation.listener_id == listener_id, Conversation.status == ConversationStatus.active)
            .order_by(col(Conversation.last_activity_at).desc(), col(Conversation.id).desc())
        ).all()
    )


def find_listener_conversation(session: Session, listener_id: int, tag: str) -> Conversation | None:
    """The listener's conversation with this tag, open or the latest closed one (to say it has ended)."""
    return session.exec(
        select(Conversation)
        .where(Conversation.listener_id == listener_id, Conversation.tag == tag)
        .order_by(col(Conversation.id).desc())
    ).first()


def start_conversation(
    session: Session,
    *,
    helpline: HelplineNumber,
    channel: Channel,
    caller_hash: str,
    caller_encrypted: bytes,
    language: str,
    script: str | None,
    status: ConversationStatus,
    now: datetime,
    menu: tuple[str, ...] = (),
) -> Conversation:
    """A new conversation with a tag no other open conversation of the association uses."""
    taken = set(
        session.exec(
            select(Conversation.tag).where(
                Conversation.association_id == helpline.association_id, col(Conversation.status).in_(OPEN)
            )
        ).all()
    )
    assert helpline.id is not None
    conversation = Conversation(
        association_id=helpline.association_id,
        helpline_number_id=helpline.id,
        tag=new_tag(taken),
        channel=channel,
        language=language,
        script=script,
        menu=list(menu),
        caller_hash=caller_hash,
        caller_encrypted=caller_encrypted,
        status=status,
        opened_at=now,
        last_activity_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation


def touch(session: Session, conversation: Conversation, now: datetime) -> None:
    conversation.last_activity_at = now
    session.add(conversation)


def close(session: Session, conversation: Conversation, reason: str, now: datetime) -> None:
    """Closed for good: no more relays. Bodies never relayed are dropped unless the association keeps them;
    the caller's number stays only until the closing notices are sent (``erase_caller``)."""
    conversation.status = ConversationStatus.closed
    conversation.closed_at = now
    conversation.close_reason = reason
    session.add(conversation)
    association = get_association(session, conversation.association_id)
    for message in unrelayed(session, conversation):
        if association.store_message_bodies:
            message.purge_after = now + timedelta(days=association.message_retention_days)
        else:
            message.body_encrypted = None
        session.add(message)


def erase_caller(session: Session, conversation: Conversation) -> None:
    conversation.caller_encrypted = None
    conversation.closing_notices_sent = True
    session.add(conversation)


def mark_notified(session: Session, conversation: Conversation, listener: bool) -> None:
    if listener:
        conversation.listener_notified = True
    else:
        conversation.caller_notified = True
    session.add(conversation)


def erase_callers_closed_before(session: Session, before: datetime) -> int:
    """Closed conversations that still hold the caller's number past the notices' time limit: erased,
    whether or not the notices went out. Returns how many."""
    stale = session.exec(
        select(Conversation).where(
            Conversation.status == ConversationStatus.closed,
            col(Conversation.caller_encrypted).is_not(None),
            col(Conversation.closed_at) <= before,
        )
    ).all()
    for conversation in stale:
        erase_caller(session, conversation)
    return len(stale)


IDLE_CLOSES = (ConversationStatus.choosing, ConversationStatus.active)


def idle_conversations(session: Session, now: datetime) -> list[Conversation]:
    """Connected conversations, and callers asked which language, quiet for longer than their association's
    ``conversation_idle_minutes``. A caller waiting for a listener is never closed for being quiet: they
    keep their place, and follow the association's fallback policy instead."""
    rows = session.exec(
        select(Conversation, Association)
        .join(Association, col(Association.id) == col(Conversation.association_id))
        .where(col(Conversation.status).in_(IDLE_CLOSES))
    ).all()
    return [
        conversation
        for conversation, association in rows
        if (aware(conversation.last_activity_at) or now)
        <= now - timedelta(minutes=association.conversation_idle_minutes)
    ]


def untold_waiting_conversations(session: Session, limit: int = 500) -> list[Conversation]:
    """Callers waiting for a listener who have not been told about a fallback step yet, longest first."""
    return list(
        session.exec(
            select(Conversation)
            .where(
                Conversation.status == ConversationStatus.waiting,
                col(Conversation.contact_id).is_not(None),
                Conversation.waiting_notice == "",
            )
            .order_by(col(Conversation.opened_at))
            .limit(limit)
        ).all()
    )


def conversations_awaiting_notices(session: Session) -> list[int]:
    """Closed conversations whose closing notices are not sent yet (a job failed or never ran)."""
    return [
        cid
        for cid in session.exec(
            select(Conversation.id).where(
                Conversation.status == ConversationStatus.closed,
                col(Conversation.closing_notices_sent).is_(False),
            )
        ).all()
        if cid is not None
    ]


def offers_not_taken(session: Session, limit: int = 50) -> list[tuple[str, str]]:
    """(offer id, contact id) of text offers routing made that no job has taken yet: made by the routing
    tick, by a freed listener, by another channel's dispatch, or lost on the way."""
    rows = session.exec(
        select(Contact.offer_id, Contact.id)
        .join(Conversation, col(Conversation.contact_id) == col(Contact.id))
        .where(
            Contact.status == ContactStatus.offered,
            col(Contact.channel).in_(TEXT_CHANNELS),
            col(Contact.offer_id).is_not(None),
            col(Conversation.status).in_((ConversationStatus.waiting, ConversationStatus.offered)),
        )
        .limit(limit)
    ).all()
    return [(offer_id, contact_id) for offer_id, contact_id in rows if offer_id]
