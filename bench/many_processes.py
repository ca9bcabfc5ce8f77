"""Many processes on one PostgreSQL and one Redis: two web processes, two workers, calls and texts across them.

    python -m bench.many_processes                    # 2 web, 2 workers, 50 calls, 50 texts
    python -m bench.many_processes --web 3 --calls 100 --texts 100

What ``tests/scale/test_many_processes.py`` runs, and a command of its own (a fresh database on
``--postgres``, a redis-server of its own). Each web process is a real ``samvaad serve --no-worker`` and
each worker a real ``samvaad worker`` (RQ's forking worker, its cron and scheduler), started from the
environment alone and sharing nothing but the database and Redis. The Twilio simulator sends its webhooks
to one address (``RoundRobin``: each request to the next web process) and the workers reach its REST API.
The processes run on the real clock, being processes of their own, and so does the simulator (paced
one simulated second a real second, from the processes' time): offers, rings and waits agree.

``violations`` lists what broke the invariants: every caller bridged exactly once and hearing no apology,
every texter's conversation taken by exactly one listener and their message relayed to them exactly once,
no listener talking to two callers at once, no contact offered twice to one listener, no job failed, and
every web process and every worker did part of the work. The command prints them and how long it took.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from rq import Queue, Worker
from sqlmodel import Session, select

from app.services import Services
from bench.outage import ROOT, RedisServer, wait_until
from bench.routing_claims import free_port
from telephony.simulator import Phone, Simulator
from workers.scope import QUEUE_NAME

HELPLINE = "+14155550100"
SMS_NUMBER = "+14155550101"
BACKUP = "+914023000099"
HINDI_TEXT = "mujhe kisi se baat karni hai"
PACE = 1  # simulated seconds per real second: the processes' clock is the real one
TALK_SECONDS = 5.0
CALL_GAP = 0.2  # seconds between two calls
TEXTING_THREADS = 4
START_SECONDS = 180  # a loaded machine starts four Python processes slowly


class RoundRobin(httpx.BaseTransport):
    """One address for the simulator: each request goes to the next web process; ``counts`` says how many
    each answered."""

    def __init__(self) -> None:
        self.transport = httpx.HTTPTransport()
        self.ports: list[int] = []
        self.counts: Counter[int] = Counter()
        self._next: Iterator[int] = iter(())
        self._lock = threading.Lock()

    def route_to(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self._next = itertools.cycle(self.ports)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            port = next(self._next)
            self.counts[port] += 1
        request.url = request.url.copy_with(port=port)
        return self.transport.handle_request(request)

    def close(self) -> None:
        self.transport.close()


@dataclass
class Processes:
    """Web and worker processes started from ``env``, logging into ``folder``; ``stop`` ends every one."""

    env: dict[str, str]
    folder: Path
    web_ports: list[int] = field(default_factory=list)
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: int = 0

    def start(self, web: int, workers: int) -> None:
        self.workers += workers
        for index in range(web):
            port = free_port()
            self.web_ports.append(port)
            self._spawn(f"web{index}", ["serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port)])
        for index in range(workers):
            self._spawn(f"worker{index}", ["worker"])
        for port in self.web_ports:
            wait_until(lambda port=port: _answers(port), START_SECONDS, f"the web process on port {port}")

    def _spawn(self, name: str, arguments: list[str]) -> None:
        with (self.folder / f"{name}.log").open("wb") as log:
            command = [sys.executable, "-m", "app.cli", *arguments]
            self.running.append(subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log))

    def exited(self) -> list[int]:
        return [code for process in self.running if (code := process.poll()) is not None]

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in self.folder.glob("*.log")
        )

    def stop(self) -> None:
        """SIGTERM, as a supervisor stops them; SIGKILL for any still running 20 s later."""
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def process_env(services: Services, rest_base_url: str) -> dict[str, str]:
    """The processes' whole configuration, in their environment: the set-up's database, Redis and data folder
    (which holds the development secrets, so numbers hash and decrypt alike), and the simulator as Twilio."""
    settings = services.settings
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAMVAAD_")}
    env.update(
        SAMVAAD_DATA_DIR=str(settings.data_dir),
        SAMVAAD_DATABASE_URL=settings.resolved_database_url,
        SAMVAAD_REDIS_URL=settings.redis_url or "",
        SAMVAAD_PUBLIC_BASE_URL=settings.public_base_url,
        SAMVAAD_TWILIO_AUTH_TOKEN=settings.twilio_auth_token or "",
        SAMVAAD_TWILIO_ACCOUNT_SID=settings.twilio_account_sid,
        SAMVAAD_TWILIO_API_BASE_URL=rest_base_url,
        SAMVAAD_VOICE_DEADLINE_MS="5000",  # a loaded machine must not turn answers into degraded ones
        PYTHONUNBUFFERED="1",
    )
    return env


def listener_number(index: int) -> str:
    return f"+9198450{index:05d}"


def seed_helpline(services: Services, listeners: int) -> int:
    """An association with a voice and an SMS number, Hindi first, no wrap-up (a listener takes the next
    call at once), a policy that keeps contacts waiting for listeners, and ``listeners`` Hindi listeners on
    shift now, five conversations each. Returns the association's id."""
    from app.demo.helpline import HelplineBuilder, ShiftTimes
    from routing import engine
    from routing.configuration import Actor
    from routing.engine.live import LiveState
    from schemas.tables import Channel, FallbackPolicy, Proficiency, RoutingSettings

    now = services.clock.now()
    with Session(services.engine) as session:
        build = HelplineBuilder(session, services.vault, Actor(label="many processes", at=now))
        association_id = build.association(
            "Doctors for Doctors", ["hi", "en"], [(HELPLINE, Channel.voice), (SMS_NUMBER, Channel.sms)],
            default_language="hi", ring_seconds=60, backup_numbers=[BACKUP], max_text_conversations=5,
        )  # fmt: skip
        session.add(RoutingSettings(association_id=association_id, wrapup_base_seconds=0, wrapup_factor=0))
        steps = [{"kind": "listeners", "languages": ["hi"], "seconds": 3600}]
        session.add(FallbackPolicy(association_id=association_id, language="hi", steps=steps, updated_at=now))
        shift = ShiftTimes(now - timedelta(hours=1), 12 * 60)
        for index in range(listeners):
            hindi = {"hi": Proficiency.native}
            build.listener(association_id, f"Listener {index}", listener_number(index), hindi, [shift])
        session.commit()
        engine.rebuild(session, LiveState(services.redis), now)
        session.commit()
    return association_id


@dataclass
class Cluster:
    sim: Simulator
    processes: Processes
    router: RoundRobin


@contextmanager
def cluster(
    services: Services,
    folder: Path,
    web: int = 2,
    workers: int = 2,
    *,
    wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Cluster]:
    """The simulator, then ``web`` web processes and ``workers`` workers pointed at it; all stopped after.
    ``wrap`` stands between the simulator and the web processes (``bench.faults`` delivers webhooks more
    than once there); ``env`` overrides the processes' environment."""
    settings = services.settings
    router = RoundRobin()
    with (
        httpx.Client(base_url="http://127.0.0.1", transport=wrap(router) if wrap else router, timeout=60) as http,
        Simulator(
            http, public_base_url=settings.public_base_url, auth_token=settings.twilio_auth_token or "",
            account_sid=settings.twilio_account_sid, pace=PACE, start=services.clock.now(), timeout=float(os.environ.get("MANY_TIMEOUT", 240)),
        ) as sim,
    ):  # fmt: skip
        processes = Processes({**process_env(services, sim.start_rest_api()), **(env or {})}, folder)
        try:
            processes.start(web, workers)
            router.route_to(processes.web_ports)
            for port in processes.web_ports:  # each process's first request opens its connections
                httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
            yield Cluster(sim, processes, router)
        finally:
            processes.stop()


@dataclass
class Traffic:
    callers: list[Phone]
    texters: list[Phone]
    listeners: list[Phone]
    seconds: float = 0.0


def drive(group: Cluster, calls: int, texts: int, listeners: int) -> Traffic:
    """``calls`` callers and ``texts`` texters at once (the texts from a few threads, the calls from the
    simulator's); each caller talks for a while once bridged, then hangs up."""
    sim = group.sim
    sim.add_number(
        HELPLINE, voice_url="/twilio/voice/incoming", voice_fallback_url="/twilio/voice/fallback",
        status_callback="/twilio/voice/call-status",
    )  # fmt: skip
    sim.add_number(SMS_NUMBER, sms_url="/messaging/incoming")
    sim.phone(BACKUP, "backup line")
    phones = [sim.phone(listener_number(index), f"listener {index}") for index in range(listeners)]
    for phone in phones:
        phone.respond(".", press="1", once=False)
    traffic = Traffic(
        [sim.phone(f"+9198000{index:05d}", f"caller {index}") for index in range(calls)],
        [sim.phone(f"+9197000{index:05d}", f"texter {index}") for index in range(texts)],
        phones,
    )
    started = time.monotonic()
    waiting = list(reversed(traffic.callers))
    next_call = sim.clock.seconds
    with ThreadPoolExecutor(TEXTING_THREADS) as pool:
        sent = [pool.submit(texter.send_message, SMS_NUMBER, HINDI_TEXT) for texter in traffic.texters]
        hung_up: set[str] = set()

        def progress() -> bool:
            nonlocal next_call
            if waiting and sim.clock.seconds >= next_call:  # a caller every CALL_GAP simulated seconds
                caller = waiting.pop()
                caller.respond(".", press="1")
                caller.call(HELPLINE)
                next_call = sim.clock.seconds + CALL_GAP
            for caller in traffic.callers:
                if caller.is_bridged and caller.number not in hung_up:
                    hung_up.add(caller.number)
                    caller.hang_up(after=TALK_SECONDS)
            calls_over = not waiting and all(
                call.is_over for caller in traffic.callers for call in caller.calls
            )
            return calls_over and all(future.done() for future in sent) and _all_relayed(traffic)

        sim.run_until(progress, within=24 * 3600)
        for future in sent:
            future.result()
    traffic.seconds = time.monotonic() - started
    return traffic


def _all_relayed(traffic: Traffic) -> bool:
    relayed = sum(message.body.endswith(HINDI_TEXT) for phone in traffic.listeners for message in phone.inbox)
    return relayed >= len(traffic.texters)


def violations(services: Services, group: Cluster, traffic: Traffic) -> list[str]:
    """Every broken invariant, in words; none when all held."""
    from schemas.tables import Conversation, ConversationStatus, VoiceOffer

    found: list[str] = []
    by_number = {phone.number: phone for phone in traffic.listeners}
    for caller in traffic.callers:
        if len(caller.bridged_with) != 1 or caller.bridged_with[0] not in traffic.listeners:
            found.append(f"{caller.name} was bridged {len(caller.bridged_with)} times")
    backup = group.sim.phonebook.get(BACKUP)
    if backup is not None and backup.calls:
        found.append(f"{len(backup.calls)} callers had the degraded answer (the backup line rang)")
    with Session(services.engine) as session:
        offers = session.exec(select(VoiceOffer)).all()
        conversations = session.exec(select(Conversation)).all()
        listener_ids = _listener_ids(session, by_number)
    for phone in traffic.listeners:
        spans = sorted((b.started_at, b.ended_at or float("inf")) for b in phone.bridges)
        if any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans)):
            found.append(f"{phone.name} talked to two callers at once")
        rung = len(phone.caller_ids_seen)
        offered = sum(offer.listener_id == listener_ids[phone.number] for offer in offers)
        if rung != offered:
            found.append(f"{phone.name} was rung {rung} times for {offered} offers (a job ran twice or not)")
    pairs = Counter((offer.contact_id, offer.listener_id) for offer in offers)
    found += [f"contact offered {n} times to one listener" for n in pairs.values() if n > 1]
    if len(conversations) != len(traffic.texters):
        found.append(f"{len(conversations)} conversations for {len(traffic.texters)} texters")
    relays = Counter(
        (phone.number, m.body)
        for phone in traffic.listeners
        for m in phone.inbox
        if m.body.endswith(HINDI_TEXT)
    )
    numbers = {listener_id: number for number, listener_id in listener_ids.items()}
    for conversation in conversations:
        if conversation.status != ConversationStatus.active or conversation.listener_id is None:
            found.append(f"conversation #{conversation.tag} is {conversation.status} with no listener")
            continue
        copies = relays[(numbers.get(conversation.listener_id, ""), f"#{conversation.tag} {HINDI_TEXT}")]
        if copies != 1:
            found.append(f"conversation #{conversation.tag}'s message reached its listener {copies} times")
    found += _work_shared(services, group)
    return found


def _listener_ids(session: Session, by_number: dict[str, Phone]) -> dict[str, int]:
    from schemas.tables import Listener

    ids = {}
    for index, listener in enumerate(session.exec(select(Listener).order_by(Listener.id)).all()):
        assert listener.id is not None
        ids[listener_number(index)] = listener.id
    return {number: ids[number] for number in by_number}


def _work_shared(services: Services, group: Cluster) -> list[str]:
    """No failed job, no process gone, and every web process and every worker did some of the work."""
    found = []
    queue = Queue(QUEUE_NAME, connection=services.redis)
    if queue.failed_job_registry.count:
        found.append(f"{queue.failed_job_registry.count} jobs failed")
    if group.processes.exited():
        found.append(f"processes exited with {group.processes.exited()}")
    idle_web = [port for port in group.processes.web_ports if not group.router.counts[port]]
    if idle_web:
        found.append(f"web processes on {idle_web} answered nothing")
    done = jobs_per_worker(services)
    if len(done) < group.processes.workers or not all(done.values()):
        found.append(f"jobs done per worker process: {done}")
    return found


def jobs_per_worker(services: Services) -> dict[int, int]:
    """Jobs each worker process finished (RQ's own count, for its current round), by process id."""
    done: Counter[int] = Counter()
    for worker in Worker.all(connection=services.redis):
        done[worker.pid or 0] += worker.successful_job_count
    return dict(done)


@contextmanager
def fresh_database(postgres: str) -> Iterator[str]:
    """A database of this run's own on the PostgreSQL server, dropped afterwards."""
    name = f"samvaad_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = postgres.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    from app.services import build_services
    from schemas.migrate import upgrade_database
    from schemas.settings import load_settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--web", type=int, default=2, help="web processes")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--texts", type=int, default=50)
    parser.add_argument("--listeners", type=int, default=10)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="a PostgreSQL server (its database is used only to create the run's own)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samvaad-many-") as name, fresh_database(args.postgres) as url:
        folder = Path(name)
        redis_server = RedisServer(folder)
        redis_server.start()
        try:
            upgrade_database(url)
            settings = load_settings(
                data_dir=folder / "data", database_url=url, redis_url=redis_server.url,
                public_base_url="https://bench.samvaad.invalid", twilio_auth_token="bench-auth-token-0123456789",
            )  # fmt: skip
            services = build_services(settings)
            seed_helpline(services, args.listeners)
            print(f"starting {args.web} web and {args.workers} worker processes...", flush=True)
            with cluster(services, folder, args.web, args.workers) as group:
                print(
                    f"{args.calls} calls and {args.texts} texts to {args.listeners} listeners...", flush=True
                )
                traffic = drive(group, args.calls, args.texts, args.listeners)
                found = violations(services, group, traffic)
                counts = {port: group.router.counts[port] for port in group.processes.web_ports}
                done = jobs_per_worker(services)
            services.close()
        finally:
            redis_server.stop()
    print(f"done in {traffic.seconds:.1f} s real; webhooks per web process {list(counts.values())}; "
          f"jobs per worker {list(done.values())}")  # fmt: skip
    for violation in found:
        print(f"VIOLATED: {violation}")
    print(f"invariants (each contact answered once, no double offer, every job once): "
          f"{'held' if not found else 'NOT held'}")  # fmt: skip
    return 0 if not found else 1


if __name__ == "__main__":
    raise SystemExit(main())
