"""The messaging webhook: SMS and WhatsApp messages to the helpline's text numbers, answered with TwiML.

Thin: the signature is checked, Twilio's parameters become a ``routing.events.MessageReceived``, the text
channel decides (``routing.text.inbound.handle_text``), replies to the sender go back in the MessagingResponse, and anything for someone
else (relays, offers, closing notices) goes to jobs. Whatever arrives, the answer is valid TwiML: if Redis
fails at the hand-off, what was decided is committed already (one transaction, committed before the hand-off), and the text sweeps (``workers/schedules.py``)
hand the work over again. If the message cannot be taken in at all (the database or Redis down), the texter
is told so, in the language they wrote in, with the crisis line: never silence. Redis is the request path's
client for texts (``Services.text_redis``, no retries, 1 s): a hung Redis costs one timeout, not the job
client's retries, and a Redis slowed by load does not cost a message.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from redis import Redis

from app.deps import ClockDep, ServicesDep, SessionDep, SettingsDep, VaultDep
from app.webhooks.twilio_auth import SignedHook
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.phones import mask
from routing.safety import Limits
from routing.text import TextContext, TextOutcome, handle_text, not_received
from telephony import twiml
from telephony.errors import WebhookFormError
from telephony.webhooks import parse_message
from workers.roster_jobs import plan_now
from workers.text_jobs import deliver_offers, enqueue_closing_notices, enqueue_relays, text_queue
from workers.voice_jobs import enqueue_offer_calls

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/messaging", tags=["webhooks"])
REPLY_LIMIT = 1600


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
    crisis = CrisisNumbers.from_settings(settings)
    fallback = tuple(code.strip() for code in settings.fallback_languages.split(",") if code.strip())
    ctx = TextContext(
        session,
        LiveState(redis),
        vault,
        clock.now(),
        crisis,
        settings.text_reply_minutes,
        fallback or ("hi", "en"),
        Limits.of(settings),
    )
    try:
        outcome = handle_text(ctx, message)
        session.commit()  # the webhook's one transaction; the jobs below are handed over only after it
    except Exception:  # a webhook always answers TwiML; the failure is logged, never shown
        session.rollback()
        logger.exception("text message not handled message_sid=%s", message.message_sid)
        sorry = not_received(message.body, crisis, fallback or ("hi", "en"))
        return _xml(twiml.render_messages(twiml.Message(sorry)))
    try:
        _hand_to_jobs(redis, outcome)
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


def _hand_to_jobs(redis: Redis, outcome: TextOutcome) -> None:
    queue = text_queue(redis)
    deliver_offers(queue, outcome.offers)
    enqueue_offer_calls(queue, outcome.offers)  # a texter's CALL: the voice callback's first offer
    enqueue_relays(queue, outcome.relays)
    enqueue_closing_notices(queue, outcome.closed)
    if outcome.roster_changed:
        plan_now(queue)
