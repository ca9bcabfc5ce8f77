"""Blocks and flags through the API: from a contact's record (never a typed number), audited, scoped to the
association, and a contact's record shows neither number nor hash."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services import Services
from schemas.tables import Contact, Listener
from tests.api.conftest import admin_headers, create_association

AT = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def add_contact(services: Services, association_id: int, caller_hash: str = "f" * 64) -> str:
    with Session(services.engine) as session:
        contact = Contact(
            id=str(uuid.uuid4()),
            association_id=association_id,
            language="hi",
            caller_hash=caller_hash,
            arrival_us=int(AT.timestamp() * 1_000_000),
            created_at=AT,
        )
        session.add(contact)
        session.commit()
        return contact.id


def add_listener(services: Services, association_id: int) -> int:
    with Session(services.engine) as session:
        row = Listener(
            association_id=association_id,
            name="Asha",
            phone_encrypted=services.vault.encrypt("+919845000001"),
            phone_hash=services.vault.listener_key(association_id, "+919845000001"),
            phone_last4="0001",
            created_at=AT,
        )
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def test_a_coordinator_blocks_from_the_contact_and_the_audit_log_says_who_and_why(
    client: TestClient, services: Services, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    contact_id = add_contact(services, association["id"])

    record = client.get(f"{base}/contacts/{contact_id}", headers=admin)
    blocked = client.post(
        f"{base}/contacts/{contact_id}/block", json={"reason": "abusive", "days": 7}, headers=admin
    )
    again = client.post(f"{base}/contacts/{contact_id}/block", json={"reason": "again"}, headers=admin)

    assert record.status_code == 200 and record.json()["blocked"] is False
    assert "caller_hash" not in record.json() and "f" * 64 not in record.text
    assert blocked.status_code == 201, blocked.text
    assert blocked.json()["reason"] == "abusive" and blocked.json()["lifted_at"] is None
    assert again.status_code == 409
    assert client.get(f"{base}/contacts/{contact_id}", headers=admin).json()["blocked"] is True
    [block] = client.get(f"{base}/blocks", headers=admin).json()
    assert client.delete(f"{base}/blocks/{block['id']}", headers=admin).status_code == 204
    assert client.get(f"{base}/blocks", headers=admin).json() == []
    audit = client.get(f"{base}/audit", headers=admin).json()["items"]
    assert [(e["action"], e["entity"]) for e in audit][:4] == [
        ("update", "block"),
        ("view", "contact"),
        ("create", "block"),
        ("view", "contact"),
    ]
    assert "f" * 64 not in str(audit)


def test_a_listener_flags_and_a_coordinator_decides_once(
    client: TestClient, services: Services, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    contact_id = add_contact(services, association["id"])
    listener_id = add_listener(services, association["id"])

    flag = client.post(
        f"{base}/contacts/{contact_id}/flags",
        json={"reason": "threats", "listener_id": listener_id},
        headers=admin,
    )
    board = client.get(f"{base}/safety", headers=admin).json()
    decided = client.post(
        f"{base}/flags/{flag.json()['id']}/decision", json={"decision": "blocked"}, headers=admin
    )
    twice = client.post(
        f"{base}/flags/{flag.json()['id']}/decision", json={"decision": "dismissed"}, headers=admin
    )

    assert flag.status_code == 201 and flag.json()["status"] == "open"
    assert board == {"limited": [], "open_flags": 1, "active_blocks": 0}
    assert decided.status_code == 200 and decided.json()["status"] == "blocked"
    assert twice.status_code == 409
    assert client.get(f"{base}/safety", headers=admin).json()["active_blocks"] == 1
    assert client.get(f"{base}/flags?status=open", headers=admin).json() == []


def test_another_associations_contact_is_not_found_and_bad_input_is_a_422(
    client: TestClient,
    services: Services,
    platform: dict[str, str],
    association: dict[str, Any],
    admin: dict[str, str],
) -> None:
    other = create_association(client, platform, "Elsewhere")
    theirs = add_contact(services, other["id"], caller_hash="e" * 64)
    base = f"/api/v1/associations/{association['id']}"

    assert client.get(f"{base}/contacts/{theirs}", headers=admin).status_code == 404
    assert (
        client.post(f"{base}/contacts/{theirs}/block", json={"reason": "x"}, headers=admin).status_code == 404
    )
    assert (
        client.post(f"{base}/contacts/{theirs}/block", json={"reason": ""}, headers=admin).status_code == 422
    )
    assert (
        client.post(
            f"{base}/contacts/{theirs}/block", json={"reason": "x", "days": 0}, headers=admin
        ).status_code
        == 422
    )
    other_admin = admin_headers(client, platform, other["id"])
    foreign = client.post(
        f"/api/v1/associations/{other['id']}/contacts/{theirs}/flags",
        json={"reason": "x", "listener_id": add_listener(services, association["id"])},
        headers=other_admin,
    )
    assert foreign.status_code == 422
