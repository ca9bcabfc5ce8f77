"""The voice TwiML interpreter: runs documents verb by verb on one call leg.

Every function here is a generator stepped by the scheduler: it yields `Wait`s for the time a prompt takes,
for keypresses or for other legs, and receives interrupts (hang-up, REST redirect, dequeue) at those points.
Queues and dialing live in queueing.py and dialing.py.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from telephony.simulator.documents import VOICE_VERBS, Document, DocumentError, text_of
from telephony.simulator.scheduler import TIMED_OUT, Wait
from telephony.simulator.signals import ApplicationError, HungUp, LeftQueue, Redirected

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.model import SimCall

Params = list[tuple[str, str]]
Step = Generator[Wait, Any, Any]

NORMAL = VOICE_VERBS
WAIT_URL = frozenset({"Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather"})
QUEUE_URL = frozenset({"Play", "Say", "Pause", "Redirect"})
WHISPER = frozenset({"Play", "Say", "Pause", "Gather", "Hangup", "Redirect"})
PROMPTS = frozenset({"Say", "Play", "Pause"})
APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye."


@dataclass(frozen=True)
class Fetch:
    """A TwiML document to request next: absolute URL, method and parameters beyond the call's own."""

    url: str
    method: str = "POST"
    params: Params = field(default_factory=list)


def _int(element: Element, name: str, default: int) -> int:
    try:
        return int(element.get(name, default))
    except ValueError:
        return default


def load(sim: Simulator, call: SimCall, fetch: Fetch, allowed: frozenset[str]) -> Document:
    """Fetch TwiML for `call`; on failure try the fallback URL with ErrorCode/ErrorUrl, as Twilio does."""
    params = call.params() + fetch.params
    try:
        document = sim.fetch(fetch.url, params, fetch.method, allowed)
    except DocumentError as error:
        sim.record_error(call.sid, error)
        if not call.fallback_url:
            raise ApplicationError(str(error)) from error
        failure = [("ErrorCode", str(error.code)), ("ErrorUrl", error.url)]
        try:
            document = sim.fetch(
                sim.absolute(call.fallback_url), params + failure, call.fallback_method, allowed
            )
        except DocumentError as again:
            sim.record_error(call.sid, again)
            raise ApplicationError(str(again)) from again
    call.doc_url = document.url
    return document


def run_documents(
    sim: Simulator,
    call: SimCall,
    fetch: Fetch | None,
    allowed: frozenset[str],
    extra: Callable[[], Params] | None = None,
) -> Step:
    """Fetch and run documents, following Redirects and actions, until one runs out of verbs."""
    while fetch is not None:
        if extra is not None:
            fetch = Fetch(fetch.url, fetch.method, fetch.params + extra())
        document = load(sim, call, fetch, allowed)
        fetch = yield from run_verbs(sim, call, document, allowed)


def run_verbs(sim: Simulator, call: SimCall, document: Document, allowed: frozenset[str]) -> Step:
    """Run one document top-down. Returns the next Fetch when a verb hands over control, else None."""
    from telephony.simulator import dialing, queueing

    for verb in document.verbs:
        tag = verb.tag
        if tag not in allowed:
            sim.record_problem(call.sid, document.url, f"<{tag}> is not simulated or not allowed here")
            continue
        if tag != "Reject":
            sim.mark_answered(call)
        if tag in PROMPTS:
            yield from play_prompt(sim, call, verb, document.url)
        elif tag == "Gather":
            handover = yield from gather(sim, call, verb, document.url)
            if handover is not None:
                return handover
        elif tag == "Redirect":
            return Fetch(sim.absolute(text_of(verb), document.url), verb.get("method", "POST"))
        elif tag == "Hangup":
            raise HungUp("completed", by="twiml")
        elif tag == "Reject":
            reject(sim, call, verb)
        elif tag == "Leave":
            if allowed is WAIT_URL:
                raise LeftQueue()
            sim.record_problem(call.sid, document.url, "<Leave/> outside a queue's waitUrl is ignored")
        elif tag == "Enqueue":
            handover = yield from queueing.enqueue(sim, call, verb, document.url)
            if handover is not None:
                return handover
        elif tag == "Dial":
            handover = yield from dialing.dial(sim, call, verb, document.url)
            if handover is not None:
                return handover
    return None


def reject(sim: Simulator, call: SimCall, verb: Element) -> None:
    if call.answered_at is None:
        raise HungUp("busy" if verb.get("reason") == "busy" else "no-answer", by="twiml")
    raise HungUp("completed", by="twiml")


def play_prompt(sim: Simulator, call: SimCall, verb: Element, doc_url: str, listen: bool = False) -> Step:
    """Say, Play or Pause; returns early (True) when `listen` and a key is pressed (barge-in)."""
    if verb.tag == "Pause":
        seconds: float | None = float(_int(verb, "length", 1))
    elif verb.tag == "Say":
        text = text_of(verb)
        loop = _int(verb, "loop", 1)
        sim.hear(call, "say", text, language=verb.get("language", "en-US"), voice=verb.get("voice"))
        seconds = sim.say_seconds(text) * (loop if loop > 0 else 1000)
    else:
        loop = _int(verb, "loop", 1)
        sim.hear(call, "play", sim.absolute(text_of(verb), doc_url))
        seconds = sim.play_seconds * loop if loop > 0 else None
    woke = yield Wait(seconds, listen=listen)
    return woke not in (None, TIMED_OUT)


def gather(sim: Simulator, call: SimCall, verb: Element, doc_url: str) -> Step:
    """Collect DTMF like Twilio's <Gather>; returns the action Fetch, or None to fall through."""
    action = sim.absolute(verb.get("action") or doc_url, doc_url)
    timeout = float(_int(verb, "timeout", 5))
    num_digits = _int(verb, "numDigits", 0)
    finish_on_key = verb.get("finishOnKey", "#")
    on_empty = verb.get("actionOnEmptyResult", "false").lower() == "true"
    phone = call.phone
    listening = phone is not None and not call.machine and "dtmf" in verb.get("input", "dtmf")
    for prompt in verb:
        if prompt.tag not in PROMPTS:
            sim.record_problem(call.sid, doc_url, f"<{prompt.tag}> cannot be nested in <Gather>")
            continue
        if listening and phone is not None:
            phone.react_to(call.heard_since_gather)
            if phone.has_keys():
                break
        yield from play_prompt(sim, call, prompt, doc_url, listen=listening)
    digits, finished_on = "", ""
    if listening and phone is not None:
        phone.react_to(call.heard_since_gather)
        digits, finished_on = yield from _read_keys(call, timeout, num_digits, finish_on_key)
    else:
        yield Wait(timeout)
    call.heard_since_gather.clear()
    if not digits and not on_empty:
        return None
    params = [("Digits", digits), ("FinishedOnKey", finished_on)] if digits else []
    return Fetch(action, verb.get("method", "POST"), params)


def _read_keys(call: SimCall, timeout: float, num_digits: int, finish_on_key: str) -> Step:
    phone = call.phone
    assert phone is not None
    digits = ""
    while True:
        key = phone.take_key()
        if key is None:
            woke = yield Wait(timeout, listen=True)
            if woke == TIMED_OUT:
                return digits, ""
            continue
        if finish_on_key and key == finish_on_key:
            return digits, key
        digits += key
        if num_digits and len(digits) >= num_digits:
            return digits, ""


def run_leg(sim: Simulator, call: SimCall, first: Fetch) -> Step:
    """Run TwiML on a call leg until it ends, then end it. REST redirects restart it on a new document."""
    fetch: Fetch | None = first
    status = "completed"
    try:
        while fetch is not None:
            try:
                yield from run_documents(sim, call, fetch, NORMAL)
                fetch = None
            except Redirected as redirect:
                fetch = Fetch(sim.absolute(redirect.url), redirect.method)
    except HungUp as hangup:
        status = hangup.status
    except ApplicationError:
        sim.hear(call, "say", APPLICATION_ERROR, language="en-US", voice="Polly.Joanna")
    except LeftQueue:
        sim.record_problem(call.sid, call.doc_url or "", "<Leave/> outside a queue's waitUrl")
    sim.end_call(call, status)
