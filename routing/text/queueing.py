"""The text channel's side of routing: a conversation queued with the calls in its language, queued again
(crisis, a new language), closed; and the reply time to promise."""

from __future__ import annotations

import math
from datetime import datetime

from sqlmodel import Session

from routing import engine
from routing.engine import Offer
from routing.engine.live import LiveState
from routing.errors import NotFoundError
from routing.text import conversations as store
from routing.text.context import TextContext, TextOutcome
from schemas.tables import Conversation, ConversationStatus, Priority


def enqueue_conversation(ctx: TextContext, conversation: Conversation, reason: str) -> TextOutcome:
    """Into the language's queue with the calls, then offer what can be offered now."""
    session = ctx.session
    conversation.status = ConversationStatus.waiting
    session.add(conversation)
    session.flush()
    conversation.contact_id = engine.enqueue_contact(
        session,
        ctx.live,
        association_id=conversation.association_id,
        channel=conversation.channel,
        language=conversation.language,
        caller_hash=conversation.caller_hash,
        now=ctx.now,
        priority=Priority.crisis if conversation.crisis else Priority.normal,
    )
    session.add(conversation)
    offers = engine.dispatch(session, ctx.live, conversation.association_id, ctx.now)
    mark_offered(session, offers)
    return TextOutcome(reason, offers=offers)


def mark_offered(session: Session, offers: list[Offer]) -> None:
    for offer in offers:
        found = store.find_by_contact(session, offer.contact_id) if offer.kind == "text" else None
        if found is not None and found.status == ConversationStatus.waiting:
            found.status = ConversationStatus.offered
            session.add(found)


def requeue_conversation(ctx: TextContext, conversation: Conversation, reason: str) -> TextOutcome:
    """Queue again (new language or crisis priority). A crisis contact goes before every normal one."""
    offers: list[Offer] = []
    if conversation.contact_id is not None:
        try:
            ended = engine.cancel_contact(ctx.session, ctx.live, conversation.contact_id, ctx.now)
            offers += [ended.next_offer] if ended.next_offer else []
        except NotFoundError:
            pass
    outcome = enqueue_conversation(ctx, conversation, reason)
    outcome.offers = offers + outcome.offers
    return outcome


def reply_minutes(ctx: TextContext, conversation: Conversation) -> int:
    """Roughly when a doctor replies: the queue's honest estimate, at least 2 minutes; a default without."""
    if conversation.contact_id is None:
        return ctx.default_reply_minutes
    try:
        position = engine.queue_position(ctx.session, ctx.live, conversation.contact_id, ctx.now)
    except NotFoundError:
        return ctx.default_reply_minutes
    if position.expected_wait_seconds is None:
        return ctx.default_reply_minutes
    return max(2, math.ceil(position.expected_wait_seconds / 60))


def close_conversation(ctx: TextContext, conversation: Conversation, reason: str) -> TextOutcome:
    offers = finish_conversation(ctx.session, ctx.live, conversation, reason, ctx.now)
    assert conversation.id is not None
    return TextOutcome(f"closed by {reason}", offers=offers, closed=[conversation.id])


def finish_conversation(
    session: Session, live: LiveState, conversation: Conversation, reason: str, now: datetime
) -> list[Offer]:
    """Close the conversation and release its place in routing: a connected listener gets the capacity
    back (and may be offered the next contact at once); a waiting contact leaves the queue."""
    offers: list[Offer] = []
    if conversation.contact_id is not None:
        finish = (
            engine.end_contact if conversation.status == ConversationStatus.active else engine.cancel_contact
        )
        try:
            ended = finish(session, live, conversation.contact_id, now)
            offers += [ended.next_offer] if ended.next_offer else []
        except NotFoundError:
            pass
    store.close(session, conversation, reason, now)
    mark_offered(session, offers)
    return offers
