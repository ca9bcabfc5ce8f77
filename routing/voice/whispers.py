"""What the listener hears, decided: the whisper before anything is connected (who waits, and "press 1"),
what pressing 1 does, and the greetings of the caller being brought to them. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from locales import messages
from routing.voice.decisions import (
    CALLBACK_WAIT_SECONDS,
    LISTENER_WAITS_FOR_CALLER_SECONDS,
    ConnectListener,
    Goodbye,
    JoinQueue,
    Whisper,
    say,
)


def whisper(
    listener_language: str, caller_language: str, waited_seconds: float, callback: bool, urgent: bool = False
) -> Whisper:
    """In the listener's language: the caller's language, how long they waited, and "press 1"; first, for
    a caller who pressed the danger key, that it is urgent."""
    spoken = _whisper(listener_language, caller_language, waited_seconds, callback)
    if not urgent:
        return spoken
    return Whisper((say("listener_urgent", messages.LISTENER_URGENT_CALL, listener_language), *spoken.lines))


def _whisper(listener_language: str, caller_language: str, waited_seconds: float, callback: bool) -> Whisper:
    names = {"language": caller_language}
    if callback:
        return Whisper(
            (say("listener_callback", messages.LISTENER_CALLBACK_OFFER, listener_language, names),)
        )
    minutes = int(waited_seconds // 60)
    if minutes >= 2:
        line = say(
            "listener_offer_waited", messages.LISTENER_OFFER_WAITED, listener_language, names, minutes=minutes
        )
    elif minutes == 1:
        line = say("listener_offer_waited", messages.LISTENER_OFFER_WAITED_A_MINUTE, listener_language, names)
    else:
        line = say("listener_offer", messages.LISTENER_OFFER, listener_language, names)
    return Whisper((line,))


@dataclass(frozen=True)
class AcceptResult:
    ok: bool
    reason: str = ""


def accept(
    listener_language: str, result: AcceptResult, queue: str, callback: bool = False
) -> ConnectListener | Goodbye:
    """Pressed 1 in time: wait in the offer's queue for the caller (longer for a callback: the caller's
    phone must ring first). Too late: the listener is told, and hangs up."""
    if result.ok:
        return ConnectListener(
            queue, timeout=CALLBACK_WAIT_SECONDS if callback else LISTENER_WAITS_FOR_CALLER_SECONDS
        )
    if result.reason == "taken":
        return taken(listener_language)
    return Goodbye((say("listener_taken", messages.LISTENER_ALREADY_TAKEN, listener_language),))


def taken(listener_language: str) -> Goodbye:
    """One of the doctors rung together for a caller in danger took the call: the others are told so."""
    return Goodbye((say("listener_offer_taken", messages.LISTENER_OFFER_TAKEN, listener_language),))


def is_machine(answered_by: str | None) -> bool:
    """A voicemail or fax answered: it must never accept an offer (``unknown`` counts as a person)."""
    return bool(answered_by) and (answered_by or "").startswith(("machine", "fax"))


def callback_greeting(language: str, queue: str) -> JoinQueue:
    return JoinQueue(queue, language, (say("callback_greeting", messages.CALLBACK_GREETING, language),))


def connecting(language: str, queue: str) -> JoinQueue:
    """The caller, moved out of the language queue, waits in the offer's own queue for its listener."""
    return JoinQueue(queue, language, (say("connecting", messages.CONNECTING, language),))
