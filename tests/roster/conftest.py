"""The roster's automation driven end to end: the text helpline of ``tests/text`` (Samvaad over real HTTP,
the Twilio simulator's phones, a real database and Redis), with every locale's WhatsApp quick-reply
template on the simulated account (``telephony.content``, as `samvaad reminder-templates` defines them), and the worker's jobs run by ``InlineJobs`` on the test's stepped clock: cron at its
interval, RQ's delayed jobs when their moment comes on that clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from app.demo.helpline import ShiftTimes
from app.demo.reminders import add_reminder_templates
from routing import engine
from routing.engine.live import LiveState
from routing.roster.notices import ACTOR
from schemas.tables import AuditEntry, Channel, Proficiency, StaffMember
from telephony.simulator.messaging import SimMessage
from telephony.simulator.phones import Phone
from tests.text.conftest import NOW, TextHelpline, builder, helpline  # noqa: F401  (the fixture)
from workers.roster_jobs import PLAN_SECONDS, plan_roster_work
from workers.runner import InlineJobs
from workers.schedules import Schedule

# A shift tomorrow, 17:30-21:30 in Kolkata: its 24-hour reminder falls due six hours after NOW.
TOMORROW = NOW + timedelta(hours=30)


@dataclass
class Roster:
    line: TextHelpline
    jobs: InlineJobs
    templates: dict[str, str]
    numbers: int = 0

    @property
    def clock(self) -> Any:
        return self.line.clock

    def listener(
        self,
        name: str,
        languages: tuple[str, ...] = ("ta",),
        *,
        starts: datetime | tuple[datetime, ...] | None = TOMORROW,
        minutes: int = 240,
        country: str = "+91",
        channel: Channel = Channel.whatsapp,
        prompt_language: str = "en",
        **fields: Any,
    ) -> tuple[Phone, int]:
        """A listener with one shift (none with ``starts=None``) and a handset; returns it and their id."""
        self.numbers += 1
        number = f"{country}9812{self.numbers:06d}"
        moments = () if starts is None else starts if isinstance(starts, tuple) else (starts,)
        shifts = [ShiftTimes(moment, minutes) for moment in moments]
        with self.line.session() as session:
            listener_id = builder(session, self.line.services.vault).listener(
                self.line.association_id, name, number, dict.fromkeys(languages, Proficiency.fluent), shifts,
                prompt_language=prompt_language, text_channel=channel, **fields,
            )  # fmt: skip
            session.commit()
            live = LiveState(self.line.services.redis)
            if not engine.ensure_live(session, live, self.clock.now()):
                engine.sync_roster(session, live, self.line.association_id, self.clock.now())
        return self.line.sim.phone(number, name), listener_id

    def coordinator(self, name: str, app_language: str = "en", channel: Channel = Channel.whatsapp) -> Phone:
        self.numbers += 1
        number = f"+919700{self.numbers:06d}"
        vault = self.line.services.vault
        with self.line.session() as session:
            session.add(StaffMember(association_id=self.line.association_id, name=name,
                                    phone_encrypted=vault.encrypt(number),
                                    phone_hash=vault.staff_key(self.line.association_id, number),
                                    phone_last4=number[-4:], code_channel=channel, app_language=app_language,
                                    created_at=NOW))  # fmt: skip
            session.commit()
        return self.line.sim.phone(number, name)

    def run_until(self, moment: datetime, step: float = 30) -> None:
        """Move the clock to ``moment`` in steps, running what the worker would run at each."""
        while self.clock.now() < moment:
            self.clock.advance(min(step, (moment - self.clock.now()).total_seconds()))
            self.settle()

    def jump(self, moment: datetime) -> None:
        """Move the clock straight to ``moment`` (nothing was due in between), then run what is due."""
        self.clock.at = moment
        self.settle()

    def settle(self) -> None:
        while self.jobs():
            pass
        self.line.sim.advance(3)  # the simulator delivers REST-sent messages

    def audit(self, action: str) -> list[AuditEntry]:
        return self.line.rows(AuditEntry, action=action, actor=ACTOR)


def roster_messages(phone: Phone) -> list[SimMessage]:
    return [m for m in phone.inbox if m.direction == "outbound-api"]


@pytest.fixture
def roster(helpline: TextHelpline) -> Iterator[Roster]:  # noqa: F811
    services = helpline.services
    templates = add_reminder_templates(helpline.sim)
    services.settings = services.settings.model_copy(update={"reminder_content_sids": templates})
    jobs = InlineJobs(services, periodic=[Schedule(plan_roster_work, PLAN_SECONDS)])
    yield Roster(helpline, jobs, templates)
