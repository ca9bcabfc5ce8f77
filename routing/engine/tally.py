"""Running totals of what routing did, for /metrics: offers made, accepted, declined, missed and withdrawn,
contacts answered and abandoned, jobs failed, by association, language and channel.

They live in one Redis hash (``TALLY``), not in a process's memory: offers are made by web processes and by
RQ's work horses, which fork per job and exit, and any process may be scraped. A count is added once the
step's transaction has committed (a step rolled back counted nothing) and only on the transition itself,
which the conditional updates make happen once however often a webhook is redelivered. Labels are codes
and ids only: never a phone number, a hash or a contact's id. Redis being down loses counts, never a step.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Mapping

import redis
from sqlalchemy.orm import Session

from routing.engine.live.keys import TALLY, text_of
from routing.transaction import after_commit, undo_unless_committed

SEPARATOR = "|"
_PENDING = "samvaad.tally"


def count(session: Session, client: redis.Redis, metric: str, *labels: object) -> None:
    """Add one to ``metric`` for these label values when the session's transaction commits."""
    pending: Counter[str] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = Counter()
        after_commit(session, lambda: _flush(client, session.info.pop(_PENDING, Counter())))
        undo_unless_committed(session, lambda: session.info.pop(_PENDING, None))
    pending[field_of(metric, labels)] += 1


def count_now(client: redis.Redis, metric: str, *labels: object) -> None:
    """Add one at once, outside any transaction (a job that failed)."""
    _flush(client, Counter({field_of(metric, labels): 1}))


def read_tally(client: redis.Redis) -> dict[str, dict[tuple[str, ...], int]]:
    """Every total: metric -> label values -> count. Raises RedisError when Redis does not answer."""
    totals: dict[str, dict[tuple[str, ...], int]] = {}
    for field, value in client.hgetall(TALLY).items():
        metric, *labels = text_of(field).split(SEPARATOR)
        totals.setdefault(metric, {})[tuple(labels)] = int(value)
    return totals


def field_of(metric: str, labels: tuple[object, ...]) -> str:
    return SEPARATOR.join([metric, *(str(label).replace(SEPARATOR, "_") for label in labels)])


def _flush(client: redis.Redis, pending: Mapping[str, int]) -> None:
    if not pending:
        return
    with contextlib.suppress(redis.exceptions.RedisError):
        pipe = client.pipeline(transaction=False)
        for field, by in pending.items():
            pipe.hincrby(TALLY, field, by)
        pipe.execute()
