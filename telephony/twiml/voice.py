"""Samvaad's call decisions (routing/call_flow.py) as Twilio TwiML.

Each ``Line`` becomes a ``<Play>`` of the association's recorded prompt for that sentence and language when it
set one, else a ``<Say>`` in the language's text-to-speech voice (telephony/voices.py). Every action URL is
absolute, built from the public base URL, because Twilio signs (and we check) exactly that URL.
twilio's VoiceResponse writes the XML, so escaping and attribute names are Twilio's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather, VoiceResponse

from locales.language_names import spoken_name
from routing.voice.decisions import (
    ConnectListener,
    Goodbye,
    HoldAnnouncement,
    JoinQueue,
    LeaveQueue,
    Line,
    Menu,
    Silence,
    Transfer,
    Whisper,
)
from routing.voice.helplines import HelplineConfig
from telephony.speech import sentence
from telephony.voices import voice_for

TWIML_MEDIA_TYPE = "application/xml"


@dataclass(frozen=True)
class Urls:
    """Absolute URLs under the public base URL, with the query Samvaad reads back."""

    base: str

    def to(self, path: str, **query: object) -> str:
        url = self.base.rstrip("/") + path
        pairs = {k: str(v) for k, v in query.items() if v is not None and v != ""}
        return url + ("?" + urlencode(pairs) if pairs else "")


class Speaker:
    """Says lines the way the association wants each language spoken."""

    def __init__(self, config: HelplineConfig | None) -> None:
        self.config = config

    def add(self, target: VoiceResponse | Gather, line: Line) -> None:
        menu_language = self.config.language(line.language) if self.config else None
        recorded = menu_language.prompt_url(line.key) if menu_language else None
        if recorded:
            target.play(recorded)
            return
        voice = voice_for(line.language, menu_language.tts_voice if menu_language else None)
        target.say(sentence(line, voice.text_locale), voice=voice.name, language=voice.language)

    def add_all(self, target: VoiceResponse | Gather, lines: Iterable[Line]) -> None:
        for line in lines:
            self.add(target, line)


def render_menu(menu: Menu, speaker: Speaker, action: str) -> str:
    """The menu in a one-key ``<Gather>``; no key still posts to ``action`` (empty ``Digits``). Menus are
    pure functions of the association's configuration, so the document is rendered once and reused."""
    return _render_menu(menu, speaker.config, action)


@lru_cache(maxsize=1024)
def _render_menu(menu: Menu, config: HelplineConfig | None, action: str) -> str:
    speaker = Speaker(config)
    response = VoiceResponse()
    speaker.add_all(response, menu.intro)
    extra = {}
    if menu.speech_language:
        extra = {
            "input": "dtmf speech",
            "language": menu.speech_language,
            "hints": ", ".join(spoken_name(code, "en") for code in menu.speech_hints),
            "speech_timeout": "auto",
        }
    else:
        extra = {"input": "dtmf"}
    gather = response.gather(
        action=action, method="POST", num_digits=1, timeout=6, action_on_empty_result=True, **extra
    )
    speaker.add_all(gather, menu.lines)
    return str(response.to_xml())


def render_join_queue(join: JoinQueue, speaker: Speaker, wait_url: str | None, action: str) -> str:
    response = VoiceResponse()
    speaker.add_all(response, join.lines)
    response.enqueue(
        join.queue,
        action=action,
        method="POST",
        wait_url=wait_url,
        wait_url_method="POST" if wait_url else None,
    )
    return str(response.to_xml())


def render_hold(hold: HoldAnnouncement, speaker: Speaker, action: str, music_url: str = "") -> str:
    """One turn of the wait loop (the waitUrl document; Twilio asks again when it ends)."""
    response = VoiceResponse()
    target: VoiceResponse | Gather = response
    if hold.options:
        target = response.gather(action=action, method="POST", num_digits=1, timeout=1, input="dtmf")
    speaker.add_all(target, hold.lines)
    if music_url and hold.music:
        target.play(music_url)
    else:
        target.pause(length=hold.hold_seconds)
    return str(response.to_xml())


def render_leave(_: LeaveQueue | None = None) -> str:
    response = VoiceResponse()
    response.leave()
    return str(response.to_xml())


def render_goodbye(goodbye: Goodbye, speaker: Speaker) -> str:
    response = VoiceResponse()
    speaker.add_all(response, goodbye.lines)
    response.hangup()
    return str(response.to_xml())


def render_transfer(transfer: Transfer, speaker: Speaker, caller_id: str | None) -> str:
    """Apology, the backup numbers rung together, then the crisis line: nobody is left unanswered."""
    response = VoiceResponse()
    speaker.add_all(response, transfer.lines)
    if transfer.numbers:
        dial = response.dial(caller_id=caller_id, timeout=30)
        for number in transfer.numbers[:10]:
            dial.number(number)
    speaker.add_all(response, transfer.crisis_lines)
    response.dial(transfer.crisis_line, caller_id=caller_id)
    return str(response.to_xml())


def render_whisper(whisper: Whisper, speaker: Speaker, action: str) -> str:
    """To the listener: "press 1"; no key ends their leg, so a voicemail can never take the call."""
    response = VoiceResponse()
    gather = response.gather(
        action=action, method="POST", num_digits=1, timeout=whisper.seconds, input="dtmf"
    )
    speaker.add_all(gather, whisper.lines)
    response.hangup()
    return str(response.to_xml())


def render_connect(connect: ConnectListener, speaker: Speaker, action: str, caller_id: str | None) -> str:
    response = VoiceResponse()
    speaker.add_all(response, connect.lines)
    dial = response.dial(action=action, method="POST", timeout=connect.timeout, caller_id=caller_id)
    dial.queue(connect.queue)
    return str(response.to_xml())


def render_silence(_: Silence | None = None) -> str:
    return str(VoiceResponse().to_xml())


def render_hangup() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response.to_xml())
