"""Defects a new user met (issue 11, part 4), each pinned by a test that failed before its fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from routing.engine.shift_rules import ShiftRule, occurrences


def daily_until(until: str) -> ShiftRule:
    return ShiftRule(
        1, datetime(2026, 12, 28, 9, 0), timedelta(hours=2), "Asia/Kolkata", f"FREQ=DAILY;UNTIL={until}"
    )


def test_until_in_utc_the_rfc_5545_form_for_zoned_starts_ends_at_that_instant() -> None:
    window = (datetime(2026, 12, 27, tzinfo=UTC), datetime(2027, 1, 5, tzinfo=UTC))
    at_nine_ist = occurrences(daily_until("20261230T033000Z"), *window)  # 09:00 in India on the 30th
    a_second_before = occurrences(daily_until("20261230T032959Z"), *window)
    local_form = occurrences(daily_until("20261230T090000"), *window)

    assert [o.start.day for o in at_nine_ist] == [28, 29, 30]
    assert [o.start.day for o in a_second_before] == [28, 29]
    assert [o.start.day for o in local_form] == [28, 29, 30]


def test_a_weekly_shift_with_until_in_utc_is_accepted_by_the_api(
    client: TestClient, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    listener = client.post(
        f"{base}/listeners", json={"name": "Dr. Asha", "phone": "+919845012345", "languages": [{"code": "en"}]},
        headers=admin,
    ).json()  # fmt: skip
    shift = {"listener_id": listener["id"], "starts_at": "2026-11-02T09:00:00", "duration_minutes": 240}

    answer = client.post(
        f"{base}/shifts", json={**shift, "rrule": "FREQ=WEEKLY;UNTIL=20261231T000000Z"}, headers=admin
    )

    assert answer.status_code == 201, answer.text


def test_a_preview_for_an_unknown_language_is_refused_with_422(
    client: TestClient, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}/routing/preview"

    unknown = client.get(base, params={"language": "xx"}, headers=admin)
    known = client.get(base, params={"language": "MR"}, headers=admin)

    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "language"]
    assert "unknown language code 'xx'" in unknown.json()["detail"][0]["msg"]
    assert known.status_code == 200 and known.json()["language"] == "mr"


def test_the_default_language_is_always_on_the_menu_mended_or_refused(
    client: TestClient, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    assert association["default_language"] == "en"  # no menu yet: nothing to choose from

    client.post(f"{base}/languages", json={"code": "ta", "digit": 1}, headers=admin)
    mended = client.get(base, headers=admin).json()["default_language"]
    refused = client.patch(base, json={"default_language": "hi"}, headers=admin)
    client.post(f"{base}/languages", json={"code": "hi", "digit": 2}, headers=admin)
    chosen = client.patch(base, json={"default_language": "hi"}, headers=admin)
    client.patch(f"{base}/languages/hi", json={"enabled": False}, headers=admin)
    after_disabling = client.get(base, headers=admin).json()["default_language"]

    assert mended == "ta"
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "default_language"]
    assert "not on the association's menu (ta)" in refused.json()["detail"][0]["msg"]
    assert chosen.status_code == 200 and chosen.json()["default_language"] == "hi"
    assert after_disabling == "ta"
    audit = client.get(f"{base}/audit", headers=admin).json()["items"]
    assert {"default_language": ["en", "ta"]} in [e["changes"] for e in audit]
