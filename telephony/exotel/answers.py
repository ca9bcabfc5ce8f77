"""Samvaad's decisions as Exotel's answers.

* A **Passthru** branches on the status code alone: 200 for one transition, 302 for the other
  (https://support.exotel.com/support/solutions/articles/48283-working-with-passthru-applet). Samvaad's
  flow uses 200 for "go on" (to the menu, to the listener, to the callback's confirmation) and 302 for
  "to the crisis line / the backup numbers".
* A **Connect** applet with a dynamic URL fetches JSON naming the numbers to dial, the ExoPhone shown as
  caller id and what is played on answer
  (https://support.exotel.com/support/solutions/articles/3000096873-working-with-connect-applet-dynamic-url-).
* A **Gather** applet with a dynamic URL fetches JSON with its prompt and keypad settings
  (https://support.exotel.com/support/solutions/articles/3000084635-working-with-gather-applet).
* A **Greeting** applet with a dynamic URL reads plain text (or plays an audio URL).

Exotel's text-to-speech reads one text per applet in one voice: each line is written in its own
language's script, and an association serving more than Hindi and English should record its prompts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from routing.voice.decisions import LeaveQueue, Line, Menu, RingListener, Transfer
from routing.voice.helplines import HelplineConfig
from telephony.speech import sentence
from telephony.voices import voice_for

GO_ON = 200
DIVERT = 302
TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"
MAX_CONVERSATION_SECONDS = 3600
MENU_PROMPT_KEY = "exotel_menu"  # one recording of the whole menu: Exotel's Gather plays a single prompt


def words(lines: Iterable[Line], config: HelplineConfig | None = None) -> str:
    spoken = []
    for line in lines:
        language = config.language(line.language) if config else None
        spoken.append(
            sentence(line, voice_for(line.language, language.tts_voice if language else None).text_locale)
        )
    return " ".join(spoken)


def passthru_status(decision: object) -> int:
    """200 to go on; 302 to the crisis line or the backup numbers."""
    if isinstance(decision, Transfer):
        return DIVERT
    if isinstance(decision, LeaveQueue) and decision.reason == "crisis":
        return DIVERT
    return GO_ON


def gather_prompt(menu: Menu, config: HelplineConfig) -> dict[str, Any]:
    """The language menu: the crisis notice and one item per language, one key, asked twice."""
    recorded = config.language(config.default_language)
    audio = recorded.prompt_url(MENU_PROMPT_KEY) if recorded else None
    prompt = {"audio_url": audio} if audio else {"text": words((*menu.intro, *menu.lines), config)}
    again = {"audio_url": audio} if audio else {"text": words(menu.lines, config)}
    return {
        "gather_prompt": prompt,
        "max_input_digits": 1,
        "finish_on_key": "#",
        "input_timeout": 6,
        "repeat_menu": 1,
        "repeat_gather_prompt": again,
    }


def connect_listener(ring: RingListener) -> dict[str, Any]:
    """Ring the reserved listener from the ExoPhone; on answer they hear the caller's language. No number:
    Exotel takes the Connect's "not answered" transition at once."""
    answer: dict[str, Any] = {
        "fetch_after_attempt": False,
        "destination": {"numbers": list(ring.numbers)},
        "outgoing_phone_number": ring.caller_id,
        "record": False,
        "max_ringing_duration": ring.ring_seconds,
        "max_conversation_duration": MAX_CONVERSATION_SECONDS,
        "music_on_hold": {"type": "operator_tone"},
    }
    if ring.lines:
        answer["start_call_playback"] = {"playback_to": "callee", "type": "text", "value": words(ring.lines)}
    return answer


def connect_transfer(transfer: Transfer, caller_id: str | None) -> dict[str, Any]:
    """The backup numbers one after another, then the crisis line: Exotel has no "ring together, then"."""
    numbers = [*transfer.numbers, transfer.crisis_line]
    answer: dict[str, Any] = {
        "fetch_after_attempt": False,
        "destination": {"numbers": list(dict.fromkeys(numbers))},
        "record": False,
        "max_ringing_duration": 30,
        "max_conversation_duration": MAX_CONVERSATION_SECONDS,
    }
    if caller_id:
        answer["outgoing_phone_number"] = caller_id
    return answer
