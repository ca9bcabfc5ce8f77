"""Queue a job once: sweeps hand over the same work every few seconds, and it must not pile up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

SETTLED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)
ABANDONED_AFTER = timedelta(seconds=30)
"""A started job whose worker has not noted it alive for this long was abandoned (its worker was SIGKILLed,
its machine lost): RQ's own clean-up would find it only at its next maintenance, minutes later, so the
sweeps hand its work over again. Forking workers note a running job every 5 s (JOB_MONITORING_SECONDS)."""


def enqueue_once(queue: Queue, job_id: str, func: Callable[..., Any], *args: Any, retry: Retry) -> bool:
    """Queue the job unless one with this id is waiting, running or due for a retry. A job that already
    ran (finished, or failed for good) is replaced: a sweep hands over again only work still undone."""
    for _ in range(2):
        try:
            queue.enqueue(func, *args, job_id=job_id, retry=retry, unique=True)
            return True
        except DuplicateJobError:
            existing = queue.fetch_job(job_id)
            if existing is not None and not (is_settled(existing) or is_abandoned(existing)):
                return False
            if existing is not None:
                existing.delete()
    return False


def is_settled(job: Job) -> bool:
    return job.get_status(refresh=False) in SETTLED


def is_abandoned(job: Job) -> bool:
    if job.get_status(refresh=False) != JobStatus.STARTED or job.last_heartbeat is None:
        return False
    beat = job.last_heartbeat if job.last_heartbeat.tzinfo else job.last_heartbeat.replace(tzinfo=UTC)
    return datetime.now(UTC) - beat > ABANDONED_AFTER


def schedule_once(
    queue: Queue, delay: timedelta, job_id: str, func: Callable[..., Any], *args: Any, retry: Retry
) -> bool:
    """Hand the job to RQ's scheduler to run after ``delay`` (at once when it is due already), unless a job
    with this id is waiting, scheduled or running. The job itself must still be safe to run twice: a job
    that ran is not in the way of a new one."""
    if delay <= timedelta(0):
        return enqueue_once(queue, job_id, func, *args, retry=retry)
    try:
        queue.enqueue_in(delay, func, *args, job_id=job_id, retry=retry, unique=True)
    except DuplicateJobError:
        return False
    return True
