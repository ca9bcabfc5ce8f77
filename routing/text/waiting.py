"""A caller still waiting for a listener follows the association's fallback policy: when their contact
reaches the policy's callback or crisis-line step (``routing.services.queue_position``), they are told once,
in their language: the call back they can ask for with CALL, or the crisis line. They keep their place, and
a listener who comes free still takes the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from locales import messages
from routing import engine
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.errors import NotFoundError
from routing.phones import PhoneVault
from routing.text import conversations as store
from routing.text.delivery import Outgoing, caller_locale, caller_route
from routing.text.language import say

TOLD_AT_STEP = {
    "callback": messages.TEXT_ALL_BUSY_CALLBACK,
    "crisis_line": messages.TEXT_ALL_BUSY_CRISIS_LINE,
}


@dataclass(frozen=True)
class WaitingNotice:
    conversation_id: int
    step: str
    message: Outgoing | None  # None: nothing to send (a call back already asked for), only to record


def waiting_notices(
    session: Session, live: LiveState, vault: PhoneVault, now: datetime, crisis: CrisisNumbers
) -> list[WaitingNotice]:
    """The waiting callers whose contact has reached a callback or crisis-line step, with what to tell them."""
    notices: list[WaitingNotice] = []
    for conversation in store.untold_waiting_conversations(session):
        assert conversation.id is not None and conversation.contact_id is not None
        try:
            step = engine.queue_position(session, live, conversation.contact_id, now).step_kind
        except NotFoundError:
            continue
        if step not in TOLD_AT_STEP:
            continue
        route = caller_route(session, vault, conversation)
        if route is None or (step == "callback" and conversation.callback_requested):
            notices.append(WaitingNotice(conversation.id, step, None))
            continue
        body = say(caller_locale(conversation), TOLD_AT_STEP[step], **crisis.placeholders())
        notices.append(WaitingNotice(conversation.id, step, Outgoing(route[0], route[1], body)))
    return notices


def confirm_waiting_notice(session: Session, conversation_id: int, step: str) -> None:
    """Told (or nothing to tell): never again for this conversation."""
    conversation = store.get_conversation(session, conversation_id)
    conversation.waiting_notice = step
    session.add(conversation)
