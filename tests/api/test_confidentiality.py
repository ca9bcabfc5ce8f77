"""A listener's phone number never leaves the API whole: not in any answer, not in the audit log, not in logs,
and not in clear text in the database."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.services import Services
from schemas.tables import AuditEntry, Listener

API = "/api/v1"
NATIONAL = ("9876512345", "9123498765")  # the numbers' last ten digits, however they were written


def test_phone_numbers_never_appear_in_answers_audit_or_logs(
    client: TestClient, services: Services, association: dict, admin: dict, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    base = f"{API}/associations/{association['id']}"
    bodies = []
    created = client.post(
        f"{base}/listeners",
        json={
            "name": "Dr. Rao",
            "phone": "+91 98765 12345",
            "languages": [{"code": "te", "proficiency": "native"}],
        },
        headers=admin,
    )
    bodies.append(created.text)
    listener = created.json()
    bodies.append(
        client.patch(f"{base}/listeners/{listener['id']}", json={"phone": "091234 98765"}, headers=admin).text
    )
    bodies.append(client.post(
        f"{base}/listeners", json={"name": "Dup", "phone": "+919123498765", "languages": [{"code": "te"}]}, headers=admin
    ).text)  # fmt: skip
    bodies.append(client.post(
        f"{base}/listeners", json={"name": "Bad", "phone": "+91 98765 1234x", "languages": [{"code": "te"}]},
        headers=admin,
    ).text)  # fmt: skip
    client.post(
        f"{base}/shifts",
        json={"listener_id": listener["id"], "starts_at": "2030-01-01T09:00", "duration_minutes": 60},
        headers=admin,
    )
    for tail in (
        "",
        "/listeners",
        f"/listeners/{listener['id']}",
        "/shifts",
        "/on-shift",
        "/audit?limit=200",
    ):
        bodies.append(client.get(base + tail, headers=admin).text)
    bodies.append(client.delete(f"{base}/listeners/{listener['id']}", headers=admin).text)
    bodies.append(client.get(f"{base}/audit?limit=200", headers=admin).text)

    for digits in NATIONAL:
        assert not any(digits in body for body in bodies)
        assert digits not in caplog.text
    with Session(services.engine) as session:
        audit = " ".join(str(row.changes) for row in session.exec(select(AuditEntry)))
        assert "…2345" in audit and "…8765" in audit
        assert not any(digits in audit for digits in NATIONAL)


def test_numbers_are_stored_encrypted_beside_a_keyed_hash(
    client: TestClient, services: Services, association: dict, admin: dict
) -> None:
    client.post(
        f"{API}/associations/{association['id']}/listeners",
        json={"name": "Dr. Rao", "phone": "+919876512345", "languages": [{"code": "te"}]},
        headers=admin,
    )
    with Session(services.engine) as session:
        row = session.exec(select(Listener)).one()
    assert NATIONAL[0].encode() not in row.phone_encrypted and NATIONAL[0] not in row.phone_hash
    assert services.vault.decrypt(row.phone_encrypted) == "+919876512345"
    assert row.phone_hash == services.vault.listener_key(association["id"], "+919876512345")
