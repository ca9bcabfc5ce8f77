"""Closing a text conversation, outside a webhook: the notices to whoever has not heard, the caller's number
erased after them, conversations that went quiet, and kept bodies past their retention.

Each notice is recorded as sent once it went out, so a retry sends only what is missing. The caller's
number is erased once the notices are out, after ``NOTICE_ATTEMPTS`` attempts, or ``NOTICE_TIME_LIMIT``
after closing, whatever happened: it is kept only so that replies can reach the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from locales import messages
from routing.engine import Offer
from routing.engine.live import LiveState
from routing.phones import PhoneVault
from routing.text import conversations as store
from routing.text import records
from routing.text.delivery import Outgoing, caller_locale, caller_route, listener_route
from routing.text.language import say
from routing.text.queueing import finish_conversation
from schemas.tables import ConversationStatus

NOTICE_ATTEMPTS = 3
NOTICE_TIME_LIMIT = timedelta(hours=1)
LISTENER, CALLER = "listener", "caller"


@dataclass(frozen=True)
class Notice:
    recipient: str  # LISTENER or CALLER
    message: Outgoing


@dataclass(frozen=True)
class NoticeAttempt:
    """The notices still to send in this attempt; on the ``last`` one the number goes whatever happens."""

    notices: list[Notice]
    last: bool


def closing_notices(
    session: Session, vault: PhoneVault, conversation_id: int, now: datetime
) -> NoticeAttempt | None:
    """Counts an attempt and says who still needs to hear that the conversation closed: the listener
    unless they closed it, and the caller when it was not their doing (the listener ended it, or it went
    quiet). None when there is nothing left to do; past the attempts or the time limit, the number goes."""
    conversation = store.get_conversation(session, conversation_id)
    if conversation.status != ConversationStatus.closed or conversation.closing_notices_sent:
        return None
    closed_at = store.aware(conversation.closed_at) or now
    if conversation.notice_attempts >= NOTICE_ATTEMPTS or closed_at + NOTICE_TIME_LIMIT <= now:
        confirm_notices_sent(session, conversation_id)
        return None
    conversation.notice_attempts += 1
    session.add(conversation)
    notices: list[Notice] = []
    tell_listener = conversation.close_reason != "listener" and not conversation.listener_notified
    if conversation.listener_id is not None and tell_listener:
        listener = store.get_listener(session, conversation.listener_id)
        to, from_ = listener_route(session, vault, listener, conversation)
        body = say(listener.prompt_language, messages.LISTENER_CONVERSATION_ENDED, tag=f"#{conversation.tag}")
        notices.append(Notice(LISTENER, Outgoing(to, from_, body)))
    caller_message = {"listener": messages.TEXT_CLOSED, "idle": messages.TEXT_CLOSED_IDLE}.get(
        conversation.close_reason
    )
    route = caller_route(session, vault, conversation)
    if caller_message and route is not None and not conversation.caller_notified:
        body = say(caller_locale(conversation), caller_message)
        notices.append(Notice(CALLER, Outgoing(route[0], route[1], body)))
    return NoticeAttempt(notices, conversation.notice_attempts >= NOTICE_ATTEMPTS)


def confirm_notice(session: Session, conversation_id: int, recipient: str) -> None:
    """This notice went out: no retry sends it again."""
    store.mark_notified(session, store.get_conversation(session, conversation_id), recipient == LISTENER)


def confirm_notices_sent(session: Session, conversation_id: int) -> None:
    """The notices are out, or the attempts are over: the caller's number is erased."""
    store.erase_caller(session, store.get_conversation(session, conversation_id))


@dataclass(frozen=True)
class IdleSweep:
    closed: list[int]
    offers: list[Offer]


def close_idle(session: Session, live: LiveState, now: datetime) -> IdleSweep:
    """Close every conversation quiet for longer than its association allows; erase the number of callers
    closed longer ago than the notices' time limit; say whose notices are still to send."""
    offers: list[Offer] = []
    for conversation in store.idle_conversations(session, now):
        offers += finish_conversation(session, live, conversation, "idle", now)
    store.erase_callers_closed_before(session, now - NOTICE_TIME_LIMIT)
    return IdleSweep(store.conversations_awaiting_notices(session), offers)


def purge_kept_bodies(session: Session, now: datetime) -> int:
    purged = records.purge_bodies(session, now)
    records.forget_deliveries(session, now)
    return purged
