"""The image runs ``migrate``, ``serve`` and ``worker`` against real PostgreSQL and Redis servers.

The containers share the host's network, so they reach the servers run's PostgreSQL and its leased Redis
database as the tests do; the database is this test's own, created and dropped here. Every container is
removed afterwards, whatever happened.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest
import redis

from tests.conftest import POSTGRES
from tests.deploy.containers import docker_run, free_port, wait_for

pytestmark = pytest.mark.timeout(1800)  # the first build downloads Debian and every wheel: minutes


@pytest.fixture
def database() -> Iterator[str]:
    name = f"samvaad_docker_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def containers(redis_url: str | None) -> Iterator[list[str]]:
    """Names of the containers started; each is removed at the end, running or not, and the run's Redis
    database emptied of their heartbeats and queues, which the next test would otherwise find."""
    names: list[str] = []
    yield names
    for name in names:
        subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=60)
    with redis.Redis.from_url(str(redis_url)) as leased:
        leased.flushdb()


def environment(database: str, redis_url: str | None) -> list[str]:
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    settings = {
        "SAMVAAD_DATABASE_URL": f"{base}/{database}",
        "SAMVAAD_REDIS_URL": str(redis_url),
        "SAMVAAD_PUBLIC_BASE_URL": "https://samvaad.example.org",
        "SAMVAAD_WORKER_STALE_SECONDS": "10",
    }
    return [part for key, value in settings.items() for part in ("--env", f"{key}={value}")]


def test_the_image_migrates_serves_and_runs_the_worker(
    image: str, database: str, redis_url: str | None, containers: list[str]
) -> None:
    env = environment(database, redis_url)
    docker_run(image, env, "migrate")
    with psycopg.connect(POSTGRES.rsplit("/", 1)[0] + f"/{database}") as migrated:
        assert migrated.execute("SELECT version_num FROM alembic_version").fetchone() is not None

    run = uuid.uuid4().hex[:8]
    port = free_port()
    web, worker = f"samvaad-test-web-{run}", f"samvaad-test-worker-{run}"
    containers.extend([web, worker])
    docker_run(image, env, "serve", "--host", "127.0.0.1", "--port", str(port), name=web)
    assert wait_for(f"http://127.0.0.1:{port}/healthz", 200, web).json() == {"status": "ok"}
    not_ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
    assert not_ready.status_code == 503, "no worker runs yet, so every part is stale"
    assert set(not_ready.json()["stale"]) == {"jobs", "cron", "scheduler"}

    docker_run(image, env, "worker", name=worker)
    ready = wait_for(f"http://127.0.0.1:{port}/readyz", 200, worker, seconds=90).json()
    assert ready["status"] == "ready" and ready["stale"] == []
    assert all(age < 10 for age in ready["ages"].values()), ready
