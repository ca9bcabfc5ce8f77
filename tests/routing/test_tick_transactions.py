"""The routing tick runs one transaction per association: one association that cannot be routed (here a
fallback policy stored by an older version, which no longer reads) is logged and retried at the next tick,
and every other association's callers are still offered to their listeners."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from sqlmodel import Session

from app.services import Services
from routing.engine import records
from schemas.tables import ContactStatus, FallbackPolicy, Proficiency
from tests.routing.conftest import NOW, Helpline, make_association
from workers.routing_jobs import routing_tick
from workers.scope import install


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def test_an_association_that_fails_its_tick_does_not_hold_up_the_others(
    helpline: Helpline, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    helpline.listener("Anbu", {"ta": Proficiency.native})
    stuck = helpline.call("ta")
    helpline.session.add(
        FallbackPolicy(
            association_id=helpline.association_id, language="ta", steps=[{"kind": "gone"}], updated_at=NOW
        )
    )
    helpline.session.commit()
    with Session(services.engine, expire_on_commit=False) as session:
        other = Helpline(session, helpline.live, services, make_association(session, "Another", ("ta",)))
        other.listener("Bala", {"ta": Proficiency.native})
        waiting = other.call("ta")

    install(dataclasses.replace(services, clock=FixedClock(NOW)))
    routing_tick()

    with Session(services.engine) as session:
        assert records.get_contact(session, waiting).status == ContactStatus.offered
        assert records.get_contact(session, stuck).status == ContactStatus.waiting
    assert f"routing tick failed association_id={helpline.association_id}" in caplog.text
