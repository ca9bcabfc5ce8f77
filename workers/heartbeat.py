"""Each part of the worker (jobs, cron, scheduler) notes in Redis when it last went round its loop.

A stalled part is then visible from outside (``/readyz`` and ``/metrics`` read these notes), not only in the
worker's own log. Several worker processes share one note per part: the freshest counts, because one live
part of each kind is what keeps the helpline's background work going.
"""

from __future__ import annotations

import math
from typing import Any

HEARTBEAT_KEY = "samvaad:worker:heartbeat"
PARTS = ("jobs", "cron", "scheduler")


def beat(connection: Any, part: str, at: float) -> None:
    """Record that ``part`` is alive at ``at`` (Unix seconds); ``connection`` may be a pipeline."""
    connection.hset(HEARTBEAT_KEY, part, f"{at:.3f}")


def heartbeat_ages(connection: Any, now: float) -> dict[str, float]:
    """Seconds since each part last beat; infinity for a part that never did."""
    raw = connection.hgetall(HEARTBEAT_KEY)
    beats = {key.decode() if isinstance(key, bytes) else key: float(value) for key, value in raw.items()}
    return {part: max(0.0, now - beats[part]) if part in beats else math.inf for part in PARTS}


def stale_parts(ages: dict[str, float], stale_after: float) -> list[str]:
    return [part for part, age in ages.items() if age > stale_after]
