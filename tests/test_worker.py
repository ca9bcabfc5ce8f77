"""The jobs machinery runs for real: immediately, delayed, and in the web process on the embedded default."""

from __future__ import annotations

import time
from datetime import timedelta

from rq import SimpleWorker

from app.services import Services
from workers.probe import record_probe
from workers.runner import CRON_LEASE_KEY, build_cron, job_queue, start_worker_threads
from workers.scope import install


def wait_for(services: Services, key: str, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if services.redis.get(key) == b"done":
            return True
        time.sleep(0.05)
    return False


def test_a_job_runs_in_process(services: Services) -> None:
    install(services)
    job_queue(services.redis).enqueue(record_probe, "now")
    SimpleWorker([job_queue(services.redis)], connection=services.redis).work(burst=True)
    assert services.redis.get("samvaad:probe:now") == b"done"


def test_worker_threads_run_immediate_and_delayed_jobs(services: Services) -> None:
    threads = start_worker_threads(services)
    try:
        queue = job_queue(services.redis)
        queue.enqueue(record_probe, "immediate")
        queue.enqueue_in(timedelta(seconds=1), record_probe, "delayed")
        assert wait_for(services, "samvaad:probe:immediate")
        assert wait_for(services, "samvaad:probe:delayed")
        assert all(thread.is_alive() for thread in threads.threads)
    finally:
        threads.stop()
    assert not any(thread.is_alive() for thread in threads.threads)


def test_only_one_of_several_worker_processes_runs_the_schedules(services: Services) -> None:
    first, second = build_cron(services.redis), build_cron(services.redis)
    assert first.holds_lease()
    assert not second.holds_lease()
    assert first.holds_lease()  # renewing its own lease
    services.redis.delete(CRON_LEASE_KEY)  # the leader died and its lease ran out
    assert second.holds_lease()
    assert not first.holds_lease()
