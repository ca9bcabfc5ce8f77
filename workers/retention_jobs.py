"""Retention: the hourly cron job that purges callers' records and audit entries older than their
association keeps them (``routing.privacy.retention``). Safe to run twice: a second run finds nothing."""

from __future__ import annotations

import logging

from routing import privacy
from workers.scope import job_scope

logger = logging.getLogger(__name__)

RETENTION_SECONDS = 3600


def purge_expired_records() -> dict[str, int]:
    """Cron: rows purged by table (committed together by the job scope)."""
    with job_scope() as scope:
        purged = privacy.purge_expired(scope.session, scope.clock.now())
    if purged:
        logger.info(
            "expired records purged %s", " ".join(f"{name}={count}" for name, count in purged.items())
        )
    return purged
