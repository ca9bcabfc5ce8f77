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
from datetime import UTC, date, datetime, time
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.main import create_app
from app.services import Services
from routing import engine
from routing.engine.live import LiveState
from routing.voice.decisions import Line
from schemas.policy import PolicySteps
from schemas.tables import (
    Association,
    AssociationLanguage,
    Channel,
    FallbackPolicy,
    HelplineNumber,
    Listener,
    ListenerLanguage,
    Proficiency,
    Shift,
)
from telephony.simulator import Phone, Simulator
from telephony.simulator.asgi_server import serve
from telephony.voice_twiml import sentence
from workers.runner import InlineJobs

HELPLINE = "+14155550100"
BACKUP = "+914000000099"
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
        row = Listener(
            association_id=self.association_id,
            name=name,
            phone_encrypted=self.services.vault.encrypt(number),
            phone_hash=self.services.vault.listener_key(self.association_id, number),
            phone_last4=number[-4:],
            prompt_language=prompt_language,
            registration_verified=True,
            training_valid_until=date(2027, 12, 31),
            created_at=START,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        for code, level in languages.items():
            self.session.add(ListenerLanguage(listener_id=row.id, code=code, proficiency=level))
        self.session.add(
            Shift(
                association_id=self.association_id,
                listener_id=row.id,
                starts_at=SHIFT_START,
                duration_minutes=8 * 60,
            )
        )
        self.session.commit()
        self.listeners[name] = row.id
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


def make_association(session: Session) -> int:
    association = Association(
        name="Doctors for Doctors",
        default_language="hi",
        created_at=START,
        ring_seconds=90,
        backup_numbers=[BACKUP],
        callback_start=time(8, 0),
        callback_end=time(22, 0),
        callback_attempts=2,
    )
    session.add(association)
    session.flush()
    assert association.id is not None
    for position, (code, digit) in enumerate(MENU):
        session.add(
            AssociationLanguage(association_id=association.id, code=code, digit=digit, position=position)
        )
    session.add(HelplineNumber(association_id=association.id, number=HELPLINE, channel=Channel.voice))
    session.commit()
    return association.id


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
        association_id = make_association(session)
        engine.rebuild(session, LiveState(app_services.redis), sim.clock.now())
        session.commit()
        sim.on_idle = InlineJobs(app_services)
        yield VoiceHelpline(app_services, sim, association_id, session)
