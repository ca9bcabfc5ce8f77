"""Is Samvaad working: /healthz (the web process answers), /readyz and /metrics (the worker's parts beat).

/readyz answers 200 while every part of the worker (jobs, cron, scheduler) has noted a heartbeat in Redis
within ``SAMVAAD_WORKER_STALE_SECONDS``, and 503 naming the stale parts otherwise (or when Redis does not
answer). It reports on the background work, not on this web process: webhooks keep answering while a part
is stale, so point alerting and the worker's supervisor at it, not the load balancer. /metrics gives the
same ages in Prometheus's text format; its only label is the part.
"""

from __future__ import annotations

import time

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from app.deps import ServicesDep
from workers.heartbeat import PARTS, heartbeat_ages, stale_parts

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep) -> JSONResponse:
    try:
        ages = heartbeat_ages(services.fast_redis, time.time())
    except redis.exceptions.RedisError:
        return JSONResponse({"status": "not ready", "redis": "unreachable", "stale": list(PARTS)}, 503)
    stale = stale_parts(ages, services.settings.worker_stale_seconds)
    body = {"status": "not ready" if stale else "ready", "stale": stale, "ages": _rounded(ages)}
    return JSONResponse(body, 503 if stale else 200)


@router.get("/metrics")
def metrics(services: ServicesDep) -> PlainTextResponse:
    try:
        ages = heartbeat_ages(services.fast_redis, time.time())
    except redis.exceptions.RedisError:
        ages = dict.fromkeys(PARTS, float("inf"))
    limit = services.settings.worker_stale_seconds
    lines = [
        "# HELP samvaad_worker_heartbeat_age_seconds Seconds since each worker part last went round its loop.",
        "# TYPE samvaad_worker_heartbeat_age_seconds gauge",
        *(
            f'samvaad_worker_heartbeat_age_seconds{{part="{part}"}} {_number(age)}'
            for part, age in ages.items()
        ),
        "# HELP samvaad_worker_part_up 1 while the part's heartbeat is fresher than SAMVAAD_WORKER_STALE_SECONDS.",
        "# TYPE samvaad_worker_part_up gauge",
        *(f'samvaad_worker_part_up{{part="{part}"}} {int(age <= limit)}' for part, age in ages.items()),
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


def _number(age: float) -> str:
    return "+Inf" if age == float("inf") else f"{age:.3f}"


def _rounded(ages: dict[str, float]) -> dict[str, float | None]:
    """JSON has no infinity: a part that never beat shows as null."""
    return {part: None if age == float("inf") else round(age, 3) for part, age in ages.items()}
