"""The caller's leg: the menu, the queue and its wait loop, leaving it, the end of the call, the bridge into
a listener's offer, and Twilio's Fallback URL."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from sqlmodel import Session

from app.webhooks.twilio_auth import SignedHook
from app.webhooks.voice.answers import (
    CallerRoute,
    StatusRoute,
    caller_hash,
    caller_number,
    degraded_answer,
    render,
    urls,
    xml,
)
from app.webhooks.voice.deadline import acknowledge, caller_answer, follow_up
from routing import voice
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.language_detection import LANGUAGES
from routing.language_detection.choice import explicit_choice
from routing.safety import Limits
from routing.voice import decisions
from routing.voice.helplines import HelplineConfig
from telephony import webhooks as adapter
from telephony.twiml import voice as twiml

logger = logging.getLogger(__name__)
router = APIRouter(route_class=CallerRoute)
status_router = APIRouter(route_class=StatusRoute)

OFFER_WAIT_SECONDS = 5


@router.post("/incoming")
async def incoming_call(hook: SignedHook) -> Response:
    """A call reached a helpline number: the crisis notice and the language menu (or the shortcut)."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        settings = hook.services.settings
        answer = voice.answer_incoming(
            session,
            live,
            config,
            caller_hash(hook, config.association_id),
            limits=Limits.of(settings, calls_per_hour=config.calls_per_hour),
            crisis=CrisisNumbers.from_settings(settings),
            now=hook.services.clock.now(),
        )
        return render(hook, config, answer)

    return await caller_answer(hook, work)


@router.post("/menu")
async def menu_choice(hook: SignedHook) -> Response:
    """A key (or a spoken language) in a menu."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        menu = voice.menu_for(
            config,
            CrisisNumbers.from_settings(hook.services.settings),
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
            crisis=CrisisNumbers.from_settings(hook.services.settings),
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
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
            crisis=CrisisNumbers.from_settings(hook.services.settings),
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
        follow_up(session, hook.services, outcome)
        return render(hook, config, outcome.decision)

    return await caller_answer(hook, work)


@status_router.post("/call-status")
async def call_status(hook: SignedHook) -> Response:
    """The helpline number's status callback: a caller's leg ended (whatever the order of the others)."""

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        if status.is_final:
            outcome = voice.call_ended(session, live, call_sid=status.call_sid, now=hook.services.clock.now())
            follow_up(session, hook.services, outcome)

    return await acknowledge(hook, work)


@router.post("/bridge")
async def bridge(hook: SignedHook) -> Response:
    """The caller, dequeued by the bridge job, joins the offer's queue where the listener is dialling."""

    def work(session: Session, live: LiveState, config: HelplineConfig) -> str:
        join = voice.bridge_into_offer(
            session, call_sid=hook.param("CallSid"), offer_id=hook.query.get("offer", "")
        )
        speaker = twiml.Speaker(config)
        wait = urls(hook).to("/twilio/voice/offer-wait")
        return twiml.render_join_queue(join, speaker, wait, urls(hook).to("/twilio/voice/queue-exit"))

    return await caller_answer(hook, work)


@router.post("/offer-wait")
async def offer_wait(hook: SignedHook) -> Response:
    """The waitUrl of an offer's private queue: a moment of the helpline's own hold (silence by default),
    never the provider's default music, while the listener's leg bridges."""
    hold = decisions.HoldAnnouncement((), OFFER_WAIT_SECONDS, options=False)
    music = hook.services.settings.hold_music_url
    return xml(twiml.render_hold(hold, twiml.Speaker(None), "", music))


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
