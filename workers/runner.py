"""Run RQ: a worker for the ``samvaad`` queue, the scheduler for delayed jobs and retries, and the cron schedules.

`samvaad worker` runs RQ's own worker (forking a work horse per job) with RQ's scheduler and cron scheduler
in threads beside it; on the embedded default, `samvaad serve` runs all three parts as threads of the web
process. Either way each part rides out a Redis outage (workers/resilience.py) and notes a heartbeat
(workers/heartbeat.py).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from rq import Queue, SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.exceptions import StopRequested
from rq.job import Job
from rq.job_lifecycle import call_exception_handlers
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty
from rq.worker import BaseWorker

from routing import engine
from telephony.errors import TelephonyError
from workers.heartbeat import beat
from workers.resilience import (
    MAX_DELAY,
    PART_SOCKET_TIMEOUT,
    REDIS_ERRORS,
    Backoff,
    Supervisor,
    keep_running,
    part_client,
    terminate_process,
)
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


def run_worker(services: Any, burst: bool = False) -> int:
    """The `samvaad worker` process: RQ's forking worker runs the jobs; the cron schedules and RQ's scheduler
    (delayed jobs and retries) run beside it in threads, each riding out Redis outages by itself. Returns
    the exit code: non-zero when a part could not recover, so that the process's supervisor restarts it."""
    install(services)
    connection = services.redis
    if burst:
        JobsWorker([job_queue(connection)], connection=part_client(connection)).work(
            burst=True, with_scheduler=True
        )
        return 0
    supervisor = Supervisor()
    for signum in (signal.SIGTERM, signal.SIGINT):  # until RQ's worker installs its own, and between rounds
        signal.signal(signum, lambda *_: supervisor.stop.set())
    parts = [cron_thread(connection, supervisor), scheduler_thread(connection, supervisor)]
    for thread in parts:
        thread.start()
    run_jobs(connection, supervisor)
    supervisor.stop.set()
    for thread in parts:
        thread.join(PART_SOCKET_TIMEOUT + 1)
    return supervisor.exit_code


def run_jobs(connection: Any, supervisor: Supervisor) -> None:
    """RQ's worker loop until a stop is asked for. RQ waits out a lost connection while it waits for jobs;
    a round that ends another way (Redis lost mid-job, or timing out) starts again with a fresh worker,
    unless rounds keep ending at once, which no outage explains."""
    quick_rounds = 0
    backoff = Backoff()
    probe = part_client(connection)
    while not supervisor.stop.is_set():
        started = time.monotonic()
        worker = None
        try:
            worker = JobsWorker(
                [job_queue(connection)], connection=part_client(connection), supervisor=supervisor
            )
            worker.work(logging_level="WARNING")
        except REDIS_ERRORS as exc:  # Redis gone as the round began, or during its own clean-up
            logger.warning("jobs worker round ended error=%s: starting a fresh one", type(exc).__name__)
        if worker is not None:
            end_round(worker)
            worker.connection.connection_pool.disconnect()  # each round has a client of its own
        if supervisor.stop.is_set():
            return
        quick = time.monotonic() - started < QUICK_ROUND_SECONDS
        quick_rounds = quick_rounds + 1 if quick and is_answering(probe) else 0  # an outage does not count
        if not quick:
            backoff = Backoff()  # a round that ran a while: the next one waits the shortest time
        if quick_rounds > MAX_QUICK_ROUNDS:
            logger.error(
                "jobs worker keeps stopping rounds=%d: the process exits to be restarted", quick_rounds
            )
            supervisor.failed_part = "jobs"
            return
        with contextlib.suppress(StopRequested):  # RQ's handler, still installed, answers a stop this way
            supervisor.stop.wait(backoff.next_delay())


def is_answering(connection: Any) -> bool:
    try:
        return bool(connection.ping())
    except REDIS_ERRORS:
        return False


def cron_thread(connection: Any, supervisor: Supervisor) -> threading.Thread:
    cron = build_cron(part_client(connection))
    return threading.Thread(target=cron.run_until, args=(supervisor,), name="samvaad-cron", daemon=True)


def scheduler_thread(connection: Any, supervisor: Supervisor) -> threading.Thread:
    scheduler = ThreadScheduler([QUEUE_NAME], connection=part_client(connection))
    return threading.Thread(
        target=scheduler.run_until, args=(supervisor,), name="samvaad-scheduler", daemon=True
    )


class WorkerThreads:
    """Jobs, delayed jobs and cron schedules in threads of this process (the embedded default); ``stop`` ends
    all. A part that cannot recover ends the process (``on_failure``), and ``failed_part`` says which."""

    def __init__(self, connection: Any, on_failure: Callable[[], None] = terminate_process) -> None:
        self.supervisor = Supervisor(on_failure=on_failure)
        self.clients = [part_client(connection) for _ in range(3)]  # jobs, scheduler, cron
        self.worker = ThreadWorker([job_queue(connection)], connection=self.clients[0])
        scheduler = ThreadScheduler([QUEUE_NAME], connection=self.clients[1])
        cron = build_cron(self.clients[2])
        self.threads = [
            threading.Thread(target=part.run_until, args=(self.supervisor,), name=name, daemon=True)
            for part, name in (
                (self.worker, "samvaad-worker"),
                (scheduler, "samvaad-scheduler"),
                (cron, "samvaad-cron"),
            )
        ]

    @property
    def failed_part(self) -> str | None:
        return self.supervisor.failed_part

    def start(self) -> WorkerThreads:
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 5) -> None:
        """Stop every part and let go of its connections: an embedded Redis shuts down only when no client of
        this process is still connected to it."""
        self.supervisor.stop.set()
        for thread in self.threads:
            thread.join(timeout)
        for client in self.clients:
            client.connection_pool.disconnect()


def start_worker_threads(services: Any, on_failure: Callable[[], None] = terminate_process) -> WorkerThreads:
    install(services)
    return WorkerThreads(services.redis, on_failure).start()


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
QUICK_ROUND_SECONDS = 10
MAX_QUICK_ROUNDS = 5
# RQ's worker notes itself in Redis every worker_ttl - 15 seconds while idle (and every job monitoring
# interval while a job runs): short, so that its heartbeat says within seconds that it is alive.
JOBS_WORKER_TTL = 20
JOB_MONITORING_SECONDS = 5


class ThreadCronScheduler(CronScheduler):
    """A cron scheduler that runs in a thread (only the main thread may install signal handlers) and enqueues
    only while it holds the cron lease, so N worker processes enqueue each schedule once, not N times."""

    _born = False

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

    def step(self) -> float:
        """One round: due schedules enqueued (by the lease holder), then RQ's own heartbeat. A schedule that
        fell due during an outage is enqueued once when Redis is back, not once per missed interval."""
        if not self._born:
            self.register_birth()
            self._born = True
        if self.holds_lease() and self.enqueue_jobs():
            self.save()
        self.heartbeat()
        return min(self.calculate_sleep_interval(), 1.0)

    def run_until(self, supervisor: Supervisor) -> None:
        keep_running("cron", self.step, self.connection, supervisor)
        with contextlib.suppress(*REDIS_ERRORS):
            if self.connection.get(CRON_LEASE_KEY) == self.name.encode():
                self.connection.delete(CRON_LEASE_KEY)
            self.register_death()


class HeartbeatWorker(BaseWorker):
    """RQ's worker heartbeat, noted as the jobs part's heartbeat too, and often enough to mean something; a
    provider's failure logged in one line."""

    max_connection_wait_time = MAX_DELAY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("worker_ttl", JOBS_WORKER_TTL)
        kwargs.setdefault("job_monitoring_interval", JOB_MONITORING_SECONDS)
        super().__init__(*args, **kwargs)

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        super().heartbeat(timeout, pipeline)
        beat(pipeline if pipeline is not None else self.connection, "jobs", time.time())

    def unsubscribe(self) -> None:
        """RQ's own order (unsubscribe, then stop the pubsub thread) races with redis-py 8, whose stop() waits
        for the thread without limit: when the thread has already read the unsubscribe reply, it is back in a
        60-second read (or in a read that never returns while Redis hangs), and every burst of jobs, every
        stop of the worker, waited for it. The thread is told to stop first, woken by the reply, and waited
        for one second at most."""
        thread, pubsub = self.pubsub_thread, self.pubsub
        if thread is None or pubsub is None:
            return
        thread.stop(timeout=0)  # clears its flag only: the reply below ends its read, and it exits
        with contextlib.suppress(*REDIS_ERRORS):
            pubsub.unsubscribe()
        thread.join(timeout=1)
        with contextlib.suppress(*REDIS_ERRORS):
            pubsub.close()
        self.pubsub_thread = None

    def handle_job_failure(self, job: Job, queue: Queue, *args: Any, **kwargs: Any) -> None:
        """Counted for /metrics (``samvaad_job_failures_total``): by job, and whether RQ tries it again."""
        outcome = "retried" if job.should_retry else "failed"
        super().handle_job_failure(job, queue, *args, **kwargs)
        engine.count_now(self.connection, "job_failures", (job.func_name or "").rsplit(".", 1)[-1], outcome)

    def handle_exception(self, job: Job, *exc_info: Any) -> None:
        """A provider that fails now and then is expected, and RQ's Retry answers it: one line with the job,
        the status and the provider's code, not a traceback (which says nothing more, from our side)."""
        error = exc_info[1]
        if not isinstance(error, TelephonyError):
            super().handle_exception(job, *exc_info)
            return
        logger.warning("job failed: provider error job_id=%s func=%s status=%d code=%s retries_left=%s",
                       job.id, job.func_name, error.status, error.code, job.retries_left)  # fmt: skip
        call_exception_handlers(self._exc_handlers, job, *exc_info)


class JobsWorker(HeartbeatWorker, Worker):
    """RQ's forking worker, waiting at most ``MAX_DELAY`` between reconnection attempts; a stop it is asked
    for (SIGTERM, SIGINT) stops the whole process, not only this round."""

    def __init__(self, *args: Any, supervisor: Supervisor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor

    def check_for_suspension(self, burst: bool) -> None:
        """Also where a round sees that another part failed, or a stop came before RQ's handlers were in."""
        if self.supervisor is not None and self.supervisor.stop.is_set():
            raise StopRequested
        super().check_for_suspension(burst)

    def request_stop(self, signum: Any, frame: Any) -> None:
        if self.supervisor is not None:
            self.supervisor.stop.set()
        super().request_stop(signum, frame)


class ThreadWorker(HeartbeatWorker, SimpleWorker):
    """Runs jobs in its own thread of the web process, without forking; job timeouts use a timer, not SIGALRM."""

    death_penalty_class = TimerDeathPenalty
    _unfinished = False

    def _install_signal_handlers(self) -> None:
        return None

    def step(self) -> float:
        """Block for jobs (so they start at once), and come up for air each idle second to see a stop request.
        A round that lost Redis before it could note its end is noted ended first, or RQ refuses the name."""
        if self._unfinished:
            self.register_death()
        self._unfinished = True
        try:
            self.work(max_idle_time=1, logging_level="WARNING")
        finally:
            end_round(self)
        self._unfinished = False
        return 0.0

    def run_until(self, supervisor: Supervisor) -> None:
        keep_running("jobs", self.step, self.connection, supervisor)


def end_round(worker: BaseWorker) -> None:
    """A round of RQ's worker whose clean-up failed leaves its command listener retrying for ever: stop it."""
    if worker.pubsub_thread is not None:
        worker.pubsub_thread.stop()
        worker.pubsub_thread = None


class ThreadScheduler(RQScheduler):
    """RQ's scheduler loop (moves due delayed jobs and retries onto the queue) in a thread instead of a fork,
    so that a lost connection is retried here rather than leaving a dead child process behind."""

    _born = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connection_class = redis.Redis  # RQ copies the client's class: a plain one, not a second owner
        # of an embedded server (whose exit hook would try to shut it down again)

    def step(self) -> float:
        if not self._born:
            self.acquire_locks()
            self.register_birth()
            self._born = True
        elif self.should_reacquire_locks:
            self.acquire_locks()
        self.heartbeat()
        self.enqueue_scheduled_jobs()
        return float(self.interval)

    def run_until(self, supervisor: Supervisor) -> None:
        keep_running("scheduler", self.step, self.connection, supervisor)
        with contextlib.suppress(*REDIS_ERRORS):
            self.release_locks()
            self.register_death()
        self.connection.connection_pool.disconnect()  # RQ's scheduler opened a pool of its own
