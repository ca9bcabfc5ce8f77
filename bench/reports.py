"""Benchmark the reports: one year of a line with 500 contacts a day, on SQLite and on PostgreSQL.

    python -m bench.reports                 # SQLite, and PostgreSQL on 127.0.0.1:5432 when reachable
    python -m bench.reports --per-day 500 --days 365 --repeat 5 --sqlite-only

Each database gets its own fresh schema (a temporary SQLite file; a database of its own on PostgreSQL),
migrated by Alembic, with a demo roster (four languages, eight listeners on weekly shifts) and a synthetic
year written by ``app.demo.history``. Then, in one run: a bare ``COUNT(*)`` of the same contacts through the
same index (the floor any report pays), the report by day over the year (what the API answers), and by
hour. Each is the median of ``--repeat`` runs, printed with its ratio to the bare count, since the machine
is shared and absolute times drift. Goal: a report over the year in under 1 s on both databases.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.demo.history import HistoryPlan, write_history
from routing.engine.live.keys import to_us
from routing.reports import Period, ReportRange, build_report
from schemas.database import make_engine
from schemas.migrate import upgrade_database
from schemas.tables import Association, AssociationLanguage, Listener, ListenerLanguage, Shift

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
END = datetime(2026, 12, 1, tzinfo=UTC)
LANGUAGES = ("hi", "en", "ta", "bn")
ROSTER = [  # languages, local start hour, hours
    (("hi", "en"), 6, 8), (("hi", "en", "bn"), 14, 8), (("hi", "en"), 22, 8), (("ta", "en"), 8, 8),
    (("ta", "en"), 16, 8), (("en", "ta"), 22, 8), (("bn", "hi"), 8, 8), (("bn", "en"), 16, 8),
]  # fmt: skip


def roster(session: Session, start: datetime) -> tuple[Association, dict[str, list[int]]]:
    association = Association(name="Bench", created_at=start)
    session.add(association)
    session.flush()
    assert association.id is not None
    for digit, code in enumerate(LANGUAGES, start=1):
        session.add(AssociationLanguage(association_id=association.id, code=code, digit=digit))
    speakers: dict[str, list[int]] = {}
    for n, (codes, hour, hours) in enumerate(ROSTER):
        listener = Listener(association_id=association.id, name=f"Listener {n}", phone_encrypted=b"-",
                            phone_hash=uuid.uuid4().hex, phone_last4="0000", created_at=start)  # fmt: skip
        session.add(listener)
        session.flush()
        assert listener.id is not None
        for code in codes:
            session.add(ListenerLanguage(listener_id=listener.id, code=code))
            speakers.setdefault(code, []).append(listener.id)
        first = start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=hour - 5.5)
        session.add(Shift(association_id=association.id, listener_id=listener.id, starts_at=first,
                          duration_minutes=hours * 60, rrule="FREQ=DAILY"))  # fmt: skip
    session.commit()
    return association, speakers


def fill(engine: Engine, days: int, per_day: float) -> Association:
    start = END - timedelta(days=days)
    with Session(engine, expire_on_commit=False) as session:
        association, speakers = roster(session, start)
        assert association.id is not None
        plan = HistoryPlan(association.id, list(LANGUAGES), speakers, start, END, per_day=per_day, seed=7)
        began = time.perf_counter()
        written = write_history(
            session, plan, progress=lambda d, n: print(f"\r  writing day {d}/{n}", end="")
        )
        session.commit()
        print(f"\r  wrote {written:,} contacts in {time.perf_counter() - began:.1f} s" + " " * 20)
        analyse(session)
        return association


def analyse(session: Session) -> None:
    if session.connection().dialect.name == "postgresql":
        session.commit()
        with session.connection().engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))
    else:
        session.execute(text("ANALYZE"))
        session.commit()


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``run`` (CPU time is this process's: all of SQLite's work, only
    the client's part of PostgreSQL's; a shared machine steals least from it)."""
    run()  # warm the caches: every run after this one reads the same pages
    times, cpu_times = [], []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - began)
        cpu_times.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpu_times)


def measure(name: str, engine: Engine, association: Association, days: int, repeat: int) -> list[bool]:
    window = ReportRange(END - timedelta(days=days), END, association.timezone, Period.day)
    hourly = ReportRange(window.start, window.end, association.timezone, Period.hour)
    count_sql = text(
        "SELECT COUNT(*) FROM contacts WHERE association_id = :a AND arrival_us >= :s AND arrival_us < :e"
    )
    params = {"a": association.id, "s": to_us(window.start), "e": to_us(window.end)}
    with Session(engine) as session:
        total = session.connection().execute(count_sql, params).scalar_one()
        bare, _ = median_seconds(lambda: session.connection().execute(count_sql, params).scalar_one(), repeat)
        by_day, day_cpu = median_seconds(lambda: build_report(session, association, window), repeat)
        by_hour, hour_cpu = median_seconds(lambda: build_report(session, association, hourly), repeat)
        rows = len(build_report(session, association, hourly).rows)
    print(f"  {total:,} contacts over {days} days; medians of {repeat} runs; load {os.getloadavg()[0]:.1f}")
    print(f"  bare COUNT(*)         {bare * 1000:8.1f} ms   1.0x")
    print(f"  report by day         {by_day * 1000:8.1f} ms  {by_day / bare:5.1f}x the bare count; "
          f"CPU {day_cpu * 1000:.0f} ms")  # fmt: skip
    print(f"  report by hour        {by_hour * 1000:8.1f} ms  {by_hour / bare:5.1f}x ({rows:,} rows); "
          f"CPU {hour_cpu * 1000:.0f} ms")  # fmt: skip
    return [by_day < 1.0, by_hour < 1.0]


def postgres_url() -> str | None:
    try:
        import psycopg

        name = f"samvaad_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    except Exception as exc:
        print(f"PostgreSQL not reachable ({type(exc).__name__}); SQLite only")
        return None


def drop_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def run_on(name: str, url: str, args: argparse.Namespace) -> list[bool]:
    print(f"{name}: migrating and writing {args.days} days of {args.per_day:.0f} contacts a day")
    upgrade_database(url)
    engine = make_engine(url)
    try:
        association = fill(engine, args.days, args.per_day)
        return measure(name, engine, association, args.days, args.repeat)
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=float, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    verdicts: dict[str, list[bool]] = {}
    with tempfile.TemporaryDirectory() as folder:
        verdicts["SQLite"] = run_on("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args)
    url = None if args.sqlite_only else postgres_url()
    if url is not None:
        try:
            verdicts["PostgreSQL"] = run_on("PostgreSQL", url, args)
        finally:
            drop_postgres(url)
    print()
    for name, (day, hour) in verdicts.items():
        print(f"goal: {name}: a year's report by day under 1 s: {'met' if day else 'NOT met'}")
        print(f"goal: {name}: a year's report by hour under 1 s: {'met' if hour else 'NOT met'}")
    return 0 if all(all(v) for v in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
