"""What one process holds for its whole life: settings, the database engine, Redis, secrets and the clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import redis
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy.engine import Engine

from app.connections import client_for, close_redis, open_redis
from routing.clock import Clock, SystemClock
from routing.phones import PhoneVault
from routing.voice.helplines import HelplineCache
from schemas.database import make_engine
from schemas.settings import Settings

# The request path of a voice webhook must answer within its deadline: Redis and PostgreSQL answer in
# milliseconds or not at all, and nothing is retried there.
REQUEST_REDIS_TIMEOUT = 0.1
# A text webhook that cannot reach Redis in time keeps the message for the sweep (workers/text_inbox.py) and
# tells the texter so: a little more room than the voice path's, so that a loaded Redis rarely defers a text.
TEXT_REDIS_TIMEOUT = 0.2
REQUEST_STATEMENT_TIMEOUT_MS = 200
REQUEST_THREADS = 32


@dataclass
class Services:
    settings: Settings
    engine: Engine
    redis: redis.Redis
    vault: PhoneVault
    clock: Clock = field(default_factory=SystemClock)
    request_redis: Redis | None = None
    text_request_redis: Redis | None = None
    text_redis_failed_at: float = float("-inf")  # time.monotonic() of the text path's last Redis failure
    request_engine: Engine | None = None
    helplines: HelplineCache = field(default_factory=HelplineCache)
    request_pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="samvaad-request")
    )

    @property
    def fast_redis(self) -> Redis:
        """The request path's Redis: short timeouts, no retries (the main client is for jobs)."""
        return self.request_redis or self.redis

    @property
    def text_redis(self) -> Redis:
        """The messaging webhook's Redis: no retries, and a timeout of ``TEXT_REDIS_TIMEOUT``."""
        return self.text_request_redis or self.fast_redis

    @property
    def fast_engine(self) -> Engine:
        """The request path's database engine: short connect and statement timeouts on PostgreSQL."""
        return self.request_engine or self.engine

    def close(self) -> None:
        """Release what the process holds: the request threads, the database pools, the Redis clients and
        the embedded Redis server, if this process started it (the last client shuts it down)."""
        self.request_pool.shutdown(wait=False, cancel_futures=True)
        if self.request_engine is not None and self.request_engine is not self.engine:
            self.request_engine.dispose()
        self.engine.dispose()
        for client in (self.request_redis, self.text_request_redis):
            if client is not None and client is not self.redis:
                client.close()
        close_redis(self.redis)


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    main_redis = open_redis(settings)
    engine = make_engine(settings.resolved_database_url, **pool_options(settings))
    return Services(
        settings=settings,
        engine=engine,
        redis=main_redis,
        vault=PhoneVault(settings.phone_hash_secret or "", settings.encryption_key or ""),
        clock=clock or SystemClock(),
        request_redis=open_request_redis(settings, main_redis),
        text_request_redis=open_request_redis(settings, main_redis, TEXT_REDIS_TIMEOUT),
        request_engine=open_request_engine(settings, engine),
    )


def pool_options(settings: Settings) -> dict[str, Any]:
    """The main engine's pool on PostgreSQL, sized by the settings; each connection is checked before use
    (pool_pre_ping), so a database restarted since is reconnected to rather than failing the next query.
    On SQLite (a local file) one connection per request thread, opened once."""
    if not settings.resolved_database_url.startswith("postgresql"):
        # SQLite's default pool keeps 5 connections: under load the request threads' others were opened
        # (and tuned) for one query and closed again, a fifth of a webhook's time. Keep one per thread.
        return {"pool_size": REQUEST_THREADS, "max_overflow": settings.database_max_overflow}
    return {
        "pool_size": settings.database_pool_size,
        "max_overflow": settings.database_max_overflow,
        "pool_timeout": settings.database_pool_timeout,
        "pool_pre_ping": True,
    }


def open_request_redis(
    settings: Settings, main: redis.Redis, timeout: float = REQUEST_REDIS_TIMEOUT
) -> redis.Redis:
    """A second client to the same Redis that fails fast: a slow or dead Redis costs one short timeout."""
    options = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
        "health_check_interval": 0,
    }
    if settings.redis_url:
        return client_for(settings.redis_url, **options)
    socket_file = getattr(main, "socket_file", None)
    if socket_file is None:
        return main
    return redis.Redis(unix_socket_path=socket_file, **options)  # type: ignore[arg-type]


def open_request_engine(settings: Settings, main: Engine) -> Engine:
    """Connections that give up quickly. On PostgreSQL, a short connect and statement timeout. On SQLite (a
    local file, one writer at a time), a writer waits for another's lock no longer than the voice deadline:
    a step past its deadline answers the degraded TwiML anyway, and steps that waited 30 s each for a lock
    held by one stuck on a hung Redis queued up behind it for seconds, holding up every other write."""
    url = settings.resolved_database_url
    if not url.startswith("postgresql"):
        busy = max(0.25, settings.voice_deadline_ms / 1000)
        return make_engine(url, sqlite_busy_seconds=busy, **pool_options(settings))
    return make_engine(
        url,
        connect_args={
            "connect_timeout": 2,
            "options": f"-c statement_timeout={REQUEST_STATEMENT_TIMEOUT_MS}",
        },
        pool_timeout=0.2,
        pool_pre_ping=False,
        pool_size=REQUEST_THREADS,
    )
