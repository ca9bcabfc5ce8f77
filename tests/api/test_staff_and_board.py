"""Staff accounts through the API (admin keys; numbers never returned; audited) and the board as data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_an_admin_adds_a_coordinator_who_shows_only_the_last_four_digits(
    client: TestClient, admin: dict[str, str], association: dict[str, Any]
) -> None:
    base = f"/api/v1/associations/{association['id']}/staff"
    created = client.post(base, json={"name": "Nisha", "phone": "+91 98765 00100", "role": "coordinator"},
                          headers=admin)  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.json()["phone_last4"] == "0100"
    assert "9876500100" not in created.text
    twice = client.post(base, json={"name": "Again", "phone": "+919876500100"}, headers=admin)
    assert twice.status_code == 409
    bad = client.post(base, json={"name": "X", "phone": "12"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "phone"]
    changed = client.patch(f"{base}/{created.json()['id']}", json={"role": "admin"}, headers=admin)
    assert changed.json()["role"] == "admin"
    audit = client.get(f"/api/v1/associations/{association['id']}/audit", headers=admin).json()
    entries = [e for e in audit["items"] if e["entity"] == "staff"]
    assert {e["action"] for e in entries} == {"create", "update"}
    assert "9876500100" not in str(entries)


def test_the_board_counts_per_language_and_another_key_gets_404(
    client: TestClient, admin: dict[str, str], association: dict[str, Any], platform: dict[str, str]
) -> None:
    client.post(f"/api/v1/associations/{association['id']}/languages", json={"code": "hi", "digit": 1},
                headers=admin)  # fmt: skip
    board = client.get(f"/api/v1/associations/{association['id']}/board", headers=admin)
    assert board.status_code == 200, board.text
    assert board.json()["languages"][0]["code"] == "hi"
    assert board.json()["languages"][0]["calls_waiting"] == 0
    other = client.post("/api/v1/associations", json={"name": "Other"}, headers=platform).json()
    assert client.get(f"/api/v1/associations/{other['id']}/board", headers=admin).status_code == 404
