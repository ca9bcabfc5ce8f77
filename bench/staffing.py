"""Benchmark the staffing arithmetic: 23 languages x 168 hours of the week, Erlang A and Erlang C.

    python -m bench.staffing                 # helpline loads, then a busy contact centre's, 7 passes each
    python -m bench.staffing --passes 15

Loads are drawn (seeded) the way a helpline's are: per language a daily volume, shared over the hours of
the week with the evening peak of ``app.demo.history``, 11 minutes of handle time and 2.5 minutes of
patience, give or take. A second, busier set (up to 60 calls an hour in a language) shows how the cost
grows with the head count. Each pass computes the listeners needed for all 3,864 cells (80% within 60 s);
the median pass is reported (wall clock and CPU time, which a shared machine steals least from) with the
cost per cell, and against a baseline pass that only builds the same loads. Goal: under 50 ms for the 3,864 cells.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

from app.demo.history import HOURLY_SHARE
from routing.reports.staffing import Load, listeners_needed

LANGUAGES = 23
HOURS = 168
GOAL_MS = 50.0


def loads(seed: int, calls_per_day: tuple[float, float], patient: bool) -> list[Load]:
    rng = random.Random(seed)
    found = []
    for _ in range(LANGUAGES):
        daily = rng.uniform(*calls_per_day)
        for hour in range(HOURS):
            rate = daily * HOURLY_SHARE[hour % 24] * rng.uniform(0.7, 1.3) / 3600
            handle, patience = rng.uniform(480, 840), rng.uniform(90, 210)
            found.append(Load(rate, handle, None if patient else patience))
    return found


def one_pass(cells: list[Load]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of the pass (CPU time is what a shared machine steals least from)."""
    began, cpu = time.perf_counter(), time.process_time()
    total = sum(listeners_needed(cell, 60, 0.8) for cell in cells)
    return time.perf_counter() - began, time.process_time() - cpu, total


def baseline(cells: list[Load]) -> float:
    began = time.perf_counter()
    sum(Load(c.arrivals_per_second, c.handle_seconds, c.patience_seconds).erlangs for c in cells)
    return time.perf_counter() - began


def run(name: str, cells: list[Load], passes: int) -> tuple[float, float]:
    times, cpu_times, heads = [], [], 0
    for n in range(passes):
        seconds, cpu, heads = one_pass(cells)
        times.append(seconds)
        cpu_times.append(cpu)
        print(f"\r  {name}: pass {n + 1}/{passes}", end="", flush=True)
    floor = statistics.median(baseline(cells) for _ in range(passes))
    median = statistics.median(times)
    print(
        f"\r  {name}: {median * 1000:6.1f} ms median ({min(times) * 1000:.1f} best, "
        f"{statistics.median(cpu_times) * 1000:.1f} ms CPU), "
        f"{median / len(cells) * 1e6:5.1f} µs a cell, {median / floor:5.0f}x building the loads; "
        f"{heads} listener-hours a week"
    )
    return median, statistics.median(cpu_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    print(
        f"{LANGUAGES} languages x {HOURS} hours = {LANGUAGES * HOURS} cells; load average {os.getloadavg()[0]:.1f}"
    )
    results = {
        "helpline, Erlang A": run("helpline, Erlang A", loads(1, (20, 120), False), args.passes),
        "helpline, Erlang C": run("helpline, Erlang C", loads(1, (20, 120), True), args.passes),
        "busy line, Erlang A": run("busy line, Erlang A", loads(2, (400, 1400), False), args.passes),
        "busy line, Erlang C": run("busy line, Erlang C", loads(2, (400, 1400), True), args.passes),
    }
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    for name, (wall, cpu) in results.items():
        print(
            f"goal: {name}, 3,864 cells under {GOAL_MS:.0f} ms: wall clock {verdict(wall)} ({wall * 1000:.1f} ms), "
            f"CPU time {verdict(cpu)} ({cpu * 1000:.1f} ms)"
        )
    return 0 if all(wall * 1000 < GOAL_MS for wall, _ in list(results.values())[:2]) else 1


def verdict(seconds: float) -> str:
    return "met" if seconds * 1000 < GOAL_MS else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
