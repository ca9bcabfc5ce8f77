"""Every voice handler's work runs in a thread under the deadline (``SAMVAAD_VOICE_DEADLINE_MS``, 250 ms), in
one transaction: if Redis or the database is slow or down, or anything fails, the caller still gets valid
TwiML at once, the degraded answer. The listener's leg gets a hang-up instead: their offer then expires and
the next listener is rung.

The deadline cannot stop a thread, so the work and the deadline settle who answers (``Turn``): whichever
takes the turn first. Work that finishes in time commits its transaction, and only then are its jobs
enqueued (``follow_up``); work that finishes late finds the degraded answer given and closes its session
uncommitted, so nothing it did stays: the caller just told to call elsewhere is never queued behind their
back, and the Redis effects it made are undone with the transaction (``routing.transaction``).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from fastapi import Response
from rq import Queue
from sqlmodel import Session

from app.services import Services
from app.webhooks.twilio_auth import TwilioHook
from app.webhooks.voice.answers import NO_CONTENT, degraded_answer, helpline, xml
from routing import transaction, voice
from routing.engine.live import LiveState
from routing.voice import records as voice_records
from routing.voice.helplines import HelplineConfig
from telephony.twiml import voice as twiml
from workers import routing_jobs, voice_jobs
from workers.scope import QUEUE_NAME

logger = logging.getLogger(__name__)
T = TypeVar("T")


class Hook(Protocol):
    """A checked webhook, whatever the provider: the process's services and the request's parameters."""

    @property
    def services(self) -> Services: ...

    @property
    def path(self) -> str: ...

    def param(self, name: str) -> str: ...


class Turn:
    """Who answers one webhook, decided once: the work (``settle``) or the deadline (``give_up``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._winner = ""

    def _take(self, who: str) -> bool:
        with self._lock:
            self._winner = self._winner or who
            return self._winner == who

    def settle(self) -> bool:
        """The work finished: True if its answer is the one given, so it may commit."""
        return self._take("work")

    def give_up(self) -> bool:
        """The deadline passed: True if the degraded answer is given, so the work must not commit."""
        return self._take("deadline")


def run_step(services: Services, turn: Turn, work: Callable[[Session], T]) -> T:
    """``work`` in one session, committed only if ``turn`` lets its answer be the one given."""
    with Session(services.fast_engine, expire_on_commit=False) as session:
        answer = work(session)
        if turn.settle():
            session.commit()
        return answer  # a late answer: the session closes uncommitted, and its Redis effects are undone


async def within_deadline(hook: Hook, work: Callable[[Session], T], on_failure: Callable[[], T]) -> T:
    """Run ``work`` in the request pool; past the deadline or on any error, answer ``on_failure()``."""
    services, turn = hook.services, Turn()
    loop = asyncio.get_running_loop()
    step = contextvars.copy_context()  # the thread's log lines name the call, like the request's own
    future = loop.run_in_executor(services.request_pool, step.run, run_step, services, turn, work)
    try:
        return await asyncio.wait_for(asyncio.shield(future), services.settings.voice_deadline_ms / 1000)
    except TimeoutError:
        if not turn.give_up():
            return await future  # it finished as the deadline passed: it is committing, its answer stands
        future.add_done_callback(lambda late: late.cancelled() or late.exception())  # its end, read quietly
        logger.warning(
            "voice webhook over its deadline path=%s call_sid=%s", hook.path, hook.param("CallSid")
        )
    except Exception as exc:  # whatever failed, the caller gets an answer; the log says what
        logger.warning(
            "voice webhook degraded path=%s call_sid=%s error=%s: %s",
            hook.path,
            hook.param("CallSid"),
            type(exc).__name__,
            str(exc)[:200],
        )
    return on_failure()


async def caller_answer(
    hook: TwilioHook,
    work: Callable[[Session, LiveState, HelplineConfig], str],
    degraded: Callable[[], str] | None = None,
) -> Response:
    """A webhook on the caller's leg: TwiML, or the degraded TwiML (``degraded`` where the route's context
    forbids the usual transfer). The helpline is ``To`` on a call the caller made; on a leg Samvaad placed
    (a callback) ``To`` is the caller, so the leg's record names it."""
    services = hook.services
    number = hook.param("To")
    placed = hook.param("Direction").startswith("outbound")

    def step(session: Session) -> str:
        leg = voice_records.get_call(session, hook.param("CallSid")) if placed else None
        config = helpline(services, leg.helpline if leg is not None else number)
        return work(session, LiveState(services.fast_redis), config)

    fallback_number = hook.param("From") if placed else number
    fallback = degraded or (lambda: degraded_answer(services, fallback_number))
    return xml(await within_deadline(hook, step, fallback))


async def listener_answer(hook: TwilioHook, work: Callable[[Session, LiveState], str]) -> Response:
    """A webhook on a leg Samvaad placed (``From`` is the helpline): on failure the leg hangs up."""
    live = LiveState(hook.services.fast_redis)
    return xml(await within_deadline(hook, lambda session: work(session, live), twiml.render_hangup))


async def acknowledge(hook: TwilioHook, work: Callable[[Session, LiveState], None]) -> Response:
    """A status callback: act once, answer 204 whatever happens (Twilio ignores the body)."""
    live = LiveState(hook.services.fast_redis)
    await within_deadline(hook, lambda session: work(session, live), lambda: None)
    return Response(status_code=NO_CONTENT)


def follow_up(session: Session, services: Services, outcome: voice.Outcome) -> None:
    """Offers to ring, callers to bring over and wrap-ups to end on time: jobs, never REST calls on the
    request path, enqueued once the step's transaction has committed (a job must find what it was given)."""
    if not outcome.offers and not outcome.jobs and not outcome.ended:
        return
    transaction.after_commit(session, lambda: _enqueue(services, outcome))


def _enqueue(services: Services, outcome: voice.Outcome) -> None:
    queue = Queue(QUEUE_NAME, connection=services.fast_redis)
    voice_jobs.enqueue_offer_calls(queue, outcome.offers)
    for ended in outcome.ended:
        routing_jobs.schedule_wrapup_end(queue, ended)
    for name, ident in outcome.jobs:
        if name == "bridge":
            voice_jobs.enqueue_bridge(queue, ident)
        elif name == "taken":
            voice_jobs.enqueue_taken(queue, ident)
