"""Every row Samvaad keeps of one caller in one association, found through the association's keyed hash of
their number (contacts, profiles, conversations, blocks and flags carry it; calls, offers, callbacks, messages
and webhook effects hang off those), and their removal, children first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from sqlmodel import Session, col, select

from schemas.tables import (
    BlockedCaller,
    Callback,
    CallerProfile,
    Contact,
    ContactFlag,
    Conversation,
    TextMessage,
    VoiceCall,
    VoiceOffer,
    WebhookEffect,
)


@dataclass
class Traces:
    """Rows by table, in the order they can be deleted (what points at a row goes before it)."""

    webhook_effects: list[WebhookEffect] = field(default_factory=list)
    voice_offers: list[VoiceOffer] = field(default_factory=list)
    voice_calls: list[VoiceCall] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    text_messages: list[TextMessage] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    caller_profiles: list[CallerProfile] = field(default_factory=list)
    contact_flags: list[ContactFlag] = field(default_factory=list)
    blocked_callers: list[BlockedCaller] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}

    def rows(self) -> list[Any]:
        return [row for f in fields(self) for row in getattr(self, f.name)]


def find_traces(session: Session, association_id: int, caller_hash: str) -> Traces:
    traces = of_contacts(session, _with_hash(session, Contact, association_id, caller_hash))
    traces.conversations = _with_hash(session, Conversation, association_id, caller_hash)
    traces.text_messages = messages_of(session, traces.conversations)
    traces.caller_profiles = _with_hash(session, CallerProfile, association_id, caller_hash)
    traces.contact_flags = _with_hash(session, ContactFlag, association_id, caller_hash)
    traces.blocked_callers = _with_hash(session, BlockedCaller, association_id, caller_hash)
    return traces


def of_contacts(session: Session, contacts: Sequence[Contact]) -> Traces:
    """Contacts and what hangs off them: the calls that carried them, offers, callbacks, webhook effects."""
    ids = [contact.id for contact in contacts]
    calls = _where_in(session, VoiceCall, VoiceCall.contact_id, ids)
    return Traces(
        webhook_effects=_where_in(
            session, WebhookEffect, WebhookEffect.call_sid, [c.call_sid for c in calls]
        ),
        voice_offers=_where_in(session, VoiceOffer, VoiceOffer.contact_id, ids),
        voice_calls=calls,
        callbacks=_where_in(session, Callback, Callback.contact_id, ids),
        contacts=list(contacts),
    )


def messages_of(session: Session, conversations: Sequence[Conversation]) -> list[TextMessage]:
    ids = [c.id for c in conversations if c.id is not None]
    return _where_in(session, TextMessage, TextMessage.conversation_id, ids)


def remove(session: Session, traces: Traces) -> dict[str, int]:
    """Table by table, so what points at a row is gone from the database before the row."""
    for f in fields(traces):
        for row in getattr(traces, f.name):
            session.delete(row)
        session.flush()
    return traces.counts()


def _with_hash(session: Session, table: Any, association_id: int, caller_hash: str) -> list[Any]:
    query = select(table).where(table.association_id == association_id, table.caller_hash == caller_hash)
    return list(session.exec(query).all())


def _where_in(session: Session, table: Any, column: Any, values: Sequence[Any]) -> list[Any]:
    if not values:
        return []
    return list(session.exec(select(table).where(col(column).in_(list(values)))).all())
