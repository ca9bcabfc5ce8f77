"""The voice call, decided: from what the network told us and what we know, what happens next.

Pure functions over Samvaad's own types. They return decisions (a menu, a queue to join, an announcement
while waiting, a transfer...) made of ``Line``s, sentences from the gettext catalog in a language;
``telephony/`` turns them into a provider's document (TwiML for Twilio). No provider names appear here, so a
second adapter (Exotel) renders the same decisions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from locales import messages
from routing.crisis_numbers import CrisisNumbers
from routing.voice.helplines import HelplineConfig

HOLD_SECONDS = 15
MENU_SECONDS = 6
WHISPER_SECONDS = 8
LISTENER_WAITS_FOR_CALLER_SECONDS = 45
CALLBACK_WAIT_SECONDS = 120  # the caller's phone rings (up to 30 s) and they hear a greeting first
DANGER_LANGUAGES = 2
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
class Silence:
    """Nothing to say: an acknowledgement, or a superseded request."""


Decision = (
    Menu | LanguageChosen | JoinQueue | HoldAnnouncement | LeaveQueue | Goodbye | Transfer | Whisper
    | ConnectListener | Silence
)  # fmt: skip


def unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def queue_name(association_id: int, language: str) -> str:
    return f"sv-{association_id}-{language}"


def offer_queue_name(offer_id: str) -> str:
    return f"sv-offer-{offer_id}"


# ---- the menu ----


def danger_lines(config: HelplineConfig, first: str | None = None) -> tuple[Line, ...]:
    """The brief crisis notice every menu opens with, in the caller's likely languages."""
    codes = unique([c for c in (first, config.default_language, *config.codes) if c])[:DANGER_LANGUAGES]
    return tuple(say("danger", messages.DANGER_PRESS_ZERO, code) for code in codes)


def greet(config: HelplineConfig, last_language: str | None) -> Menu:
    """A returning caller hears their last language (1 to continue, 2 for others); everyone else the menu."""
    if last_language is None or config.language(last_language) is None:
        return language_menu(config, attempt=1)
    return returning_menu(config, last_language, attempt=1)


def returning_menu(config: HelplineConfig, language: str, attempt: int) -> Menu:
    intro = (say("welcome", messages.WELCOME, language),)
    if attempt > 1:
        intro = (say("not_caught", messages.NOT_CAUGHT, language),)
    welcome_back = say("welcome_back", messages.WELCOME_BACK_LANGUAGE, language, names={"language": language})
    lines = (*danger_lines(config, language)[:1], welcome_back)
    speech, hints = _speech(config, (language,))
    return Menu("returning", attempt, intro, lines, language, speech, hints)


def language_menu(config: HelplineConfig, attempt: int, last_language: str | None = None) -> Menu:
    """Each option in its own language, in the association's order, after the crisis notice."""
    first = config.default_language
    intro = (say("welcome", messages.WELCOME, first),) if attempt == 1 and last_language is None else ()
    if attempt > 1:
        intro = (say("not_caught", messages.NOT_CAUGHT, first),)
    items = tuple(
        say("menu", messages.LANGUAGE_MENU_ITEM, lang.code, names={"language": lang.code}, digit=lang.digit)
        for lang in config.languages
    )
    return Menu(
        "languages",
        attempt,
        intro,
        danger_lines(config) + items,
        last_language,
        *_speech(config, config.codes),
    )


def _speech(config: HelplineConfig, codes: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """Speech as an extra, only when the menu offers a language Twilio recognises well."""
    recognised = [code for code in config.codes if code in SPEECH_LANGUAGES]
    if not recognised:
        return None, ()
    return SPEECH_LANGUAGES[recognised[0]], tuple(codes)


def choose_language(
    config: HelplineConfig, menu: Menu, digits: str, spoken_choice: str | None = None
) -> Menu | LanguageChosen:
    """The caller's answer to a menu. 0 is always the crisis key. No answer or a wrong key repeats the menu
    once; after that the call goes on in the association's default language (for a returning caller: in
    their own last language, the default they chose)."""
    fallback = menu.last_language or config.default_language
    if digits == "0":
        return LanguageChosen(fallback, crisis=True)
    if menu.kind == "returning" and menu.last_language is not None:
        if digits == "1" or spoken_choice == menu.last_language:
            return LanguageChosen(menu.last_language)
        if digits == "2":
            return language_menu(config, attempt=1, last_language=menu.last_language)
    else:
        chosen = config.by_digit(digits) if digits else None
        if chosen is None and spoken_choice is not None:
            chosen = config.language(spoken_choice)
        if chosen is not None:
            return LanguageChosen(chosen.code)
    if menu.attempt < 2:
        if menu.kind == "returning" and menu.last_language is not None:
            return returning_menu(config, menu.last_language, attempt=menu.attempt + 1)
        return language_menu(config, attempt=menu.attempt + 1, last_language=menu.last_language)
    return LanguageChosen(fallback, defaulted=True)


def join_queue(config: HelplineConfig, chosen: LanguageChosen) -> JoinQueue:
    lines: tuple[Line, ...] = ()
    if chosen.defaulted:
        lines = (
            say(
                "continue",
                messages.CONTINUE_IN_LANGUAGE,
                chosen.language,
                names={"language": chosen.language},
            ),
        )
    return JoinQueue(queue_name(config.association_id, chosen.language), chosen.language, lines)


# ---- waiting ----


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


def announce_wait(language: str, wait: WaitState, crisis_max_wait: float) -> HoldAnnouncement | LeaveQueue:
    """One turn of the wait loop. An honest estimate or none; the crisis line when the policy (or, for a
    caller in danger, the crisis limit) runs out; a callback when the policy reaches that step."""
    if wait.state != "waiting":
        return HoldAnnouncement((say("stay", messages.PLEASE_STAY, language),), 5, options=False)
    if wait.crisis and (wait.step_kind in TERMINAL_STEPS or wait.waited_seconds >= crisis_max_wait):
        return LeaveQueue("crisis")
    if wait.step_kind == "crisis_line" or (wait.step_kind == "callback" and not wait.can_call_back):
        return LeaveQueue("crisis")
    if wait.step_kind == "callback":
        return LeaveQueue("callback")
    lines = [say("position", messages.QUEUE_POSITION, language, position=wait.position)]
    lines.append(expected_wait_line(language, wait.expected_wait_seconds))
    lines.append(say("hold_options", messages.HOLD_OPTIONS, language))
    return HoldAnnouncement(tuple(lines), HOLD_SECONDS)


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
) -> Goodbye | Transfer | Silence:
    """The caller left the queue: ``result`` is the network's reason, ``reason`` what Samvaad recorded."""
    if result in ("bridged", "hangup", "redirected", "redirected-from-bridged", "bridging-in-process"):
        return Silence()
    if result == "leave" and reason == "callback":
        return Goodbye(callback_lines(language, hours, automatic))
    if result == "leave" and reason == "crisis":
        return crisis_transfer(language, crisis)
    return degraded(config, crisis)


def callback_lines(language: str, hours: CallbackHours | None, automatic: bool) -> tuple[Line, ...]:
    lines = [say("all_busy", messages.ALL_BUSY_CALLBACK, language)] if automatic else []
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


# ---- the listener ----


def whisper(listener_language: str, caller_language: str, waited_seconds: float, callback: bool) -> Whisper:
    """In the listener's language: the caller's language, how long they waited, and "press 1"."""
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
    return Goodbye((say("listener_taken", messages.LISTENER_ALREADY_TAKEN, listener_language),))


def is_machine(answered_by: str | None) -> bool:
    """A voicemail or fax answered: it must never accept an offer (``unknown`` counts as a person)."""
    return bool(answered_by) and (answered_by or "").startswith(("machine", "fax"))


def callback_greeting(language: str, queue: str) -> JoinQueue:
    return JoinQueue(queue, language, (say("callback_greeting", messages.CALLBACK_GREETING, language),))


def connecting(language: str, queue: str) -> JoinQueue:
    """The caller, moved out of the language queue, waits in the offer's own queue for its listener."""
    return JoinQueue(queue, language, (say("connecting", messages.CONNECTING, language),))
