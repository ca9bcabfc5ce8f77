"""Time how long the worker takes to resume after a Redis outage: a crash (SIGKILL, restart) and a hang.

    python -m bench.faults                    # both faults, a 30 s hang, once each
    python -m bench.faults --faults kill --runs 3
    python -m bench.faults --hang-seconds 10

Each run starts its own redis-server on a free loopback port (append-only file, as production keeps its
data), a migrated SQLite database and a real `samvaad worker` beside them, schedules a job due during the
outage, causes the fault, and prints, in seconds after Redis answered again: when the scheduled job ran,
when each recurring job that had fallen due ran, and whether anything ran twice. The goal is the issue's:
everything back within 10 s, once each.

``failover`` runs a primary, a replica and three Sentinels instead, SIGKILLs the primary and prints the
seconds until a write through the Sentinel URL (configured as a webhook's client) succeeds again.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.outage import Recovery, RedisServer, WorkerProcess, measure
from bench.sentinel import DOWN_AFTER_MS, seconds_to_new_primary
from schemas.migrate import upgrade_database

GOAL_SECONDS = 10


def run_once(fault: str, hang_seconds: float) -> Recovery:
    with tempfile.TemporaryDirectory(prefix="samvaad-faults-") as name:
        folder = Path(name)
        database_url = f"sqlite:///{folder / 'samvaad.db'}"
        upgrade_database(database_url)
        server = RedisServer(folder)
        server.start()
        worker = WorkerProcess(folder, server.url, database_url)
        try:
            recovery = measure(server, fault, hang_seconds=hang_seconds, within=GOAL_SECONDS)
            alive = worker.is_alive()
        finally:
            code = worker.stop()
            server.stop()
        if not alive or code != 0:
            raise SystemExit(
                f"the worker did not survive the {fault}: exit code {code}\n{worker.log()[-3000:]}"
            )
        return recovery


def report(recovery: Recovery) -> bool:
    slowest = max(recovery.recurring_after.values(), default=float("nan"))
    met = (
        recovery.scheduled_job_runs == 1
        and recovery.scheduled_job_after < GOAL_SECONDS
        and slowest < GOAL_SECONDS
        and not recovery.doubled
    )
    print(
        f"{recovery.fault:4}  outage {recovery.outage_seconds:5.1f} s  "
        f"scheduled job after {recovery.scheduled_job_after:4.1f} s (ran {recovery.scheduled_job_runs}x)  "
        f"recurring after {min(recovery.recurring_after.values(), default=float('nan')):4.1f}"
        f"-{slowest:4.1f} s ({len(recovery.recurring_after)} due)  "
        f"doubled {','.join(recovery.doubled) or 'none'}  goal {'met' if met else 'NOT met'}",
        flush=True,
    )
    return met


def report_failover() -> None:
    """Behind Sentinel (a primary, a replica, three Sentinels): the primary SIGKILLed, information only."""
    with tempfile.TemporaryDirectory(prefix="samvaad-failover-") as name:
        seconds = seconds_to_new_primary(Path(name))
    print(
        f"failover  primary killed -> first write through the Sentinel URL {seconds:4.1f} s "
        f"(Sentinel down-after {DOWN_AFTER_MS} ms; information, no goal in issue 12)",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--faults", default="kill,hang,failover", help="comma-separated: kill, hang, failover"
    )
    parser.add_argument("--runs", type=int, default=1, help="runs of each fault")
    parser.add_argument("--hang-seconds", type=float, default=30)
    args = parser.parse_args()
    faults = [f.strip() for f in args.faults.split(",") if f.strip()]
    total = len(faults) * args.runs
    met = True
    for index in range(total):
        fault = faults[index % len(faults)]
        what = (
            "a primary, a replica and three Sentinels" if fault == "failover" else "redis-server and a worker"
        )
        print(f"[{index + 1}/{total}] {fault}: starting {what}...", flush=True)
        if fault == "failover":
            report_failover()
            continue
        met = report(run_once(fault, args.hang_seconds)) and met
    print(f"goal (back within {GOAL_SECONDS} s of Redis answering, once each): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
