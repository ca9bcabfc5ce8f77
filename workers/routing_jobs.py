"""Routing's jobs: every few seconds, keep the live state honest and make the offers due; and, when a call's
wrap-up starts, free the listener the moment it ends (not at the next tick)."""

from __future__ import annotations

import logging

from rq import Queue

from routing import engine
from routing.engine.live import LiveState
from workers.scope import job_scope

logger = logging.getLogger(__name__)

TICK_SECONDS = 2


def routing_tick(association_id: int | None = None) -> None:
    """Rebuild after a Redis flush or restart, expire unanswered offers, end wrap-ups, apply shift starts and
    ends, dispatch. Safe to run twice or in several workers at once: every change is an atomic script. One
    transaction for the live state's part, then one per association: one that fails is logged and retried at
    the next tick, and the others go on."""
    with job_scope() as scope:
        report = engine.tick_live(scope.session, LiveState(scope.redis), scope.clock.now())
        ids = [association_id] if association_id is not None else engine.association_ids(scope.session)
    offers = len(report.offers)
    for one in ids:
        try:
            with job_scope() as scope:
                offers += len(
                    engine.tick_association(scope.session, LiveState(scope.redis), one, scope.clock.now())
                )
        except Exception:
            logger.exception("routing tick failed association_id=%d", one)
    if report.rebuilt or report.expired or offers:
        logger.info(
            "routing tick rebuilt=%s expired=%d released=%d offers=%d",
            report.rebuilt,
            report.expired,
            report.released,
            offers,
        )


def schedule_wrapup_end(queue: Queue, ended: engine.Ended) -> None:
    """Call after ``end_contact``: when the listener entered a wrap-up, RQ's scheduler runs ``end_wrapup`` as
    it ends, so the next caller is offered at once. The tick remains the safety net if the job is lost."""
    if ended.listener_id is None or ended.wrap_until is None:
        return
    until_us = engine.to_us(ended.wrap_until)
    queue.enqueue_at(
        ended.wrap_until,
        end_wrapup,
        ended.listener_id,
        until_us,
        job_id=f"wrapup-{ended.listener_id}-{until_us}",
    )


def end_wrapup(listener_id: int, wrap_until_us: int) -> None:
    """Free the listener from the wrap-up ending at ``wrap_until_us`` and offer them the next contact. A second
    run, a run after the tick freed them, or one during a later wrap-up changes nothing."""
    with job_scope() as scope:
        offer = engine.end_wrapup(
            scope.session, LiveState(scope.redis), listener_id, wrap_until_us, scope.clock.now()
        )
    if offer is not None:
        logger.info(
            "wrap-up ended listener_id=%d offer_id=%s contact_id=%s",
            listener_id,
            offer.offer_id,
            offer.contact_id,
        )
