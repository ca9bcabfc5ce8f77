"""The worker survives a Redis outage: a real redis-server of the test's own is crashed or hung under a real
`samvaad worker`, and the recurring jobs and a delayed job run again within 10 s of Redis answering, once each.

Both faults take real time (the hang is 30 s of it): each test waits for events it can observe, with
deadlines, and never for a fixed time of its own choosing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app.services import build_services
from bench.outage import RedisServer, WorkerProcess, measure, wait_until
from schemas.settings import Settings
from workers.runner import CRON_LEASE_KEY, WorkerThreads
from workers.scope import install, installed_services

WITHIN = 10


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path: Path, redis_server: RedisServer, settings: Settings) -> Iterator[WorkerProcess]:
    process = WorkerProcess(tmp_path, redis_server.url, settings.resolved_database_url)
    yield process
    process.stop()
    print("worker log (shown by pytest on failure):\n" + process.log()[-6000:])


@pytest.mark.parametrize("fault", ["kill", "hang"])
def test_jobs_run_again_once_each_after_redis_comes_back(
    redis_server: RedisServer, worker: WorkerProcess, fault: str
) -> None:
    recovery = measure(redis_server, fault, hang_seconds=30, within=WITHIN)

    assert recovery.scheduled_job_runs == 1, worker.log()
    assert recovery.scheduled_job_after < WITHIN
    assert recovery.recurring_after, "no recurring job was due after the outage"
    assert max(recovery.recurring_after.values()) < WITHIN, recovery
    assert recovery.doubled == [], recovery
    assert worker.is_alive()
    assert worker.stop() == 0  # and a supervisor's SIGTERM still stops it cleanly


def test_a_part_that_cannot_recover_ends_the_worker_non_zero(
    redis_server: RedisServer, tmp_path: Path, settings: Settings
) -> None:
    client = redis.Redis.from_url(redis_server.url)
    client.hset(CRON_LEASE_KEY, "not", "a lease")  # a key of the wrong type: waiting will not mend it
    process = WorkerProcess(tmp_path, redis_server.url, settings.resolved_database_url)
    try:
        wait_until(lambda: not process.is_alive(), 60, "the worker exiting")
    finally:
        code = process.stop()
        client.close()

    assert code == 1
    assert "worker part failed part=cron" in process.log()


def test_the_in_process_worker_runs_again_after_a_crash(
    redis_server: RedisServer, settings: Settings
) -> None:
    """The embedded default's threads (`samvaad serve`), here against the test's own redis-server."""
    services = build_services(settings.model_copy(update={"redis_url": redis_server.url}))
    threads = WorkerThreads(services.redis, on_failure=lambda: None)
    before = None
    with contextlib.suppress(RuntimeError):  # the services other tests installed, put back afterwards
        before = installed_services()
    install(services)
    threads.start()
    try:
        recovery = measure(redis_server, "kill", within=WITHIN)
    finally:
        threads.stop()
        if before is not None:
            install(before)
        services.engine.dispose()

    assert threads.failed_part is None
    assert recovery.scheduled_job_runs == 1
    assert recovery.scheduled_job_after < WITHIN
    assert recovery.recurring_after and max(recovery.recurring_after.values()) < WITHIN, recovery
    assert recovery.doubled == [], recovery
