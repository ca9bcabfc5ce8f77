"""The API as a client sees it: a TestClient on the real app, with keys made the way an operator makes them."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette 1.x asks for the httpx2 fork; httpx (a project dependency) still works. Scoped to this import.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from app.cli import make_api_key
from app.main import create_app
from app.services import Services
from schemas.tables import Role


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


@pytest.fixture
def platform(services: Services) -> dict[str, str]:
    """Headers of a platform key made by the command line's function."""
    return bearer(make_api_key(services.engine, role=Role.platform, name="ops", association_id=None))


def create_association(
    client: TestClient, platform: dict[str, str], name: str = "Kerala Doctors"
) -> dict[str, Any]:
    response = client.post("/api/v1/associations", json={"name": name}, headers=platform)
    assert response.status_code == 201, response.text
    return response.json()


def admin_headers(client: TestClient, platform: dict[str, str], association_id: int) -> dict[str, str]:
    response = client.post(
        f"/api/v1/associations/{association_id}/api-keys",
        json={"name": "coordinator desk", "role": "admin"},
        headers=platform,
    )
    assert response.status_code == 201, response.text
    return bearer(response.json()["key"])


@pytest.fixture
def association(client: TestClient, platform: dict[str, str]) -> dict[str, Any]:
    return create_association(client, platform)


@pytest.fixture
def admin(client: TestClient, platform: dict[str, str], association: dict[str, Any]) -> dict[str, str]:
    return admin_headers(client, platform, association["id"])
