"""Twilio voice webhooks: parse (telephony), decide (routing), render (telephony), enqueue jobs (workers).

Every handler runs its work in a thread under the deadline (``SAMVAAD_VOICE_DEADLINE_MS``, 250 ms): if Redis
or the database is slow or down, or anything fails, the caller still gets valid TwiML at once, the degraded
answer (an apology in the association's languages, its backup numbers, then the crisis line). The listener's
leg gets a hang-up instead: their offer then expires and the next listener is rung. ``/fallback`` (Twilio's
Fallback URL) touches neither Redis nor the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Response
from rq import Queue
from sqlmodel import Session

from app.services import Services
from app.webhooks.twilio_auth import SignedHook, TwilioHook
from routing import voice
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.language_detection import LANGUAGES
from routing.language_detection.choice import explicit_choice
from routing.phones import mask
from routing.voice import callbacks, decisions, waiting, whispers
from routing.voice import records as call_records
from routing.voice.helplines import HelplineConfig, load_helpline
from schemas.tables import CallbackStatus, Listener
from telephony import twilio_adapter as adapter
from telephony import voice_twiml as twiml
from workers import routing_jobs, voice_jobs
from workers.scope import QUEUE_NAME

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/twilio/voice", include_in_schema=False)
T = TypeVar("T")

NO_CONTENT = 204


class UnknownHelplineError(LookupError):
    """A call to a number that is no association's: answered with the generic degraded TwiML."""


def xml(body: str) -> Response:
    return Response(body, media_type=twiml.TWIML_MEDIA_TYPE)


# ---- the plumbing every handler shares ----


def helpline(services: Services, number: str) -> HelplineConfig:
    def load(found: str) -> HelplineConfig | None:
        with Session(services.fast_engine) as session:
            return load_helpline(session, found)

    config = services.helplines.get(number, load)
    if config is None:
        raise UnknownHelplineError(mask(number))
    return config


def degraded_answer(services: Services, number: str) -> str:
    """Only what the process already holds: the cached association (however old) and the settings."""
    settings = services.settings
    config = services.helplines.peek(number)
    languages = [code.strip() for code in settings.fallback_languages.split(",") if code.strip()]
    decision = waiting.degraded(config, CrisisNumbers.from_settings(settings), languages)
    return twiml.render_transfer(decision, twiml.Speaker(config), caller_id=number or None)


async def within_deadline(hook: TwilioHook, work: Callable[[], T], on_failure: Callable[[], T]) -> T:
    """Run ``work`` in the request pool; past the deadline or on any error, answer ``on_failure()``."""
    services = hook.services
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(services.request_pool, work)
    try:
        return await asyncio.wait_for(future, services.settings.voice_deadline_ms / 1000)
    except TimeoutError:
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
    """A webhook on the caller's leg (``To`` is the helpline): TwiML, or the degraded TwiML (``degraded``
    where the route's context forbids the usual transfer)."""
    services = hook.services
    number = hook.param("To")

    def run() -> str:
        config = helpline(services, number)
        with Session(services.fast_engine, expire_on_commit=False) as session:
            return work(session, LiveState(services.fast_redis), config)

    fallback = degraded or (lambda: degraded_answer(services, number))
    return xml(await within_deadline(hook, run, fallback))


async def listener_answer(hook: TwilioHook, work: Callable[[Session, LiveState], str]) -> Response:
    """A webhook on a leg Samvaad placed (``From`` is the helpline): on failure the leg hangs up."""
    services = hook.services

    def run() -> str:
        with Session(services.fast_engine, expire_on_commit=False) as session:
            return work(session, LiveState(services.fast_redis))

    return xml(await within_deadline(hook, run, twiml.render_hangup))


async def acknowledge(hook: TwilioHook, work: Callable[[Session, LiveState], None]) -> Response:
    """A status callback: act once, answer 204 whatever happens (Twilio ignores the body)."""
    services = hook.services

    def run() -> None:
        with Session(services.fast_engine, expire_on_commit=False) as session:
            work(session, LiveState(services.fast_redis))

    await within_deadline(hook, run, lambda: None)
    return Response(status_code=NO_CONTENT)


def follow_up(services: Services, outcome: voice.Outcome) -> None:
    """Offers to ring, callers to bring over and wrap-ups to end on time: jobs, never REST calls on the
    request path."""
    if not outcome.offers and not outcome.jobs and not outcome.ended:
        return
    queue = Queue(QUEUE_NAME, connection=services.fast_redis)
    voice_jobs.enqueue_offer_calls(queue, outcome.offers)
    for ended in outcome.ended:
        routing_jobs.schedule_wrapup_end(queue, ended)
    for name, ident in outcome.jobs:
        if name == "bridge":
            voice_jobs.enqueue_bridge(queue, ident)


def urls(hook: TwilioHook) -> twiml.Urls:
    return twiml.Urls(hook.services.settings.public_base_url)


def caller_hash(hook: TwilioHook, association_id: int) -> str | None:
    """This association's key for the caller; another association, or the same phone as a listener, differs."""
    caller = adapter.parse_call_started(hook.params).caller
    return hook.services.vault.caller_key(association_id, caller) if caller else None


def caller_number(hook: TwilioHook) -> str | None:
    return adapter.parse_call_started(hook.params).caller


def render(hook: TwilioHook, config: HelplineConfig | None, decision: decisions.Decision) -> str:
    """Caller-leg decisions as TwiML, with the action URLs that bring the next step back here."""
    speaker = twiml.Speaker(config)
    to = urls(hook).to
    if isinstance(decision, decisions.Menu):
        action = to(
            "/twilio/voice/menu", kind=decision.kind, attempt=decision.attempt, last=decision.last_language
        )
        return twiml.render_menu(decision, speaker, action)
    if isinstance(decision, decisions.JoinQueue):
        return twiml.render_join_queue(
            decision, speaker, to("/twilio/voice/wait"), to("/twilio/voice/queue-exit")
        )
    if isinstance(decision, decisions.HoldAnnouncement):
        music = hook.services.settings.hold_music_url
        return twiml.render_hold(decision, speaker, to("/twilio/voice/wait-input"), music)
    if isinstance(decision, decisions.LeaveQueue):
        return twiml.render_leave(decision)
    if isinstance(decision, decisions.Goodbye):
        return twiml.render_goodbye(decision, speaker)
    if isinstance(decision, decisions.Transfer):
        return twiml.render_transfer(decision, speaker, caller_id=config.number if config else None)
    return twiml.render_silence()


# ---- the caller ----


@router.post("/incoming")
async def incoming_call(hook: SignedHook) -> Response:
    """A call reached a helpline number: the crisis notice and the language menu (or the shortcut)."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        return render(
            hook,
            config,
            voice.answer_incoming(session, config, caller_hash(hook, config.association_id)),
        )

    return await caller_answer(hook, work)


@router.post("/menu")
async def menu_choice(hook: SignedHook) -> Response:
    """A key (or a spoken language) in a menu."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        menu = voice.menu_for(
            config,
            hook.query.get("kind", "languages"),
            _int(hook.query.get("attempt"), 1),
            hook.query.get("last"),
        )
        digits = adapter.parse_digits(hook.params).digits
        spoken = (
            explicit_choice(hook.param("SpeechResult"), list(config.codes))
            if hook.param("SpeechResult")
            else None
        )
        outcome = voice.take_menu_choice(
            session,
            live,
            config,
            menu,
            call_sid=hook.param("CallSid"),
            caller_hash=caller_hash(hook, config.association_id),
            digits=digits,
            spoken_choice=spoken if spoken in LANGUAGES or spoken in config.codes else None,
            now=hook.services.clock.now(),
        )
        follow_up(hook.services, outcome)
        return render(hook, config, outcome.decision)

    return await caller_answer(hook, work)


@router.post("/wait")
async def wait_loop(hook: SignedHook) -> Response:
    """The waitUrl: position, honest expected wait, keys 1 and 0; or out of the queue."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        tick = adapter.parse_queue_tick(hook.params)
        outcome = voice.hold(
            session,
            live,
            hook.services.vault,
            config,
            call_sid=tick.call_sid,
            queue_sid=tick.queue_sid,
            caller_number=caller_number(hook),
            crisis_max_wait=hook.services.settings.crisis_max_wait_seconds,
            now=hook.services.clock.now(),
        )
        return render(hook, config, outcome.decision)

    # A waitUrl may not <Dial> (Twilio rejects it, error 12100): a caller whose wait cannot be read leaves
    # the queue, and the Enqueue action (/queue-exit) puts them through to the backup numbers.
    return await caller_answer(hook, work, degraded=twiml.render_leave)


@router.post("/wait-input")
async def wait_input(hook: SignedHook) -> Response:
    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        entered = adapter.parse_digits(hook.params)
        outcome = voice.press_while_waiting(
            session,
            live,
            hook.services.vault,
            config,
            call_sid=entered.call_sid,
            digits=entered.digits,
            caller_number=caller_number(hook),
            now=hook.services.clock.now(),
        )
        return render(hook, config, outcome.decision)

    return await caller_answer(hook, work)


@router.post("/queue-exit")
async def queue_exit(hook: SignedHook) -> Response:
    """The caller left a queue: callback confirmed, crisis line, or nothing (bridged call over)."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        exited = adapter.parse_queue_exit(hook.params)
        outcome = voice.left_queue(
            session,
            live,
            config,
            call_sid=exited.call_sid,
            result=exited.result,
            crisis=CrisisNumbers.from_settings(hook.services.settings),
            now=hook.services.clock.now(),
        )
        follow_up(hook.services, outcome)
        return render(hook, config, outcome.decision)

    return await caller_answer(hook, work)


@router.post("/call-status")
async def call_status(hook: SignedHook) -> Response:
    """The helpline number's status callback: a caller's leg ended (whatever the order of the others)."""

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        if status.is_final:
            outcome = voice.call_ended(session, live, call_sid=status.call_sid, now=hook.services.clock.now())
            follow_up(hook.services, outcome)

    return await acknowledge(hook, work)


@router.post("/bridge")
async def bridge(hook: SignedHook) -> Response:
    """The caller, dequeued by the bridge job, joins the offer's queue where the listener is dialling."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        join = voice.bridge_into_offer(
            session, call_sid=hook.param("CallSid"), offer_id=hook.query.get("offer", "")
        )
        speaker = twiml.Speaker(config)
        return twiml.render_join_queue(join, speaker, None, urls(hook).to("/twilio/voice/queue-exit"))

    return await caller_answer(hook, work)


# ---- the listener ----


@router.post("/whisper")
async def whisper(hook: SignedHook) -> Response:
    """The listener answered Samvaad's call: who waits, and "press 1" (a machine is hung up on)."""
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        outcome = voice.whisper(
            session,
            live,
            offer_id=offer_id,
            call_sid=hook.param("CallSid"),
            answered_by=hook.param("AnsweredBy") or None,
            now=hook.services.clock.now(),
        )
        follow_up(hook.services, outcome)
        speaker = twiml.Speaker(hook.services.helplines.peek(hook.param("From")))
        if isinstance(outcome.decision, decisions.Whisper):
            return twiml.render_whisper(
                outcome.decision, speaker, urls(hook).to("/twilio/voice/accept", offer=offer_id)
            )
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@router.post("/accept")
async def accept(hook: SignedHook) -> Response:
    """The listener's key: 1 connects (the caller is brought over by a job), anything else declines."""
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        entered = adapter.parse_digits(hook.params)
        outcome = voice.answer_offer(
            session,
            live,
            offer_id=offer_id,
            call_sid=entered.call_sid,
            digits=entered.digits,
            now=hook.services.clock.now(),
        )
        follow_up(hook.services, outcome)
        speaker = twiml.Speaker(hook.services.helplines.peek(hook.param("From")))
        decision = outcome.decision
        if isinstance(decision, decisions.ConnectListener):
            done = urls(hook).to("/twilio/voice/listener-done", offer=offer_id)
            return twiml.render_connect(decision, speaker, done, caller_id=hook.param("From") or None)
        assert isinstance(decision, decisions.Goodbye)
        return twiml.render_goodbye(decision, speaker)

    return await listener_answer(hook, work)


@router.post("/listener-done")
async def listener_done(hook: SignedHook) -> Response:
    """The listener's side is over (the caller hung up, or was gone before the bridge)."""

    def work(session: Session, live: LiveState) -> str:
        if hook.query.get("gone"):
            offer = call_records.get_offer(session, hook.query.get("offer", ""))
            listener = session.get(Listener, offer.listener_id) if offer else None
            language = listener.prompt_language if listener else "en"
            goodbye = whispers.accept(language, whispers.AcceptResult(False, "cancelled"), "")
            assert isinstance(goodbye, decisions.Goodbye)
            return twiml.render_goodbye(goodbye, twiml.Speaker(None))
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@router.post("/listener-status")
async def listener_status(hook: SignedHook) -> Response:
    """Status callbacks of the listener's leg drive presence: wrap-up after a call, missed offers counted."""

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        outcome = voice.listener_call_status(
            session,
            live,
            offer_id=hook.query.get("offer", ""),
            call_sid=status.call_sid,
            status=status.status,
            now=hook.services.clock.now(),
        )
        follow_up(hook.services, outcome)

    return await acknowledge(hook, work)


# ---- callbacks ----


@router.post("/callback-answer")
async def callback_answer(hook: SignedHook) -> Response:
    """The caller we called back answered: greet them in their language and put them through."""
    callback_id = hook.query.get("callback", "")
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        outcome = voice.callback_answered(
            session,
            callback_id=callback_id,
            offer_id=offer_id,
            call_sid=hook.param("CallSid"),
            answered_by=hook.param("AnsweredBy") or None,
            now=hook.services.clock.now(),
        )
        config = hook.services.helplines.peek(hook.param("From"))
        if isinstance(outcome.decision, decisions.JoinQueue):
            return twiml.render_join_queue(
                outcome.decision, twiml.Speaker(config), None, urls(hook).to("/twilio/voice/queue-exit")
            )
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@router.post("/callback-status")
async def callback_status(hook: SignedHook) -> Response:
    """The callback leg ended: unless the caller was put through, the attempt failed."""
    callback_id = hook.query.get("callback", "")
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        if not status.is_final:
            return
        callback = callbacks.get_callback(session, callback_id)
        if callback is not None and callback.status == CallbackStatus.calling:
            queue = Queue(QUEUE_NAME, connection=hook.services.fast_redis)
            missed = "voicemail" if whispers.is_machine(status.answered_by) else status.status
            queue.enqueue(voice_jobs.callback_not_reached, callback_id, offer_id, missed)
        else:
            outcome = voice.call_ended(session, live, call_sid=status.call_sid, now=hook.services.clock.now())
            follow_up(hook.services, outcome)

    return await acknowledge(hook, work)


# ---- Twilio's Fallback URL ----


@router.post("/fallback")
async def fallback(hook: SignedHook) -> Response:
    """Twilio could not get TwiML from us: answer from memory only, never Redis or the database."""
    if hook.param("Direction").startswith("outbound"):
        return xml(twiml.render_hangup())
    logger.warning("fallback URL used call_sid=%s error=%s", hook.param("CallSid"), hook.param("ErrorCode"))
    return xml(degraded_answer(hook.services, hook.param("To")))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
