"""Schemathesis against our own OpenAPI schema: whatever it sends, valid or not, nothing answers 500.

One association with a language, a listener and a shift exists, and requests carry its admin key, so
generated requests reach the handlers (small ids like 1 hit real rows) rather than stopping at 401.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from sqlalchemy import update

from app.main import create_app
from app.services import Services
from schemas.tables import ApiKey
from tests.api.conftest import TestClient, admin_headers, bearer, create_association

EXAMPLES = int(os.environ.get("SAMVAAD_SCHEMATHESIS_EXAMPLES", "15"))


@pytest.fixture
def seeded(services: Services) -> dict[str, Any]:
    """A configured association and its admin key, made through the API."""
    from app.cli import make_api_key
    from schemas.tables import Role

    app = create_app(services=services)
    platform = bearer(make_api_key(services.engine, role=Role.platform, name="ops", association_id=None))
    with TestClient(app) as client:
        association = create_association(client, platform)
        admin = admin_headers(client, platform, association["id"])
        base = f"/api/v1/associations/{association['id']}"
        client.post(f"{base}/languages", json={"code": "hi", "digit": 1}, headers=admin)
        listener = client.post(
            f"{base}/listeners",
            json={"name": "Dr. Test", "phone": "+919876543210", "languages": [{"code": "hi"}]},
            headers=admin,
        ).json()
        client.post(
            f"{base}/shifts",
            json={"listener_id": listener["id"], "starts_at": "2030-01-01T09:00", "duration_minutes": 60},
            headers=admin,
        )
    return {"app": app, "headers": admin}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_no_input_makes_the_api_fail(
    mode: GenerationMode, seeded: dict[str, Any], services: Services
) -> None:
    """Every operation, a bounded number of examples each (schemathesis' lazy pytest loader does not run on
    pytest 9, so each operation's strategy runs under its own hypothesis test)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", seeded["app"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            with services.engine.begin() as connection:  # a generated DELETE may have revoked the key
                connection.execute(update(ApiKey).values(revoked_at=None))
            case.call_and_validate(headers=seeded["headers"], checks=[not_a_server_error])

        try:
            run()
        except Unsatisfiable:
            # Nothing to make invalid (no parameters, no body): the positive run covers it.
            assert mode is GenerationMode.NEGATIVE
