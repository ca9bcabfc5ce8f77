"""The reports API: JSON by default, CSV on request, the chart as SVG drawn by Samvaad, 4xx for bad ranges."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.services import Services
from routing import engine
from routing.engine.live import LiveState
from routing.transaction import unit_of_work
from schemas.tables import Channel
from tests.api.conftest import admin_headers, create_association

START = datetime(2026, 11, 20, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def calls(services: Services, association_id: int, waits: list[float]) -> None:
    """Callers who hang up after waiting ``waits`` seconds, one a day from START."""
    live = LiveState(services.redis)
    with unit_of_work(services.engine) as session:
        for day, waited in enumerate(waits):
            at = START + timedelta(days=day, hours=6)
            contact_id = engine.enqueue_contact(
                session, live, association_id=association_id, channel=Channel.voice, language="ta",
                caller_hash=f"h{day}", now=at,
            )  # fmt: skip
            engine.cancel_contact(session, live, contact_id, at + timedelta(seconds=waited))


def url(association: dict[str, Any], tail: str = "") -> str:
    return f"/api/v1/associations/{association['id']}/reports{tail}"


WINDOW = {"from": "2026-11-20T00:00:00", "to": "2026-11-27T00:00:00"}


def test_json_csv_and_chart(
    client: TestClient, services: Services, association: dict[str, Any], admin: dict[str, str]
) -> None:
    calls(services, association["id"], [5, 30, 45])
    body = client.get(url(association), params=WINDOW, headers=admin).json()
    assert [row["calls_abandoned"] for row in body["rows"]] == [1, 1, 1]
    assert body["total"]["calls_short_abandoned"] == 1 and body["period"] == "day"
    assert body["rows"][0]["period_start"].startswith("2026-11-20T00:00:00+05:30")

    response = client.get(url(association), params={**WINDOW, "format": "csv"}, headers=admin)
    assert response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == 3 + 1 + 1  # three days, Tamil over the range, the total
    assert table[-1]["language"] == "" and table[-1]["calls_offered"] == "3"
    accepted = client.get(url(association), params=WINDOW, headers={**admin, "Accept": "text/csv"})
    assert accepted.text == response.text

    chart = client.get(url(association, "/chart.svg"), params=WINDOW, headers=admin)
    assert chart.headers["content-type"].startswith("image/svg+xml")
    svg = ET.fromstring(chart.text)
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 3 and all("abandon" in (b.findtext(f"{SVG}title") or "") for b in bars)


def test_bad_ranges_are_4xx(client: TestClient, association: dict[str, Any], admin: dict[str, str]) -> None:
    backwards = client.get(url(association), params={"from": "2026-11-27", "to": "2026-11-20"}, headers=admin)
    assert backwards.status_code == 422 and "after" in backwards.text
    too_long = client.get(url(association), params={"from": "2020-01-01", "to": "2026-01-01"}, headers=admin)
    assert too_long.status_code == 422 and "400 days" in too_long.text
    assert client.get(url(association), params={"period": "week"}, headers=admin).status_code == 422
    assert client.get(url(association), params={"format": "xml"}, headers=admin).status_code == 422


def test_another_associations_report_is_not_found(
    client: TestClient, platform: dict[str, str], association: dict[str, Any]
) -> None:
    other = create_association(client, platform, "Other Doctors")
    response = client.get(url(association), headers=admin_headers(client, platform, other["id"]))
    assert response.status_code == 404
