"""Staffing beside the roster and the coverage gaps, from eight weeks of synthetic Tamil calls written into
the real database, and a roster made the way routing's tests make one."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.demo.history import HistoryPlan, write_history
from app.services import Services
from routing.reports import find_coverage_gaps, plan_staffing
from schemas.tables import Association, AssociationLanguage
from tests.routing.conftest import NOW, Helpline

KOLKATA = ZoneInfo("Asia/Kolkata")
SVG = "{http://www.w3.org/2000/svg}"


def tamil_history(helpline: Helpline, per_day: float = 240) -> Association:
    plan = HistoryPlan(helpline.association_id, ["ta"], {}, NOW - timedelta(weeks=8), NOW, per_day=per_day)
    write_history(helpline.session, plan)
    helpline.session.commit()
    association = helpline.session.get(Association, helpline.association_id)
    assert association is not None
    return association


def test_tamil_evenings_are_short_and_the_rostered_day_is_counted(helpline: Helpline) -> None:
    helpline.listener("Anbu")  # on shift 09:00-17:00 today
    helpline.listener("Bala", verified=False)  # rostered, but routing would not offer her a call
    association = tamil_history(helpline)
    hours = {(h.start, h.language): h for h in plan_staffing(helpline.session, association, NOW)}
    noon = hours[(datetime(2026, 11, 25, 12, tzinfo=KOLKATA), "ta")]
    evening = hours[(datetime(2026, 11, 25, 21, tzinfo=KOLKATA), "ta")]
    assert noon.rostered == 1 and evening.rostered == 0
    assert evening.calls_per_hour > noon.calls_per_hour / 2 and evening.needed >= 2
    assert evening.verdict == "short" and evening.expected_service_level == 0
    assert evening.patience_seconds is not None and 60 < evening.patience_seconds < 400
    hindi = hours[(datetime(2026, 11, 25, 21, tzinfo=KOLKATA), "hi")]
    assert (hindi.calls_per_hour, hindi.needed, hindi.verdict) == (0, 0, "enough")
    assert len(hours) == 7 * 24 * 4  # a week of hours for the four languages of the menu


def test_erlang_c_asks_at_least_as_many_as_erlang_a(helpline: Helpline) -> None:
    association = tamil_history(helpline)
    a = plan_staffing(helpline.session, association, NOW, model="erlang-a")
    c = plan_staffing(helpline.session, association, NOW, model="erlang-c")
    assert all(x.needed <= y.needed for x, y in zip(a, c, strict=True))
    assert sum(y.needed for y in c) > sum(x.needed for x in a)


def test_coverage_gaps_follow_the_minimum_and_the_staffing_figure(helpline: Helpline) -> None:
    helpline.listener("Anbu", {"ta": "native", "mr": "fluent"})  # type: ignore[dict-item]
    association = tamil_history(helpline)
    marathi = helpline.session.exec(select(AssociationLanguage).where(AssociationLanguage.code == "mr")).one()
    marathi.min_listeners = 0
    helpline.session.commit()
    gaps = find_coverage_gaps(helpline.session, association, NOW)
    by_language: dict[str, list[Any]] = {}
    for gap in gaps:
        by_language.setdefault(gap.language, []).append(gap)
    assert "mr" not in by_language  # wanted 0 and no calls: never a gap
    assert len(by_language["hi"]) == 14 * 24 and {g.wanted for g in by_language["hi"]} == {1}
    tamil = {g.start: g for g in by_language["ta"]}
    assert tamil[datetime(2026, 11, 25, 21, tzinfo=KOLKATA)].needed >= 2
    rostered_hour = tamil.get(datetime(2026, 11, 25, 12, tzinfo=KOLKATA))
    assert rostered_hour is None or rostered_hour.needed > 1  # Anbu covers the minimum


def test_the_api(
    client: TestClient, services: Services, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    added = client.post(
        f"{base}/languages", json={"code": "ta", "digit": 1, "min_listeners": 2}, headers=admin
    )
    assert added.status_code == 201 and added.json()["min_listeners"] == 2
    with Session(services.engine) as session:
        now = services.clock.now()
        write_history(session, HistoryPlan(association["id"], ["ta"], {}, now - timedelta(weeks=8), now))
        session.commit()
    hours = client.get(f"{base}/staffing", params={"days": 1}, headers=admin).json()
    assert len(hours) == 24 and {h["verdict"] for h in hours} <= {"short", "enough"}
    gaps = client.get(f"{base}/coverage-gaps", headers=admin).json()
    assert len(gaps) == 14 * 24 and all(g["wanted"] >= 2 and g["rostered"] == 0 for g in gaps)
    chart = client.get(f"{base}/staffing/chart.svg", params={"days": 1}, headers=admin)
    cells = [r for r in ET.fromstring(chart.text).iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert chart.headers["content-type"].startswith("image/svg+xml") and len(cells) == 24
    assert client.get(f"{base}/coverage-gaps", params={"days": 60}, headers=admin).status_code == 422
    assert client.get(f"{base}/staffing", params={"model": "erlang-b"}, headers=admin).status_code == 422
