"""The PostgreSQL pool is sized by the settings, and outlives its server dropping every connection (what a
database restart does to a running process): the next job or page reconnects instead of failing."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from app.services import Services, build_services
from tests.conftest import POSTGRES, SERVERS

pytestmark = pytest.mark.skipif(not SERVERS, reason="the pool settings apply to PostgreSQL")


@pytest.fixture
def pooled(services: Services) -> Iterator[Services]:
    update = {"database_pool_size": 3, "database_max_overflow": 2, "database_pool_timeout": 4.5}
    built = build_services(services.settings.model_copy(update=update))
    yield built
    built.close()


def test_the_pool_is_sized_by_the_settings(pooled: Services) -> None:
    pool = pooled.engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (3, 2, 4.5)  # type: ignore[attr-defined]


def test_a_process_reconnects_after_the_database_dropped_its_connections(pooled: Services) -> None:
    with pooled.engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))

    with pooled.engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != backend
