"""Ringing phones: <Dial><Number> child legs (with the whisper `url`), REST-placed calls and inbound calls.

A dialled phone sees the caller ID it is shown (Dial callerId, else the parent call's From), which is why a
<Dial> without callerId leaks the caller's number to the listener, as it would on Twilio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from telephony.simulator.documents import text_of
from telephony.simulator.model import Bridge, TwilioNumber
from telephony.simulator.queueing import DialOutcome, dial_queue, hold_bridge
from telephony.simulator.scheduler import TIMED_OUT, Wait
from telephony.simulator.signals import ApplicationError, BridgeEnded, HungUp, Redirected
from telephony.simulator.voice import WHISPER, Fetch, Step, run_documents, run_leg

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.model import SimCall

CALL_EVENTS = ("initiated", "ringing", "answered", "completed")


@dataclass(frozen=True)
class NumberTarget:
    number: str
    url: str | None = None
    method: str = "POST"
    status_callback: str | None = None
    status_callback_events: frozenset[str] = frozenset({"completed"})
    machine_detection: bool = False


@dataclass
class DialAttempt:
    """Numbers rung together for one <Dial>: the first to answer wins, the others stop ringing."""

    dialer: SimCall
    legs: list[SimCall] = field(default_factory=list)
    answered: SimCall | None = None
    failures: list[str] = field(default_factory=list)

    def status_if_nobody(self) -> str:
        if "completed" in self.failures:
            return "completed"  # answered, but hung up during the whisper
        if "busy" in self.failures:
            return "busy"
        if self.failures and all(f == "failed" for f in self.failures):
            return "failed"
        return "no-answer"


def parse_events(raw: str | None, default: frozenset[str] = frozenset({"completed"})) -> frozenset[str]:
    events = frozenset((raw or "").replace(",", " ").split())
    return events or default


def dial(sim: Simulator, call: SimCall, verb: Element, doc_url: str) -> Step:
    action = sim.absolute(verb.get("action"), doc_url) if verb.get("action") else None
    timeout = float(verb.get("timeout", "30"))
    limit = float(verb.get("timeLimit", "14400"))
    caller_id = verb.get("callerId") or call.from_
    queues = [noun for noun in verb if noun.tag == "Queue"]
    numbers = [_target(sim, noun, doc_url) for noun in verb if noun.tag == "Number"]
    if not len(verb) and text_of(verb):
        numbers = [NumberTarget(text_of(verb))]
    unsupported = [noun.tag for noun in verb if noun.tag not in ("Number", "Queue")]
    if unsupported:
        sim.record_problem(call.sid, doc_url, f"<Dial> nouns not simulated: {unsupported}")
    started = sim.clock.seconds
    try:
        if queues:
            outcome = yield from dial_queue(sim, call, queues[0], doc_url, timeout, limit)
        elif numbers:
            outcome = yield from _dial_numbers(sim, call, numbers, caller_id, timeout, limit)
        else:
            outcome = DialOutcome("failed")
    except HungUp:
        if action is not None:  # Twilio still tells the action how the Dial ended; the answer is ignored
            params = call.params() + _dial_params(_outcome_at_hangup(sim, call, started))
            sim.notify(action, params, verb.get("method", "POST"), call.sid)
        raise
    if action is None:
        return None
    return Fetch(action, verb.get("method", "POST"), _dial_params(outcome))


def _outcome_at_hangup(sim: Simulator, call: SimCall, started: float) -> DialOutcome:
    bridge = call.last_bridge
    if bridge is None or bridge.created_at < started or bridge.connected_at is None:
        return DialOutcome("canceled")
    ended = bridge.ended_at if bridge.ended_at is not None else sim.clock.seconds
    return DialOutcome("completed", bridge.party_of(call).sid, int(ended - bridge.connected_at), bridged=True)


def _dial_params(outcome: DialOutcome) -> list[tuple[str, str]]:
    params = [("DialCallStatus", outcome.status), ("DialBridged", "true" if outcome.bridged else "false")]
    if outcome.other_sid:
        params.append(("DialCallSid", outcome.other_sid))
    if outcome.duration is not None:
        params.append(("DialCallDuration", str(outcome.duration)))
    if outcome.queue_sid:
        params.append(("QueueSid", outcome.queue_sid))
    return params


def _target(sim: Simulator, noun: Element, doc_url: str) -> NumberTarget:
    url = noun.get("url")
    callback = noun.get("statusCallback")
    return NumberTarget(
        number=text_of(noun),
        url=sim.absolute(url, doc_url) if url else None,
        method=noun.get("method", "POST"),
        status_callback=sim.absolute(callback, doc_url) if callback else None,
        status_callback_events=parse_events(noun.get("statusCallbackEvent")),
        machine_detection=noun.get("machineDetection", "").lower() in ("enable", "detectmessageend"),
    )


def _dial_numbers(
    sim: Simulator, call: SimCall, targets: list[NumberTarget], caller_id: str, timeout: float, limit: float
) -> Step:
    attempt = DialAttempt(dialer=call)
    for target in targets:
        leg = sim.new_call("outbound-dial", caller_id, target.number, parent=call)
        leg.status_callback = target.status_callback
        leg.status_callback_events = target.status_callback_events
        attempt.legs.append(leg)
        leg.process.start(_run_dial_leg(sim, leg, attempt, target, timeout))
    try:
        woke = yield Wait(None)
    except (HungUp, Redirected):
        _cancel_others(sim, attempt, keep=None)
        raise
    if woke != "connected" or call.bridge is None:
        return DialOutcome(attempt.status_if_nobody(), other_sid=_answered_sid(attempt))
    return (yield from hold_bridge(sim, call, call.bridge, limit, None, connected=True))


def _answered_sid(attempt: DialAttempt) -> str | None:
    return attempt.answered.sid if attempt.answered is not None else None


def _cancel_others(sim: Simulator, attempt: DialAttempt, keep: SimCall | None) -> None:
    for leg in attempt.legs:
        if leg is not keep and not leg.is_over:
            leg.process.interrupt(HungUp("canceled" if leg.answered_at is None else "completed", by="api"))


def _leg_failed(attempt: DialAttempt, status: str) -> None:
    attempt.failures.append(status)
    if len(attempt.failures) == len(attempt.legs):
        attempt.dialer.process.wake("failed")


def _run_dial_leg(
    sim: Simulator, leg: SimCall, attempt: DialAttempt, target: NumberTarget, timeout: float
) -> Step:
    sim.set_status(leg, "initiated")
    outcome = yield from ring(sim, leg, timeout, target.machine_detection)
    if outcome != "answered" or attempt.answered is not None:
        sim.end_call(leg, outcome if outcome != "answered" else "completed")
        _leg_failed(attempt, outcome if outcome != "answered" else "canceled")
        return
    attempt.answered = leg
    _cancel_others(sim, attempt, keep=leg)
    sim.mark_answered(leg)
    try:
        if target.url:
            yield from run_documents(sim, leg, Fetch(target.url, target.method), WHISPER)
    except (HungUp, Redirected, ApplicationError) as stop:
        sim.end_call(leg, stop.status if isinstance(stop, HungUp) else "completed")
        _leg_failed(attempt, "completed")
        return
    if attempt.dialer.is_over:
        sim.end_call(leg, "completed")
        return
    bridge = Bridge(dialer=attempt.dialer, other=leg, created_at=sim.clock.seconds)
    attempt.dialer.bridge = leg.bridge = bridge
    sim.connect(bridge)
    try:
        yield Wait(None)
    except BridgeEnded:
        sim.end_call(leg, "completed")
    except (HungUp, Redirected) as stop:
        sim.end_bridge(bridge, ended_by=leg)
        sim.end_call(leg, stop.status if isinstance(stop, HungUp) else "completed")


def ring(sim: Simulator, leg: SimCall, timeout: float, detect_machine: bool) -> Step:
    """Ring the phone at leg.to. Returns 'answered' or the leg's final status."""
    phone = sim.phonebook.get(leg.to)
    if phone is None:
        sim.record_problem(leg.sid, "", f"no simulated phone has the number ending {leg.to[-4:]}")
        return "failed"
    if phone.busy or phone.active is not None:
        return "busy"
    sim.set_status(leg, "ringing")
    phone.ringing.append(leg)
    phone.calls.append(leg)
    leg.phone = phone
    sim.hear(leg, "ring", leg.from_)
    person, machine = phone.answer_after, phone.voicemail_after
    first = min((d for d in (person, machine) if d is not None), default=None)
    by_machine = first is not None and first == machine and (person is None or machine < person)
    try:
        woke = yield Wait(first if first is not None and first < timeout else timeout)
    except HungUp:
        phone.ringing.remove(leg)
        return "canceled"
    phone.ringing.remove(leg)
    if woke == "decline":
        return "busy"
    if woke == TIMED_OUT and (first is None or first >= timeout):
        return "no-answer"
    leg.machine = woke == TIMED_OUT and by_machine
    if detect_machine:
        leg.answered_by = "machine_start" if leg.machine else "human"
    phone.active = leg
    if leg.machine:
        sim.hang_up_call(leg, after=phone.voicemail_seconds, by="machine")
    return "answered"


def run_outbound(sim: Simulator, call: SimCall, first: Fetch, timeout: float, detect_machine: bool) -> Step:
    """A call placed through the REST API: ring, and on answer run its URL."""
    sim.set_status(call, "initiated")
    outcome = yield from ring(sim, call, timeout, detect_machine)
    if outcome != "answered":
        sim.end_call(call, outcome)
        return
    sim.mark_answered(call)
    yield from run_leg(sim, call, first)


def run_inbound(sim: Simulator, call: SimCall, number: TwilioNumber) -> Step:
    """A phone called one of our numbers: Twilio requests its Voice URL at once."""
    sim.set_status(call, "ringing")
    if not number.voice_url:
        sim.end_call(call, "failed")
        return
    yield from run_leg(sim, call, Fetch(sim.absolute(number.voice_url), number.voice_method))
