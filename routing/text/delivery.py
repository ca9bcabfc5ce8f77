"""The text channel's work outside a webhook: taking an offer and relaying (closing: ``text_closing``).

Functions here decide and record; they return the messages to send (``Outgoing``, with the addresses
decrypted in memory only), and the jobs in ``workers/text_jobs.py`` send them and then confirm, so that a job
run twice does not send twice what it already confirmed.

Text offers are taken at once: a listener with free text capacity is told of the new conversation (in their
own language, naming its tag, and that it is urgent when the caller wrote crisis words); only once that
introduction is out is the offer accepted, the caller told a doctor has joined, and what they wrote while
waiting relayed. An introduction the provider refuses releases the offer to the next listener.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from locales import messages
from locales.crisis import is_crisis_message
from routing import engine
from routing.crisis_numbers import CrisisNumbers
from routing.engine import Offer
from routing.engine import records as contact_records
from routing.engine.live import LiveState
from routing.phones import PhoneVault
from routing.text import conversations as store
from routing.text import records
from routing.text.language import language_label, reply_locale, say
from routing.text.queueing import mark_offered
from routing.text.relay import split_body
from schemas.tables import Channel, Conversation, ConversationStatus, Listener, MessageDirection

WHATSAPP = "whatsapp:"
MISSES_BEFORE_GIVING_UP = 10  # above any association's missed-offer limit: the listener is paused first


@dataclass(frozen=True)
class Outgoing:
    """One message to send from a helpline number. Addresses carry ``whatsapp:`` on WhatsApp."""

    to: str
    from_: str
    body: str


@dataclass
class Connection:
    """What taking a text offer led to: messages to send, held messages to relay, offers made instead."""

    conversation_id: int | None = None
    listener_id: int | None = None
    outgoing: list[Outgoing] = field(default_factory=list)
    relays: list[int] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    reason: str = ""


def address(number: str, channel: Channel) -> str:
    return WHATSAPP + number if channel == Channel.whatsapp else number


def caller_route(session: Session, vault: PhoneVault, conversation: Conversation) -> tuple[str, str] | None:
    """(to, from) for the caller: from the number they wrote to, on their channel; None once erased."""
    if conversation.caller_encrypted is None:
        return None
    helpline = store.get_helpline_number(session, conversation.helpline_number_id)
    return (
        address(vault.decrypt(conversation.caller_encrypted), conversation.channel),
        address(helpline.number, conversation.channel),
    )


def listener_route(
    session: Session, vault: PhoneVault, listener: Listener, conversation: Conversation
) -> tuple[str, str]:
    """(to, from) for the listener: on the channel they prefer when the association has a number on it."""
    preferred = store.number_for_channel(session, listener.association_id, listener.text_channel)
    if preferred is not None:
        number, channel = preferred.number, listener.text_channel
    else:
        number = store.get_helpline_number(session, conversation.helpline_number_id).number
        channel = conversation.channel
    return address(vault.decrypt(listener.phone_encrypted), channel), address(number, channel)


def caller_locale(conversation: Conversation) -> str:
    return reply_locale(conversation.language, conversation.script)


# ---- offers ----


def introduce_offer(
    session: Session,
    live: LiveState,
    vault: PhoneVault,
    offer_id: str,
    contact_id: str,
    now: datetime,
    crisis: CrisisNumbers,
) -> Connection:
    """The first step of taking a text offer: the introduction to send to the offered listener. Nothing is
    accepted yet, so a listener who cannot be reached does not keep the caller (``release_offer``)."""
    conversation = store.find_by_contact(session, contact_id)
    if conversation is None or conversation.status == ConversationStatus.closed:
        engine.decline_offer(session, live, offer_id, now)
        return Connection(reason="no open conversation for this contact")
    if conversation.status == ConversationStatus.active:
        return Connection(conversation.id, reason="already connected")
    contact = contact_records.get_contact(session, contact_id)
    deadline = contact.offer_deadline_us or 0
    if contact.offer_id != offer_id or contact.listener_id is None or deadline <= engine.to_us(now):
        offers = engine.decline_offer(session, live, offer_id, now)  # gone, or going: nobody was told
        return Connection(
            conversation.id, offers=_back_to_waiting(session, conversation, offers), reason="offer gone"
        )
    listener = store.get_listener(session, contact.listener_id)
    return Connection(
        conversation.id,
        listener.id,
        [_introduce(session, vault, listener, conversation, crisis)],
        reason="offered",
    )


def take_offer(
    session: Session, live: LiveState, vault: PhoneVault, offer_id: str, contact_id: str, now: datetime
) -> Connection:
    """The listener has been introduced: the offer is accepted and the conversation connected. Returns the
    caller's "a doctor has joined" and every message held so far; if the offer went in the meantime, the
    offers routing made instead."""
    conversation = store.find_by_contact(session, contact_id)
    assert conversation is not None and conversation.id is not None
    listener_id = contact_records.get_contact(session, contact_id).listener_id
    accepted = engine.accept_offer(session, live, offer_id, now)
    if not accepted.ok:
        offers = _back_to_waiting(session, conversation, list(accepted.offers))
        return Connection(conversation.id, offers=offers, reason=f"offer {accepted.reason}")
    assert listener_id is not None
    held = confirm_connected(session, conversation.id, listener_id, now)
    route = caller_route(session, vault, conversation)
    joined = say(caller_locale(conversation), messages.TEXT_DOCTOR_JOINED)
    outgoing = [Outgoing(route[0], route[1], joined)] if route else []
    return Connection(conversation.id, listener_id, outgoing, held, reason="connected")


def release_offer(
    session: Session, live: LiveState, offer_id: str, contact_id: str, now: datetime
) -> Connection:
    """The introduction could not reach the listener (the provider refused it for good): the offer is
    declined, which counts nothing against them, and the conversation goes to the next listener, or back
    to waiting. Offered straight back to the same listener, the offer is missed instead, so that a listener
    nobody can reach is paused after their missed-offer limit rather than offered the same contact forever."""
    conversation = store.find_by_contact(session, contact_id)
    unreachable = contact_records.get_contact(session, contact_id).listener_id
    offers = engine.decline_offer(session, live, offer_id, now)
    for _ in range(MISSES_BEFORE_GIVING_UP):
        again = next((o for o in offers if o.contact_id == contact_id and o.listener_id == unreachable), None)
        if again is None:
            break
        offers = [o for o in offers if o is not again] + engine.miss_offer(session, live, again.offer_id, now)
    assert conversation is not None
    return Connection(
        conversation.id, offers=_back_to_waiting(session, conversation, offers), reason="listener unreachable"
    )


def _back_to_waiting(session: Session, conversation: Conversation, offers: list[Offer]) -> list[Offer]:
    """The offer went: the conversation waits again, unless routing offered it to someone else already."""
    if conversation.status == ConversationStatus.offered:
        conversation.status = ConversationStatus.waiting
        session.add(conversation)
    mark_offered(session, offers)
    return offers


def confirm_connected(session: Session, conversation_id: int, listener_id: int, now: datetime) -> list[int]:
    """Connected: relays flow from now on. Returns every message held so far."""
    conversation = store.get_conversation(session, conversation_id)
    conversation.status = ConversationStatus.active
    conversation.listener_id = listener_id
    store.touch(session, conversation, now)
    held = records.unrelayed(session, conversation, MessageDirection.from_caller)
    return [message.id for message in held if message.id is not None]


def _introduce(
    session: Session, vault: PhoneVault, listener: Listener, conversation: Conversation, crisis: CrisisNumbers
) -> Outgoing:
    locale = listener.prompt_language
    body = say(
        locale,
        messages.LISTENER_NEW_CONVERSATION,
        tag=f"#{conversation.tag}",
        language=language_label(conversation.language, locale),
    )
    if conversation.crisis:
        urgent = say(locale, messages.LISTENER_URGENT, tag=f"#{conversation.tag}", **crisis.placeholders())
        body = urgent + "\n" + body
    to, from_ = listener_route(session, vault, listener, conversation)
    return Outgoing(to, from_, body)


# ---- relaying ----


def relay_parts(
    session: Session, vault: PhoneVault, message_id: int, crisis: CrisisNumbers
) -> list[Outgoing]:
    """The message to the other side, split to fit; empty when already relayed, not due or nowhere to go.
    To the listener it carries the conversation's tag (and an urgent note for crisis words); to the caller
    it is exactly what the listener wrote."""
    message = records.get_message(session, message_id)
    conversation = store.get_conversation(session, message.conversation_id)
    if message.relayed_at is not None or message.body_encrypted is None:
        return []
    if conversation.status != ConversationStatus.active or conversation.listener_id is None:
        return []
    body = vault.decrypt(message.body_encrypted)
    if message.direction == MessageDirection.from_listener:
        route = caller_route(session, vault, conversation)
        return [Outgoing(route[0], route[1], part) for part in split_body(body)] if route else []
    listener = store.get_listener(session, conversation.listener_id)
    to, from_ = listener_route(session, vault, listener, conversation)
    prefix = f"#{conversation.tag} "
    if is_crisis_message(body):
        prefix = (
            say(
                listener.prompt_language,
                messages.LISTENER_URGENT,
                tag=f"#{conversation.tag}",
                **crisis.placeholders(),
            )
            + "\n"
            + prefix
        )
    return [Outgoing(to, from_, part) for part in split_body(body, prefix)]


def confirm_relayed(session: Session, message_id: int, parts: list[Outgoing], now: datetime) -> None:
    message = records.get_message(session, message_id)
    conversation = store.get_conversation(session, message.conversation_id)
    association = store.get_association(session, conversation.association_id)
    keep = association.message_retention_days if association.store_message_bodies else None
    records.mark_relayed(session, message, [p.body for p in parts], now, keep)
    store.touch(session, conversation, now)
