"""A stalled worker is visible from outside: /readyz names the stale part, /metrics gives each part's age."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")  # as tests/api do
    from fastapi.testclient import TestClient

from app.main import create_app
from app.services import Services
from bench.outage import wait_until
from tests.voice.test_degraded import closed_port
from workers.heartbeat import HEARTBEAT_KEY
from workers.runner import start_worker_threads


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as test_client:
        yield test_client


def test_without_a_worker_every_part_is_stale(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["stale"] == ["jobs", "cron", "scheduler"]


def test_a_running_worker_is_ready_and_a_stalled_part_is_named(
    client: TestClient, services: Services
) -> None:
    threads = start_worker_threads(services)
    try:
        wait_until(lambda: client.get("/readyz").status_code == 200, 20, "every part beating")
    finally:
        threads.stop()
    assert not threads.failed_part
    stale_at = time.time() - services.settings.worker_stale_seconds - 1
    services.redis.hset(HEARTBEAT_KEY, "cron", f"{stale_at:.3f}")  # as a cron that stopped going round

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["stale"] == ["cron"]


def test_metrics_give_each_part_its_age_labelled_by_part_only(client: TestClient, services: Services) -> None:
    services.redis.hset(HEARTBEAT_KEY, "jobs", f"{time.time():.3f}")

    text = client.get("/metrics").text

    samples = re.findall(r"^(samvaad_worker_\w+)\{(.*)\} (\S+)$", text, re.MULTILINE)
    assert {labels for _, labels, _ in samples} == {'part="jobs"', 'part="cron"', 'part="scheduler"'}
    up = {labels: float(value) for name, labels, value in samples if name == "samvaad_worker_part_up"}
    assert up == {'part="jobs"': 1, 'part="cron"': 0, 'part="scheduler"': 0}


def test_readiness_names_a_database_and_a_redis_that_do_not_answer_and_liveness_stays_up(
    client: TestClient, services: Services
) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry
    from sqlalchemy import create_engine

    saved = services.request_engine, services.request_redis
    dead_database = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test")
    services.request_engine = dead_database
    no_retry = Retry(NoBackoff(), 0)  # as the request path's own client: a failure answers at once
    services.request_redis = redis.Redis(port=closed_port(), socket_connect_timeout=0.5, retry=no_retry)
    try:
        ready = client.get("/readyz")
        live = client.get("/livez")
        scraped = client.get("/metrics")
    finally:
        services.request_redis.close()
        services.request_engine, services.request_redis = saved
        dead_database.dispose()

    assert ready.status_code == 503
    body = ready.json()
    assert body["down"][:2] == ["database", "redis"]
    assert body["database"].startswith("unreachable") and body["redis"].startswith("unreachable")
    assert live.status_code == 200
    assert scraped.status_code == 200
    assert 'samvaad_dependency_up{dependency="redis"} 0.0' in scraped.text
    assert 'samvaad_dependency_up{dependency="database"} 0.0' in scraped.text
