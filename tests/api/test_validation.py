"""Invalid input answers 422 with a message per field, in FastAPI's shape; nothing answers 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"


def base(association: dict[str, Any]) -> str:
    return f"{API}/associations/{association['id']}"


def errors_at(answer: Any) -> dict[tuple[Any, ...], str]:
    assert answer.status_code == 422, answer.text
    return {tuple(error["loc"]): error["msg"] for error in answer.json()["detail"]}


@pytest.mark.parametrize(
    ("tail", "body", "loc", "says"),
    [
        ("/languages", {"code": "xx", "digit": 1}, ("body", "code"), "unknown language code"),
        ("/languages", {"code": "hi", "digit": 0}, ("body", "digit"), "greater than or equal to 1"),
        ("/languages", {"code": "hi", "digit": 1, "tts_voice": "Robot"}, ("body", "tts_voice"), "pattern"),
        ("/languages", {"code": "hi", "digit": 1, "prompt_urls": {"welcome": "http://x.org/a.wav"}},
         ("body", "prompt_urls", "welcome"), "URL scheme"),
        ("/numbers", {"number": "12345"}, ("body", "number"), "not a valid phone number"),
        ("/numbers", {"number": "+918047182300", "channel": "fax"}, ("body", "channel"), "Input should be"),
        ("/listeners", {"name": "Dr. A", "phone": "not a phone", "languages": [{"code": "hi"}]},
         ("body", "phone"), "not a valid phone number"),
        ("/listeners", {"name": "Dr. A", "phone": "+919876543210", "languages": [{"code": "zz"}]},
         ("body", "languages", 0, "code"), "unknown language code"),
        ("/listeners", {"name": "Dr. A", "phone": "+919876543210", "languages": [{"code": "hi", "proficiency": "basic"}]},
         ("body", "languages", 0, "proficiency"), "Input should be"),
        ("/listeners", {"name": "Dr. \x00A", "phone": "+919876543210", "languages": [{"code": "hi"}]},
         ("body", "name"), "NUL"),
        ("/listeners", {"name": "Dr. A", "phone": "+919876543210", "languages": [{"code": "hi"}],
                        "training_valid_until": "9999-12-31"}, ("body", "training_valid_until"), "between"),
        ("", {"timezone": "Mars/Olympus_Mons"}, ("body", "timezone"), "unknown IANA time zone"),
        ("", {"name": None}, ("body", "name"), "may not be null"),
        ("", {"ring_seconds": 10**30}, ("body", "ring_seconds"), "less than or equal to 120"),
        ("", {"crisis_policy": "hang_up"}, ("body", "crisis_policy"), "Input should be 'queue_first' or 'crisis_line'"),
        ("", {"crisis_max_wait_seconds": 5}, ("body", "crisis_max_wait_seconds"), "greater than or equal to 10"),
        ("", {"crisis_ring_together": 0}, ("body", "crisis_ring_together"), "greater than or equal to 1"),
        ("", {"crisis_ring_together": None}, ("body", "crisis_ring_together"), "may not be null"),
        ("/policies/hi", {"steps": [{"kind": "callback"}]}, ("body",), "first step must offer"),
        ("/policies/hi", {"steps": [{"kind": "listeners", "languages": ["qq"], "seconds": 30}]},
         ("body", "steps", 0, "languages"), "unknown language code"),
    ],
)  # fmt: skip
def test_invalid_fields_are_named(
    client: TestClient, association: dict, admin: dict, tail: str, body: dict, loc: tuple, says: str
) -> None:
    method = "PATCH" if tail == "" else "PUT" if tail.startswith("/policies") else "POST"
    found = errors_at(client.request(method, base(association) + tail, json=body, headers=admin))
    assert loc in found, found
    assert says in found[loc]


def listener_id(client: TestClient, association: dict, admin: dict) -> int:
    body = {"name": "Dr. A", "phone": "+919876543210", "languages": [{"code": "hi"}]}
    return int(client.post(base(association) + "/listeners", json=body, headers=admin).json()["id"])


@pytest.mark.parametrize(
    ("shift", "loc", "says"),
    [
        ({"rrule": "FREQ=SECONDLY"}, ("body", "rrule"), "DAILY, WEEKLY or MONTHLY"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, ("body", "rrule"), "invalid rrule"),
        ({"rrule": "FREQ=WEEKLY;INTERVAL=999999999"}, ("body", "rrule"), "invalid rrule"),
        ({"rrule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"}, ("body", "rrule"), "BYMONTH not supported"),
        ({"rrule": "FREQ=DAILY;BYSETPOS=5"}, ("body", "rrule"), "BYSETPOS not supported"),
        ({"rrule": "FREQ=DAILY;INTERVAL=7;BYDAY=MO"}, ("body", "rrule"), "cannot be combined"),
        ({"rrule": "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30"}, ("body", "rrule"), "cannot be combined"),
        ({"rrule": "FREQ=WEEKLY;UNTIL=20200101T000000"}, ("body", "rrule"), "never occurs"),
        ({"timezone": "Asia"}, ("body", "timezone"), "unknown IANA time zone"),
        ({"duration_minutes": 2}, ("body", "duration_minutes"), "greater than or equal to 5"),
        ({"starts_at": "0001-01-01T00:00:00"}, ("body", "starts_at"), "between"),
        ({"starts_at": "yesterday"}, ("body", "starts_at"), "valid datetime"),
    ],
)
def test_invalid_shifts_are_named(
    client: TestClient, association: dict, admin: dict, shift: dict, loc: tuple, says: str
) -> None:
    body = {
        "listener_id": listener_id(client, association, admin), "starts_at": "2030-01-07T09:00:00",
        "duration_minutes": 60, **shift,
    }  # fmt: skip
    found = errors_at(client.post(base(association) + "/shifts", json=body, headers=admin))
    assert says in found[loc], found


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/associations/2147483648"),
        ("GET", "/associations/0"),
        ("GET", "/associations/1/listeners/99999999999999999999"),
        ("DELETE", "/associations/1/shifts/-1"),
        ("GET", "/associations/1/languages/not a code"),
        ("GET", "/associations/1/on-shift?at=9999-12-31T23:59:59-23:59"),
        ("GET", "/associations/1/audit?limit=100000"),
        ("GET", "/associations/1/shifts?from=2030-01-01T00:00:00&to=2031-01-01T00:00:00"),
        ("GET", "/associations/1/shifts?from=2030-01-01T00:00:00"),
    ],
)
def test_out_of_range_parameters_answer_422(
    client: TestClient, association: dict, admin: dict, method: str, path: str
) -> None:
    assert association["id"] == 1
    answer = client.request(method, API + path, headers=admin)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"name": ', b"[]", b"null", b'"text"', b'{"name": "\\ud800"}', b"9" * 5000, b"\xff\xfe"],
)
def test_malformed_bodies_answer_4xx_json(client: TestClient, platform: dict, content: bytes) -> None:
    answer = client.post(
        f"{API}/associations", content=content, headers={**platform, "Content-Type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert "detail" in answer.json()


def test_only_platform_keys_create_associations(client: TestClient, admin: dict) -> None:
    answer = client.post(f"{API}/associations", json={"name": "Mine"}, headers=admin)
    assert answer.status_code == 403 and "platform" in answer.json()["detail"]


def test_the_crisis_policy_is_data_per_association(
    client: TestClient, association: dict, admin: dict
) -> None:
    """Issue 11: front of the queue first (the default) or straight to the crisis line, and the wait limit."""
    read = client.get(base(association), headers=admin).json()
    assert (read["crisis_policy"], read["crisis_max_wait_seconds"], read["crisis_ring_together"]) == (
        "queue_first", None, 3,
    )  # fmt: skip
    body = {"crisis_policy": "crisis_line", "crisis_max_wait_seconds": 60, "crisis_ring_together": 2}
    changed = client.patch(base(association), json=body, headers=admin)
    assert changed.status_code == 200, changed.text
    assert {k: changed.json()[k] for k in body} == body
    back = client.patch(base(association), json={"crisis_max_wait_seconds": None}, headers=admin)
    assert back.json()["crisis_max_wait_seconds"] is None
