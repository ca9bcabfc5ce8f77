"""A real Redis of its own, a `samvaad worker` beside it, and an outage: what `bench.faults` and the tests run.

The Redis writes an append-only file, fsynced on every write, as a production Redis keeps its data across a
restart: a job scheduled before the outage is still there after it. The outage is either a crash (SIGKILL,
then a restart on the same port) or a hang (SIGSTOP, then SIGCONT: connections stay open, nothing answers).
``measure`` then watches what a helpline would notice: when each recurring job and a job scheduled with
``enqueue_at`` run again after Redis answers, and whether any ran twice.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
from rq import Queue
from rq.cron import get_cron_job_history_key
from rq.job import Job, JobStatus

from bench.routing_claims import free_port
from workers.probe import count_probe
from workers.schedules import Schedule, schedules
from workers.scope import QUEUE_NAME

ROOT = Path(__file__).resolve().parent.parent
# Enqueue times of one schedule are at least its interval apart; RQ stamps each a few milliseconds late.
GAP_TOLERANCE = 0.25


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll for an observable event, with a deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


class RedisServer:
    """redis-server on a free loopback port, in ``folder``; started, crashed, hung and stopped here."""

    def __init__(self, folder: Path, replica_of: int | None = None) -> None:
        self.folder = folder
        self.port = free_port()
        self.replica_of = replica_of
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        command += ["--logfile", str(self.folder / "redis.log")]
        if self.replica_of is not None:
            command += ["--replicaof", "127.0.0.1", str(self.replica_of)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(self.answers, 10, "redis-server answering")

    def answers(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.exceptions.RedisError:
            return False
        finally:
            client.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def hang(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def wake(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)
        self.process.kill()
        self.process.wait(10)


class WorkerProcess:
    """`samvaad worker` against ``redis_url``; its log goes to ``folder/worker.log``."""

    def __init__(self, folder: Path, redis_url: str, database_url: str) -> None:
        self.log_path = folder / "worker.log"
        env = {**os.environ, "SAMVAAD_REDIS_URL": redis_url, "SAMVAAD_DATABASE_URL": database_url}
        env["SAMVAAD_DATA_DIR"] = str(folder / "data")
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "worker"], cwd=ROOT, env=env, stdout=log, stderr=log
            )

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        """SIGTERM, as a supervisor stops it; the exit code."""
        if self.is_alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def enqueue_times(connection: redis.Redis, schedule: Schedule) -> list[float]:
    """When the cron scheduler enqueued this schedule's jobs (RQ keeps each cron job's history)."""
    name = f"{schedule.func.__module__}.{schedule.func.__name__}"
    return sorted(
        score for _, score in connection.zrange(get_cron_job_history_key(name), 0, -1, withscores=True)
    )


def finished_runs(connection: redis.Redis, schedule: Schedule) -> list[float]:
    """When this schedule's jobs finished running, oldest first."""
    name = f"{schedule.func.__module__}.{schedule.func.__name__}"
    ids = [job_id.decode() for job_id in connection.zrange(get_cron_job_history_key(name), 0, -1)]
    jobs = [job for job in Job.fetch_many(ids, connection=connection) if job is not None]
    return sorted(
        job.ended_at.timestamp()
        for job in jobs
        if job.ended_at is not None and job.get_status(refresh=False) == JobStatus.FINISHED
    )


@dataclass
class Recovery:
    """What came back after an outage, in seconds after Redis answered again."""

    fault: str
    outage_seconds: float
    scheduled_job_after: float
    scheduled_job_runs: int
    recurring_after: dict[str, float] = field(default_factory=dict)
    doubled: list[str] = field(default_factory=list)


def due_again(connection: redis.Redis, schedule: Schedule, back: float, within: float) -> bool:
    """Whether the schedule's next run fell due during the outage or within ``within`` of its end."""
    before = [t for t in enqueue_times(connection, schedule) if t < back]
    return bool(before) and before[-1] + schedule.interval_seconds <= back + within


def doubled_schedules(connection: redis.Redis) -> list[str]:
    """Schedules enqueued twice within one interval: a duplicated recurring job."""
    doubled = []
    for schedule in schedules():
        times = enqueue_times(connection, schedule)
        if any(b - a < schedule.interval_seconds - GAP_TOLERANCE for a, b in itertools.pairwise(times)):
            doubled.append(schedule.func.__name__)
    return doubled


def measure(server: RedisServer, fault: str, hang_seconds: float = 30, within: float = 10) -> Recovery:
    """Warm up, schedule a job due during the outage, cause the fault, and time what runs again."""
    connection = redis.Redis.from_url(server.url, socket_timeout=5)
    fast = [s for s in schedules() if s.interval_seconds <= within / 2]
    wait_until(
        lambda: all(finished_runs(connection, s) for s in fast), 60, "the worker's first recurring runs"
    )
    token = uuid.uuid4().hex
    counter = f"samvaad:probe:count:{token}"
    due = datetime.now(UTC) + timedelta(seconds=1)
    Queue(QUEUE_NAME, connection=connection).enqueue_at(due, count_probe, token)
    started = time.monotonic()
    if fault == "kill":
        server.kill()
        wait_until(lambda: datetime.now(UTC) > due + timedelta(seconds=1), 5, "the scheduled job falling due")
        server.start()
    else:
        server.hang()
        wait_until(lambda: time.monotonic() - started >= hang_seconds, hang_seconds + 5, "the hang's end")
        server.wake()
    wait_until(server.answers, 10, "Redis answering again")
    back_monotonic, back = time.monotonic(), time.time()
    outage = back_monotonic - started
    expected = [s for s in schedules() if due_again(connection, s, back, within)]
    wait_until(lambda: connection.get(counter) is not None, 60, "the scheduled job running")
    scheduled_after = time.monotonic() - back_monotonic
    recurring: dict[str, float] = {}

    def all_ran_again() -> bool:
        for schedule in expected:
            runs = [t for t in finished_runs(connection, schedule) if t >= back]
            if runs:
                recurring.setdefault(schedule.func.__name__, runs[0] - back)
        return len(recurring) == len(expected)

    wait_until(all_ran_again, 60, "every recurring job due running again")
    longest = max(s.interval_seconds for s in fast)
    settle = time.monotonic() + 2 * longest  # long enough for a duplicate of any fast schedule to show
    wait_until(lambda: time.monotonic() > settle, 2 * longest + 5, "a settling period")
    runs = int(connection.get(counter) or 0)
    doubled = doubled_schedules(connection)
    connection.close()
    return Recovery(fault, outage, scheduled_after, runs, recurring, doubled)
