"""docker-compose.yml is valid for Compose, and its Samvaad processes find Redis through its own Sentinels.

Compose only reads the file here (``config``): no image is pulled, so Docker Hub need not be reachable.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from schemas.redis_address import parse_sentinel_url
from tests.deploy.conftest import compose_command

ROOT = Path(__file__).resolve().parents[2]
SAMVAAD_SERVICES = {"migrate", "web-1", "web-2", "worker"}


@pytest.fixture(scope="module")
def compose(compose_folder: Path) -> dict[str, Any]:
    """The file as Compose resolves it."""
    done = subprocess.run(
        [*compose_command(), "config"], cwd=compose_folder, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), "POSTGRES_PASSWORD": "test-password"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return dict(yaml.safe_load(done.stdout))


def test_the_topology_is_postgres_redis_with_sentinels_two_web_processes_and_a_worker(compose: dict) -> None:
    services = set(compose["services"])
    sentinels = {"sentinel-1", "sentinel-2", "sentinel-3"}
    assert services == {"postgres", "redis-primary", "redis-replica", "nginx"} | sentinels | SAMVAAD_SERVICES
    assert "--replicaof" in compose["services"]["redis-replica"]["command"]


def test_every_samvaad_process_finds_the_primary_through_the_sentinels(compose: dict) -> None:
    sentinel_script = compose["services"]["sentinel-1"]["command"][-1]
    for name in SAMVAAD_SERVICES:
        environment = compose["services"][name]["environment"]
        address = parse_sentinel_url(environment["SAMVAAD_REDIS_URL"])
        assert {host for host, _ in address.sentinels} == {"sentinel-1", "sentinel-2", "sentinel-3"}
        assert f"sentinel monitor {address.master_name} redis-primary 6379 2" in sentinel_script
        assert environment["SAMVAAD_DATABASE_URL"].endswith("@postgres:5432/samvaad")
        assert environment["SAMVAAD_ENV"] == "production", "the rest comes from samvaad.env"


def test_the_web_processes_start_after_the_migration_and_answer_behind_nginx(compose: dict) -> None:
    for name in ("web-1", "web-2", "worker"):
        assert (
            compose["services"][name]["depends_on"]["migrate"]["condition"]
            == "service_completed_successfully"
        )
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web-1:8000" in nginx and "server web-2:8000" in nginx
