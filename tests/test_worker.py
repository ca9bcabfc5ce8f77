"""The jobs machinery runs for real: immediately, delayed, and in the web process on the embedded default."""

from __future__ import annotations

from datetime import UTC, datetime

from app.services import Services
from workers.probe import record_probe
from workers.runner import CRON_LEASE_KEY, ThreadWorker, build_cron, job_queue, start_worker_threads
from workers.scope import install

DUE = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # a delayed job's time, long past


def ran(services: Services, token: str, seconds: float = 10) -> bool:
    """Whether the probe ran within ``seconds``: blocks on its announcement, no polling (the time is only a
    safety net against a worker that never runs it)."""
    return services.redis.blpop([f"samvaad:probe:{token}:ran"], timeout=seconds) is not None


def test_a_job_runs_in_process(services: Services) -> None:
    install(services)
    job_queue(services.redis).enqueue(record_probe, "now")
    ThreadWorker([job_queue(services.redis)], connection=services.redis).work(burst=True)
    assert services.redis.get("samvaad:probe:now") == b"done"


def test_worker_threads_run_immediate_and_delayed_jobs(services: Services) -> None:
    threads = start_worker_threads(services)
    try:
        queue = job_queue(services.redis)
        queue.enqueue(record_probe, "immediate")
        queue.enqueue_at(DUE, record_probe, "delayed")  # due already: RQ's scheduler thread releases it
        assert ran(services, "immediate")
        assert ran(services, "delayed")
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
