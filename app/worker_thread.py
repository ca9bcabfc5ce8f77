"""On the embedded default `samvaad serve` runs the jobs too, in background threads of the web process."""

from __future__ import annotations

import logging

from app.services import Services
from workers.runner import WorkerThreads, start_worker_threads

logger = logging.getLogger(__name__)


def start_worker_thread(services: Services) -> WorkerThreads:
    threads = start_worker_threads(services)
    logger.info("in-process worker started: jobs, delayed jobs and schedules run in this process")
    return threads
