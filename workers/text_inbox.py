"""Handing a texter's message over to jobs, and the sweep for messages the webhook kept for later.

``hand_over`` is what the messaging webhook does after its transaction commits (relays, offers, closing
notices, the roster's plan). ``handle_pending_texts`` (cron) takes each message the webhook could not take in
(``routing.text.pending``), handles it as the webhook would have, sends the replies the webhook could not
give (through the provider's REST API, from the helpline's number), and hands the rest over the same way.
A message that still cannot be handled stays kept for the next round.
"""

from __future__ import annotations

import logging

from redis import Redis

from routing import text
from routing.engine.live import LiveState
from routing.text import Outgoing, TextContext, TextOutcome
from telephony.errors import TelephonyError
from telephony.webhooks import to_address
from workers.roster_jobs import plan_now
from workers.scope import job_scope
from workers.sending import rest_client
from workers.text_jobs import deliver_offers, enqueue_closing_notices, enqueue_relays, text_queue
from workers.voice_jobs import enqueue_offer_calls

logger = logging.getLogger(__name__)

PENDING_SWEEP_SECONDS = 3


def hand_over(redis: Redis, outcome: TextOutcome) -> None:
    queue = text_queue(redis)
    deliver_offers(queue, outcome.offers)
    enqueue_offer_calls(queue, outcome.offers)  # a texter's CALL: the voice callback's first offer
    enqueue_relays(queue, outcome.relays)
    enqueue_closing_notices(queue, outcome.closed)
    if outcome.roster_changed:
        plan_now(queue)


def handle_pending_texts() -> int:
    """Cron: the kept messages, oldest first, each in its own transaction. Returns how many were handled."""
    with job_scope() as scope:
        waiting = text.pending_texts(scope.session)
    return sum(handle_pending(pending_id) for pending_id in waiting)


def handle_pending(pending_id: int) -> bool:
    try:
        with job_scope() as scope:
            message = text.take_pending(scope.session, scope.vault, pending_id)
            if message is None:
                return True
            ctx = TextContext.of(scope.session, LiveState(scope.redis), scope.vault, scope.clock.now(),
                                 scope.settings)  # fmt: skip
            outcome = text.handle_text(ctx, message)
            settings, redis = scope.settings, scope.redis
    except Exception as exc:
        logger.warning("kept text not handled yet pending=%d error=%s", pending_id, type(exc).__name__)
        return False
    if outcome.is_duplicate:  # a redelivery got through first: its replies were given, its work handed over
        logger.info("kept text handled already message_sid=%s", message.message_sid)
        return True
    replies = [Outgoing(to_address(message.sender, message.channel), to_address(message.recipient, message.channel),
                        body) for body in outcome.replies]  # fmt: skip
    try:
        with rest_client(settings) as client:  # the reply the webhook could not give, sent now
            for reply in replies:
                client.send_message(reply.to, reply.from_, reply.body)
    except TelephonyError as exc:  # handled already: the listener's reply reaches them anyway
        logger.warning("reply to a kept text not sent status=%d code=%s", exc.status, exc.code)
    hand_over(redis, outcome)
    logger.info("kept text handled message_sid=%s outcome=%s", message.message_sid, outcome.reason)
    return True
