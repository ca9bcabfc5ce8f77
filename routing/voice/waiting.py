"""The wait, decided: each turn of the wait loop (position, an honest estimate, keys 1 and 0), leaving the
queue for a callback or the crisis line, and the degraded answer when Samvaad cannot route. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from locales import messages
from routing.crisis_numbers import CrisisNumbers
from routing.safety import Verdict
from routing.voice.decisions import (
    DEGRADED_LANGUAGES,
    HOLD_SECONDS,
    TERMINAL_STEPS,
    Goodbye,
    HoldAnnouncement,
    LeaveQueue,
    Line,
    Silence,
    Transfer,
    say,
    unique,
)
from routing.voice.helplines import HelplineConfig


@dataclass(frozen=True)
class WaitState:
    """What routing says about a waiting caller, and what they asked for."""

    state: str  # waiting, offered, connected
    position: int
    expected_wait_seconds: float | None
    step_kind: str
    waited_seconds: float
    crisis: bool = False
    can_call_back: bool = True
    all_on_calls: bool = False  # everyone who could answer is on another call (not paused, not away)
    step_seconds_left: float | None = None  # until the policy's next step (None at a terminal step)


def announce_wait(
    language: str,
    wait: WaitState,
    crisis_max_wait: float,
    crisis: CrisisNumbers,
    first_turn: bool = False,
) -> HoldAnnouncement | LeaveQueue:
    """One turn of the wait loop. An honest estimate or none; the crisis line when the policy (or, for a
    caller in danger, the crisis limit) runs out; a callback when the policy reaches that step."""
    if wait.crisis:
        return crisis_wait(language, wait, crisis_max_wait, crisis, first_turn)
    if wait.state != "waiting":
        return HoldAnnouncement((say("stay", messages.PLEASE_STAY, language),), 5, options=False)
    if wait.step_kind == "crisis_line" or (wait.step_kind == "callback" and not wait.can_call_back):
        return LeaveQueue("crisis")
    if wait.step_kind == "callback":
        return LeaveQueue("callback")
    lines = [say("position", messages.QUEUE_POSITION, language, position=wait.position)]
    lines.append(expected_wait_line(language, wait.expected_wait_seconds))
    lines.append(say("hold_options", messages.HOLD_OPTIONS, language))
    return HoldAnnouncement(tuple(lines), hold_seconds(wait.step_seconds_left))


def hold_seconds(step_seconds_left: float | None) -> int:
    """The music after a turn ends when the policy's step does, so the next turn finds the caller at the new
    step (a callback offered, another language tried) rather than a whole turn later."""
    if step_seconds_left is None:
        return HOLD_SECONDS
    return max(1, min(HOLD_SECONDS, math.ceil(step_seconds_left)))


def crisis_wait(
    language: str, wait: WaitState, crisis_max_wait: float, crisis: CrisisNumbers, first_turn: bool
) -> HoldAnnouncement | LeaveQueue:
    """A caller in danger hears that doctors are being called (first the acknowledgement, naming the crisis
    line and 112), never the normal loop (no "press 0" again), and leaves for the crisis line when the
    limit is reached, whether listeners are ringing or not."""
    left = crisis_max_wait - wait.waited_seconds
    if wait.state == "connected":
        return HoldAnnouncement((say("stay", messages.PLEASE_STAY, language),), 5, options=False)
    if wait.step_kind in TERMINAL_STEPS or left <= 0:
        return LeaveQueue("crisis")
    line = say("crisis_calling", messages.CRISIS_STILL_CALLING, language)
    if first_turn:
        line = crisis_acknowledgement(language, crisis)
    return HoldAnnouncement((line,), max(1, min(HOLD_SECONDS, math.ceil(left))), options=False, music=False)


def crisis_acknowledgement(language: str, crisis: CrisisNumbers) -> Line:
    return say(
        "crisis_acknowledged",
        messages.CRISIS_ACKNOWLEDGED,
        language,
        crisis_line=crisis.crisis_line,
        emergency_number=crisis.emergency_number,
        seconds=crisis.wait_seconds,
    )


def expected_wait_line(language: str, seconds: float | None) -> Line:
    """Minutes rounded up, never a promise we have no basis for: without recent calls, no number at all."""
    if seconds is None:
        return say("stay", messages.PLEASE_STAY, language)
    if seconds < 60:
        return say("wait_short", messages.EXPECTED_WAIT_UNDER_A_MINUTE, language)
    return say("wait", messages.EXPECTED_WAIT, language, minutes=max(2, math.ceil(seconds / 60)))


def wait_key(digits: str) -> LeaveQueue | Silence:
    """While waiting: 1 asks for a callback, 0 for the crisis line; any other key changes nothing."""
    if digits == "1":
        return LeaveQueue("callback")
    if digits == "0":
        return LeaveQueue("crisis")
    return Silence()


@dataclass(frozen=True)
class CallbackHours:
    start: str
    end: str
    open_now: bool


def after_queue(
    config: HelplineConfig,
    result: str,
    reason: str,
    language: str,
    crisis: CrisisNumbers,
    hours: CallbackHours | None = None,
    automatic: bool = False,
    all_on_calls: bool = False,
) -> Goodbye | Transfer | Silence:
    """The caller left the queue: ``result`` is the network's reason, ``reason`` what Samvaad recorded."""
    if result in ("bridged", "hangup", "redirected", "redirected-from-bridged", "bridging-in-process"):
        return Silence()
    if result == "leave" and reason == "callback":
        return Goodbye(callback_lines(language, hours, automatic, all_on_calls))
    if result == "leave" and reason == "crisis":
        return crisis_transfer(language, crisis)
    return degraded(config, crisis)


def callback_lines(
    language: str, hours: CallbackHours | None, automatic: bool, all_on_calls: bool = False
) -> tuple[Line, ...]:
    """A callback the policy chose says why: "all busy" only when everyone who could answer is on a call."""
    lines = []
    if automatic:
        busy = say("all_busy", messages.ALL_BUSY_CALLBACK, language)
        lines.append(busy if all_on_calls else say("nobody_free", messages.NOBODY_FREE_CALLBACK, language))
    lines.append(
        say("callback_confirmed", messages.CALLBACK_CONFIRMED_VOICE, language, names={"language": language})
    )
    if hours is not None and not hours.open_now:
        lines.append(
            say("callback_window", messages.CALLBACK_WINDOW, language, start=hours.start, end=hours.end)
        )
    return tuple(lines)


def crisis_transfer(language: str, crisis: CrisisNumbers) -> Transfer:
    """The crisis line, named in the caller's language before it is dialled: the number said is the one dialled."""
    return Transfer((), (), (crisis_prompt(language, crisis),), crisis.crisis_line)


def crisis_prompt(language: str, crisis: CrisisNumbers) -> Line:
    return say(
        "crisis",
        messages.CRISIS_TRANSFER,
        language,
        crisis_line=crisis.crisis_line,
        emergency_number=crisis.emergency_number,
    )


def degraded(config: HelplineConfig | None, crisis: CrisisNumbers, languages: Iterable[str] = ()) -> Transfer:
    """When Samvaad cannot route (Redis or the database down, an unknown number, a provider error): a short
    apology in the association's languages and its backup numbers, then the crisis line. Needs no I/O."""
    codes = unique([config.default_language, *config.codes] if config else languages)[:DEGRADED_LANGUAGES]
    codes = codes or ["hi", "en"]
    return Transfer(
        tuple(say("fallback", messages.FALLBACK_TRANSFER, code) for code in codes),
        config.backup_numbers if config else (),
        (crisis_prompt(codes[0], crisis),),
        crisis.crisis_line,
    )


def refused(
    config: HelplineConfig, language: str | None, verdict: Verdict, crisis: CrisisNumbers
) -> Transfer:
    """A caller the helpline does not take now still reaches help: a blocked caller hears only the crisis
    line's announcement (neutral, no reason given); a caller over the limit hears a gentle word first."""
    code = language if language and config.language(language) else config.default_language
    lines = (
        (say("too_many_calls", messages.VOICE_TOO_MANY_CALLS, code),) if verdict is Verdict.limited else ()
    )
    return Transfer(lines, (), (crisis_prompt(code, crisis),), crisis.crisis_line)
