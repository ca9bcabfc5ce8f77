"""Behind Redis Sentinel, the helpline rides out the death of its Redis primary.

A primary, a replica and three Sentinels of the test's own run on loopback ports; the app, its request path
and its jobs reach Redis through the ``redis+sentinel://`` URL. Two callers are talking to the two
listeners and a third is waiting when the primary is killed (SIGKILL, once the replica has every write).
Until the Sentinels promote the replica, callers keep calling (the worker is down with Redis meanwhile):
each hears something, the degraded answer putting them through to the backup number or the normal menu,
never silence, until a caller is routed normally again (queued, through the new primary). The two calls
in progress are still known as busy, and neither listener was offered a second caller. A caller arriving
once the replica is promoted is offered to a listener and bridged as on any day.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.sentinel import SentinelConnectionPool

from app.services import Services, build_services
from bench.sentinel import SentinelSet, binaries_missing
from locales import messages
from schemas.redis_address import SentinelAddress, parse_sentinel_url
from schemas.settings import SettingsError, load_settings
from schemas.tables import Proficiency
from telephony.simulator import Phone, SimCall
from tests.voice.conftest import BACKUP, HELPLINE, VoiceHelpline, words
from workers.resilience import part_client
from workers.runner import InlineJobs
from workers.scope import install, installed_services

HI = {"hi": Proficiency.native}
SWITCH_DEADLINE = 30  # real seconds: Sentinel notices the death after 1 s and promotes within a few more


@pytest.fixture
def sentinels(tmp_path: Path) -> Iterator[SentinelSet]:
    missing = binaries_missing()
    if missing:
        pytest.skip(missing)
    group = SentinelSet(tmp_path)
    try:
        group.start()
        yield group
    finally:
        group.stop()


@pytest.fixture
def app_services(services: Services, sentinels: SentinelSet) -> Iterator[Services]:
    """Services of their own on the run's database, with Redis behind the Sentinels (the voice fixtures use
    them); the services other tests installed are put back afterwards."""
    before = None
    with contextlib.suppress(RuntimeError):
        before = installed_services()
    update = {"redis_url": sentinels.url, "voice_deadline_ms": 5000}
    built = build_services(services.settings.model_copy(update=update))
    yield built
    built.close()
    if before is not None:
        install(before)


APOLOGY = words(messages.FALLBACK_TRANSFER, "hi")


def call_in(voice: VoiceHelpline, caller: Phone) -> SimCall:
    """A Hindi caller calls and stays until answered: queued, or the degraded answer (then hangs up)."""
    caller.respond(".", press="1")
    call = caller.call(HELPLINE)
    voice.sim.run_until(lambda: call.is_in_queue or caller.has_heard(APOLOGY) or call.is_over)
    if not call.is_in_queue and not call.is_over:
        caller.hang_up()
        voice.sim.run_until(lambda: call.is_over)
    return call


def test_calls_keep_being_answered_while_sentinel_promotes_the_replica(
    voice: VoiceHelpline, sentinels: SentinelSet
) -> None:
    sim = voice.sim
    sim.phone(BACKUP, "backup line", answer_after=1.0)
    listeners = [voice.listener(name, HI) for name in ("Asha", "Bala")]
    for phone in listeners:
        phone.respond(".", press="1", once=False)
    talking = [voice.caller(f"talking {i}", f"+91980000011{i}") for i in range(2)]
    for caller in talking:
        call_in(voice, caller)
        sim.run_until(lambda caller=caller: caller.is_bridged)
    waiting = voice.caller("waiting", "+919800000120")
    assert call_in(voice, waiting).is_in_queue

    killed = sentinels.kill_primary()
    sim.on_idle = None  # the worker has lost Redis too
    during: list[tuple[Phone, SimCall]] = []
    while not during or not during[-1][1].is_in_queue:  # until a caller is routed normally again
        assert time.monotonic() - killed < SWITCH_DEADLINE, "no caller was routed normally after the failover"
        caller = voice.caller(f"during {len(during)}", f"+919800002{len(during):03d}")
        during.append((caller, call_in(voice, caller)))
    sentinels.wait_for_promotion(SWITCH_DEADLINE)  # every Sentinel agrees (the client needed only one)
    sim.on_idle = InlineJobs(voice.services)

    degraded = [caller for caller, _ in during if caller.has_heard(APOLOGY)]
    queued = [caller for caller, call in during if call.is_in_queue]
    assert degraded, "no call reached the app while Redis had no primary: the test proves nothing"
    assert len(degraded) + len(queued) == len(during), "a caller heard nothing useful"
    assert [voice.listener_state(name) for name in ("Asha", "Bala")] == ["busy", "busy"]

    assert all(len(caller.bridged_with) == 1 for caller in talking)
    assert [len(phone.caller_ids_seen) for phone in listeners] == [1, 1], "a listener was offered twice"

    after = voice.caller("after the failover", "+919800000130")
    assert call_in(voice, after).is_in_queue
    let_go: set[str] = set()

    def bridged_after_the_others_hang_up() -> bool:
        """Whoever else is talking hangs up after a minute, so the listeners come free in turn."""
        for caller in [*talking, waiting, *(c for c, _ in during)]:
            if caller.is_bridged and caller.name not in let_go:
                let_go.add(caller.name)
                caller.hang_up(after=60)
        return after.is_bridged

    sim.run_until(bridged_after_the_others_hang_up)
    assert after.bridged_with[0] in listeners, "the caller after the failover was not put through normally"
    assert not after.has_heard(APOLOGY)
    sim.assert_no_errors()


def test_the_worker_parts_follow_the_new_primary(app_services: Services, sentinels: SentinelSet) -> None:
    part = part_client(app_services.redis)
    assert isinstance(part.connection_pool, SentinelConnectionPool)
    part.set("samvaad:sentinel-probe", "before")

    sentinels.kill_primary()
    sentinels.wait_for_promotion(SWITCH_DEADLINE)

    assert part.get("samvaad:sentinel-probe") == b"before"
    part.set("samvaad:sentinel-probe", "after")
    assert part.info("replication")["role"] == "master"
    assert part.connection_pool.get_master_address()[1] == sentinels.replica_port


def test_a_sentinel_url_names_its_sentinels_master_and_database() -> None:
    address = parse_sentinel_url("redis+sentinel://:s%40cret@10.0.0.1:26379,10.0.0.2:26380/samvaad/3")

    assert address == SentinelAddress((("10.0.0.1", 26379), ("10.0.0.2", 26380)), "samvaad", 3, "s@cret")
    assert parse_sentinel_url("redis+sentinel://h:1/m").db == 0


@pytest.mark.parametrize(
    "url", ["redis+sentinel://h:1", "redis+sentinel://h/m/0", "redis+sentinel://h:1/m/x"]
)
def test_a_malformed_sentinel_url_stops_start_up_naming_the_setting(url: str, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^SAMVAAD_REDIS_URL: "):
        load_settings(data_dir=tmp_path, redis_url=url)
