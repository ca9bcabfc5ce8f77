"""A new coordinator configures an association from nothing to a week of shifts with HTTP calls alone, then
asks who is on shift at given times."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import bearer

API = "/api/v1"


def test_from_nothing_to_a_week_of_shifts(client: TestClient, platform: dict[str, str]) -> None:
    created = client.post(
        f"{API}/associations", json={"name": "Tamil Nadu Doctors' Wellbeing"}, headers=platform
    )
    base = f"{API}/associations/{created.json()['id']}"
    key = client.post(f"{base}/api-keys", json={"name": "Dr. Lakshmi", "role": "admin"}, headers=platform)
    admin = bearer(key.json()["key"])

    assert (
        client.post(f"{base}/numbers", json={"number": "+91 44 4000 1234"}, headers=admin).status_code == 201
    )
    whatsapp = {"number": "+91 98400 00001", "channel": "whatsapp", "label": "WhatsApp line"}
    assert client.post(f"{base}/numbers", json=whatsapp, headers=admin).status_code == 201

    catalog = {row["code"] for row in client.get(f"{API}/languages").json()}
    for digit, code in enumerate(["ta", "en"], start=1):
        assert code in catalog
        made = client.post(f"{base}/languages", json={"code": code, "digit": digit}, headers=admin)
        assert made.status_code == 201, made.text

    people = {
        "Dr. Kavitha Raghunathan": ("+91 98401 11111", [{"code": "ta", "proficiency": "native"}]),
        "Dr. Meera Iyer": ("+91 98401 22222", [{"code": "en", "proficiency": "native"}, {"code": "ta"}]),
    }
    ids = {}
    for name, (phone, languages) in people.items():
        made = client.post(
            f"{base}/listeners", json={"name": name, "phone": phone, "languages": languages}, headers=admin
        )
        assert made.status_code == 201, made.text
        ids[name] = made.json()["id"]

    weekdays = {
        "listener_id": ids["Dr. Kavitha Raghunathan"],
        "starts_at": "2030-01-07T08:00:00",  # a Monday, Asia/Kolkata
        "duration_minutes": 8 * 60,
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    }
    evenings = {
        "listener_id": ids["Dr. Meera Iyer"],
        "starts_at": "2030-01-07T16:00:00",
        "duration_minutes": 6 * 60,
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
    }
    for shift in (weekdays, evenings):
        assert client.post(f"{base}/shifts", json=shift, headers=admin).status_code == 201

    def on_shift(at: str) -> dict[str, list[str]]:
        answer = client.get(f"{base}/on-shift", params={"at": at}, headers=admin)
        assert answer.status_code == 200, answer.text
        return {row["code"]: [p["name"] for p in row["listeners"]] for row in answer.json()["languages"]}

    assert on_shift("2030-01-09T10:00:00+05:30") == {"ta": ["Dr. Kavitha Raghunathan"], "en": []}
    assert on_shift("2030-01-09T17:00:00+05:30") == {"ta": ["Dr. Meera Iyer"], "en": ["Dr. Meera Iyer"]}
    assert on_shift("2030-01-09T04:30:00Z") == {"ta": ["Dr. Kavitha Raghunathan"], "en": []}  # 10:00 IST
    assert on_shift("2030-01-12T10:00:00") == {"ta": [], "en": []}  # Saturday morning, local time
    assert on_shift("2030-01-13T21:59:00") == {"ta": ["Dr. Meera Iyer"], "en": ["Dr. Meera Iyer"]}
    assert on_shift("2030-01-13T22:00:00") == {"ta": [], "en": []}

    week = client.get(
        f"{base}/shifts", params={"from": "2030-01-07T00:00:00", "to": "2030-01-14T00:00:00"}, headers=admin
    ).json()
    assert sorted(len(shift["occurrences"]) for shift in week) == [5, 7]
