"""Two web processes behind one address and two workers, on the run's PostgreSQL and Redis: 50 calls and 50
texts across them, and every invariant holds (``bench.many_processes.violations``): each caller bridged
once, each conversation taken by one listener and its message relayed to them once, no listener talking
to two callers at once or rung twice for an offer, no failed job, and every process did part of the work.

Real processes on the real clock (``bench.many_processes``); only the servers run has servers to share, so
the embedded run skips it. It takes about a minute and a half on a quiet 2-core machine (each job is a fork
of the worker), longer beside the embedded run; ``python -m bench.many_processes`` runs the same on its own
servers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Services
from bench.many_processes import cluster, drive, seed_helpline, violations
from tests.conftest import SERVERS

CALLS, TEXTS, LISTENERS = 50, 50, 10

pytestmark = pytest.mark.skipif(not SERVERS, reason="processes share PostgreSQL and Redis servers only")


@pytest.fixture
def processes_services(services: Services) -> Iterator[Services]:
    """The run's services; the live state the processes leave is flushed with the rest after the test."""
    seed_helpline(services, LISTENERS)
    yield services


@pytest.mark.timeout(900)  # four processes start slowly on a loaded machine; the run itself takes a minute
def test_calls_and_texts_across_two_web_processes_and_two_workers(
    processes_services: Services, tmp_path: Path
) -> None:
    with cluster(processes_services, tmp_path, web=2, workers=2) as group:
        traffic = drive(group, CALLS, TEXTS, LISTENERS)
        found = violations(processes_services, group, traffic)
        group.sim.assert_no_errors()

    assert found == [], group.processes.logs()[-4000:]
