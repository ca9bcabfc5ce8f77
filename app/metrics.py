"""Prometheus metrics (prometheus-client), served at /metrics.

Two kinds of series, told apart in docs/operations.md:

* **This process's**: ``samvaad_request_duration_seconds``, a histogram per route template (never a raw
  path, so no id or number reaches a label), method and status class, timed by ``RequestTimer``.
* **The line's**, read at scrape time from where the truth is kept, so every web process gives the same
  values (aggregate them with ``max``, not ``sum``): contacts waiting, longest wait, callbacks pending and
  listeners by state, per association and language (the live board); offers made, accepted, declined, missed
  and withdrawn, contacts answered and abandoned, and jobs failed (routing's tally in Redis); and each worker
  part's heartbeat.

Labels carry codes and ids only: an association's id, a language code, a kind (voice, text), an outcome, a
route template, a job's function name. Never a phone number, a hash or a contact's id.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import redis
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services import Services
from routing import engine
from routing.engine import LiveState
from workers.heartbeat import PARTS, heartbeat_ages

logger = logging.getLogger(__name__)

# Voice webhooks must answer within 300 ms under faults, and usually take a few milliseconds.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """One registry per app (tests build many apps in one process)."""

    def __init__(self, services: Services) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Histogram(
            "samvaad_request_duration_seconds",
            "Time to answer an HTTP request (webhooks, API, pages), by route template, in this process.",
            ("route", "method", "status"),
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.registry.register(LineCollector(services))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class RequestTimer:
    """Pure ASGI middleware timing each request under its route's template ("unmatched" for a 404)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            labels = (route_template(scope), scope["method"], f"{status // 100}xx")
            self.metrics.requests.labels(*labels).observe(time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The matched route's path template with the prefixes it was included under ("/twilio/voice" +
    "/incoming"): the prefix is what the request's path has before the route's own part, with its values."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if not template:
        return "unmatched"
    params = {name: str(value) for name, value in scope.get("path_params", {}).items()}
    try:
        own_part = str(getattr(route, "path_format", template)).format(**params)
    except (KeyError, IndexError, ValueError):
        return str(template)
    path = str(scope.get("path", ""))
    prefix = path[: len(path) - len(own_part)] if own_part and path.endswith(own_part) else ""
    return prefix + str(template)


class LineCollector(Collector):
    """The line's series, read when scraped: a part that does not answer leaves its series out (and
    ``samvaad_dependency_up`` says which), never fails the scrape."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def describe(self) -> list[Metric]:
        """Nothing to check for clashes: without this the registry would collect (read Redis and the
        database) when the app is built."""
        return []

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("samvaad_dependency_up", "1 when the dependency answered this scrape.",
                               labels=("dependency",))  # fmt: skip
        redis_ok = database_ok = True
        try:
            yield from tally_metrics(engine.read_tally(self.services.fast_redis))
            yield from heartbeat_metrics(self.services)
        except redis.exceptions.RedisError:
            redis_ok = False
        try:
            yield from board_metrics(self.services)
        except redis.exceptions.RedisError:
            redis_ok = False
        except SQLAlchemyError:
            database_ok = False
        up.add_metric(["redis"], int(redis_ok))
        up.add_metric(["database"], int(database_ok))
        yield up


def tally_metrics(totals: dict[str, dict[tuple[str, ...], int]]) -> Iterator[Metric]:
    families = (
        ("offers", "samvaad_offers", "Offers to listeners, by outcome (made, accepted, declined, missed, "
         "withdrawn).", ("association", "language", "kind", "outcome")),
        ("contacts", "samvaad_contacts", "Contacts answered by a listener or abandoned before it.",
         ("association", "language", "kind", "outcome")),
        ("job_failures", "samvaad_job_failures", "Jobs that raised: retried (RQ tries again) or failed.",
         ("job", "outcome")),
    )  # fmt: skip
    for key, name, help_text, labels in families:
        family = CounterMetricFamily(name, help_text, labels=labels)
        for values, total in sorted(totals.get(key, {}).items()):
            if len(values) == len(labels):
                family.add_metric(list(values), total)
        yield family


def heartbeat_metrics(services: Services) -> Iterator[Metric]:
    ages = heartbeat_ages(services.fast_redis, time.time())
    limit = services.settings.worker_stale_seconds
    age = GaugeMetricFamily("samvaad_worker_heartbeat_age_seconds",
                            "Seconds since each worker part last went round its loop.", labels=("part",))  # fmt: skip
    fresh = GaugeMetricFamily("samvaad_worker_part_up",
                              "1 while the part's heartbeat is fresher than SAMVAAD_WORKER_STALE_SECONDS.",
                              labels=("part",))  # fmt: skip
    for part in PARTS:
        age.add_metric([part], ages.get(part, float("inf")))
        fresh.add_metric([part], int(ages.get(part, float("inf")) <= limit))
    yield age
    yield fresh


def board_metrics(services: Services) -> Iterator[Metric]:
    """The live board of every association, as the coordinators see it."""
    waiting = _gauge("samvaad_contacts_waiting", "Contacts waiting for a listener now.", "kind")
    longest = _gauge("samvaad_longest_wait_seconds", "How long the longest-waiting contact has waited.")
    callbacks = _gauge("samvaad_callbacks_pending", "Callers waiting for a call back.")
    crisis = _gauge("samvaad_crisis_waiting", "Callers in danger waiting for a listener now.")
    listeners = _gauge("samvaad_listeners", "Listeners who speak the language, by state.", "state")
    live = LiveState(services.fast_redis)
    now = services.clock.now()
    with Session(services.fast_engine) as session:
        boards = [engine.read_board(session, live, a, now) for a in engine.association_ids(session)]
    for board in boards:
        for language in board.languages:
            labels = [str(board.association_id), language.code]
            waiting.add_metric([*labels, "voice"], language.calls_waiting)
            waiting.add_metric([*labels, "text"], language.texts_waiting)
            longest.add_metric(labels, language.longest_wait_seconds)
            callbacks.add_metric(labels, language.callbacks_pending)
            crisis.add_metric(labels, language.crisis_waiting)
            for state in engine.LISTENER_STATES:
                listeners.add_metric([*labels, state], language.count(state))
    yield from (waiting, longest, callbacks, crisis, listeners)


def _gauge(name: str, help_text: str, *extra: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, help_text, labels=("association", "language", *extra))


def install_metrics(app: Any, services: Services) -> Metrics:
    metrics = Metrics(services)
    app.state.metrics = metrics
    app.add_middleware(RequestTimer, metrics=metrics)
    return metrics
