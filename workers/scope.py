"""What a job needs, looked up from the ids it was given: the process's connections and a session.

The worker entry point installs its Services once (``install``); tests install theirs the same way and run
jobs in-process with ``ThreadWorker([queue], connection=redis).work(burst=True)`` (``workers.runner``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import redis

from routing.clock import Clock
from routing.phones import PhoneVault
from routing.transaction import Session, unit_of_work
from schemas.settings import Settings

QUEUE_NAME = "samvaad"

_installed: dict[str, Any] = {}


@dataclass
class JobScope:
    """A job's one transaction (``session``, committed when the job returns, rolled back if it raises) and
    the connections it needs."""

    settings: Settings
    session: Session
    redis: redis.Redis
    vault: PhoneVault
    clock: Clock

    def keep_progress(self) -> None:
        """Commit what the job did so far, before it raises for RQ's retry: the messages it sent stay sent
        and the attempt stays counted, so a retry neither repeats them nor runs forever."""
        self.session.commit()


def install(services: Any) -> None:
    """Make the process's Services (app.services.Services, duck-typed so workers never import app) current."""
    _installed["services"] = services


def installed_services() -> Any:
    if "services" not in _installed:
        raise RuntimeError("no services installed: the worker entry point calls workers.scope.install first")
    return _installed["services"]


@contextmanager
def job_scope() -> Iterator[JobScope]:
    services = installed_services()
    with unit_of_work(services.engine) as session:
        yield JobScope(services.settings, session, services.redis, services.vault, services.clock)
