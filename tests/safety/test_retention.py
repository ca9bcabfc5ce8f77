"""Retention: the hourly cron job purges what is older than its association keeps, on the real database of
the run (SQLite, and PostgreSQL in the servers run), and nothing still in progress or recent."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, SQLModel, select

from app.services import Services
from schemas.tables import (
    Association,
    AuditEntry,
    Callback,
    CallerProfile,
    Channel,
    Contact,
    ContactStatus,
    Conversation,
    ConversationStatus,
    HelplineNumber,
    Listener,
    MessageDirection,
    TextMessage,
    VoiceCall,
    VoiceOffer,
    WebhookEffect,
)
from workers.retention_jobs import purge_expired_records
from workers.runner import ThreadWorker, job_queue
from workers.schedules import schedules
from workers.scope import install

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


def contact(session: Session, association_id: int, days_ago: int, status: ContactStatus) -> str:
    at = NOW - timedelta(days=days_ago)
    row = Contact(
        id=str(uuid.uuid4()), association_id=association_id, language="hi", caller_hash=uuid.uuid4().hex,
        status=status, arrival_us=int(at.timestamp() * 1e6), created_at=at,
    )  # fmt: skip
    session.add(row)
    return row.id


def a_call_with_everything(session: Session, association_id: int, listener_id: int, days_ago: int) -> str:
    """An ended call: its contact, the call leg, an offer, a callback and a webhook effect."""
    at = NOW - timedelta(days=days_ago)
    contact_id = contact(session, association_id, days_ago, ContactStatus.ended)
    sid = "CA" + uuid.uuid4().hex
    session.add(VoiceCall(call_sid=sid, association_id=association_id, helpline="+911800", language="hi",
                          contact_id=contact_id, created_at=at))  # fmt: skip
    session.add(VoiceOffer(offer_id=str(uuid.uuid4()), contact_id=contact_id, listener_id=listener_id,
                           association_id=association_id, helpline="+911800", created_at=at))  # fmt: skip
    session.add(Callback(id=str(uuid.uuid4()), contact_id=contact_id, association_id=association_id,
                         language="hi", helpline="+911800", created_at=at))  # fmt: skip
    session.add(WebhookEffect(call_sid=sid, effect="enqueue", at=at))
    return contact_id


def a_conversation(
    session: Session, association_id: int, number_id: int, days_ago: int, closed: bool
) -> None:
    at = NOW - timedelta(days=days_ago)
    row = Conversation(
        association_id=association_id, helpline_number_id=number_id, tag="#A7", language="hi",
        caller_hash=uuid.uuid4().hex, opened_at=at, last_activity_at=at, closed_at=at if closed else None,
        status=ConversationStatus.closed if closed else ConversationStatus.active,
    )  # fmt: skip
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(TextMessage(conversation_id=row.id, message_sid="SM" + uuid.uuid4().hex,
                            direction=MessageDirection.from_caller, at=at))  # fmt: skip


def count(services: Services, table: type[SQLModel]) -> int:
    with Session(services.engine) as session:
        return len(session.exec(select(table)).all())


def test_the_cron_job_purges_only_what_is_past_its_associations_retention(services: Services) -> None:
    with Session(services.engine) as session:
        association = Association(name="Kept 90 days", created_at=NOW - timedelta(days=800))
        session.add(association)
        session.flush()
        assert association.id is not None
        aid = association.id
        number = HelplineNumber(association_id=aid, number="+911800123456", channel=Channel.sms)
        session.add(number)
        session.flush()
        assert number.id is not None
        listener = Listener(association_id=aid, name="Asha", phone_encrypted=b"x", phone_hash="h", phone_last4="0001",
                            created_at=NOW)  # fmt: skip
        session.add(listener)
        session.flush()
        assert listener.id is not None
        a_call_with_everything(session, aid, listener.id, days_ago=100)
        kept = a_call_with_everything(session, aid, listener.id, days_ago=30)
        waiting = contact(session, aid, days_ago=120, status=ContactStatus.waiting)
        a_conversation(session, aid, number.id, days_ago=95, closed=True)
        a_conversation(session, aid, number.id, days_ago=95, closed=False)
        session.add(CallerProfile(association_id=aid, caller_hash="old", last_seen=NOW - timedelta(days=91)))
        session.add(CallerProfile(association_id=aid, caller_hash="new", last_seen=NOW - timedelta(days=1)))
        for days_ago in (400, 10):
            session.add(AuditEntry(association_id=aid, actor="ops", action="update", entity="association",
                                   entity_id=str(aid), at=NOW - timedelta(days=days_ago)))  # fmt: skip
        session.commit()

    install(dataclasses.replace(services, clock=FixedClock()))
    queue = job_queue(services.redis)
    queue.enqueue(purge_expired_records)
    ThreadWorker([queue], connection=services.redis).work(burst=True)
    queue.enqueue(purge_expired_records)  # a second run finds nothing more
    ThreadWorker([queue], connection=services.redis).work(burst=True)
    install(services)

    with Session(services.engine) as session:
        assert sorted(c.id for c in session.exec(select(Contact)).all()) == sorted([kept, waiting])
        assert [p.caller_hash for p in session.exec(select(CallerProfile)).all()] == ["new"]
        assert [c.status for c in session.exec(select(Conversation)).all()] == [ConversationStatus.active]
    assert (count(services, VoiceCall), count(services, VoiceOffer), count(services, Callback)) == (1, 1, 1)
    assert (count(services, WebhookEffect), count(services, TextMessage), count(services, AuditEntry)) == (
        1,
        1,
        1,
    )
    assert purge_expired_records in [schedule.func for schedule in schedules()]
