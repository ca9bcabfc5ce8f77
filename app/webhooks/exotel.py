"""Exotel's voice webhooks: the applets of an association's flow (docs/exotel.md) ask Samvaad what to do.

Thin, like the Twilio handlers: each turns Exotel's parameters into Samvaad's events
(``telephony.exotel.webhooks``), calls the same routing steps, and renders the decision as Exotel's answer
(``telephony.exotel.answers``), under the same deadline and in one transaction. Whatever fails, the answer
is still valid for its applet: a Passthru diverts (302) to the crisis line and the backup numbers, a
Connect fetch answers JSON, a Gather its prompt, a Greeting its text, a status callback 200. Exotel retries
a callback that got no 200 within 15 s (at most twice): every effect is claimed once, so a retry acts never.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from app.webhooks.exotel_auth import ExotelDep, ExotelHook
from app.webhooks.voice.answers import UnknownHelplineError, helpline
from app.webhooks.voice.deadline import follow_up, within_deadline
from routing import voice
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.safety import Limits
from routing.voice import connect, decisions, menus, records, waiting
from routing.voice.helplines import HelplineConfig
from telephony.exotel import answers
from telephony.exotel import webhooks as adapter

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/exotel/{token}/voice", include_in_schema=False)
METHODS = ["GET", "POST"]


def _config(hook: ExotelHook) -> HelplineConfig:
    """The called ExoPhone's helpline; it must be the token's association's (a token opens one account)."""
    config = helpline(hook.services, adapter.parse_call_started(hook.params).called)
    if config.association_id != hook.association_id:
        raise UnknownHelplineError("number of another association")
    return config


def _caller_hash(hook: ExotelHook, association_id: int) -> str | None:
    caller = adapter.parse_call_started(hook.params).caller
    return hook.services.vault.caller_key(association_id, caller) if caller else None


def _crisis(hook: ExotelHook) -> CrisisNumbers:
    return CrisisNumbers.from_settings(hook.services.settings)


def _live(hook: ExotelHook) -> LiveState:
    return LiveState(hook.services.fast_redis)


async def _passthru(hook: ExotelHook, work: Any) -> Response:
    status = await within_deadline(hook, work, lambda: answers.DIVERT)
    return Response(status_code=status)


@router.api_route("/incoming", methods=METHODS)
async def incoming(hook: ExotelDep) -> Response:
    """The first Passthru: 200 to the language menu; 302 (blocked, over the limit) to the crisis line."""

    def work(session: Session) -> int:
        config = _config(hook)
        settings = hook.services.settings
        answer = voice.answer_incoming(
            session,
            _live(hook),
            config,
            _caller_hash(hook, config.association_id),
            limits=Limits.of(settings, calls_per_hour=config.calls_per_hour),
            crisis=_crisis(hook),
            now=hook.services.clock.now(),
        )
        if isinstance(answer, decisions.Transfer):
            records.claim_effect(
                session, adapter.call_sid(hook.params), "refused", "", hook.services.clock.now()
            )
        return answers.passthru_status(answer)

    return await _passthru(hook, work)


@router.api_route("/menu-prompt", methods=METHODS)
async def menu_prompt(hook: ExotelDep) -> Response:
    """The Gather applet's prompt: the crisis notice and the language menu, one key."""

    def work(session: Session) -> dict[str, Any]:
        config = _config(hook)
        return answers.gather_prompt(menus.language_menu(config, _crisis(hook), 1), config)

    def bare() -> dict[str, Any]:
        return {"gather_prompt": {"text": ""}, "max_input_digits": 1, "input_timeout": 6}

    return JSONResponse(await within_deadline(hook, work, bare))


@router.api_route("/menu", methods=METHODS)
async def menu_choice(hook: ExotelDep) -> Response:
    """The Passthru after the Gather: the caller joins the queue of the language chosen (no key, or a key
    off the menu: the association's default; a Passthru cannot play the menu again). 200 to the listener."""

    def work(session: Session) -> int:
        config = _config(hook)
        crisis = _crisis(hook)
        outcome = voice.take_menu_choice(
            session,
            _live(hook),
            config,
            menus.language_menu(config, crisis, attempt=2),
            call_sid=adapter.call_sid(hook.params),
            caller_hash=_caller_hash(hook, config.association_id),
            digits=adapter.parse_digits(hook.params).digits,
            spoken_choice=None,
            crisis=crisis,
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
        return answers.passthru_status(outcome.decision)

    return await _passthru(hook, work)


@router.api_route("/greeting", methods=METHODS)
async def greeting(hook: ExotelDep) -> Response:
    """A Greeting applet's words at this point of the call, in the caller's language."""

    def work(session: Session) -> str:
        config = _config(hook)
        lines = connect.spoken_now(
            session,
            config,
            _crisis(hook),
            call_sid=adapter.call_sid(hook.params),
            now=hook.services.clock.now(),
        )
        return answers.words(lines, config)

    def apology() -> str:
        return answers.words(waiting.degraded(None, _crisis(hook), ("hi", "en")).lines)

    return Response(await within_deadline(hook, work, apology), media_type=answers.TEXT_MEDIA_TYPE)


@router.api_route("/connect", methods=METHODS)
async def connect_listener(hook: ExotelDep) -> Response:
    """The Connect applet's dynamic URL: the listener routing chose, reserved, with the ExoPhone as caller
    id; nobody (none free): an empty list, and Exotel takes the "not answered" transition."""

    def work(session: Session) -> dict[str, Any]:
        config = _config(hook)
        outcome = connect.ring_listener(
            session,
            _live(hook),
            hook.services.vault,
            config,
            call_sid=adapter.call_sid(hook.params),
            crisis=_crisis(hook),
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
        assert isinstance(outcome.decision, decisions.RingListener)
        return answers.connect_listener(outcome.decision)

    def nobody() -> dict[str, Any]:
        return answers.connect_listener(decisions.RingListener((), hook.param("CallTo") or hook.param("To")))

    return JSONResponse(await within_deadline(hook, work, nobody))


@router.api_route("/unanswered", methods=METHODS)
async def unanswered(hook: ExotelDep) -> Response:
    """The Passthru on the Connect's "not answered" transition: 200, the callback is booked (the place
    kept); 302, the crisis line (a caller in danger, or whose number is withheld)."""

    def work(session: Session) -> int:
        config = _config(hook)
        outcome = connect.not_connected(
            session,
            _live(hook),
            hook.services.vault,
            config,
            call_sid=adapter.call_sid(hook.params),
            caller_number=adapter.parse_call_started(hook.params).caller,
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
        return answers.passthru_status(outcome.decision)

    return await _passthru(hook, work)


@router.api_route("/transfer", methods=METHODS)
async def transfer(hook: ExotelDep) -> Response:
    """The Connect on every 302 branch: the crisis line (for a caller routing sent there), else the
    association's backup numbers one after another, then the crisis line."""

    def work(session: Session) -> dict[str, Any]:
        config = _config(hook)
        sid = adapter.call_sid(hook.params)
        call = records.get_call(session, sid)
        refused = records.has_effect(session, sid, "refused")
        if refused or (call is not None and call.exit_reason == "crisis"):
            language = call.language if call is not None else config.default_language
            return answers.connect_transfer(waiting.crisis_transfer(language, _crisis(hook)), config.number)
        return answers.connect_transfer(waiting.degraded(config, _crisis(hook)), config.number)

    def degraded() -> dict[str, Any]:
        number = hook.param("CallTo") or hook.param("To")
        config = hook.services.helplines.peek(adapter.to_e164(number)) if number else None
        return answers.connect_transfer(
            waiting.degraded(config, _crisis(hook)), config.number if config else None
        )

    return JSONResponse(await within_deadline(hook, work, degraded))


@router.api_route("/status", methods=METHODS)
async def call_status(hook: ExotelDep) -> Response:
    """The StatusCallback at the end of the call: end (or cancel) its contact, once. Always 200: anything
    else makes Exotel send it again."""

    def work(session: Session) -> None:
        status = adapter.parse_call_status(hook.params)
        if adapter.is_final(status):
            outcome = voice.call_ended(
                session, _live(hook), call_sid=status.call_sid, now=hook.services.clock.now()
            )
            follow_up(session, hook.services, outcome)

    await within_deadline(hook, work, lambda: None)
    return Response(status_code=200)


@router.api_route("/callback-status", methods=METHODS)
async def callback_status(hook: ExotelDep, callback: str = "", offer: str = "") -> Response:
    """The StatusCallback of a callback Samvaad placed through Exotel's call API (listener, then caller)."""

    def work(session: Session) -> None:
        status = adapter.parse_call_status(hook.params)
        if adapter.is_final(status):
            outcome = connect.callback_ended(
                session,
                _live(hook),
                callback_id=callback,
                offer_id=offer,
                talked=status.status == "completed" and (status.duration or 0) > 0,
                now=hook.services.clock.now(),
            )
            follow_up(session, hook.services, outcome)

    await within_deadline(hook, work, lambda: None)
    return Response(status_code=200)
