"""A small text helpline driven end to end: Samvaad served over real HTTP, the Twilio simulator's phones
texting its numbers, jobs run in-process against the simulator's REST API, a real database and Redis, and
a clock the test moves (``routing.clock.SteppedClock``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlmodel import Session, SQLModel, select

from app.demo.helpline import HelplineBuilder, ShiftTimes
from app.main import create_app
from app.services import Services
from routing import engine
from routing.clock import SteppedClock
from routing.configuration import Actor
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from routing.phones import PhoneVault
from schemas.tables import (
    Association,
    Channel,
    Proficiency,
)
from telephony.simulator import Simulator
from telephony.simulator.asgi_server import serve
from telephony.simulator.messaging import SimMessage
from telephony.simulator.phones import Phone
from workers.routing_jobs import routing_tick
from workers.runner import ThreadWorker
from workers.scope import install
from workers.text_jobs import sweep_text_offers, text_queue

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 11:30 in Kolkata
SHIFT_START = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)  # 09:00-17:00 in Kolkata
SMS_NUMBER = "+14155550100"
WHATSAPP_NUMBER = "+14155550101"
LANGUAGES = ("ta", "hi", "en")


@dataclass
class TextHelpline:
    sim: Simulator
    services: Services
    clock: SteppedClock
    association_id: int
    http: httpx.Client
    phones: int = 0
    listeners: dict[str, int] = field(default_factory=dict)

    @property
    def crisis_values(self) -> dict[str, str]:
        """The crisis numbers the prompts name, from the app's settings."""
        return CrisisNumbers.from_settings(self.services.settings).placeholders()

    def session(self) -> Session:
        return Session(self.services.engine, expire_on_commit=False)

    def listener(
        self,
        name: str,
        languages: tuple[str, ...] = ("ta",),
        *,
        channel: Channel = Channel.sms,
        prompt_language: str = "en",
        capacity: int | None = None,
    ) -> Phone:
        """A verified, trained listener on shift now, with a handset on the simulated network."""
        self.phones += 1
        number = f"+9198000{self.phones:05d}"
        with self.session() as session:
            listener_id = builder(session, self.services.vault).listener(
                self.association_id,
                name,
                number,
                dict.fromkeys(languages, Proficiency.native),
                [ShiftTimes(SHIFT_START, 8 * 60)],
                prompt_language=prompt_language,
                text_channel=channel,
                max_text_conversations=capacity,
            )
            session.commit()
            self.listeners[name] = listener_id
            live = LiveState(self.services.redis)
            if not engine.ensure_live(session, live, self.clock.now()):
                engine.sync_roster(session, live, self.association_id, self.clock.now())
        return self.sim.phone(number, name)

    def caller(self, name: str = "caller") -> Phone:
        self.phones += 1
        return self.sim.phone(f"+9197000{self.phones:05d}", name)

    def text(self, phone: Phone, body: str, *, whatsapp: bool = False) -> list[str]:
        """The phone writes to the helpline; Samvaad's immediate replies, then the jobs run."""
        to = WHATSAPP_NUMBER if whatsapp else SMS_NUMBER
        replies = phone.send_message(to, body, whatsapp=whatsapp)
        self.run_jobs()
        return [reply.body for reply in replies]

    def run_jobs(self) -> None:
        """Every job due, in this process, then long enough for the simulator to deliver REST messages."""
        queue = text_queue(self.services.redis)
        ThreadWorker([queue], connection=self.services.redis).work(burst=True)
        self.sim.advance(3)

    def offer_waiting(self) -> None:
        """The scheduled jobs as the worker's cron runs them: the routing tick offers waiting contacts to
        free listeners, then the text sweep takes the text offers it made."""
        queue = text_queue(self.services.redis)
        queue.enqueue(routing_tick)
        self.run_jobs()
        queue.enqueue(sweep_text_offers)
        self.run_jobs()

    def rows(self, table: type[SQLModel], **where: Any) -> list[Any]:
        with self.session() as session:
            query = select(table)
            for name, value in where.items():
                query = query.where(getattr(table, name) == value)
            return list(session.exec(query).all())

    def configure(self, **values: Any) -> None:
        with self.session() as session:
            association = session.get(Association, self.association_id)
            assert association is not None
            for name, value in values.items():
                setattr(association, name, value)
            session.add(association)
            session.commit()


def builder(session: Session, vault: PhoneVault) -> HelplineBuilder:
    return HelplineBuilder(session, vault, Actor(label="test set-up", at=NOW))


def bodies(messages: list[SimMessage]) -> list[str]:
    return [m.body for m in messages]


@pytest.fixture
def helpline(services: Services) -> Iterator[TextHelpline]:
    clock = SteppedClock(NOW)
    ours = dataclasses.replace(services, clock=clock)
    settings = services.settings
    with (
        serve(create_app(services=ours)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as http,
        Simulator(
            http,
            public_base_url=settings.public_base_url,
            auth_token=settings.twilio_auth_token or "",
            account_sid=settings.twilio_account_sid,
            start=NOW,
        ) as sim,
    ):
        ours.settings = settings.model_copy(update={"twilio_api_base_url": sim.start_rest_api()})
        install(ours)
        for number in (SMS_NUMBER, WHATSAPP_NUMBER):
            sim.add_number(number, sms_url="/messaging/incoming")
        with Session(ours.engine, expire_on_commit=False) as session:
            association_id = builder(session, ours.vault).association(
                "Doctors for Doctors",
                LANGUAGES,
                [(SMS_NUMBER, Channel.sms), (WHATSAPP_NUMBER, Channel.whatsapp)],
                max_text_conversations=3,
            )
            session.commit()
            yield TextHelpline(sim, ours, clock, association_id, http)
        install(services)
