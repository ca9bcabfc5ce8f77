"""Many processes claiming the same listeners at once, each on its own Redis connection (used by
test_contention.py; `python -m tests.routing.contention` runs the full 100,000 claims).

Double assignments are detected outside the code under test: after each claim the claimer swaps a holder token
for the listener (``SET ... GET``). Finding a previous holder whose offer is still live (accepted, or its
deadline not yet passed) while our own offer's deadline is still ahead means two claimers held the same
listener at once. Holders remove their token before
they release a listener, and a token whose deadline has passed is a legitimate expiry.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from typing import Any

import redis

from routing.engine.live import ListenerRecord, LiveState
from routing.engine.policy import speaker_pools
from schemas.tables import Proficiency

ASSOCIATION = 1
LANGUAGES = ("ta", "te", "kn", "ml", "hi", "mr", "bn", "gu", "pa", "or", "as", "en")
COMPARE_AND_DELETE = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
)


def connect(target: dict[str, Any]) -> redis.Redis:
    if target.get("socket"):
        return redis.Redis(unix_socket_path=target["socket"], db=target.get("db", 0))
    return redis.Redis.from_url(target["url"])


def roster(listeners: int, seed: int = 7) -> dict[int, dict[str, Proficiency]]:
    """Listeners speaking one to three of the languages, so pools overlap."""
    rng = random.Random(seed)
    return {
        i: {code: Proficiency.native for code in rng.sample(LANGUAGES, rng.randint(1, 3))}
        for i in range(1, listeners + 1)
    }


def seed_listeners(live: LiveState, speakers: dict[int, dict[str, Proficiency]]) -> None:
    live.client.flushdb()
    live.mark_built("contention")
    records = [
        ListenerRecord(i, ASSOCIATION, speaker_pools(languages), True, False, 1, 1_000_000)
        for i, languages in speakers.items()
    ]
    live.sync_listeners(records, time.time_ns() // 1000)


@dataclass
class Held:
    offer_id: str
    listener_id: int
    contact_id: str
    deadline: int
    token: str


def now_us() -> int:
    return time.time_ns() // 1000


def contend(target: dict[str, Any], worker: int, claims: int, listeners: int) -> dict[str, int]:
    """Claim until ``claims`` listeners were reserved; release, decline, accept-and-end or abandon them at
    random (abandoned offers expire). Returns counts, among them the double assignments seen."""
    client = connect(target)
    live = LiveState(client)
    cad = client.register_script(COMPARE_AND_DELETE)
    speakers = roster(listeners)
    rng = random.Random(worker)
    held: list[Held] = []
    abandoned: list[Held] = []
    counts = {"claims": 0, "attempts": 0, "doubles": 0, "expired_accepts": 0, "released": 0}
    n = 0
    while counts["claims"] < claims:
        n += 1
        language = rng.choice(LANGUAGES)
        contact_id = f"w{worker}-{n}"
        now = now_us()
        live.enqueue(contact_id, ASSOCIATION, "voice", language, "normal", now)
        deadline = now + rng.choice([1_000, 200_000])  # some offers expire before anyone answers
        offer_id = f"o{worker}-{n}"
        counts["attempts"] += 1
        listener = live.claim(contact_id, [f"{language}:conversational"], now, deadline, offer_id, 0)
        if listener is None:
            live.finish(contact_id, now, now)
        else:
            counts["claims"] += 1
            assert language in speakers[listener]
            token = f"{offer_id}|{deadline}"
            previous = client.set(f"test:holder:{listener}", token, get=True)
            seen = now_us()
            # Our offer cannot have expired yet if its deadline is still ahead; then a live previous holder
            # means two live offers for one listener. (With a passed deadline, ours may legitimately have
            # expired and been re-claimed before our token landed, so we cannot tell, and do not count.)
            if previous is not None and deadline > seen and _still_live(previous.decode(), seen):
                counts["doubles"] += 1
            held.append(Held(offer_id, listener, contact_id, deadline, token))
        while len(held) > rng.randint(0, 4):
            _release(live, cad, held.pop(rng.randrange(len(held))), rng, abandoned, counts)
        if n % 50 == 0:
            live.expire_due(now_us())
            abandoned = _tidy(live, abandoned)
    for item in held:
        _release(live, cad, item, rng, abandoned, counts, abandon=False)
    while abandoned:
        time.sleep(0.01)
        live.expire_due(now_us())
        abandoned = _tidy(live, abandoned)
    return counts


def _still_live(token: str, now: int) -> bool:
    _, deadline = token.split("|")
    return deadline == "busy" or int(deadline) > now


def _release(
    live: LiveState,
    cad: Any,
    item: Held,
    rng: random.Random,
    abandoned: list[Held],
    counts: dict[str, int],
    abandon: bool = True,
) -> None:
    key = f"test:holder:{item.listener_id}"
    action = rng.choice(["accept", "decline", "abandon"] if abandon else ["accept", "decline"])
    if action == "abandon":
        abandoned.append(item)
        return
    counts["released"] += 1
    if action == "decline":
        cad(keys=[key], args=[item.token])
        live.drop_offer(item.offer_id, now_us(), "declined")
        _end(live, item.contact_id)
        return
    accepted = live.accept(item.offer_id, now_us())
    if not accepted.ok:
        counts["expired_accepts"] += 1
        _end(live, item.contact_id)
        return
    busy = f"{item.offer_id}|busy"
    live.client.set(key, busy)
    cad(keys=[key], args=[busy])
    _end(live, item.contact_id)  # the call ends, no wrap-up


def _end(live: LiveState, contact_id: str) -> None:
    """The contact ends with no wrap-up, so its listener is free at once."""
    now = now_us()
    live.finish(contact_id, now, now)


def _tidy(live: LiveState, abandoned: list[Held]) -> list[Held]:
    """Abandoned contacts whose offer has expired leave the queue."""
    now = now_us()
    kept = []
    for item in abandoned:
        if item.deadline < now:
            live.finish(item.contact_id, now, now)
        else:
            kept.append(item)
    return kept


def check_no_listener_lost(live: LiveState, speakers: dict[int, dict[str, Proficiency]]) -> list[str]:
    """After everyone let go: every listener available, in every pool they belong to and no other."""
    problems = []
    live.expire_due(now_us() + 10**9)
    for listener_id, languages in speakers.items():
        found = live.listener(listener_id)
        if found is None or found.state != "available":
            problems.append(f"listener {listener_id}: {found.state if found else 'missing'}")
            continue
        for suffix in speaker_pools(languages):
            if listener_id not in live.pool_members(ASSOCIATION, "voice", suffix):
                problems.append(f"listener {listener_id} missing from pool {suffix}")
    for code in LANGUAGES:
        members = live.pool_members(ASSOCIATION, "voice", f"{code}:conversational")
        strangers = [i for i in members if code not in speakers[i]]
        if strangers:
            problems.append(f"pool {code} holds non-speakers {strangers}")
    return problems


def run(target: dict[str, Any], processes: int, total_claims: int, listeners: int) -> dict[str, int]:
    import multiprocessing

    live = LiveState(connect(target))
    speakers = roster(listeners)
    seed_listeners(live, speakers)
    context = multiprocessing.get_context("spawn")
    per = total_claims // processes
    with context.Pool(processes) as pool:
        results = pool.starmap(contend, [(target, w, per, listeners) for w in range(processes)])
    totals = {key: sum(r[key] for r in results) for key in results[0]}
    totals["lost"] = len(check_no_listener_lost(live, speakers))
    return totals


if __name__ == "__main__":
    url = os.environ.get("SAMVAAD_CONTENTION_REDIS", "redis://127.0.0.1:6379/15")
    started = time.perf_counter()
    print(run({"url": url}, 8, int(os.environ.get("SAMVAAD_CONTENTION_CLAIMS", "100000")), 50))
    print(f"{time.perf_counter() - started:.1f}s")
