"""One fault's set-up: a redis-server of its own, a database of its own, the seeded helpline, and real web and
worker processes beside the Twilio simulator (``bench.many_processes.cluster``); every process stopped after.

The database is a migrated SQLite file in the run's folder, or, given a PostgreSQL server, a database created
for the run and dropped after it (tests share the server's own database). ``proxy_database`` puts
``bench.fault_webhooks.Proxy`` between the processes and PostgreSQL, so a fault can cut it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from app.services import Services, build_services
from bench.fault_webhooks import Proxy, proxied
from bench.many_processes import Cluster, cluster, fresh_database, seed_helpline
from bench.outage import RedisServer
from schemas.migrate import upgrade_database
from schemas.settings import load_settings

PUBLIC_BASE_URL = "https://faults.samvaad.invalid"
AUTH_TOKEN = "faults-auth-token-0123456789abcdef"


@dataclass
class Rig:
    folder: Path
    redis: RedisServer
    services: Services
    group: Cluster
    database_url: str
    proxy: Proxy | None = None

    @property
    def web_port(self) -> int:
        return self.group.processes.web_ports[0]

    def kill_workers(self, count: int | None = None) -> int:
        """SIGKILL ``count`` worker processes (all by default) and their work horses, as the kernel's OOM
        killer or a supervisor's kill of the control group does; returns how many processes were killed."""
        killed = 0
        workers = [p for p in self.group.processes.running if "worker" in p.args and p.poll() is None]
        for process in workers[:count]:
            if process.poll() is None:
                for pid in [*children(process.pid), process.pid]:
                    try:
                        os.kill(pid, signal.SIGKILL)
                        killed += 1
                    except ProcessLookupError:
                        pass
                process.wait(10)
        return killed

    def start_worker(self, name: str) -> None:
        self.group.processes._spawn(name, ["worker"])
        self.group.processes.workers += 1


def children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in listed]


@contextmanager
def database(folder: Path, postgres: str | None) -> Iterator[str]:
    if postgres is None:
        yield f"sqlite:///{folder / 'samvaad.db'}"
        return
    with fresh_database(postgres) as url:
        yield url


@contextmanager
def rig(
    folder: Path,
    postgres: str | None,
    *,
    web: int = 1,
    workers: int = 1,
    listeners: int = 10,
    proxy_database: bool = False,
    wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Rig]:
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        server = RedisServer(folder)
        server.start()
        stack.callback(server.stop)
        url = stack.enter_context(database(folder, postgres))
        upgrade_database(url)
        settings = load_settings(
            data_dir=folder / "data", database_url=url, redis_url=server.url,
            public_base_url=PUBLIC_BASE_URL, twilio_auth_token=AUTH_TOKEN,
        )  # fmt: skip
        services = build_services(settings)
        stack.callback(services.close)
        seed_helpline(services, listeners)
        overrides = dict(env or {})
        proxy = None
        if proxy_database:
            parsed = make_url(url)
            proxy = stack.enter_context(proxied(parsed.port or 5432))
            overrides["SAMVAAD_DATABASE_URL"] = parsed.set(port=proxy.port).render_as_string(False)
        group = stack.enter_context(cluster(services, folder, web, workers, wrap=wrap, env=overrides))
        yield Rig(folder, server, services, group, url, proxy)
