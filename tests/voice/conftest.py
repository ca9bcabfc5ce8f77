"""A helpline on the real Samvaad service, driven end to end through real HTTP by the Twilio simulator.

The app runs under uvicorn on a free port with the test run's real database and Redis; the app's clock is the
simulator's virtual clock, so policy steps and offer deadlines follow simulated time. RQ jobs run in this
thread whenever the simulator is idle (`InlineJobs` as its ``on_idle``): queued jobs before simulated time
moves on, retries and the cron schedules on the simulated clock. Nothing depends on the speed of the machine.
Samvaad's REST client points at the simulator's fake REST API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.demo.helpline import HelplineBuilder, ShiftTimes
from app.main import create_app
from app.services import Services
from routing import engine
from routing.configuration import Actor
from routing.engine.live import LiveState
from routing.phones import PhoneVault
from routing.voice.decisions import Line
from schemas.policy import PolicySteps
from schemas.tables import Channel, FallbackPolicy, Proficiency
from telephony.simulator import Phone, Simulator
from telephony.simulator.asgi_server import serve
from telephony.twiml.voice import sentence
from workers.runner import InlineJobs

HELPLINE = "+14155550100"
BACKUP = "+914023000099"
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 11:30 in India, a Wednesday
SHIFT_START = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)  # 09:00 - 17:00 in India
MENU = (("hi", 1), ("en", 2), ("ta", 3), ("bn", 4), ("or", 5))


@dataclass
class VoiceHelpline:
    """The association, its listeners and the simulator, with helpers that read like the scenario."""

    services: Services
    sim: Simulator
    association_id: int
    session: Session
    listeners: dict[str, int] = field(default_factory=dict)
    phones: dict[str, Phone] = field(default_factory=dict)
    _numbers: int = 0

    def listener(
        self,
        name: str,
        languages: dict[str, Proficiency],
        *,
        prompt_language: str = "en",
        answer_after: float | None = 2.0,
        voicemail_after: float | None = None,
    ) -> Phone:
        """A listener on shift now, with a simulated phone."""
        self._numbers += 1
        number = f"+9198450{self._numbers:05d}"
        listener_id = builder(self.session, self.services.vault).listener(
            self.association_id, name, number, languages, [ShiftTimes(SHIFT_START, 8 * 60)],
            prompt_language=prompt_language,
        )  # fmt: skip
        self.session.commit()
        self.listeners[name] = listener_id
        phone = self.sim.phone(number, name, answer_after=answer_after, voicemail_after=voicemail_after)
        self.phones[name] = phone
        self.sync()
        return phone

    def caller(self, name: str, number: str) -> Phone:
        phone = self.sim.phone(number, name)
        self.phones[name] = phone
        return phone

    def sync(self) -> None:
        with Session(self.services.engine) as session:
            engine.sync_roster(
                session, LiveState(self.services.redis), self.association_id, self.services.clock.now()
            )
            session.commit()

    def dispatch(self) -> None:
        """Offer waiting callers to free listeners now and have the offers rung (the tick does it too)."""
        from rq import Queue

        from workers.scope import QUEUE_NAME
        from workers.voice_jobs import enqueue_offer_calls

        with Session(self.services.engine) as session:
            offers = engine.dispatch(
                session, LiveState(self.services.redis), self.association_id, self.services.clock.now()
            )
            session.commit()
        enqueue_offer_calls(Queue(QUEUE_NAME, connection=self.services.redis), offers)

    def policy(self, language: str, steps: list[dict[str, Any]]) -> None:
        PolicySteps.model_validate({"steps": steps})
        self.session.add(
            FallbackPolicy(
                association_id=self.association_id, language=language, steps=steps, updated_at=START
            )
        )
        self.session.commit()

    def listener_state(self, name: str) -> str:
        found = LiveState(self.services.redis).listener(self.listeners[name])
        assert found is not None
        return found.state


def words(message: str, language: str, names: dict[str, str] | None = None, **values: object) -> str:
    """What Samvaad says for a catalog message, as the caller hears it."""
    line = Line(
        "", message, language, tuple((k, str(v)) for k, v in values.items()), tuple((names or {}).items())
    )
    return sentence(line, language)


def builder(session: Session, vault: PhoneVault) -> HelplineBuilder:
    return HelplineBuilder(session, vault, Actor(label="test set-up", at=START))


def make_association(session: Session, vault: PhoneVault) -> int:
    association_id = builder(session, vault).association(
        "Doctors for Doctors",
        [code for code, _digit in MENU],
        [(HELPLINE, Channel.voice)],
        default_language="hi",
        ring_seconds=90,
        backup_numbers=[BACKUP],
        callback_start=time(8, 0),
        callback_end=time(22, 0),
        callback_attempts=2,
    )
    session.commit()
    return association_id


@pytest.fixture
def app_services(services: Services) -> Iterator[Services]:
    """The test run's services with a generous deadline (slow CI must not turn answers into degraded ones);
    restored afterwards."""
    saved = (services.settings, services.clock)
    services.settings = services.settings.model_copy(update={"voice_deadline_ms": 5000})
    services.helplines.clear()
    yield services
    services.settings, services.clock = saved
    services.helplines.clear()


@pytest.fixture
def live_app(app_services: Services) -> Iterator[tuple[str, Any]]:
    app = create_app(services=app_services)
    with serve(app) as base_url:
        yield base_url, app


@pytest.fixture
def voice(app_services: Services, live_app: tuple[str, Any]) -> Iterator[VoiceHelpline]:
    base_url, _ = live_app
    settings = app_services.settings
    with (
        httpx.Client(base_url=base_url, timeout=30) as http,
        Simulator(
            http,
            public_base_url=settings.public_base_url,
            auth_token=settings.twilio_auth_token or "",
            account_sid=settings.twilio_account_sid,
            start=START,
            timeout=120,  # real seconds per run_until: a safety net only, the simulation is deterministic
        ) as sim,
        Session(app_services.engine, expire_on_commit=False) as session,
    ):
        app_services.settings = settings.model_copy(update={"twilio_api_base_url": sim.rest_base_url})
        app_services.clock = sim.clock
        sim.add_number(
            HELPLINE,
            voice_url="/twilio/voice/incoming",
            voice_fallback_url="/twilio/voice/fallback",
            status_callback="/twilio/voice/call-status",
        )
        association_id = make_association(session, app_services.vault)
        engine.rebuild(session, LiveState(app_services.redis), sim.clock.now())
        session.commit()
        sim.on_idle = InlineJobs(app_services)
        yield VoiceHelpline(app_services, sim, association_id, session)
