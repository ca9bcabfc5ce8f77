"""<Enqueue> and <Dial><Queue>: callers waiting in named queues, and the leg that takes the front one.

The queued caller's waitUrl is re-requested whenever its document runs out (the wait loop), with the queue
parameters Twilio sends. The dialer removes the front member at once; the member then runs the <Queue url>
announcement, is bridged, and when the bridge ends its <Enqueue action> gets QueueResult=bridged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from telephony.simulator.documents import text_of
from telephony.simulator.model import Bridge, SimQueue
from telephony.simulator.scheduler import TIMED_OUT, Wait
from telephony.simulator.signals import (
    ApplicationError,
    BridgeEnded,
    Dequeued,
    HungUp,
    LeftQueue,
    Redirected,
)
from telephony.simulator.voice import QUEUE_URL, WAIT_URL, Fetch, Step, run_documents

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.model import SimCall

DEFAULT_HOLD_MUSIC = "http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"


@dataclass
class _Stay:
    """How a call's time in a queue went, for its <Enqueue action>."""

    queue: SimQueue
    bridged: bool = False


@dataclass(frozen=True)
class DialOutcome:
    status: str
    other_sid: str | None = None
    duration: int | None = None
    bridged: bool = False
    queue_sid: str | None = None


def enqueue(sim: Simulator, call: SimCall, verb: Element, doc_url: str) -> Step:
    name = text_of(verb)
    action = sim.absolute(verb.get("action"), doc_url) if verb.get("action") else None
    method = verb.get("method", "POST")
    wait_url = verb.get("waitUrl")
    wait_url = sim.absolute(wait_url, doc_url) if wait_url else wait_url
    queue = sim.get_or_create_queue(name)
    limit = int(verb.get("maxQueueSize") or queue.max_size)
    if len(queue.members) >= limit:
        return _exit(sim, call, action, method, "queue-full", None)
    sim.join_queue(call, queue)
    stay = _Stay(queue)
    try:
        result = yield from _wait(sim, call, stay, wait_url, verb.get("waitUrlMethod", "POST"))
    except HungUp:
        sim.leave_queue(call)
        _notify_exit(sim, call, action, method, "bridged" if stay.bridged else "hangup", queue)
        raise
    except Redirected:
        sim.leave_queue(call)
        _notify_exit(
            sim, call, action, method, "redirected-from-bridged" if stay.bridged else "redirected", queue
        )
        raise
    except ApplicationError:
        sim.leave_queue(call)
        _notify_exit(sim, call, action, method, "error", queue)
        raise
    return _exit(sim, call, action, method, result, queue)


def _queue_params(call: SimCall, queue: SimQueue | None, result: str, now: float) -> list[tuple[str, str]]:
    params = [("QueueResult", result)]
    if queue is not None and call.enqueued_at is not None:
        params += [("QueueSid", queue.sid), ("QueueTime", str(int(call.queue_wait(now))))]
    return params


def _exit(
    sim: Simulator, call: SimCall, action: str | None, method: str, result: str, queue: SimQueue | None
) -> Fetch | None:
    if action is None:
        return None
    return Fetch(action, method, _queue_params(call, queue, result, sim.clock.seconds))


def _notify_exit(
    sim: Simulator, call: SimCall, action: str | None, method: str, result: str, queue: SimQueue
) -> None:
    """Twilio requests the action even when the call is over or moved on; it ignores the answer."""
    if action is not None:
        sim.notify(action, call.params() + _queue_params(call, queue, result, sim.clock.seconds), method)


def _wait(sim: Simulator, call: SimCall, stay: _Stay, wait_url: str | None, wait_method: str) -> Step:
    """The caller waits: waitUrl loop, default music or silence, until it leaves, is dequeued or bridged."""
    try:
        while True:
            if not wait_url:
                if wait_url is None:
                    sim.hear(call, "play", DEFAULT_HOLD_MUSIC)
                yield Wait(None)
                continue
            started = sim.clock.seconds
            yield from run_documents(
                sim,
                call,
                Fetch(wait_url, wait_method),
                WAIT_URL,
                extra=lambda: stay.queue.params(call, sim.clock.seconds),
            )
            if sim.clock.seconds - started < 1.0:
                yield Wait(1.0)  # a waitUrl document that takes no time would loop without end
    except LeftQueue:
        sim.leave_queue(call)
        return "leave"
    except Dequeued as dequeued:
        return (yield from _be_bridged(sim, call, stay, dequeued))


def _be_bridged(sim: Simulator, call: SimCall, stay: _Stay, dequeued: Dequeued) -> Step:
    bridge = dequeued.bridge
    try:
        if dequeued.url:
            params = [
                ("QueueSid", stay.queue.sid),
                ("QueueTime", str(int(call.queue_wait(sim.clock.seconds)))),
                ("DequeingCallSid", bridge.dialer.sid),
            ]
            yield from run_documents(sim, call, Fetch(dequeued.url, dequeued.method, params), QUEUE_URL)
    except (HungUp, Redirected, ApplicationError):
        sim.fail_bridge(bridge)
        raise
    except BridgeEnded:
        return "error"  # the dialer left before the bridge was up
    if bridge.ended_at is not None:
        return "error"
    sim.connect(bridge)
    stay.bridged = True
    try:
        yield Wait(None)
    except BridgeEnded:
        return "bridged"
    except (HungUp, Redirected):
        sim.end_bridge(bridge, ended_by=call)
        raise
    return "bridged"


def dial_queue(
    sim: Simulator, call: SimCall, noun: Element, doc_url: str, timeout: float, limit: float
) -> Step:
    """The dialer's side of <Dial><Queue>: take the front member (waiting up to `timeout` for one)."""
    queue = sim.find_queue(text_of(noun))
    if queue is None:
        sim.record_problem(call.sid, doc_url, f"<Queue> names a queue that does not exist: {text_of(noun)}")
        return DialOutcome("failed")
    url = sim.absolute(noun.get("url"), doc_url) if noun.get("url") else None
    deadline = sim.clock.seconds + timeout
    while not queue.members:
        if sim.clock.seconds >= deadline:
            return DialOutcome("no-answer", queue_sid=queue.sid)
        queue.waiting_dialers.append(call.process)
        try:
            yield Wait(deadline - sim.clock.seconds)
        finally:
            if call.process in queue.waiting_dialers:
                queue.waiting_dialers.remove(call.process)
    member = queue.members[0]
    sim.leave_queue(member)
    bridge = Bridge(dialer=call, other=member, created_at=sim.clock.seconds)
    call.bridge = member.bridge = bridge
    member.process.interrupt(Dequeued(bridge, url, noun.get("method", "POST")))
    return (yield from hold_bridge(sim, call, bridge, limit, queue.sid, connected=False))


def hold_bridge(
    sim: Simulator, call: SimCall, bridge: Bridge, limit: float, queue_sid: str | None, connected: bool
) -> Step:
    """The dialer waits for the bridge to connect, then until either side leaves or the time limit."""
    try:
        if not connected:
            woke = yield Wait(None)
            if woke != "connected":
                return DialOutcome("no-answer", other_sid=bridge.other.sid, queue_sid=queue_sid)
        woke = yield Wait(limit)
        if woke == TIMED_OUT:
            sim.end_bridge(bridge, ended_by=call)
    except BridgeEnded:
        pass
    except (HungUp, Redirected):
        sim.end_bridge(bridge, ended_by=call)
        raise
    now = sim.clock.seconds
    ended = bridge.ended_at if bridge.ended_at is not None else now
    duration = int(ended - (bridge.connected_at if bridge.connected_at is not None else now))
    return DialOutcome("completed", bridge.other.sid, duration, bridged=True, queue_sid=queue_sid)
