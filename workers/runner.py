"""Run RQ: a worker for the ``samvaad`` queue, its scheduler for delayed retries, and the cron schedules."""

from __future__ import annotations

import logging
import threading
from typing import Any

from rq import Queue, SimpleWorker, Worker
from rq.cron import CronScheduler

from workers.schedules import schedules
from workers.scope import QUEUE_NAME, install

logger = logging.getLogger(__name__)


def job_queue(connection: Any) -> Queue:
    return Queue(QUEUE_NAME, connection=connection)


def build_cron(connection: Any, scheduler_class: type[CronScheduler] = CronScheduler) -> CronScheduler:
    cron = scheduler_class(connection=connection)
    for schedule in schedules():
        cron.register(schedule.func, QUEUE_NAME, interval=schedule.interval_seconds)
    return cron


def run_worker(services: Any, burst: bool = False) -> None:
    """The `samvaad worker` process: jobs, scheduled retries and, in a thread, the cron schedules."""
    install(services)
    connection = services.redis
    if not burst:
        cron = build_cron(connection, ThreadCronScheduler)
        threading.Thread(target=cron.start, name="samvaad-cron", daemon=True).start()
    Worker([job_queue(connection)], connection=connection).work(burst=burst, with_scheduler=True)


class ThreadCronScheduler(CronScheduler):
    """A cron scheduler that can run in a thread: only the main thread may install signal handlers."""

    def _install_signal_handlers(self) -> None:
        return None


class ThreadWorker(SimpleWorker):
    """A worker that runs jobs in the web process's thread, for the embedded default."""

    def _install_signal_handlers(self) -> None:
        return None
