"""The roster's jobs: shift reminders, confirmation deadlines, invitations to open shifts, "filled" notices,
and the coordinators' messages.

The cron tick ``plan_roster_work`` (every minute) asks routing what falls due in the next two minutes and
hands each item to RQ's scheduler for its moment (``enqueue_in``) under an id of its own
(``reminder-<shift>-<start>-<hours>``, ...), so ticks that overlap schedule it once. Each job then claims
its message in the database before sending (``routing.roster.notices``): however many workers run it,
it goes out once. A send that fails rolls the claim back and RQ retries (the worker logs the provider's
failure in one line, ``workers.runner``). With no provider account configured (the embedded default) the
message is written to the log instead, the number masked, and counts as sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import redis
from rq import Queue, Retry

from routing import reports, roster
from routing.phones import mask
from routing.roster import Due, RosterMessage, RosterOptions
from schemas.settings import Settings
from workers.queueing import enqueue_once, schedule_once
from workers.scope import QUEUE_NAME, JobScope, job_scope
from workers.sending import rest_client

logger = logging.getLogger(__name__)

RETRY = Retry(max=3, interval=[10, 60, 300])
PLAN_SECONDS = 60
LEAD = timedelta(seconds=120)


def roster_queue(connection: redis.Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=connection)


def options_of(settings: Settings) -> RosterOptions:
    return RosterOptions(settings.reminder_templates, settings.sms_replies_in_india)


def plan_roster_work() -> None:
    """Cron: schedule what falls due soon. Safe to run twice, or in two workers at once."""
    with job_scope() as scope:
        now = scope.clock.now()
        plan = roster.plan_roster(scope.session, now, LEAD)
        digests = reports.digests_due(scope.session, now)
    queue = roster_queue(scope.redis)
    for due in plan.reminders:
        job_id = f"reminder-{due.shift_id}-{due.starts_at_epoch}-{due.hours}"
        schedule_once(queue, due.at - now, job_id, send_shift_reminder,
                      due.shift_id, due.starts_at_epoch, due.hours, retry=RETRY)  # fmt: skip
    for due in plan.deadlines:
        job_id = f"confirm-by-{due.shift_id}-{due.starts_at_epoch}"
        schedule_once(queue, due.at - now, job_id, close_confirmation, due.shift_id, due.starts_at_epoch,
                      retry=RETRY)  # fmt: skip
    for no_show in plan.no_shows:
        enqueue_once(queue, f"roster-{no_show.key.replace(':', '-')}", send_no_show, no_show.shift_id,
                     no_show.starts_at_epoch, no_show.staff_id, retry=RETRY)  # fmt: skip
    for digest in digests:
        enqueue_once(queue, f"roster-{digest.key.replace(':', '-')}", send_coverage_digest, digest.association_id,
                     digest.staff_id, digest.local_date, retry=RETRY)  # fmt: skip
    for send in plan.sends:
        job_id = f"roster-{send.kind}-{send.open_shift_id}-{send.recipient_id}"
        enqueue_once(queue, job_id, send_open_shift_message, send.kind, send.open_shift_id, send.recipient_id,
                     retry=RETRY)  # fmt: skip


def plan_now(queue: Queue) -> None:
    """The roster moved (a NO, a take): plan at once rather than at the next tick."""
    enqueue_once(queue, "roster-plan-now", plan_roster_work, retry=RETRY)


def send_shift_reminder(shift_id: int, starts_at_epoch: int, hours: int) -> None:
    """Remind the listener of one occurrence, once."""
    due = Due(shift_id, starts_at_epoch, datetime.min, hours)
    if _send_prepared(lambda scope, options: roster.prepare_reminder(
            scope.session, scope.vault, options, due, scope.clock.now())):  # fmt: skip
        logger.info("shift reminder sent shift_id=%d start=%d hours=%d", shift_id, starts_at_epoch, hours)


def close_confirmation(shift_id: int, starts_at_epoch: int) -> None:
    """At the deadline: an occurrence whose reminder is still unanswered opens."""
    with job_scope() as scope:
        now = scope.clock.now()
        limit = roster.confirm_by(scope.session, shift_id)
        opened = roster.expire_confirmation(scope.session, Due(shift_id, starts_at_epoch, now), now, limit)
    if opened is not None:
        logger.info("shift unconfirmed, open shift_id=%d start=%d", shift_id, starts_at_epoch)
        plan_now(roster_queue(scope.redis))


def send_open_shift_message(kind: str, open_shift_id: int, recipient_id: int) -> None:
    """An invitation, a "filled" notice or a coordinator's notice about one open shift, once."""
    item = roster.Send(kind, open_shift_id, recipient_id)
    if _send_prepared(lambda scope, options: roster.prepare_send(
            scope.session, scope.vault, options, item, scope.clock.now())):  # fmt: skip
        logger.info("open shift message sent kind=%s open_shift_id=%d", kind, open_shift_id)


def send_no_show(shift_id: int, starts_at_epoch: int, staff_id: int) -> None:
    """Tell a coordinator, once, that a shift started with its listener offline."""
    due = roster.NoShow(shift_id, starts_at_epoch, staff_id)
    if _send_prepared(lambda scope, options: roster.prepare_no_show(
            scope.session, scope.vault, options, due, scope.clock.now())):  # fmt: skip
        logger.info("no-show told shift_id=%d start=%d", shift_id, starts_at_epoch)


def send_coverage_digest(association_id: int, staff_id: int, local_date: str) -> None:
    """The day's coverage digest to one coordinator, once."""
    digest = reports.Digest(association_id, staff_id, local_date)
    if _send_prepared(lambda scope, options: reports.prepare_digest(
            scope.session, scope.vault, options, digest, scope.clock.now())):  # fmt: skip
        logger.info("coverage digest sent association_id=%d", association_id)


def _send_prepared(prepare: Callable[[JobScope, RosterOptions], RosterMessage | None]) -> bool:
    """Prepare (and claim) one message in the job's transaction and send it before the commit."""
    with job_scope() as scope:
        message = prepare(scope, options_of(scope.settings))
        if message is None:
            return False
        send(scope.settings, [message])
    return True


def send(settings: Settings, outgoing: Sequence[RosterMessage]) -> None:
    """Send within the job's transaction: a failure rolls the claims back, and RQ retries. With no provider
    account (the embedded default) each message is written to the log instead, and counts as sent."""
    if not outgoing:
        return
    if settings.logs_roster_messages:
        for message in outgoing:
            channel = "whatsapp" if message.to.startswith("whatsapp:") else "sms"
            logger.warning("roster message to %s on %s (no provider account: shown here, not sent): %s",
                           mask(message.to), channel, message.body)  # fmt: skip
        return
    with rest_client(settings) as client:
        for message in outgoing:
            if message.content_sid:
                client.send_content(message.to, message.from_, message.content_sid, {"1": message.body})
            else:
                client.send_message(message.to, message.from_, message.body)
