"""Create, read, update and delete every resource through HTTP, as a coordinator would."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import admin_headers, create_association

API = "/api/v1"


def url(association: dict[str, Any], tail: str = "") -> str:
    return f"{API}/associations/{association['id']}{tail}"


def test_catalog_lists_the_scheduled_languages_with_native_names(client: TestClient) -> None:
    response = client.get(f"{API}/languages")
    assert response.status_code == 200
    names = {row["code"]: row for row in response.json()}
    assert len(names) == 23
    assert names["hi"]["native_name"] == "हिन्दी"
    assert names["ta"]["native_name"] == "தமிழ்"
    assert names["ur"]["right_to_left"] is True
    assert names["en"]["english_name"] == "English"


def test_association_read_update_delete(
    client: TestClient, platform: dict, association: dict, admin: dict
) -> None:
    assert client.get(url(association), headers=admin).json()["name"] == "Kerala Doctors"
    patched = client.patch(
        url(association), json={"ring_seconds": 25, "timezone": "Asia/Kolkata"}, headers=admin
    )
    assert patched.status_code == 200 and patched.json()["ring_seconds"] == 25
    assert [a["id"] for a in client.get(f"{API}/associations", headers=admin).json()] == [association["id"]]
    assert client.delete(url(association), headers=admin).status_code == 403
    assert client.delete(url(association), headers=platform).status_code == 204
    assert client.get(url(association), headers=platform).status_code == 404


def test_helpline_numbers(client: TestClient, association: dict, admin: dict) -> None:
    created = client.post(url(association, "/numbers"), json={"number": "080 4718 2300"}, headers=admin)
    assert created.status_code == 201, created.text
    number = created.json()
    assert number["number"] == "+918047182300" and number["channel"] == "voice"
    again = client.post(url(association, "/numbers"), json={"number": "+918047182300"}, headers=admin)
    assert again.status_code == 409
    item = url(association, f"/numbers/{number['id']}")
    assert client.patch(item, json={"channel": "whatsapp"}, headers=admin).json()["channel"] == "whatsapp"
    assert client.get(url(association, "/numbers"), headers=admin).json()[0]["channel"] == "whatsapp"
    assert client.delete(item, headers=admin).status_code == 204
    assert client.get(item, headers=admin).status_code == 404


def test_one_number_can_take_calls_and_texts_but_each_channel_once(
    client: TestClient, platform: dict, association: dict, admin: dict
) -> None:
    numbers = url(association, "/numbers")
    for channel in ("voice", "sms", "whatsapp"):
        made = client.post(numbers, json={"number": "+918047182300", "channel": channel}, headers=admin)
        assert made.status_code == 201, made.text
    again = client.post(numbers, json={"number": "080 4718 2300", "channel": "sms"}, headers=admin)
    assert again.status_code == 409 and "sms" in again.json()["detail"]
    other = create_association(client, platform, "Other Doctors")
    elsewhere = client.post(
        url(other, "/numbers"),
        json={"number": "+918047182300", "channel": "voice"},
        headers=admin_headers(client, platform, other["id"]),
    )
    assert elsewhere.status_code == 409
    sms = next(n for n in client.get(numbers, headers=admin).json() if n["channel"] == "sms")
    moved = client.patch(url(association, f"/numbers/{sms['id']}"), json={"channel": "voice"}, headers=admin)
    assert moved.status_code == 409 and "voice" in moved.json()["detail"]
    assert sorted(n["channel"] for n in client.get(numbers, headers=admin).json()) == [
        "sms",
        "voice",
        "whatsapp",
    ]


def test_languages_carry_babel_names_and_unique_digits(
    client: TestClient, association: dict, admin: dict
) -> None:
    hindi = client.post(
        url(association, "/languages"),
        json={"code": "hi", "digit": 1, "tts_voice": "Polly.Aditi"},
        headers=admin,
    )
    assert hindi.status_code == 201, hindi.text
    assert hindi.json()["native_name"] == "हिन्दी" and hindi.json()["position"] == 0
    tamil = client.post(url(association, "/languages"), json={"code": "ta", "digit": 2}, headers=admin).json()
    assert tamil["position"] == 1
    clash = client.post(url(association, "/languages"), json={"code": "bn", "digit": 1}, headers=admin)
    assert clash.status_code == 409 and "digit 1" in clash.json()["detail"]
    moved = client.patch(url(association, "/languages/ta"), json={"digit": 1}, headers=admin)
    assert moved.status_code == 409
    patched = client.patch(
        url(association, "/languages/ta"),
        json={"enabled": False, "prompt_urls": {"welcome": "https://cdn.example.org/ta/welcome.wav"}},
        headers=admin,
    )
    assert patched.json()["prompt_urls"] == {"welcome": "https://cdn.example.org/ta/welcome.wav"}
    codes = [row["code"] for row in client.get(url(association, "/languages"), headers=admin).json()]
    assert codes == ["hi", "ta"]
    assert client.delete(url(association, "/languages/hi"), headers=admin).status_code == 204
    assert client.get(url(association, "/languages/hi"), headers=admin).status_code == 404


LISTENER = {
    "name": "Dr. Ananya Sharma",
    "phone": "+91 98765 43210",
    "languages": [{"code": "hi", "proficiency": "native"}, {"code": "en", "proficiency": "fluent"}],
    "registration_verified": True,
    "training_valid_until": "2030-03-31",
}


def test_listeners_show_only_the_last_four_digits(client: TestClient, association: dict, admin: dict) -> None:
    created = client.post(url(association, "/listeners"), json=LISTENER, headers=admin)
    assert created.status_code == 201, created.text
    listener = created.json()
    assert listener["phone_last4"] == "3210" and "phone" not in listener
    assert [(lang["code"], lang["native_name"]) for lang in listener["languages"]] == [
        ("hi", "हिन्दी"),
        ("en", "English"),
    ]
    duplicate = client.post(url(association, "/listeners"), json={**LISTENER, "name": "Other"}, headers=admin)
    assert duplicate.status_code == 409
    item = url(association, f"/listeners/{listener['id']}")
    patched = client.patch(
        item, json={"phone": "09876543219", "languages": [{"code": "ta", "proficiency": "conversational"}]},
        headers=admin,
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    assert patched.json()["phone_last4"] == "3219"
    assert patched.json()["languages"][0]["proficiency"] == "conversational"
    assert client.patch(item, json={"active": False}, headers=admin).json()["active"] is False
    assert client.delete(item, headers=admin).status_code == 204
    assert client.get(url(association, "/listeners"), headers=admin).json() == []


def test_shifts_and_their_occurrences(client: TestClient, association: dict, admin: dict) -> None:
    listener = client.post(url(association, "/listeners"), json=LISTENER, headers=admin).json()
    weekly = {
        "listener_id": listener["id"],
        "starts_at": "2030-01-07T09:00:00",
        "duration_minutes": 240,
        "rrule": "FREQ=WEEKLY;BYDAY=MO,WE",
    }
    created = client.post(url(association, "/shifts"), json=weekly, headers=admin)
    assert created.status_code == 201, created.text
    shift = created.json()
    assert shift["timezone"] == "Asia/Kolkata" and shift["starts_at"] == "2030-01-07T09:00:00+05:30"
    window = client.get(
        url(association, "/shifts"), params={"from": "2030-01-07T00:00:00+05:30", "to": "2030-01-14T00:00:00+05:30"},
        headers=admin,
    )  # fmt: skip
    starts = [o["start"] for o in window.json()[0]["occurrences"]]
    assert starts == ["2030-01-07T09:00:00+05:30", "2030-01-09T09:00:00+05:30"]
    item = url(association, f"/shifts/{shift['id']}")
    assert client.patch(item, json={"duration_minutes": 480}, headers=admin).json()["duration_minutes"] == 480
    assert client.patch(item, json={"rrule": None}, headers=admin).json()["rrule"] is None
    assert client.delete(item, headers=admin).status_code == 204
    assert client.get(item, headers=admin).status_code == 404


def test_fallback_policy_defaults_then_is_set_and_removed(
    client: TestClient, association: dict, admin: dict
) -> None:
    item = url(association, "/policies/ta")
    default = client.get(item, headers=admin).json()
    assert default["is_default"] is True and default["steps"][-1] == {"kind": "crisis_line"}
    steps = [
        {"kind": "listeners", "languages": ["ta"], "min_proficiency": "fluent", "seconds": 90},
        {"kind": "listeners", "languages": ["ta", "en"], "min_proficiency": "conversational", "seconds": 120},
        {"kind": "callback"},
    ]
    put = client.put(item, json={"steps": steps}, headers=admin)
    assert put.status_code == 200, put.text
    read = client.get(item, headers=admin).json()
    assert read["is_default"] is False and read["steps"][1]["languages"] == ["ta", "en"]
    assert [p["language"] for p in client.get(url(association, "/policies"), headers=admin).json()] == ["ta"]
    assert client.delete(item, headers=admin).status_code == 204
    assert client.get(item, headers=admin).json()["is_default"] is True


def test_api_keys_are_made_listed_and_revoked(client: TestClient, association: dict, admin: dict) -> None:
    made = client.post(
        url(association, "/api-keys"), json={"name": "Meera", "role": "coordinator"}, headers=admin
    )
    assert made.status_code == 201
    coordinator = {"Authorization": f"Bearer {made.json()['key']}"}
    assert client.get(url(association, "/listeners"), headers=coordinator).status_code == 200
    assert client.get(url(association, "/api-keys"), headers=coordinator).status_code == 403
    listed = client.get(url(association, "/api-keys"), headers=admin).json()
    assert all("key" not in row and "key_hash" not in row for row in listed)
    revoked = client.delete(url(association, f"/api-keys/{made.json()['id']}"), headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    refused = client.get(url(association, "/listeners"), headers=coordinator)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"


def test_requests_without_a_valid_key_are_refused(client: TestClient, association: dict) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer sk_000000000000_" + "x" * 43},
        {"Authorization": "Basic abc"},
    ):
        response = client.get(url(association), headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_audit_log_records_who_did_what(client: TestClient, association: dict, admin: dict) -> None:
    client.post(url(association, "/listeners"), json=LISTENER, headers=admin)
    page = client.get(url(association, "/audit"), params={"limit": 2}, headers=admin).json()
    latest = page["items"][0]
    assert (latest["action"], latest["entity"]) == ("create", "listener")
    assert latest["actor"].startswith("coordinator desk (key ")
    assert latest["changes"]["phone"] == "…3210"
    assert page["total"] >= 3 and len(page["items"]) == 2
    read_back = client.get(url(association), headers=admin).json()
    for moment in (latest["at"], read_back["created_at"]):
        assert datetime.fromisoformat(moment).tzinfo is not None


def test_language_codes_are_kept_in_one_canonical_form(
    client: TestClient, association: dict, admin: dict
) -> None:
    made = client.post(url(association, "/languages"), json={"code": "HI-in", "digit": 1}, headers=admin)
    assert made.status_code == 201 and made.json()["code"] == "hi-IN"
    assert (
        client.post(
            url(association, "/languages"), json={"code": "hi-IN", "digit": 2}, headers=admin
        ).status_code
        == 409
    )
    assert client.get(url(association, "/languages/hi-in"), headers=admin).json()["code"] == "hi-IN"
    listener = client.post(
        url(association, "/listeners"),
        json={**LISTENER, "languages": [{"code": "HI-IN"}, {"code": "hi-in", "proficiency": "native"}]},
        headers=admin,
    )
    assert listener.status_code == 422 and listener.json()["detail"][0]["loc"] == [
        "body",
        "languages",
        1,
        "code",
    ]
    policy = client.put(
        url(association, "/policies/HI-IN"),
        json={"steps": [{"kind": "listeners", "languages": ["HI-IN", "EN"], "seconds": 30}]},
        headers=admin,
    ).json()
    assert policy["language"] == "hi-IN" and policy["steps"][0]["languages"] == ["hi-IN", "en"]
    unknown = client.get(url(association, "/policies/xx"), headers=admin)
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["path", "language"]
