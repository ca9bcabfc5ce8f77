"""A primary, a replica and three Redis Sentinels on free loopback ports, each in a folder of its own.

What the Sentinel failover test and ``bench.faults`` run: ``start`` returns once the Sentinels know the
replica and each other (so a failover can be agreed), ``kill_primary`` crashes the primary with SIGKILL
once the replica has every write, and ``wait_for_promotion`` polls the Sentinels, with a deadline, until
they name the replica as the new primary. ``stop`` ends every process it started.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

from bench.outage import RedisServer, wait_until
from bench.routing_claims import free_port

MASTER_NAME = "samvaad"
QUORUM = 2
DOWN_AFTER_MS = 1000


def binaries_missing() -> str | None:
    """Why a Sentinel set cannot start here, or None (``redis-server --sentinel`` is a Sentinel)."""
    return None if shutil.which("redis-server") else "redis-server is not installed (Debian: redis-server)"


class SentinelProcess:
    def __init__(self, folder: Path, primary_port: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        config = folder / "sentinel.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {folder}\nlogfile {folder / 'sentinel.log'}\n"
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {primary_port} {QUORUM}\n"
            f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {MASTER_NAME} 10000\n"
        )
        self.process = subprocess.Popen(
            ["redis-server", str(config), "--sentinel"], stdout=subprocess.DEVNULL
        )
        self.client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)

    def master(self) -> dict[bytes, bytes]:
        try:
            return self.client.execute_command("SENTINEL", "MASTER", MASTER_NAME)  # type: ignore[no-any-return]
        except redis.exceptions.RedisError:
            return {}

    def primary_port(self) -> int | None:
        try:
            address = self.client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
        except redis.exceptions.RedisError:
            return None
        return int(address[1]) if address else None

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class SentinelSet:
    def __init__(self, folder: Path) -> None:
        self.primary = RedisServer(_folder(folder / "primary"))
        self.replica: RedisServer | None = None
        self.sentinels: list[SentinelProcess] = []
        self.folder = folder

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{MASTER_NAME}/0"

    def start(self) -> None:
        self.primary.start()
        self.replica = RedisServer(_folder(self.folder / "replica"), replica_of=self.primary.port)
        self.replica.start()
        self.sentinels = [SentinelProcess(self.folder / f"sentinel{i}", self.primary.port) for i in range(3)]
        wait_until(self._ready, 30, "three sentinels that know the replica and each other")

    def _ready(self) -> bool:
        states = [_as_dict(s.master()) for s in self.sentinels]
        return all(
            state.get("num-other-sentinels") == "2" and state.get("num-slaves") == "1" for state in states
        )

    def kill_primary(self) -> float:
        """SIGKILL the primary once the replica has caught up; returns the moment (time.monotonic)."""
        primary = redis.Redis(port=self.primary.port)
        wait_until(lambda: _replica_caught_up(primary), 10, "the replica having every write")
        primary.close()
        self.primary.kill()
        return time.monotonic()

    @property
    def replica_port(self) -> int:
        assert self.replica is not None
        return self.replica.port

    def promoted(self) -> bool:
        """Whether every Sentinel names the replica as the primary now."""
        return all(sentinel.primary_port() == self.replica_port for sentinel in self.sentinels)

    def wait_for_promotion(self, timeout: float = 30) -> None:
        wait_until(self.promoted, timeout, "the replica promoted")

    def stop(self) -> None:
        for sentinel in self.sentinels:
            sentinel.stop()
        if self.replica is not None:
            self.replica.stop()
        self.primary.stop()


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _as_dict(reply: dict[bytes, bytes]) -> dict[str, str]:
    return {key.decode(): value.decode() for key, value in reply.items()}


def _replica_caught_up(primary: redis.Redis) -> bool:
    info = primary.info("replication")
    replica = info.get("slave0")
    return isinstance(replica, dict) and replica.get("offset") == info.get("master_repl_offset")


def seconds_to_new_primary(folder: Path) -> float:
    """Seconds from the primary's death to the first write that succeeds through a client configured as the
    request path's (the Sentinel URL, short timeouts, no retries): what a webhook waits for normal routing."""
    from app.connections import client_for

    group = SentinelSet(folder)
    try:
        group.start()
        client = client_for(group.url, socket_timeout=0.25, socket_connect_timeout=0.25)
        client.set("samvaad:failover-probe", "before")
        killed = group.kill_primary()
        wait_until(lambda: _writes(client), 60, "a write through the Sentinel URL")
        return time.monotonic() - killed
    finally:
        group.stop()


def _writes(client: redis.Redis) -> bool:
    try:
        return bool(client.set("samvaad:failover-probe", "after"))
    except redis.exceptions.RedisError:
        return False
