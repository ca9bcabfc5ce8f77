"""Run RQ: a worker for the ``samvaad`` queue, the scheduler for delayed jobs and retries, and the cron schedules.

`samvaad worker` runs RQ's own worker (forking a work horse per job, with RQ's scheduler process). On the
embedded default, `samvaad serve` runs the same three parts as threads of the web process instead.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from rq import Queue, SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty

from workers.schedules import Schedule, schedules
from workers.scope import QUEUE_NAME, install

logger = logging.getLogger(__name__)


def job_queue(connection: Any) -> Queue:
    return Queue(QUEUE_NAME, connection=connection)


def build_cron(connection: Any) -> ThreadCronScheduler:
    cron = ThreadCronScheduler(connection=connection)
    for schedule in schedules():
        cron.register(schedule.func, QUEUE_NAME, interval=schedule.interval_seconds)
    return cron


def run_worker(services: Any, burst: bool = False) -> None:
    """The `samvaad worker` process: jobs, scheduled retries and, in a thread, the cron schedules."""
    install(services)
    connection = services.redis
    if not burst:
        cron = build_cron(connection)
        threading.Thread(
            target=cron.run_until, args=(threading.Event(),), name="samvaad-cron", daemon=True
        ).start()
    Worker([job_queue(connection)], connection=connection).work(burst=burst, with_scheduler=True)


class WorkerThreads:
    """Jobs, delayed jobs and cron schedules in threads of this process (the embedded default); ``stop`` ends all."""

    def __init__(self, connection: Any) -> None:
        self._stop = threading.Event()
        self.worker = ThreadWorker([job_queue(connection)], connection=connection)
        self.scheduler = ThreadScheduler([QUEUE_NAME], connection=connection)
        self.cron = build_cron(connection)
        self.threads = [
            threading.Thread(
                target=self.worker.run_until, args=(self._stop,), name="samvaad-worker", daemon=True
            ),
            threading.Thread(
                target=self.scheduler.run_until, args=(self._stop,), name="samvaad-scheduler", daemon=True
            ),
            threading.Thread(
                target=self.cron.run_until, args=(self._stop,), name="samvaad-cron", daemon=True
            ),
        ]

    def start(self) -> WorkerThreads:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        for thread in self.threads:
            thread.join(timeout)


def start_worker_threads(services: Any) -> WorkerThreads:
    install(services)
    return WorkerThreads(services.redis).start()


class InlineJobs:
    """Samvaad's background work, run in the calling thread when the caller says, on the installed clock.

    The Twilio simulator calls it whenever it is idle (``Simulator(on_idle=InlineJobs(services))``): before
    simulated time moves on, and at least every two simulated seconds. Each call runs what a worker would
    have run by then: the delayed jobs and retries whose delay has passed *on the services' clock* (RQ
    schedules them in real time, in whole seconds: the delay left is measured when first seen and counted
    in clock time), the
    cron schedules at their intervals (called directly, so a failure fails the caller), then every queued
    job, with a burst worker. So simulated time never moves while a job is pending, and tests and the demo
    do not depend on the speed of the machine. Returns whether it did anything.
    """

    def __init__(self, services: Any, periodic: list[Schedule] | None = None) -> None:
        install(services)
        self.services = services
        self.queue = job_queue(services.redis)
        self.worker = ThreadWorker([self.queue], connection=services.redis)
        self.periodic = schedules() if periodic is None else periodic
        self._scheduled_due: dict[str, float] = {}
        self._periodic_due: dict[str, float] = {}

    def __call__(self) -> bool:
        now = self.services.clock.now().timestamp()
        released = self.release_due_jobs(now)
        ran_periodic = self.run_due_schedules(now)
        ran_jobs = self.run_queued_jobs()
        if ran_jobs:
            self.release_due_jobs(now)  # retries the jobs just asked for: their delay counts from now
        return released or ran_periodic or ran_jobs

    def release_due_jobs(self, now: float) -> bool:
        """Move delayed jobs and retries whose delay has passed on the clock onto the queue."""
        registry = self.queue.scheduled_job_registry
        released = False
        for job_id in registry.get_jobs_to_schedule(timestamp=2**40):
            if job_id not in self._scheduled_due:
                delay = registry.get_scheduled_time(job_id).timestamp() - time.time()
                self._scheduled_due[job_id] = now + max(0.0, delay)
            if now >= self._scheduled_due[job_id]:
                del self._scheduled_due[job_id]
                registry.remove(job_id)
                job = self.queue.fetch_job(job_id)
                if job is not None:
                    self.queue.enqueue_job(job)
                    released = True
        return released

    def run_due_schedules(self, now: float) -> bool:
        """The cron schedules, each at its interval on the clock (at once the first time, as RQ's cron does)."""
        ran = False
        for schedule in self.periodic:
            name = schedule.func.__qualname__
            if now >= self._periodic_due.get(name, now):
                self._periodic_due[name] = now + schedule.interval_seconds
                schedule.func()
                ran = True
        return ran

    def run_queued_jobs(self) -> bool:
        if self.queue.count == 0:
            return False
        return bool(self.worker.work(burst=True, logging_level="WARNING"))


CRON_LEASE_KEY = "samvaad:cron:leader"
CRON_LEASE_MS = 10_000


class ThreadCronScheduler(CronScheduler):
    """A cron scheduler that runs in a thread (only the main thread may install signal handlers) and enqueues
    only while it holds the cron lease, so N worker processes enqueue each schedule once, not N times."""

    def _install_signal_handlers(self) -> None:
        return None

    def holds_lease(self) -> bool:
        """Take the lease if it is free, or renew it if it is ours; another process's lease is left alone."""
        if self.connection.set(CRON_LEASE_KEY, self.name, nx=True, px=CRON_LEASE_MS):
            return True
        if self.connection.get(CRON_LEASE_KEY) == self.name.encode():
            self.connection.pexpire(CRON_LEASE_KEY, CRON_LEASE_MS)
            return True
        return False

    def run_until(self, stop: threading.Event) -> None:
        self.register_birth()
        try:
            while not stop.is_set():
                if self.holds_lease() and self.enqueue_jobs():
                    self.save()
                self.heartbeat()
                stop.wait(min(self.calculate_sleep_interval(), 1.0))
        finally:
            if self.connection.get(CRON_LEASE_KEY) == self.name.encode():
                self.connection.delete(CRON_LEASE_KEY)
            self.register_death()


class ThreadWorker(SimpleWorker):
    """Runs jobs in its own thread of the web process, without forking; job timeouts use a timer, not SIGALRM."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        return None

    def run_until(self, stop: threading.Event) -> None:
        """Block for jobs (so they start at once), and come up for air each idle second to see a stop request."""
        while not stop.is_set():
            self.work(max_idle_time=1, logging_level="WARNING")


class ThreadScheduler(RQScheduler):
    """RQ's scheduler loop (moves due delayed jobs and retries onto the queue) in a thread instead of a fork."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connection_class = redis.Redis  # RQ copies the client's class: a plain one, not a second owner
        # of an embedded server (whose exit hook would try to shut it down again)

    def run_until(self, stop: threading.Event) -> None:
        self.acquire_locks()
        self.register_birth()
        try:
            while not stop.is_set():
                if self.should_reacquire_locks:
                    self.acquire_locks()
                self.heartbeat()
                self.enqueue_scheduled_jobs()
                stop.wait(self.interval)
        finally:
            self.release_locks()
            self.register_death()
            self.connection.connection_pool.disconnect()  # RQ's scheduler opened a pool of its own
