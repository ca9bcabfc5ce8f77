"""A listener's message: a reply in one of their conversations (named by its tag, or their only one), or END
to close it. With more than one open and no tag, nothing is relayed: a guess could reach the wrong caller."""

from __future__ import annotations

from locales import messages
from locales.keywords import match_keyword
from routing.events import MessageReceived
from routing.text import conversations as store
from routing.text.context import TextContext, TextOutcome, record_inbound
from routing.text.language import say
from routing.text.queueing import close_conversation
from routing.text.relay import split_tag
from schemas.tables import ConversationStatus, Listener, MessageDirection


def handle_listener_text(ctx: TextContext, listener: Listener, message: MessageReceived) -> TextOutcome:
    """A listener's reply: to the conversation its tag names, else their only open one. With several open
    and no tag, the listener is asked to tag it (in their language, listing the tags) and nothing is relayed."""
    assert listener.id is not None
    text = message.body.strip()
    tag, rest = split_tag(text)
    conversation = store.find_listener_conversation(ctx.session, listener.id, tag) if tag else None
    locale = listener.prompt_language
    if conversation is not None:
        text = rest.strip()
    else:
        open_ones = store.listener_conversations(ctx.session, listener.id)
        if len(open_ones) > 1:
            tags = ", ".join(sorted(f"#{c.tag}" for c in open_ones))
            return TextOutcome(
                "listener reply without a tag", [say(locale, messages.LISTENER_WHICH_CONVERSATION, tag=tags)]
            )
        conversation = open_ones[0] if open_ones else None
    if conversation is None:
        return TextOutcome("listener has no open conversation")
    if conversation.status == ConversationStatus.closed:
        return TextOutcome(
            "conversation already closed",
            [say(locale, messages.LISTENER_CONVERSATION_ENDED, tag=f"#{conversation.tag}")],
        )
    if match_keyword(text) == "END":
        outcome = close_conversation(ctx, conversation, "listener")
        outcome.replies = [say(locale, messages.LISTENER_CONVERSATION_ENDED, tag=f"#{conversation.tag}")]
        return outcome
    if not text:
        return TextOutcome("listener sent no text", [say(locale, messages.TEXT_ONLY)])
    stored = record_inbound(ctx, conversation, message, MessageDirection.from_listener, text)
    return TextOutcome("listener reply relayed", relays=[stored])
