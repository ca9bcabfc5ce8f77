"""Retention: what is older than its association allows goes, hourly, by a cron job. Callers' records
(contacts and what hangs off them, closed conversations and their messages, profiles, old blocks and decided
flags) after ``contact_retention_days`` (90 by default); audit entries after ``audit_retention_days`` (365).
A contact or conversation still in progress is never purged, whatever its age."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from routing.privacy.traces import Traces, messages_of, of_contacts, remove
from schemas.tables import (
    Association,
    AuditEntry,
    BlockedCaller,
    CallerProfile,
    Contact,
    ContactFlag,
    ContactStatus,
    Conversation,
    ConversationStatus,
    FlagStatus,
)

FINISHED = (ContactStatus.ended, ContactStatus.abandoned)


def purge_expired(session: Session, now: datetime) -> dict[str, int]:
    """Rows purged by table, over every association; flushes, the job commits."""
    totals: Counter[str] = Counter()
    for association in session.exec(select(Association)).all():
        assert association.id is not None
        cutoff = now - timedelta(days=association.contact_retention_days)
        totals.update(remove(session, expired_traces(session, association.id, cutoff)))
        totals["audit_log"] += purge_audit(
            session, association.id, now - timedelta(days=association.audit_retention_days)
        )
    return {name: count for name, count in totals.items() if count}


def expired_traces(session: Session, association_id: int, cutoff: datetime) -> Traces:
    contacts = session.exec(
        select(Contact).where(
            Contact.association_id == association_id,
            col(Contact.created_at) < cutoff,
            col(Contact.status).in_(FINISHED),
        )
    ).all()
    traces = of_contacts(session, contacts)
    traces.conversations = list(
        session.exec(
            select(Conversation).where(
                Conversation.association_id == association_id,
                Conversation.status == ConversationStatus.closed,
                col(Conversation.closed_at) < cutoff,
            )
        ).all()
    )
    traces.text_messages = messages_of(session, traces.conversations)
    traces.caller_profiles = _older(session, CallerProfile, association_id, CallerProfile.last_seen, cutoff)
    traces.blocked_callers = _ended_blocks(session, association_id, cutoff)
    traces.contact_flags = [
        f for f in _older(session, ContactFlag, association_id, ContactFlag.decided_at, cutoff)
        if f.status is not FlagStatus.open
    ]  # fmt: skip
    return traces


def purge_audit(session: Session, association_id: int, cutoff: datetime) -> int:
    result = session.exec(  # type: ignore[call-overload]
        delete(AuditEntry).where(
            col(AuditEntry.association_id) == association_id, col(AuditEntry.at) < cutoff
        )
    )
    return int(result.rowcount or 0)


def _older(session: Session, table: Any, association_id: int, column: Any, cutoff: datetime) -> list[Any]:
    query = select(table).where(table.association_id == association_id, col(column) < cutoff)
    return list(session.exec(query).all())


def _ended_blocks(session: Session, association_id: int, cutoff: datetime) -> list[BlockedCaller]:
    ended = or_(col(BlockedCaller.expires_at) < cutoff, col(BlockedCaller.lifted_at) < cutoff)
    query = select(BlockedCaller).where(BlockedCaller.association_id == association_id, ended)
    return list(session.exec(query).all())
