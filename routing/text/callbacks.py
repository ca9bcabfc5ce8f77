"""A texter who writes CALL is called back by voice, like a caller who pressed for a callback: in the
conversation's language, from the association's voice number, listener first and then the texter, within
the callback hours. The text conversation's place in the queue goes to the new voice contact.

The number comes from the conversation's encrypted copy and is encrypted again as the callback's own copy
(the conversation's is purged when it closes); it is in clear only in memory here and in the dialling job.
"""

from __future__ import annotations

from routing import engine
from routing.engine.offers import Offer
from routing.text import conversations as store
from routing.text.context import TextContext
from routing.text.delivery import WHATSAPP
from routing.text.queueing import finish_conversation
from routing.voice import callbacks
from routing.voice.helplines import load_voice_helpline_of
from schemas.tables import Channel, Conversation, Priority

CLOSE_REASON = "callback"


def call_back_by_voice(ctx: TextContext, conversation: Conversation) -> list[Offer] | None:
    """Move the conversation to a voice callback and close it; the offers routing made at once. None when
    the association has no voice number to call from (the caller then waits for a listener by text)."""
    session = ctx.session
    config = load_voice_helpline_of(session, conversation.association_id)
    if config is None or conversation.caller_encrypted is None:
        return None
    number = ctx.vault.decrypt(conversation.caller_encrypted).removeprefix(WHATSAPP)
    text_contact = store.find_contact(session, conversation.contact_id) if conversation.contact_id else None
    arrival_us = text_contact.arrival_us if text_contact is not None else None
    offers = finish_conversation(session, ctx.live, conversation, CLOSE_REASON, ctx.now)
    contact_id = engine.enqueue_contact(
        session,
        ctx.live,
        association_id=conversation.association_id,
        channel=Channel.voice,
        language=conversation.language,
        caller_hash=conversation.caller_hash,
        now=ctx.now,
        priority=Priority.crisis if conversation.crisis else Priority.normal,
        arrival_us=arrival_us,
    )
    callbacks.schedule_callback(
        session, ctx.live, ctx.vault, config, contact_id, conversation.language, number, ctx.now
    )
    return offers + engine.dispatch(session, ctx.live, conversation.association_id, ctx.now)
