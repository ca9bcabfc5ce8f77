"""The text channel's jobs: take text offers, relay messages, send closing notices, close idle conversations
and purge kept bodies.

Every job takes ids (never a phone number: it looks the conversation up and decrypts), is safe to run twice
(a message is marked relayed, a notice sent, only after it went out), and is enqueued with retries under an
id of its own (``text-offer-<offer>``, ``relay-<message>``, ``notices-<conversation>``), once: the webhook,
the jobs and the sweeps may all hand over the same work. The REST client is built from the worker's
settings, so ``twilio_api_base_url`` can point at the simulator.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

import redis
from rq import Queue, Retry

from routing import text
from routing.crisis_numbers import CrisisNumbers
from routing.engine import Offer
from routing.engine.live import LiveState
from routing.text import Outgoing
from schemas.settings import Settings
from telephony.errors import TelephonyError
from workers.queueing import enqueue_once
from workers.scope import QUEUE_NAME, job_scope
from workers.sending import rest_client

logger = logging.getLogger(__name__)

# A blip at Twilio (a 5xx, a 429) is usually over within seconds, and someone is waiting for the message.
RETRY = Retry(max=3, interval=[2, 30, 300])
IDLE_SWEEP_SECONDS = 60
PURGE_SECONDS = 3600
TEXT_SWEEP_SECONDS = 3
RELAY_SWEEP_SECONDS = 30
WAITING_SWEEP_SECONDS = 30


def text_queue(connection: redis.Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=connection)


# ---- enqueueing (used by the webhook and by the jobs themselves) ----


def deliver_offers(queue: Queue, offers: Iterable[Offer]) -> None:
    """Hand text offers to the job that takes them; other kinds are left to their channel's sweep."""
    for offer in offers:
        if offer.kind == "text":
            enqueue_offer(queue, offer.offer_id, offer.contact_id)


def enqueue_offer(queue: Queue, offer_id: str, contact_id: str) -> None:
    enqueue_once(queue, f"text-offer-{offer_id}", connect_text_offer, offer_id, contact_id, retry=RETRY)


def enqueue_relays(queue: Queue, message_ids: Sequence[int]) -> None:
    for message_id in message_ids:
        enqueue_once(queue, f"relay-{message_id}", relay_text_message, message_id, retry=RETRY)


def enqueue_closing_notices(queue: Queue, conversation_ids: Sequence[int]) -> None:
    for conversation_id in conversation_ids:
        enqueue_once(queue, f"notices-{conversation_id}", send_closing_notices, conversation_id, retry=RETRY)


# ---- jobs ----


def connect_text_offer(offer_id: str, contact_id: str) -> None:
    """A listener was offered a text conversation: introduce it to them, then take it, tell the caller and
    relay what was held. An introduction refused for good (a 4xx: a number that cannot receive it) releases
    the offer to the next listener; anything else is retried, and the offer may expire meanwhile."""
    with job_scope() as scope:
        live, now = LiveState(scope.redis), scope.clock.now
        connection = text.introduce_offer(
            scope.session,
            live,
            scope.vault,
            offer_id,
            contact_id,
            now(),
            CrisisNumbers.from_settings(scope.settings),
        )
        if connection.outgoing:
            try:
                _send(scope.settings, connection.outgoing)
            except TelephonyError as exc:
                if not exc.is_refused_for_good:
                    raise
                logger.warning("text introduction refused offer_id=%s code=%s", offer_id, exc.code)
                connection = text.release_offer(scope.session, live, offer_id, contact_id, now())
            else:
                connection = text.take_offer(scope.session, live, scope.vault, offer_id, contact_id, now())
    queue = text_queue(scope.redis)  # committed: the next jobs find what they are given
    enqueue_relays(queue, connection.relays)
    deliver_offers(queue, connection.offers)
    _send_quietly(scope.settings, connection.outgoing)
    logger.info("text offer handled offer_id=%s outcome=%s", offer_id, connection.reason)


def relay_text_message(message_id: int) -> None:
    """Relay one message to the other side of its conversation; a second run sends nothing."""
    with job_scope() as scope:
        parts = text.relay_parts(
            scope.session, scope.vault, message_id, CrisisNumbers.from_settings(scope.settings)
        )
        if not parts:
            return
        _send(scope.settings, parts)
        text.confirm_relayed(scope.session, message_id, parts, scope.clock.now())
    logger.info("text relayed message_id=%d parts=%d", message_id, len(parts))


def send_closing_notices(conversation_id: int) -> None:
    """Tell whoever has not heard yet that the conversation closed, each once; then the caller's number is
    erased. A failed notice is retried (the others are not sent again) until the last attempt."""
    with job_scope() as scope:
        attempt = text.closing_notices(scope.session, scope.vault, conversation_id, scope.clock.now())
        if attempt is None:
            return
        failure: TelephonyError | None = None
        for notice in attempt.notices:
            try:
                _send(scope.settings, [notice.message])
            except TelephonyError as exc:
                failure = exc
                logger.warning(
                    "closing notice not sent conversation_id=%d to=%s status=%d code=%s",
                    conversation_id,
                    notice.recipient,
                    exc.status,
                    exc.code,
                )
                continue
            text.confirm_notice(scope.session, conversation_id, notice.recipient)
        if failure is not None and not attempt.last:
            scope.keep_progress()
            raise failure
        text.confirm_notices_sent(scope.session, conversation_id)


def close_idle_conversations() -> None:
    """Cron: close conversations quiet for longer than their association allows, with notices."""
    with job_scope() as scope:
        sweep = text.close_idle(scope.session, LiveState(scope.redis), scope.clock.now())
    queue = text_queue(scope.redis)
    enqueue_closing_notices(queue, sweep.closed)
    deliver_offers(queue, sweep.offers)
    if sweep.closed:
        logger.info("idle text conversations closing count=%d", len(sweep.closed))


def sweep_text_offers() -> None:
    """Cron, every few seconds: take the text offers routing made on its own (the routing tick, a listener
    freed by a call, another channel's dispatch). Safe to overlap: an offer is taken once."""
    with job_scope() as scope:
        pending = text.offers_not_taken(scope.session)
        queue = text_queue(scope.redis)
        for offer_id, contact_id in pending:
            enqueue_offer(queue, offer_id, contact_id)


def sweep_unrelayed_messages() -> None:
    """Cron: hand over again the relays whose job was lost (Redis failed at the hand-off or lost its data).
    A relay already queued, running or due for a retry is left alone, and a message is relayed once."""
    with job_scope() as scope:
        unrelayed = text.messages_to_relay(scope.session)
        enqueue_relays(text_queue(scope.redis), unrelayed)


def purge_message_bodies() -> None:
    """Cron: drop kept message bodies past their association's retention."""
    with job_scope() as scope:
        purged = text.purge_kept_bodies(scope.session, scope.clock.now())
    if purged:
        logger.info("kept message bodies purged count=%d", purged)


def _send_quietly(settings: Settings, outgoing: Sequence[Outgoing]) -> None:
    """For a courtesy ("a doctor has joined") sent after the state changed: a retry could not send it
    again, so a failure is logged and the job carries on."""
    try:
        _send(settings, outgoing)
    except TelephonyError as exc:
        logger.warning("text courtesy message not sent status=%d code=%s", exc.status, exc.code)


def _send(settings: Settings, outgoing: Sequence[Outgoing]) -> None:
    if not outgoing:
        return
    with rest_client(settings) as client:  # a refusal goes on with its code and status only
        for message in outgoing:
            client.send_message(message.to, message.from_, message.body)


def notify_waiting_texters() -> None:
    """Cron: tell each caller still waiting, once, when the fallback policy reaches a call back or the
    crisis line. A message that fails is tried again by the next run."""
    with job_scope() as scope:
        notices = text.waiting_notices(
            scope.session,
            LiveState(scope.redis),
            scope.vault,
            scope.clock.now(),
            CrisisNumbers.from_settings(scope.settings),
        )
        for notice in notices:
            if notice.message is not None:
                try:
                    _send(scope.settings, [notice.message])
                except TelephonyError as exc:
                    logger.warning(
                        "waiting notice not sent conversation_id=%d status=%d code=%s",
                        notice.conversation_id,
                        exc.status,
                        exc.code,
                    )
                    continue
            text.confirm_waiting_notice(scope.session, notice.conversation_id, notice.step)
    if notices:
        logger.info("waiting texters told of a fallback step count=%d", len(notices))
