"""A job that proves the worker runs: it records that it ran, so `samvaad` and the tests can check."""

from __future__ import annotations

from workers.scope import job_scope


def record_probe(token: str) -> None:
    """Records ``done`` under the token, and announces it on a list, which a waiting check can block on
    (BLPOP) instead of polling."""
    with job_scope() as scope:
        scope.redis.set(f"samvaad:probe:{token}", "done", ex=60)
        scope.redis.rpush(f"samvaad:probe:{token}:ran", "done")
        scope.redis.expire(f"samvaad:probe:{token}:ran", 60)


def count_probe(token: str) -> None:
    """Counts its runs, so a test can tell a job that ran once from one that ran twice."""
    with job_scope() as scope:
        scope.redis.incr(f"samvaad:probe:count:{token}")
        scope.redis.expire(f"samvaad:probe:count:{token}", 600)
