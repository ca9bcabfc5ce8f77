"""The image runs ``migrate``, ``serve`` and ``worker`` against real PostgreSQL and Redis servers.

The containers share the host's network, so they reach the servers run's PostgreSQL and its leased Redis
database as the tests do; the database is this test's own, created and dropped here. Every container is
removed afterwards, whatever happened.
"""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from tests.conftest import POSTGRES

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
def containers() -> Iterator[list[str]]:
    """Names of the containers started; each is removed at the end, running or not."""
    names: list[str] = []
    yield names
    for name in names:
        subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=60)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database: str, redis_url: str | None) -> list[str]:
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    settings = {
        "SAMVAAD_DATABASE_URL": f"{base}/{database}",
        "SAMVAAD_REDIS_URL": str(redis_url),
        "SAMVAAD_PUBLIC_BASE_URL": "https://samvaad.example.org",
        "SAMVAAD_WORKER_STALE_SECONDS": "10",
    }
    return [part for key, value in settings.items() for part in ("--env", f"{key}={value}")]


def docker_run(image: str, env: list[str], *command: str, name: str | None = None) -> str:
    """Run a command of the image on the host's network: detached when named, else to its end."""
    detach = ["--detach", "--name", name] if name else ["--rm"]
    args = ["docker", "run", *detach, "--network", "host", *env, image, *command]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def wait_for(url: str, status: int, container: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    answer = None
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(url, timeout=2)
            if answer.status_code == status:
                return answer
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True).stderr
    seen = answer and f"{answer.status_code} {answer.text}"
    pytest.fail(f"{url} did not answer {status} in {seconds:.0f} s (last: {seen}); logs:\n{logs[-2000:]}")


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
