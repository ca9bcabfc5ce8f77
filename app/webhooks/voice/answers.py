"""What a voice webhook answers: caller-leg decisions rendered as TwiML with the action URLs that bring the
next step back here, and the degraded answer (an apology in the association's languages, its backup numbers,
then the crisis line) for when anything fails.

The voice routes use ``CallerRoute`` / ``ListenerRoute``: a failure outside the deadline guard (the signature
dependency, the degraded renderer itself) still answers TwiML, never FastAPI's JSON 500: the caller gets the
degraded answer in their association's languages where the number is known, a listener's leg hangs up, and
a status callback gets its empty 204. A refused signature stays a 403: a forged request learns nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute
from sqlmodel import Session

from app.services import Services
from app.webhooks.twilio_auth import TwilioHook, signed_twilio_request
from routing.crisis_numbers import CrisisNumbers
from routing.phones import mask
from routing.voice import decisions, waiting
from routing.voice.helplines import HelplineConfig, load_helpline
from schemas.settings import Settings
from telephony import webhooks as adapter
from telephony.twiml import voice as twiml

logger = logging.getLogger(__name__)

NO_CONTENT = 204
_DEFAULT_CRISIS = CrisisNumbers(
    str(Settings.model_fields["crisis_line"].default), str(Settings.model_fields["emergency_number"].default)
)
LAST_RESORT = twiml.render_transfer(
    waiting.degraded(None, _DEFAULT_CRISIS, ("hi", "en")), twiml.Speaker(None), caller_id=None
)
"""Rendered at import: the answer when even the degraded renderer fails (the default crisis numbers)."""


class UnknownHelplineError(LookupError):
    """A call to a number that is no association's: answered with the generic degraded TwiML."""


def xml(body: str) -> Response:
    return Response(body, media_type=twiml.TWIML_MEDIA_TYPE)


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


# ---- the last resort, scoped to the voice routes ----

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]


async def degraded_for_caller(request: Request) -> Response:
    """The caller's degraded answer, in their association's languages when the number is cached."""
    services: Services = request.app.state.services
    try:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        if form.get("Direction", "").startswith("outbound"):
            return xml(twiml.render_hangup())
        return xml(degraded_answer(services, form.get("To", "")))
    except Exception:  # even the degraded renderer failed: the answer rendered at import
        logger.exception("degraded voice answer failed path=%s", request.url.path)
        return xml(LAST_RESORT)


async def hang_up(request: Request) -> Response:
    return xml(twiml.render_hangup())


async def no_content(request: Request) -> Response:
    return Response(status_code=NO_CONTENT)


class _AlwaysTwiML(APIRoute):
    on_failure: Callable[[Request], Coroutine[Any, Any, Response]] = staticmethod(degraded_for_caller)

    def get_route_handler(self) -> Endpoint:
        handler = self._hook_only_handler() or super().get_route_handler()
        on_failure = type(self).on_failure

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException:
                raise  # the signature refused: 403, and nothing changed
            except Exception as exc:
                logger.error(
                    "voice webhook failed outside its deadline path=%s error=%s",
                    request.url.path,
                    type(exc).__name__,
                )
                return await on_failure(request)

        return answer

    def _hook_only_handler(self) -> Endpoint | None:
        """A webhook whose one parameter is the signed hook is called with it directly: FastAPI's parameter
        solving (query, headers and cookies parsed for each dependency, twice) was a quarter of the
        incoming call's time. The check, its 403 and 413, and the endpoint's own Response are unchanged."""
        dependant = self.dependant
        extra = (dependant.path_params, dependant.query_params, dependant.header_params)
        if (
            len(dependant.dependencies) != 1
            or dependant.dependencies[0].call is not signed_twilio_request
            or any(extra)
            or dependant.cookie_params
            or dependant.body_params
            or dependant.request_param_name
        ):
            return None
        name, endpoint = dependant.dependencies[0].name, self.endpoint

        async def handler(request: Request) -> Response:
            response = await endpoint(**{str(name): await signed_twilio_request(request)})
            if not isinstance(response, Response):
                raise TypeError(f"{self.path} must return a Response")
            return response

        return handler


class CallerRoute(_AlwaysTwiML):
    """A route on the caller's leg: on any failure, the degraded answer."""


class ListenerRoute(_AlwaysTwiML):
    """A route on a leg Samvaad placed (listener, callback): on any failure, the leg hangs up."""

    on_failure = staticmethod(hang_up)


class StatusRoute(_AlwaysTwiML):
    """A status callback: on any failure, the empty 204 Twilio expects (it ignores the body)."""

    on_failure = staticmethod(no_content)
