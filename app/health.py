"""Is Samvaad working: /livez and /healthz (this web process answers), /readyz (its dependencies answer and
the worker's parts beat), /metrics (Prometheus, app/metrics.py).

/livez checks nothing outside the process, so a supervisor restarts the process only when the process itself
is stuck, never because Redis or the database is down (restarting would not bring them back, and webhooks
keep answering the degraded TwiML meanwhile). /readyz answers 200 when the database and Redis answer and
every part of the worker (jobs, cron, scheduler) noted a heartbeat within ``SAMVAAD_WORKER_STALE_SECONDS``;
otherwise 503, with ``down`` naming each dependency that failed. Point alerting at it, not the load balancer.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.deps import ServicesDep
from app.metrics import CONTENT_TYPE
from app.services import Services
from workers.heartbeat import PARTS, heartbeat_ages, stale_parts

router = APIRouter(include_in_schema=False)


@router.get("/livez")
@router.get("/healthz")
def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep) -> JSONResponse:
    checks: dict[str, Any] = {"database": database_check(services), "redis": "ok"}
    try:
        ages = heartbeat_ages(services.fast_redis, time.time())
    except redis.exceptions.RedisError as exc:
        checks["redis"] = f"unreachable ({type(exc).__name__})"
        ages = dict.fromkeys(PARTS, float("inf"))
    stale = stale_parts(ages, services.settings.worker_stale_seconds)
    down = [name for name, state in checks.items() if state != "ok"] + [f"worker.{part}" for part in stale]
    body = {"status": "not ready" if down else "ready", "down": down, **checks, "stale": stale,
            "ages": _rounded(ages)}  # fmt: skip
    return JSONResponse(body, 503 if down else 200)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE)


def database_check(services: Services) -> str:
    try:
        with services.fast_engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"unreachable ({type(exc).__name__})"
    return "ok"


def _rounded(ages: dict[str, float]) -> dict[str, float | None]:
    """JSON has no infinity: a part that never beat shows as null."""
    return {part: None if age == float("inf") else round(age, 3) for part, age in ages.items()}
