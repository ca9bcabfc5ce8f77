"""The worker's parts ride out a Redis outage: they wait with backoff and pick up where they left off.

A lost connection or a Redis that stopped answering is expected (a restart, a failover, a hung server):
the part waits 0.25 s, then twice as long each time up to ``MAX_DELAY``, so it is back within a couple of
seconds of Redis answering again. Anything else means the part cannot be trusted to recover by itself: it
says so through the ``Supervisor``, and the process exits non-zero so that its supervisor restarts it. A
worker never lives on with a dead part.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from redis.sentinel import SentinelConnectionPool

from workers.heartbeat import beat

logger = logging.getLogger(__name__)

REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
FIRST_DELAY = 0.25
MAX_DELAY = 2.0
# A part's own commands answer in milliseconds; a hung Redis costs this long before the part backs off.
PART_SOCKET_TIMEOUT = 5.0
PART_CONNECT_TIMEOUT = 2.0


@dataclass
class Backoff:
    failures: int = 0

    def next_delay(self) -> float:
        self.failures += 1
        return min(MAX_DELAY, FIRST_DELAY * 2 ** (self.failures - 1))


def terminate_process() -> None:
    """Ask this process to shut down as if its supervisor had: RQ and uvicorn stop cleanly on SIGTERM."""
    os.kill(os.getpid(), signal.SIGTERM)


@dataclass
class Supervisor:
    """Where a part that cannot recover says so. ``stop`` ends every part; ``on_failure`` ends the process."""

    stop: threading.Event = field(default_factory=threading.Event)
    on_failure: Callable[[], None] = terminate_process
    failed_part: str | None = None

    def fail(self, part: str) -> None:
        self.failed_part = part
        self.stop.set()
        self.on_failure()

    @property
    def exit_code(self) -> int:
        return 1 if self.failed_part else 0


def part_client(connection: redis.Redis) -> redis.Redis:
    """A client of the part's own to the same Redis: short timeouts, and no retries inside redis-py (the part
    retries itself; a command re-sent by redis-py to a hung server could run twice once it wakes up).
    Behind Sentinel it asks the Sentinels for the primary on every new connection, so after a failover the
    part's next retry reaches the new primary."""
    pool = connection.connection_pool
    options = {
        **pool.connection_kwargs,
        "socket_timeout": PART_SOCKET_TIMEOUT,
        "socket_connect_timeout": PART_CONNECT_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),
    }
    if isinstance(pool, SentinelConnectionPool):
        for managed in ("connection_pool", "host", "port", "connection_class"):
            options.pop(managed, None)
        return pool.sentinel_manager.master_for(pool.service_name, **options)
    return redis.Redis(
        connection_pool=redis.ConnectionPool(connection_class=pool.connection_class, **options)
    )


def keep_running(part: str, step: Callable[[], float], connection: Any, supervisor: Supervisor) -> None:
    """A part's thread: ``step`` (which returns how long to pause) until stopped, through Redis outages."""
    try:
        _loop(part, step, connection, supervisor.stop)
    except Exception:
        logger.exception("worker part failed part=%s: the process exits so that it is restarted", part)
        supervisor.fail(part)


def _loop(part: str, step: Callable[[], float], connection: Any, stop: threading.Event) -> None:
    backoff = Backoff()
    while not stop.is_set():
        try:
            pause = step()
            beat(connection, part, time.time())
        except REDIS_ERRORS as exc:
            if backoff.failures == 0:
                logger.warning("worker part lost Redis part=%s error=%s: retrying", part, type(exc).__name__)
            stop.wait(backoff.next_delay())
            continue
        if backoff.failures:
            logger.info("worker part resumed part=%s retries=%d", part, backoff.failures)
            backoff = Backoff()
        stop.wait(pause)
