"""A worker SIGKILLed in the middle of a job leaves it 'started' in Redis for good (RQ's own clean-up finds it
only at its next maintenance, minutes later). The sweeps must hand such work over again, and must leave a
job alone while its worker still notes it alive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rq import Retry
from rq.job import JobStatus

from app.services import Services
from workers.probe import record_probe
from workers.queueing import ABANDONED_AFTER, enqueue_once
from workers.runner import ThreadWorker, job_queue
from workers.scope import install

RETRY = Retry(max=1)


def started_by_a_worker_last_heard(services: Services, job_id: str, ago: timedelta) -> None:
    """The job's state as a forking worker leaves it: started, noted alive ``ago``."""
    queue = job_queue(services.redis)
    assert enqueue_once(queue, job_id, record_probe, job_id, retry=RETRY)
    job = queue.fetch_job(job_id)
    assert job is not None
    queue.remove(job_id)  # taken off the queue by the worker that started it
    job.set_status(JobStatus.STARTED)
    job.heartbeat(datetime.now(UTC) - ago, ttl=60)


def test_a_job_whose_worker_went_silent_is_handed_over_again_and_runs(services: Services) -> None:
    install(services)
    started_by_a_worker_last_heard(services, "probe-abandoned", ABANDONED_AFTER * 4)
    queue = job_queue(services.redis)

    assert enqueue_once(queue, "probe-abandoned", record_probe, "probe-abandoned", retry=RETRY)
    ThreadWorker([queue], connection=services.redis).work(burst=True)

    job = queue.fetch_job("probe-abandoned")
    assert job is not None and job.get_status() == JobStatus.FINISHED


def test_a_job_its_worker_still_notes_alive_is_left_alone(services: Services) -> None:
    install(services)
    started_by_a_worker_last_heard(services, "probe-running", timedelta(seconds=2))
    queue = job_queue(services.redis)

    assert not enqueue_once(queue, "probe-running", record_probe, "probe-running", retry=RETRY)
    assert queue.count == 0
