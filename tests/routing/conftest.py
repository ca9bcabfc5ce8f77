"""A small helpline for routing tests: an association, listeners with languages and shifts, the live state."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.services import Services
from routing import engine
from routing.engine.live import LiveState
from schemas.policy import PolicySteps
from schemas.tables import (
    Association,
    AssociationLanguage,
    Channel,
    FallbackPolicy,
    Listener,
    ListenerLanguage,
    Proficiency,
    RoutingSettings,
    Shift,
)

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 11:30 in Kolkata, a Wednesday
SHIFT_START = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)  # 09:00-17:00 in Kolkata
TRAINED = date(2027, 12, 31)


@dataclass
class Helpline:
    """Builds a roster in the real database and drives routing's services against the real Redis."""

    session: Session
    live: LiveState
    services: Services
    association_id: int
    now: datetime = NOW
    _phones: int = 0

    def listener(
        self,
        name: str,
        languages: dict[str, Proficiency] | None = None,
        *,
        on_shift: bool = True,
        verified: bool = True,
        trained_until: date | None = TRAINED,
        institution: str = "",
        city: str = "",
        declined: tuple[str, ...] = (),
        capacity: int | None = None,
    ) -> int:
        self._phones += 1
        number = f"+9198765{self._phones:05d}"
        row = Listener(
            association_id=self.association_id,
            name=name,
            phone_encrypted=self.services.vault.encrypt(number),
            phone_hash=self.services.vault.listener_key(self.association_id, number),
            phone_last4=number[-4:],
            registration_verified=verified,
            training_valid_until=trained_until,
            institution=institution,
            city=city,
            declined_institutions=list(declined),
            max_text_conversations=capacity,
            created_at=NOW,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        for code, level in (languages or {"ta": Proficiency.native}).items():
            self.session.add(ListenerLanguage(listener_id=row.id, code=code, proficiency=level))
        if on_shift:
            self.session.add(
                Shift(
                    association_id=self.association_id,
                    listener_id=row.id,
                    starts_at=SHIFT_START,
                    duration_minutes=8 * 60,
                )
            )
        self.session.commit()
        return row.id

    def policy(self, language: str, steps: list[dict[str, Any]]) -> None:
        PolicySteps.model_validate({"steps": steps})
        self.session.add(
            FallbackPolicy(association_id=self.association_id, language=language, steps=steps, updated_at=NOW)
        )
        self.session.commit()

    def settings(self, **values: Any) -> None:
        self.session.add(RoutingSettings(association_id=self.association_id, **values))
        self.session.commit()

    def at(self, seconds: float) -> datetime:
        """Move the clock forward and return the new time."""
        self.now = self.now + timedelta(seconds=seconds)
        return self.now

    def sync(self) -> dict[int, str]:
        return self.step(engine.sync_roster(self.session, self.live, self.association_id, self.now))

    def step(self, result: Any) -> Any:
        """End a step the way a webhook or a job does: commit its one transaction, and pass its result on."""
        self.session.commit()
        return result

    def call(self, language: str = "ta", **kwargs: Any) -> str:
        kwargs.setdefault("channel", Channel.voice)
        self._phones += 1
        return self.step(
            engine.enqueue_contact(
                self.session,
                self.live,
                association_id=self.association_id,
                language=language,
                caller_hash=f"hash-{self._phones}",
                now=self.now,
                **kwargs,
            )
        )

    def dispatch(self) -> list[engine.Offer]:
        return self.step(engine.dispatch(self.session, self.live, self.association_id, self.now))

    def state(self, listener_id: int) -> str:
        found = self.live.listener(listener_id)
        assert found is not None
        return found.state


def make_association(
    session: Session, name: str = "Doctors for Doctors", languages: tuple[str, ...] = ()
) -> int:
    association = Association(name=name, created_at=NOW, ring_seconds=20, max_text_conversations=3)
    session.add(association)
    session.flush()
    assert association.id is not None
    for i, code in enumerate(languages):
        session.add(AssociationLanguage(association_id=association.id, code=code, digit=i + 1, position=i))
    session.commit()
    return association.id


@pytest.fixture
def live(services: Services) -> LiveState:
    return LiveState(services.redis)


@pytest.fixture
def helpline(services: Services, live: LiveState) -> Iterator[Helpline]:
    with Session(services.engine, expire_on_commit=False) as session:
        association_id = make_association(session, languages=("ta", "en", "hi", "mr"))
        engine.rebuild(session, live, NOW)
        yield Helpline(session, live, services, association_id)
