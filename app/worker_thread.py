"""On the embedded default `samvaad serve` runs the jobs too, in background threads of the web process."""

from __future__ import annotations

import logging
import threading

from app.services import Services
from workers.runner import ThreadCronScheduler, ThreadWorker, build_cron, job_queue
from workers.scope import install

logger = logging.getLogger(__name__)


def start_worker_thread(services: Services) -> None:
    install(services)
    worker = ThreadWorker([job_queue(services.redis)], connection=services.redis)
    cron = build_cron(services.redis, ThreadCronScheduler)
    threading.Thread(
        target=worker.work, kwargs={"with_scheduler": True}, name="samvaad-worker", daemon=True
    ).start()
    threading.Thread(target=cron.start, name="samvaad-cron", daemon=True).start()
    logger.info("in-process worker started")
