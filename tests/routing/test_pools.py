"""The physical pool layout: one sorted set per language at the listener's own level, read as "this level or
better" by the claim, and left completely when a listener is claimed, including state written by the
previous layout (a listener in every pool of every level they meet, with no ``joined`` field)."""

from __future__ import annotations

from routing.engine.live import ListenerRecord, LiveState, pool_key
from routing.engine.policy import US, speaker_pools
from schemas.tables import Proficiency

ASSOCIATION = 3
NOW = 1_800_000_000 * US
LEVELS = ("native", "fluent", "conversational")


def _seed(live: LiveState, listeners: dict[int, dict[str, Proficiency]]) -> None:
    live.client.flushdb()
    live.mark_built("test")
    records = [
        ListenerRecord(i, ASSOCIATION, speaker_pools(langs), True, False, 2, 3)
        for i, langs in listeners.items()
    ]
    live.sync_listeners(records, NOW)


def _pools_holding(live: LiveState, listener_id: int, languages: tuple[str, ...]) -> set[str]:
    return {
        f"{kind}:{code}:{level}"
        for kind in ("voice", "text")
        for code in languages
        for level in LEVELS
        if live.client.zscore(pool_key(ASSOCIATION, kind, f"{code}:{level}"), listener_id) is not None
    }


def test_an_available_listener_sits_in_one_pool_per_language_and_kind(live: LiveState) -> None:
    _seed(live, {1: {"ta": Proficiency.native, "hi": Proficiency.conversational}})
    assert _pools_holding(live, 1, ("ta", "hi")) == {
        "voice:ta:native",
        "text:ta:native",
        "voice:hi:conversational",
        "text:hi:conversational",
    }
    assert set(live.pool_members(ASSOCIATION, "voice", "ta:conversational")) == {1}
    assert live.pool_members(ASSOCIATION, "voice", "hi:fluent") == {}


def test_fluent_or_better_takes_the_longest_idle_across_levels(live: LiveState) -> None:
    _seed(live, {2: {"ta": Proficiency.native}})  # idle since NOW; the others since 10 s later
    later = [(1, Proficiency.fluent), (3, Proficiency.conversational)]
    live.sync_listeners(
        [ListenerRecord(i, ASSOCIATION, speaker_pools({"ta": p}), True, False, 2, 3) for i, p in later],
        NOW + 10 * US,
    )
    for n in range(3):
        live.enqueue(f"c{n}", ASSOCIATION, "voice", "ta", "normal", NOW + n)
    claims = [live.claim(f"c{n}", ["ta:fluent"], NOW, NOW + 20 * US, f"o{n}", 0) for n in range(3)]
    assert claims == [2, 1, None]  # the conversational speaker never qualifies for "fluent or better"


def test_a_claim_empties_every_pool_of_a_listener_written_by_the_old_layout(live: LiveState) -> None:
    languages = {"ta": Proficiency.native, "hi": Proficiency.fluent}
    _seed(live, {1: languages})
    old = {f"{kind}:{suffix}" for kind in ("voice", "text") for suffix in speaker_pools(languages)}
    for name in old:
        kind, suffix = name.split(":", 1)
        live.client.zadd(pool_key(ASSOCIATION, kind, suffix), {"1": NOW})
    live.client.hdel("sv:l:1", "joined")
    assert _pools_holding(live, 1, ("ta", "hi")) == old
    live.enqueue("c", ASSOCIATION, "voice", "hi", "normal", NOW)
    assert live.claim("c", ["hi:fluent"], NOW, NOW + 20 * US, "o", 0) == 1
    assert _pools_holding(live, 1, ("ta", "hi")) == set()


def test_stale_pool_members_never_hide_a_free_listener(live: LiveState) -> None:
    """Members left in a pool by a crash or an older layout (a listener in a call, listeners that no longer
    exist), idle longer than anyone: the claim skips and removes them, and the free listener is offered."""
    _seed(live, {1: {"ta": Proficiency.native}, 2: {"ta": Proficiency.fluent}})
    live.client.hset("sv:l:2", "st", "busy")
    stale = {"2": 1, "90": 2, "91": 3, "92": 4, "93": 5}
    live.client.zadd(pool_key(ASSOCIATION, "voice", "ta:fluent"), stale)
    live.client.zadd(pool_key(ASSOCIATION, "voice", "ta:native"), {"94": 6})
    assert live.enqueue("c1", ASSOCIATION, "voice", "ta", "normal", NOW)
    assert live.claim("c1", ["ta:conversational"], NOW, NOW + 20 * US, "o1", 0) == 1
    for level in LEVELS:
        members = live.client.zrange(pool_key(ASSOCIATION, "voice", f"ta:{level}"), 0, -1)
        assert not {m.decode() for m in members} & {*stale, "94"}


def test_the_boards_state_reading_agrees_with_the_full_reading(live: LiveState) -> None:
    """``listener_states`` (one script call, for the board) says what ``listeners`` says of each state."""
    _seed(live, {1: {"ta": Proficiency.native}, 2: {"hi": Proficiency.fluent}, 3: {"ta": Proficiency.fluent}})
    live.enqueue("c0", ASSOCIATION, "voice", "ta", "normal", NOW)
    assert live.claim("c0", ["ta:fluent"], NOW, NOW + 20 * US, "o0", 0) == 1
    live.free_listener(2, NOW, 0, "", [], paused=True)
    states = live.listener_states(ASSOCIATION)
    assert states == {i: listener.state for i, listener in live.listeners(ASSOCIATION).items()}
    assert states == {1: "offered", 2: "paused", 3: "available"}
    assert live.listener_states(ASSOCIATION + 1) == {}
