"""The same association as the Twilio tests, on an ExoPhone: its Exotel account set through routing's
configuration (the API's own function), the number switched to Exotel, and the simulated Exotel running the
flow docs/exotel.md describes against the real service over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from sqlmodel import Session, select

from app.services import Services
from routing import engine
from routing.clock import SteppedClock
from routing.configuration import Actor, providers
from routing.engine.live import LiveState
from schemas.api import ExotelAccountWrite
from schemas.tables import HelplineNumber, Proficiency, Provider
from telephony.exotel.urls import webhook_urls
from telephony.simulator.exotel import ExotelSimulator, Handset
from tests.voice.conftest import SHIFT_START, START, builder, make_association
from workers.runner import InlineJobs

EXOPHONE = "+914023000100"  # the conftest's helpline number is Twilio's; this one is Exotel's
ACCOUNT = ExotelAccountWrite(
    account_sid="doctors-for-doctors", api_key="exo-key-1234", api_token="exo-token-secret"
)


@dataclass
class ExotelHelpline:
    services: Services
    sim: ExotelSimulator
    association_id: int
    session: Session
    urls: dict[str, str]
    listeners: dict[str, int] = field(default_factory=dict)
    _numbers: int = 0

    def listener(self, name: str, languages: dict[str, Proficiency], **phone: object) -> Handset:
        from app.demo.helpline import ShiftTimes

        self._numbers += 1
        number = f"+9198450{self._numbers:05d}"
        self.listeners[name] = builder(self.session, self.services.vault).listener(
            self.association_id, name, number, languages, [ShiftTimes(SHIFT_START, 8 * 60)]
        )
        self.session.commit()
        with Session(self.services.engine) as session:
            engine.sync_roster(session, LiveState(self.services.redis), self.association_id, START)
            session.commit()
        return self.sim.phone(number, name, **phone)  # type: ignore[arg-type]

    def listener_state(self, name: str) -> str:
        found = LiveState(self.services.redis).listener(self.listeners[name])
        assert found is not None
        return found.state


@contextmanager
def exotel_helpline(services: Services, base_url: str) -> Iterator[ExotelHelpline]:
    settings = services.settings
    clock = SteppedClock(START)
    with (
        httpx.Client(base_url=base_url, timeout=30) as http,
        Session(services.engine, expire_on_commit=False) as session,
    ):
        association_id = make_association(session, services.vault)
        actor = Actor(label="test set-up", at=START)
        account = providers.set_exotel_account(session, services.vault, association_id, ACCOUNT, actor, START)
        number = session.exec(
            select(HelplineNumber).where(HelplineNumber.association_id == association_id)
        ).one()
        number.number, number.provider = EXOPHONE, Provider.exotel
        session.add(number)
        session.commit()
        token = providers.credentials(services.vault, account).webhook_token
        urls = webhook_urls(settings.public_base_url, token)
        with ExotelSimulator(
            http,
            public_base_url=settings.public_base_url,
            account_sid=ACCOUNT.account_sid,
            api_key=ACCOUNT.api_key,
            api_token=ACCOUNT.api_token,
            clock=clock,
        ) as sim:
            services.settings = settings.model_copy(update={"exotel_api_base_url": sim.rest_base_url})
            services.clock = clock
            engine.rebuild(session, LiveState(services.redis), START)
            session.commit()
            sim.add_flow(EXOPHONE, urls)
            sim.on_idle = InlineJobs(services)
            yield ExotelHelpline(services, sim, association_id, session, urls)
