"""The voice call, decided: from what the network told us and what we know, what happens next.

Pure functions over Samvaad's own types. They return decisions (a menu, a queue to join, an announcement
while waiting, a transfer...) made of ``Line``s, sentences from the gettext catalog in a language;
``telephony/`` turns them into a provider's document (TwiML for Twilio). No provider names appear here, so a
second adapter (Exotel) renders the same decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

HOLD_SECONDS = 15
MENU_SECONDS = 6
WHISPER_SECONDS = 8
LISTENER_WAITS_FOR_CALLER_SECONDS = 45
CALLBACK_WAIT_SECONDS = 120  # the caller's phone rings (up to 30 s) and they hear a greeting first
DEGRADED_LANGUAGES = 3
# Twilio recognises speech well only in these; elsewhere the keypad alone (twilio.md §6).
SPEECH_LANGUAGES = {"hi": "hi-IN", "en": "en-IN"}
TERMINAL_STEPS = ("callback", "crisis_line")


@dataclass(frozen=True)
class Line:
    """One sentence: a catalog message said in ``language``. ``names`` are values that are language codes,
    said as that language's name in the line's own language; ``key`` names a recorded prompt that may
    replace the sentence."""

    key: str
    message: str
    language: str
    values: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()


def say(key: str, message: str, language: str, names: dict[str, str] | None = None, **values: object) -> Line:
    return Line(
        key,
        message,
        language,
        tuple((k, str(v)) for k, v in values.items()),
        tuple((names or {}).items()),
    )


@dataclass(frozen=True)
class Menu:
    """Lines said before the keypad listens (``intro``), lines it listens during, and what menu this is."""

    kind: Literal["languages", "returning"]
    attempt: int
    intro: tuple[Line, ...]
    lines: tuple[Line, ...]
    last_language: str | None = None
    speech_language: str | None = None
    speech_hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguageChosen:
    language: str
    crisis: bool = False
    defaulted: bool = False


@dataclass(frozen=True)
class JoinQueue:
    """Wait in the association's queue for this language."""

    queue: str
    language: str
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class HoldAnnouncement:
    """One turn of the wait loop: what to say, whether keys 1 (callback) and 0 (crisis) are offered."""

    lines: tuple[Line, ...]
    hold_seconds: int
    options: bool = True
    music: bool = True  # a caller in danger hears silence: the pause keeps the crisis limit to the second


@dataclass(frozen=True)
class LeaveQueue:
    reason: Literal["callback", "crisis"]


@dataclass(frozen=True)
class Goodbye:
    """Say the lines and end this leg."""

    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Transfer:
    """Say the lines, ring the numbers together; then the crisis lines and the crisis line."""

    lines: tuple[Line, ...]
    numbers: tuple[str, ...]
    crisis_lines: tuple[Line, ...]
    crisis_line: str


@dataclass(frozen=True)
class Whisper:
    """Said to the listener before anything is connected: who waits, and "press 1"."""

    lines: tuple[Line, ...]
    seconds: int = WHISPER_SECONDS


@dataclass(frozen=True)
class ConnectListener:
    """Put the listener through to the caller waiting (or about to wait) in ``queue``."""

    queue: str
    lines: tuple[Line, ...] = ()
    timeout: int = LISTENER_WAITS_FOR_CALLER_SECONDS


@dataclass(frozen=True)
class RingListener:
    """For a provider whose own applet rings the listener and bridges (Exotel's Connect): whom to ring (in
    clear, for this answer only), the helpline number they see, and what they hear on answering. No number:
    nobody can take the call now."""

    numbers: tuple[str, ...]
    caller_id: str
    lines: tuple[Line, ...] = ()
    ring_seconds: int = 20


@dataclass(frozen=True)
class Silence:
    """Nothing to say: an acknowledgement, or a superseded request."""


Decision = (
    Menu | LanguageChosen | JoinQueue | HoldAnnouncement | LeaveQueue | Goodbye | Transfer | Whisper
    | ConnectListener | RingListener | Silence
)  # fmt: skip


def unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def queue_name(association_id: int, language: str) -> str:
    return f"sv-{association_id}-{language}"


def offer_queue_name(offer_id: str) -> str:
    return f"sv-offer-{offer_id}"
