"""docker-compose.yml's Redis and Sentinels, run for real: the image's web process and worker reach Redis
through the Sentinels, and follow a failover to the replica without a restart.

Docker Hub may be out of reach, so Redis is Debian's, in an image built on the local base
(``REDIS_IMAGE``); the database is SQLite on a volume the containers share, since only Redis is on trial.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.deploy.conftest import BASE_IMAGE, compose_command
from tests.deploy.containers import docker_run, free_port, wait_for

pytestmark = pytest.mark.timeout(600)

REDIS_IMAGE = "samvaad-redis:local"
REDIS_SERVICES = ["redis-primary", "redis-replica", "sentinel-1", "sentinel-2", "sentinel-3"]
COMPOSE_ENV = {
    "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
    "POSTGRES_PASSWORD": "unused",
    "REDIS_IMAGE": REDIS_IMAGE,
}
SENTINEL_URL = "redis+sentinel://sentinel-1:26379,sentinel-2:26379,sentinel-3:26379/samvaad/0"


@pytest.fixture(scope="module")
def redis_image(image: str) -> str:
    dockerfile = (
        f"FROM {BASE_IMAGE}\nRUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq"
        " --no-install-recommends redis-server >/dev/null && rm -rf /var/lib/apt/lists/*\n"
    )
    build = ["docker", "build", "-q", "--network", "host", "-t", REDIS_IMAGE, "-"]
    done = subprocess.run(build, input=dockerfile, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return REDIS_IMAGE


@pytest.fixture
def redis_stack(redis_image: str, compose_folder: Path) -> Iterator[tuple[list[str], str]]:
    """The compose file's five Redis services, up; the compose command and the project's network."""
    project = f"samvaadtest{uuid.uuid4().hex[:8]}"
    compose = [*compose_command(), "--project-name", project]
    try:
        up = compose_run(compose_folder, [*compose, "up", "-d", *REDIS_SERVICES])
        assert up.returncode == 0, up.stderr
        yield compose, f"{project}_default"
    finally:
        compose_run(compose_folder, [*compose, "down", "--volumes"])


def compose_run(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=folder, env=COMPOSE_ENV, capture_output=True, text=True, timeout=120)


def primary(network: str) -> str:
    ask = ["redis-cli", "-h", "sentinel-1", "-p", "26379", "sentinel", "get-master-addr-by-name", "samvaad"]
    done = subprocess.run(
        ["docker", "run", "--rm", "--network", network, REDIS_IMAGE, *ask], capture_output=True
    )
    return done.stdout.decode().split("\n")[0]


def test_the_web_process_and_worker_follow_a_sentinel_failover(
    image: str, redis_stack: tuple[list[str], str], compose_folder: Path
) -> None:
    compose, network = redis_stack
    run = uuid.uuid4().hex[:8]
    volume, web, worker = f"samvaad-test-data-{run}", f"samvaad-test-web-{run}", f"samvaad-test-worker-{run}"
    port = free_port()
    env = [
        "--volume", f"{volume}:/data", "--env", "SAMVAAD_DATABASE_URL=sqlite:////data/samvaad.db",
        "--env", f"SAMVAAD_REDIS_URL={SENTINEL_URL}", "--env", "SAMVAAD_PUBLIC_BASE_URL=https://samvaad.example.org",
        "--env", "SAMVAAD_WORKER_STALE_SECONDS=10",
    ]  # fmt: skip
    try:
        own = ["--user", "root", "--entrypoint", "chown", "--volume", f"{volume}:/data"]
        docker_run(image, own, "samvaad:samvaad", "/data", network="none")  # a new volume is root's
        docker_run(image, env, "migrate", network=network)
        docker_run(image, ["--publish", f"127.0.0.1:{port}:8000", *env], name=web, network=network)
        docker_run(image, env, "worker", name=worker, network=network)
        wait_for(f"http://127.0.0.1:{port}/readyz", 200, worker, seconds=60)
        assert primary(network) == "redis-primary"

        assert compose_run(compose_folder, [*compose, "stop", "redis-primary"]).returncode == 0
        deadline = time.monotonic() + 60
        while primary(network) != "redis-replica" and time.monotonic() < deadline:
            time.sleep(1)
        assert primary(network) == "redis-replica", "the Sentinels elected no new primary in 60 s"
        time.sleep(2)  # heartbeats noted from now on are on the new primary
        ready = wait_for(f"http://127.0.0.1:{port}/readyz", 200, worker, seconds=30).json()
        assert all(age < 10 for age in ready["ages"].values()), ready
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    finally:
        subprocess.run(["docker", "rm", "--force", web, worker], capture_output=True)
        subprocess.run(["docker", "volume", "rm", "--force", volume], capture_output=True)
