"""A key of one association never reads or changes another's data: every route answers 404, the same as for
something that does not exist, and the other association's data stays as it was."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.main import create_app
from app.services import Services
from schemas.tables import Contact
from tests.api.conftest import admin_headers, bearer, create_association

API = "/api/v1"

BODIES: dict[str, dict[str, Any]] = {
    "/associations/{association_id}": {"name": "Taken over"},
    "/associations/{association_id}/numbers": {"number": "+918047180000"},
    "/associations/{association_id}/numbers/{number_id}": {"label": "changed"},
    "/associations/{association_id}/languages": {"code": "bn", "digit": 5},
    "/associations/{association_id}/languages/{code}": {"enabled": False},
    "/associations/{association_id}/listeners": {
        "name": "Intruder", "phone": "+919000000001", "languages": [{"code": "hi"}],
    },
    "/associations/{association_id}/listeners/{listener_id}": {"active": False},
    "/associations/{association_id}/shifts": {"listener_id": 1, "starts_at": "2030-01-01T09:00", "duration_minutes": 60},
    "/associations/{association_id}/shifts/{shift_id}": {"duration_minutes": 30},
    "/associations/{association_id}/policies/{language}": {
        "steps": [{"kind": "listeners", "languages": ["hi"], "seconds": 30}, {"kind": "crisis_line"}],
    },
    "/associations/{association_id}/api-keys": {"name": "backdoor", "role": "admin"},
    "/associations/{association_id}/staff": {"name": "Intruder", "phone": "+919000000002", "role": "admin"},
    "/associations/{association_id}/staff/{staff_id}": {"role": "admin"},
    "/associations/{association_id}/contacts/{contact_id}/block": {"reason": "taken over"},
    "/associations/{association_id}/contacts/{contact_id}/flags": {"reason": "taken over"},
    "/associations/{association_id}/flags/{flag_id}/decision": {"decision": "dismissed"},
}  # fmt: skip


def add_contact(client: TestClient, association_id: int) -> str:
    """Contacts come from calls and texts, not from the API: one straight into the database."""
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    with Session(services.engine) as session:
        contact = Contact(
            id=str(uuid.uuid4()), association_id=association_id, language="hi", caller_hash="c" * 64,
            arrival_us=0, created_at=datetime(2030, 1, 1, tzinfo=UTC),
        )  # fmt: skip
        session.add(contact)
        session.commit()
        return contact.id


def build_association(client: TestClient, platform: dict[str, str], name: str, phone: str) -> dict[str, Any]:
    association = create_association(client, platform, name)
    admin = admin_headers(client, platform, association["id"])
    base = f"{API}/associations/{association['id']}"
    number = client.post(
        f"{base}/numbers", json={"number": phone.replace("98", "80", 1)}, headers=admin
    ).json()
    client.post(f"{base}/languages", json={"code": "hi", "digit": 1}, headers=admin)
    listener = client.post(
        f"{base}/listeners",
        json={"name": "Dr. " + name, "phone": phone, "languages": [{"code": "hi"}]},
        headers=admin,
    ).json()
    shift = client.post(
        f"{base}/shifts",
        json={"listener_id": listener["id"], "starts_at": "2030-01-01T09:00", "duration_minutes": 60},
        headers=admin,
    ).json()
    client.put(
        f"{base}/policies/hi",
        json=BODIES["/associations/{association_id}/policies/{language}"],
        headers=admin,
    )
    keys = client.get(f"{base}/api-keys", headers=admin).json()
    staff = client.post(
        f"{base}/staff",
        json={"name": "Coordinator " + name, "phone": phone.replace("98", "97", 1)},
        headers=admin,
    ).json()
    contact_id = add_contact(client, association["id"])
    flag = client.post(
        f"{base}/contacts/{contact_id}/flags", json={"reason": "abusive"}, headers=admin
    ).json()
    block = client.post(
        f"{base}/contacts/{contact_id}/block", json={"reason": "abusive"}, headers=admin
    ).json()
    return {
        "admin": admin,
        "ids": {
            "association_id": association["id"], "number_id": number["id"], "code": "hi",
            "listener_id": listener["id"], "shift_id": shift["id"], "language": "hi", "key_id": keys[0]["id"],
            "staff_id": staff["id"],
            "contact_id": contact_id, "flag_id": flag["id"], "block_id": block["id"],
        },
    }  # fmt: skip


def association_routes(services: Services) -> list[tuple[str, str]]:
    paths = create_app(services=services).openapi()["paths"]
    return [
        (method.upper(), path.removeprefix(API))
        for path, operations in paths.items()
        if "{association_id}" in path
        for method in operations
    ]


def snapshot(client: TestClient, world: dict[str, Any]) -> list[Any]:
    base = f"{API}/associations/{world['ids']['association_id']}"
    tails = [
        "",
        "/numbers",
        "/languages",
        "/listeners",
        "/shifts",
        "/policies",
        "/api-keys",
        "/staff",
        "/blocks",
        "/flags",
    ]
    return [client.get(base + tail, headers=world["admin"]).json() for tail in tails]


@pytest.fixture
def worlds(client: TestClient, platform: dict[str, str]) -> dict[str, Any]:
    a = build_association(client, platform, "Alpha", "+919811111111")
    b = build_association(client, platform, "Beta", "+919822222222")
    coordinator = client.post(
        f"{API}/associations/{a['ids']['association_id']}/api-keys",
        json={"name": "alpha coordinator", "role": "coordinator"},
        headers=a["admin"],
    ).json()
    return {"a": a, "b": b, "a_coordinator": bearer(coordinator["key"])}


def fill(template: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)


def test_every_association_route_is_covered(services: Services) -> None:
    templates = {path for _, path in association_routes(services)}
    assert {t for t in templates if t.count("{") == 1} >= {t for t in BODIES if t.count("{") == 1}
    assert len(association_routes(services)) >= 30


@pytest.mark.parametrize("as_role", ["admin", "coordinator"])
def test_another_associations_resources_answer_404(
    client: TestClient, services: Services, worlds: dict[str, Any], as_role: str
) -> None:
    a, b = worlds["a"], worlds["b"]
    headers = a["admin"] if as_role == "admin" else worlds["a_coordinator"]
    before = snapshot(client, b)
    for method, template in association_routes(services):
        body = BODIES.get(template)
        answer = client.request(method, API + fill(template, b["ids"]), json=body, headers=headers)
        assert answer.status_code == 404, (method, template, answer.status_code, answer.text)
        assert answer.json() == {"detail": "association not found"}
    assert snapshot(client, b) == before


def test_another_associations_items_under_ones_own_path_answer_404(
    client: TestClient, services: Services, worlds: dict[str, Any]
) -> None:
    """A's path with B's item ids: the item is not found, and B's item is untouched."""
    a, b = worlds["a"], worlds["b"]
    before = snapshot(client, b)
    mixed = {**b["ids"], "association_id": a["ids"]["association_id"], "code": "ta", "language": "ta"}
    for method, template in association_routes(services):
        if template.count("{") < 2 or template.endswith("{language}") or template.endswith("{code}"):
            continue
        answer = client.request(
            method, API + fill(template, mixed), json=BODIES.get(template), headers=a["admin"]
        )
        assert answer.status_code == 404, (method, template, answer.text)
    assert snapshot(client, b) == before


def test_a_shift_cannot_name_another_associations_listener(
    client: TestClient, worlds: dict[str, Any]
) -> None:
    a, b = worlds["a"], worlds["b"]
    answer = client.post(
        f"{API}/associations/{a['ids']['association_id']}/shifts",
        json={
            "listener_id": b["ids"]["listener_id"],
            "starts_at": "2030-01-01T09:00",
            "duration_minutes": 60,
        },
        headers=a["admin"],
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "listener_id"]


def test_association_list_shows_only_ones_own(
    client: TestClient, platform: dict, worlds: dict[str, Any]
) -> None:
    mine = client.get(f"{API}/associations", headers=worlds["a"]["admin"]).json()
    assert [row["name"] for row in mine] == ["Alpha"]
    assert len(client.get(f"{API}/associations", headers=platform).json()) == 2
