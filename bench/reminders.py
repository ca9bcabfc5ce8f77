"""Benchmark: shift reminders sent exactly once with two workers and the roster's tick racing.

    python -m bench.reminders                 # 1,000 listeners, 2 workers, own redis-server and SQLite file
    python -m bench.reminders --listeners 200 --workers 3 --database-url postgresql://…/db
    python -m bench.reminders --mode fork     # `samvaad worker` processes (a forked work horse per job)

1,000 listeners each have a shift starting 24 hours and 20-80 seconds from now, so 1,000 reminders fall due
within a minute. Two worker processes run (jobs, RQ's scheduler, cron with its lease): by default each runs
the parts as threads, as ``samvaad serve`` does (``workers.runner.start_worker_threads``); ``--mode fork``
runs ``samvaad worker``, whose work horse is a fork per job (slow on a loaded machine: the figure is then
throughput, not correctness). And
this process runs the roster's tick (``plan_roster_work``) every second on top, as a cron without a lease
would: every reminder is planned again and again while it is due, scheduled and sent. The Twilio
simulator's REST API takes the messages; the figure is how many each listener got. Goal (issue 10): 1,000
messages, none twice.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

from app.demo.helpline import HelplineBuilder, ShiftTimes
from app.services import build_services
from bench.routing_claims import start_redis
from routing.configuration import Actor
from schemas.migrate import upgrade_database
from schemas.settings import Settings
from schemas.tables import Channel, Proficiency, RosterNotice
from telephony.simulator import Simulator
from telephony.simulator.messaging import ContentTemplate, QuickReply
from workers.roster_jobs import plan_roster_work
from workers.scope import install

WHATSAPP = "+14155550111"
TEMPLATE_SID = "HX" + "cd" * 16
TOKEN = "bench-token"
HASH_SECRET = "bench-hash-secret-0123456789abcdef"
FERNET_KEY = "q0bXnVw0m3pS6yQbIU2p0ZbQ4m0S0v2c3m6wR9wH1zU="


def environment(database_url: str, redis_url: str, rest_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SAMVAAD_DATABASE_URL": database_url,
        "SAMVAAD_REDIS_URL": redis_url,
        "SAMVAAD_TWILIO_AUTH_TOKEN": TOKEN,
        "SAMVAAD_TWILIO_API_BASE_URL": rest_url,
        "SAMVAAD_PHONE_HASH_SECRET": HASH_SECRET,
        "SAMVAAD_ENCRYPTION_KEY": FERNET_KEY,
        "SAMVAAD_REMINDER_CONTENT_SID": TEMPLATE_SID,
    }


def seed(settings: Settings, listeners: int, now: datetime) -> None:
    services = build_services(settings)
    try:
        with Session(services.engine) as session:
            build = HelplineBuilder(session, services.vault, Actor("bench", now))
            association_id = build.association(
                "Bench", ("hi", "ta"), [(WHATSAPP, Channel.whatsapp)], reminder_hours=[24]
            )
            for i in range(listeners):
                start = now + timedelta(hours=24, seconds=20 + 60 * i / listeners)
                build.listener(association_id, f"L{i}", f"+9190{i:08d}", {"hi": Proficiency.fluent},
                               [ShiftTimes(start, 120)])  # fmt: skip
            session.commit()
    finally:
        services.close()


def child() -> int:
    """One worker process of ``--mode threads``: jobs, scheduler and cron in threads until SIGTERM."""
    import signal

    from schemas.settings import load_settings
    from workers.runner import start_worker_threads

    services = build_services(load_settings())
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    threads = start_worker_threads(services)
    done.wait()
    threads.stop()
    services.close()
    return 0


def race(stop: threading.Event, ticks: list[int]) -> None:
    """The roster's tick every second, as a second cron would run it."""
    while not stop.is_set():
        plan_roster_work()
        ticks[0] += 1
        stop.wait(1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--mode", choices=("threads", "fork"), default="threads")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child()
    folder = Path(tempfile.mkdtemp(prefix="samvaad-reminders-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    redis_process, redis_url, _ = start_redis()
    processes: list[subprocess.Popen[bytes]] = []
    stop = threading.Event()
    now = datetime.now(UTC)
    with httpx.Client(base_url="http://127.0.0.1:9") as unused, Simulator(
        unused, public_base_url="http://127.0.0.1:9", auth_token=TOKEN, account_sid=Settings().twilio_account_sid,
        start=now,
    ) as sim:  # fmt: skip
        try:
            rest_url = sim.start_rest_api()
            sim.add_number(WHATSAPP, sms_url="/messaging/incoming")
            sim.messaging.add_template(TEMPLATE_SID, ContentTemplate("Samvaad roster: {{1}}", (
                QuickReply("Confirm", "CONFIRM"), QuickReply("Can't come", "CANT_COME"))))  # fmt: skip
            env = environment(database_url, redis_url, rest_url)
            settings = Settings(**{k.removeprefix("SAMVAAD_").lower(): v for k, v in env.items()
                                   if k.startswith("SAMVAAD_") and k.removeprefix("SAMVAAD_").lower()
                                   in Settings.model_fields})  # fmt: skip
            upgrade_database(database_url)
            print(f"seeding {args.listeners} listeners with a shift in 24 h 20-80 s …", flush=True)
            seed(settings, args.listeners, now)
            for _ in range(args.workers):
                command = ["app.cli", "worker"] if args.mode == "fork" else ["bench.reminders", "--child"]
                processes.append(subprocess.Popen([sys.executable, "-m", *command], env=env,
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
            services = build_services(settings)
            install(services)
            ticks = [0]
            racer = threading.Thread(target=race, args=(stop, ticks), daemon=True)
            racer.start()
            started = time.monotonic()
            received: collections.Counter[str] = collections.Counter()
            while time.monotonic() - started < args.timeout:
                received = collections.Counter(m.to for m in list(sim.messaging.messages)
                                               if m.direction == "outbound-api")  # fmt: skip
                print(f"  {time.monotonic() - started:5.0f} s: {len(received)} listeners reminded, "
                      f"{sum(received.values())} messages, {ticks[0]} extra ticks", flush=True)  # fmt: skip
                if len(received) >= args.listeners:
                    break
                time.sleep(5)
            elapsed = time.monotonic() - started
            print("  letting the ticks race for 15 s more …", flush=True)
            time.sleep(15)
            stop.set()
            racer.join()
            received = collections.Counter(
                m.to for m in list(sim.messaging.messages) if m.direction == "outbound-api"
            )
            with Session(services.engine) as session:
                claims = len(session.exec(select(RosterNotice).where(RosterNotice.kind == "reminder")).all())
            services.close()
        finally:
            stop.set()
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
            redis_process.kill()
            redis_process.wait()
    twice = sum(1 for count in received.values() if count > 1)
    missing = args.listeners - len(received)
    total = sum(received.values())
    print(
        f"reminders: {args.listeners} listeners, {args.workers} workers ({args.mode}) + a racing tick"
        f" ({ticks[0]} extra runs), {elapsed:.0f} s to remind them all (or give up)"
    )
    print(
        f"  messages sent {total}, listeners reminded {len(received)}, reminded twice {twice}, missing {missing}"
    )
    print(f"  claim rows {claims}")
    met = total == args.listeners and twice == 0 and missing == 0
    print(f"goal: {args.listeners} messages, none twice: {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
