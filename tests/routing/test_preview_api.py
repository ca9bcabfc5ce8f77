"""GET /api/v1/associations/{id}/routing/preview over HTTP, with an API key (needs the API branch's auth)."""

from __future__ import annotations

import warnings

from app.services import Services
from schemas.tables import Proficiency
from tests.routing.conftest import Helpline

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork; httpx (a project dependency) still works. Scoped to this import.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


def _client_with_key(services: Services, helpline: Helpline) -> tuple[TestClient, dict[str, str]]:
    from app.main import create_app
    from routing.configuration import Actor, issue_api_key
    from schemas.tables import Role

    _, secret = issue_api_key(
        helpline.session,
        name="coordinator",
        role=Role.coordinator,
        association_id=helpline.association_id,
        actor=Actor("test", helpline.now),
    )
    helpline.session.commit()
    return TestClient(create_app(services=services)), {"Authorization": f"Bearer {secret}"}


def test_preview_over_http(services: Services, helpline: Helpline) -> None:
    listener = helpline.listener("Asha", {"mr": Proficiency.native})
    helpline.sync()
    client, headers = _client_with_key(services, helpline)
    response = client.get(
        f"/api/v1/associations/{helpline.association_id}/routing/preview",
        params={"language": "mr"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_listener"]["listener_id"] == listener
    assert body["step_for_new_contact"]["pools"] == ["mr:fluent"]
    assert "phone" not in response.text
    missing = client.get(f"/api/v1/associations/{helpline.association_id}/routing/preview", headers=headers)
    assert missing.status_code == 422
    other = client.get("/api/v1/associations/999/routing/preview", params={"language": "mr"}, headers=headers)
    assert other.status_code == 404
