"""What to do with a text message that reached the helpline: the text channel's service for the webhook.

A message from a listener's number is a reply in one of their conversations; anything else is a caller.
A caller's first message opens a conversation in the language they wrote (asking with a short menu when
unsure), queues it with the calls in that language, and is relayed to the listener who takes it. Keywords
(CALL, STOP, START, HELP, END, a language's name) are handled here and never relayed; crisis words move the
conversation to the front and answer with the crisis line at once.

The result says what to answer the sender (the webhook's MessagingResponse) and what to do next outside the
request (offers to deliver, messages to relay, closing notices), which the app hands to jobs.
"""

from __future__ import annotations

from sqlmodel import Session

from locales import messages
from locales.crisis import is_crisis_message
from locales.keywords import match_keyword
from routing import engine, roster, safety
from routing.events import MessageReceived
from routing.language_detection import detect_language
from routing.text import conversations as store
from routing.text import records
from routing.text.callbacks import call_back_by_voice
from routing.text.context import DUPLICATE_DELIVERY, TextContext, TextOutcome, record_inbound
from routing.text.language import LATIN, choose_language, language_label, language_menu, reply_locale, say
from routing.text.listeners import handle_listener_text
from routing.text.queueing import (
    close_conversation,
    enqueue_conversation,
    reply_minutes,
    requeue_conversation,
)
from schemas.tables import (
    Association,
    CallerProfile,
    Conversation,
    ConversationStatus,
    HelplineNumber,
    Listener,
    MessageDirection,
)

__all__ = ["TextContext", "TextOutcome", "handle_text"]


def handle_text(ctx: TextContext, message: MessageReceived) -> TextOutcome:
    """Everything a message to one of the helpline's text numbers leads to. Never raises for bad input."""
    helpline = store.find_text_number(ctx.session, message.recipient, message.channel)
    if helpline is None:  # nobody would ever read it: whoever wrote may be in danger, so the crisis line
        crisis = ctx.crisis.placeholders()
        return TextOutcome(
            "unknown helpline number",
            [" ".join(say(code, messages.TEXT_NOT_A_HELPLINE, **crisis) for code in ctx.fallback_languages)],
        )
    earlier = records.get_delivery(ctx.session, message.message_sid)
    if earlier is not None:  # a keyword or a menu answer runs once; the sender gets the same answer
        return TextOutcome(DUPLICATE_DELIVERY, list(earlier.replies), association_id=helpline.association_id)
    if records.is_recorded(ctx.session, message.message_sid):
        return TextOutcome(DUPLICATE_DELIVERY, association_id=helpline.association_id)
    listener_hash = ctx.vault.listener_key(helpline.association_id, message.sender)
    listener = store.find_listener(ctx.session, helpline.association_id, listener_hash)
    if listener is not None:
        outcome = _roster_answer(ctx, listener, message) or handle_listener_text(ctx, listener, message)
    else:
        outcome = handle_caller_text(ctx, helpline, message)
    outcome.association_id = helpline.association_id
    records.record_delivery(
        ctx.session, message.message_sid, helpline.association_id, outcome.replies, ctx.now
    )
    return outcome


def _roster_answer(ctx: TextContext, listener: Listener, message: MessageReceived) -> TextOutcome | None:
    """YES or NO to a shift reminder or invitation; a plain word from a listener in a conversation is theirs
    to relay, and only a tapped button counts then."""
    assert listener.id is not None
    busy = bool(store.listener_conversations(ctx.session, listener.id))
    answer = roster.take_reply(
        ctx.session, listener, message.body, message.button_payload, ctx.now, busy=busy
    )
    if answer is None:
        return None
    return TextOutcome(answer.reason, answer.replies, roster_changed=answer.changed)


# ---- callers ----


def handle_caller_text(ctx: TextContext, helpline: HelplineNumber, message: MessageReceived) -> TextOutcome:
    session, association_id = ctx.session, helpline.association_id
    caller_hash = ctx.vault.caller_key(association_id, message.sender)
    profile = store.get_profile(session, association_id, caller_hash)
    conversation = store.open_conversation_of(session, association_id, caller_hash)
    text = message.body.strip()
    keyword = match_keyword(text) if text else None
    locale = _caller_locale(session, association_id, conversation, profile)
    screening = _screen(ctx, association_id, caller_hash)
    if not screening.admitted:
        return _refused(ctx, locale, screening)
    if profile is not None and profile.opted_out:
        if keyword != "START":
            return TextOutcome("opted out: no answer until START")
        store.remember_caller(session, association_id, caller_hash, ctx.now, opted_out=False)
        return TextOutcome("START", [say(locale, messages.TEXT_RESTARTED)])
    if keyword == "STOP":
        outcome = close_conversation(ctx, conversation, "stopped") if conversation else TextOutcome("STOP")
        store.remember_caller(session, association_id, caller_hash, ctx.now, opted_out=True)
        outcome.replies = [say(locale, messages.TEXT_STOPPED)]
        return outcome
    if keyword == "START":
        return TextOutcome("START", [say(locale, messages.TEXT_RESTARTED)])
    if keyword == "HELP":
        return TextOutcome("HELP", [say(locale, messages.TEXT_HELP, **ctx.crisis.placeholders())])
    if keyword == "END":
        outcome = close_conversation(ctx, conversation, "caller") if conversation else TextOutcome("END")
        outcome.replies = [say(locale, messages.TEXT_CLOSED)]
        return outcome
    if not text:
        return TextOutcome("no text", [say(locale, messages.TEXT_ONLY)])
    if keyword == "CALL":
        return _callback(ctx, helpline, message, conversation, caller_hash)
    if conversation is None:
        return _first_message(ctx, helpline, message, caller_hash)
    if conversation.status == ConversationStatus.choosing:
        return _menu_answer(ctx, conversation, message)
    return _next_message(ctx, conversation, message)


def _screen(ctx: TextContext, association_id: int, caller_hash: str) -> safety.Screening:
    association = ctx.session.get(Association, association_id)
    own = association.texts_per_minute if association is not None else None
    return safety.screen(
        ctx.session,
        ctx.live.client,
        ctx.limits.with_own(None, own),
        association_id=association_id,
        kind="text",
        caller_hash=caller_hash,
        now=ctx.now,
    )


def _refused(ctx: TextContext, locale: str, screening: safety.Screening) -> TextOutcome:
    """Not relayed, not recorded: one neutral reply to a blocked texter, one gentle one per minute to a
    texter over the limit, both with the crisis line; silence for the rest of the flood."""
    reason = f"{screening.verdict.value}: not relayed"
    if not screening.answer:
        return TextOutcome(reason)
    message = (
        messages.TEXT_NOT_ANSWERED
        if screening.verdict is safety.Verdict.blocked
        else messages.TEXT_TOO_MANY_MESSAGES
    )
    return TextOutcome(reason, [say(locale, message, **ctx.crisis.placeholders())])


def _caller_locale(
    session: Session, association_id: int, conversation: Conversation | None, profile: CallerProfile | None
) -> str:
    if conversation is not None and conversation.status != ConversationStatus.choosing:
        return reply_locale(conversation.language, conversation.script)
    if profile is not None and profile.language:
        return reply_locale(profile.language, profile.script)
    return store.served_languages(session, association_id)[0]


def _first_message(
    ctx: TextContext, helpline: HelplineNumber, message: MessageReceived, caller_hash: str
) -> TextOutcome:
    session, association_id = ctx.session, helpline.association_id
    served = store.served_languages(session, association_id)
    text = message.body.strip()
    choice = choose_language(detect_language(text, menu=tuple(served)), served)
    profile = store.get_profile(session, association_id, caller_hash)
    crisis = is_crisis_message(text)
    language, script = choice.language, choice.script
    if language is None and profile is not None and profile.language in served:
        language, script = profile.language, profile.script
    if language is None and not crisis:
        conversation = _open(ctx, helpline, message, caller_hash, served[0], script, choice.menu)
        _keep_for_listener(ctx, conversation, message)
        return TextOutcome("asked which language", [language_menu(choice.menu)])
    if language is None:  # in danger and no time to ask: the likeliest language, crisis line in each
        language = choice.menu[0]
        replies = [say(code, messages.TEXT_CRISIS, **ctx.crisis.placeholders()) for code in choice.menu]
    else:
        replies = (
            [say(reply_locale(language, script), messages.TEXT_CRISIS, **ctx.crisis.placeholders())]
            if crisis
            else []
        )
        store.remember_caller(session, association_id, caller_hash, ctx.now, language=language, script=script)
    conversation = _open(ctx, helpline, message, caller_hash, language, script)
    if not choice.explicit:
        _keep_for_listener(ctx, conversation, message)
    conversation.crisis = crisis
    outcome = enqueue_conversation(ctx, conversation, "first message")
    outcome.replies = [*replies, _welcome(ctx, conversation)]
    return outcome


def _open(
    ctx: TextContext,
    helpline: HelplineNumber,
    message: MessageReceived,
    caller_hash: str,
    language: str,
    script: str | None,
    menu: tuple[str, ...] = (),
) -> Conversation:
    return store.start_conversation(
        ctx.session,
        helpline=helpline,
        channel=message.channel,
        caller_hash=caller_hash,
        caller_encrypted=ctx.vault.encrypt(message.sender),
        language=language,
        script=script,
        status=ConversationStatus.choosing if menu else ConversationStatus.waiting,
        now=ctx.now,
        menu=menu,
    )


def _menu_answer(ctx: TextContext, conversation: Conversation, message: MessageReceived) -> TextOutcome:
    """The caller was asked which language: a number or a name picks one; a message in a language we
    serve counts too. Otherwise ask again (a caller in danger is queued at once in the likeliest one)."""
    text = message.body.strip()
    served = store.served_languages(ctx.session, conversation.association_id)
    detection = detect_language(text, menu=tuple(conversation.menu))
    crisis = is_crisis_message(text)
    if not detection.explicit:
        _keep_for_listener(ctx, conversation, message)
    language = detection.language if detection.language in served else None
    if language is None and not crisis:
        return TextOutcome("asked which language again", [language_menu(conversation.menu)])
    language = language or conversation.menu[0]
    if detection.script and detection.script != LATIN:
        conversation.script = None
    elif detection.romanized:
        conversation.script = LATIN
    conversation.language, conversation.crisis = language, crisis
    store.remember_caller(
        ctx.session,
        conversation.association_id,
        conversation.caller_hash,
        ctx.now,
        language=language,
        script=conversation.script,
    )
    outcome = enqueue_conversation(ctx, conversation, "language chosen")
    locale = reply_locale(language, conversation.script)
    crisis_reply = [say(locale, messages.TEXT_CRISIS, **ctx.crisis.placeholders())] if crisis else []
    outcome.replies = [*crisis_reply, _welcome(ctx, conversation)]
    return outcome


def _next_message(ctx: TextContext, conversation: Conversation, message: MessageReceived) -> TextOutcome:
    text = message.body.strip()
    switched = _language_switch(ctx, conversation, text)
    if switched is not None:
        return switched
    stored = _keep_for_listener(ctx, conversation, message)
    outcome = TextOutcome("relayed" if conversation.status == ConversationStatus.active else "held")
    if conversation.status == ConversationStatus.active:
        outcome.relays.append(stored)
    if is_crisis_message(text):
        outcome = _escalate(ctx, conversation, outcome)
        outcome.replies.insert(
            0,
            say(
                reply_locale(conversation.language, conversation.script),
                messages.TEXT_CRISIS,
                **ctx.crisis.placeholders(),
            ),
        )
    return outcome


def _language_switch(ctx: TextContext, conversation: Conversation, text: str) -> TextOutcome | None:
    """A message that is just a language's name switches to it (a bare number does not: it may be meant
    for the listener). A waiting conversation moves to that language's queue, keeping its priority."""
    if text.isdigit():
        return None
    detection = detect_language(text, menu=())
    served = store.served_languages(ctx.session, conversation.association_id)
    if not detection.explicit or detection.language not in served:
        return None
    language = detection.language
    if detection.script and detection.script != LATIN:
        conversation.script = None
    conversation.language = language
    store.remember_caller(
        ctx.session,
        conversation.association_id,
        conversation.caller_hash,
        ctx.now,
        language=language,
        script=conversation.script,
    )
    store.touch(ctx.session, conversation, ctx.now)
    outcome = TextOutcome("language switched")
    if conversation.status in (ConversationStatus.waiting, ConversationStatus.offered):
        outcome = requeue_conversation(ctx, conversation, "language switched")
    locale = reply_locale(language, conversation.script)
    outcome.replies = [say(locale, messages.CONTINUE_IN_LANGUAGE, language=language_label(language, locale))]
    return outcome


def _escalate(ctx: TextContext, conversation: Conversation, outcome: TextOutcome) -> TextOutcome:
    """Crisis words: a waiting conversation goes to the front of its queue; a connected one is flagged so
    the relay tells the listener it is urgent."""
    if conversation.crisis:
        return outcome
    conversation.crisis = True
    ctx.session.add(conversation)
    if conversation.status in (ConversationStatus.waiting, ConversationStatus.offered):
        requeued = requeue_conversation(ctx, conversation, "crisis: moved to the front")
        requeued.relays = outcome.relays
        return requeued
    outcome.reason += ", crisis"
    return outcome


def _callback(
    ctx: TextContext,
    helpline: HelplineNumber,
    message: MessageReceived,
    conversation: Conversation | None,
    caller_hash: str,
) -> TextOutcome:
    """CALL: a voice callback that keeps the conversation's place (``text_callbacks``); without a voice
    number, the conversation is flagged and a listener reaches out by text (a new one is queued first)."""
    fresh = conversation is None or conversation.status == ConversationStatus.choosing
    if conversation is None or fresh:
        served = store.served_languages(ctx.session, helpline.association_id)
        profile = store.get_profile(ctx.session, helpline.association_id, caller_hash)
        language = profile.language if profile is not None and profile.language in served else None
        if conversation is None:
            conversation = _open(ctx, helpline, message, caller_hash, language or served[0], None)
        conversation.language = language or conversation.language
    locale = reply_locale(conversation.language, conversation.script)
    reply = say(
        locale, messages.TEXT_CALLBACK_CONFIRMED, language=language_label(conversation.language, locale)
    )
    voice_offers = call_back_by_voice(ctx, conversation)
    if voice_offers is not None:
        closed = [conversation.id] if conversation.id is not None else []
        return TextOutcome("voice callback requested", [reply], offers=voice_offers, closed=closed)
    outcome = enqueue_conversation(ctx, conversation, "callback requested") if fresh else TextOutcome("")
    outcome.reason = "callback requested"
    assert conversation.contact_id is not None
    engine.request_callback(ctx.session, ctx.live, conversation.contact_id, ctx.now)
    conversation.callback_requested = True
    store.touch(ctx.session, conversation, ctx.now)
    outcome.replies = [reply]
    return outcome


def _welcome(ctx: TextContext, conversation: Conversation) -> str:
    locale = reply_locale(conversation.language, conversation.script)
    return say(
        locale,
        messages.TEXT_WELCOME,
        language=language_label(conversation.language, locale),
        minutes=reply_minutes(ctx, conversation),
        **ctx.crisis.placeholders(),
    )


def _keep_for_listener(ctx: TextContext, conversation: Conversation, message: MessageReceived) -> int:
    """Record the message's metadata; its body waits, encrypted, until relayed."""
    return record_inbound(ctx, conversation, message, MessageDirection.from_caller)
