"""The messaging webhook: SMS and WhatsApp messages to the helpline's text numbers, answered with TwiML.

Thin: the signature is checked, Twilio's parameters become a ``routing.events.MessageReceived``, the text
channel decides (``routing.text.inbound.handle_text``), replies to the sender go back in the MessagingResponse, and anything for someone
else (relays, offers, closing notices) goes to jobs. Whatever arrives, the answer is valid TwiML: if Redis
fails at the hand-off, what was decided is committed already (one transaction, committed before the hand-off), and the text sweeps (``workers/schedules.py``)
hand the work over again. If the message cannot be handled (Redis down or hung, a step failed), it is kept,
encrypted, for a sweep that handles it once it can (``workers/text_inbox.py``), and the texter is told so in
the language they wrote in, with the crisis line; only if the database is down too are they asked to send it
again. Never silence. Redis is the request path's
client for texts (``Services.text_redis``, no retries, 0.2 s): a hung Redis costs one timeout, not the
job client's retries.
"""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Response
from redis.exceptions import RedisError
from sqlmodel import Session

from app.deps import ClockDep, ServicesDep, SessionDep, SettingsDep, VaultDep
from app.webhooks.twilio_auth import SignedHook
from locales.messages import TEXT_KEPT, TEXT_NOT_RECEIVED
from routing import text
from routing.engine.live import LiveState
from routing.events import MessageReceived
from routing.phones import mask
from routing.text import TextContext, handle_text
from telephony import twiml
from telephony.errors import WebhookFormError
from telephony.webhooks import parse_message
from workers.text_inbox import hand_over

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/messaging", tags=["webhooks"])
REPLY_LIMIT = 1600
REDIS_BACK_OFF_SECONDS = 2.0


def _xml(body: str) -> Response:
    return Response(body, media_type=twiml.TWIML_MEDIA_TYPE)


@router.post("/incoming")
def incoming_message(
    hook: SignedHook,
    session: SessionDep,
    services: ServicesDep,
    vault: VaultDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    try:
        message = parse_message(hook.params)
    except (WebhookFormError, ValueError):
        logger.warning("message webhook without the parameters it must carry")
        return _xml(twiml.render_messages())
    redis = services.text_redis
    ctx = TextContext.of(session, LiveState(redis), vault, clock.now(), settings)
    if time.monotonic() - services.text_redis_failed_at < REDIS_BACK_OFF_SECONDS:
        # Redis failed a moment ago: keep the message at once rather than hold SQLite's write lock through
        # another timeout (every other write would queue behind it); the sweep handles it when Redis is back
        return _xml(twiml.render_messages(twiml.Message(kept_for_later(session, ctx, message))))
    try:
        outcome = handle_text(ctx, message)
        session.commit()  # the webhook's one transaction; the jobs below are handed over only after it
    except Exception as exc:  # a webhook always answers TwiML; the failure is logged, never shown
        session.rollback()
        if isinstance(exc, RedisError):
            services.text_redis_failed_at = time.monotonic()
        logger.exception("text message not handled message_sid=%s", message.message_sid)
        return _xml(twiml.render_messages(twiml.Message(kept_for_later(session, ctx, message))))
    try:
        hand_over(redis, outcome)
    except Exception as exc:  # committed already: the sweeps hand the work over again once Redis is back
        logger.error(
            "text jobs not handed over message_sid=%s error=%s", message.message_sid, type(exc).__name__
        )
    logger.info(
        "text message handled message_sid=%s sender=%s outcome=%s",
        message.message_sid,
        mask(message.sender),
        outcome.reason,
    )
    return _xml(twiml.render_messages(*(twiml.Message(body[:REPLY_LIMIT]) for body in outcome.replies)))


def kept_for_later(session: Session, ctx: TextContext, message: MessageReceived) -> str:
    """The message is kept (encrypted) for the sweep and the texter told so; if even that fails (the
    database is down too), they are asked to send it again. Either way, with the crisis line."""
    said = TEXT_KEPT
    try:
        text.keep_for_later(session, ctx.vault, message, ctx.now)
        session.commit()
    except Exception as exc:
        session.rollback()
        logger.error("text message not kept message_sid=%s error=%s", message.message_sid, type(exc).__name__)
        said = TEXT_NOT_RECEIVED
    return text.said_as_written(said, message.body, ctx.crisis, ctx.fallback_languages)
