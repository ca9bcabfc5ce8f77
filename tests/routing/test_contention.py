"""Eight processes, each with its own Redis connection, claim the same 50 listeners (overlapping languages)
with random releases and expiries: zero double assignments, zero lost listeners.
SAMVAAD_CONTENTION_CLAIMS=100000 runs the full count (the default keeps CI fast)."""

from __future__ import annotations

import os

from app.services import Services
from routing.engine.live import LiveState
from tests.routing.contention import check_no_listener_lost, roster, run

CLAIMS = int(os.environ.get("SAMVAAD_CONTENTION_CLAIMS", "10000"))


def _target(services: Services) -> dict:
    socket = getattr(services.redis, "socket_file", None)
    if socket:
        return {"socket": socket, "db": 0}
    assert services.settings.redis_url
    return {"url": services.settings.redis_url}


def test_many_processes_never_share_a_listener(services: Services) -> None:
    totals = run(_target(services), processes=8, total_claims=CLAIMS, listeners=50)
    assert totals["claims"] >= CLAIMS - 8
    assert totals["doubles"] == 0
    assert totals["lost"] == 0, check_no_listener_lost(LiveState(services.redis), roster(50))
    assert totals["attempts"] > totals["claims"]  # contention was real: some claims found nobody free
