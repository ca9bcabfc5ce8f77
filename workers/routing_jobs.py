"""Routing's periodic job: every few seconds, keep the live state honest and make the offers due."""

from __future__ import annotations

import logging

from routing import services as routing
from routing.live import LiveState
from workers.scope import job_scope

logger = logging.getLogger(__name__)

TICK_SECONDS = 2


def routing_tick(association_id: int | None = None) -> None:
    """Rebuild after a Redis flush or restart, expire unanswered offers, end wrap-ups, apply shift starts and
    ends, dispatch. Safe to run twice or in several workers at once: every change is an atomic script."""
    with job_scope() as scope:
        report = routing.tick(scope.session, LiveState(scope.redis), scope.clock.now(), association_id)
    if report.rebuilt or report.expired or report.offers:
        logger.info(
            "routing tick rebuilt=%s expired=%d released=%d offers=%d",
            report.rebuilt,
            report.expired,
            report.released,
            len(report.offers),
        )
