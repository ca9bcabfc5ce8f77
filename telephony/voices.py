"""How each language is spoken on Twilio: a text-to-speech voice per language (twilio.md §5), and what to do
for the languages Twilio has no voice for.

Odia, Assamese and Urdu have no Twilio voice. An association serving them should record its prompts (a
recorded URL per prompt and language, played instead of the sentence). Until it does, the sentence is said
by the nearest voice in words that voice can read, never silently in English: Urdu and Odia callers hear
Hindi (spoken Urdu and Hindi are one language to the ear; Hindi is the second language most Odia speakers
understand), Assamese callers hear Bengali (the closest language, in the same script family). An association
can also name another voice for a language (``AssociationLanguage.tts_voice``) when Twilio adds one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Voice:
    """A Twilio ``<Say>``: the words come from the catalog of ``text_locale``."""

    text_locale: str
    language: str
    name: str


TTS_VOICES: dict[str, Voice] = {
    "en": Voice("en", "en-IN", "Polly.Raveena"),
    "hi": Voice("hi", "hi-IN", "Polly.Aditi"),
    "hi_Latn": Voice("hi_Latn", "en-IN", "Polly.Raveena"),  # Hinglish in Latin letters reads best in en-IN
    "bn": Voice("bn", "bn-IN", "Google.bn-IN-Standard-C"),
    "gu": Voice("gu", "gu-IN", "Google.gu-IN-Standard-C"),
    "kn": Voice("kn", "kn-IN", "Google.kn-IN-Standard-C"),
    "ta": Voice("ta", "ta-IN", "Google.ta-IN-Standard-C"),
    "ml": Voice("ml", "ml-IN", "Google.ml-IN-Wavenet-C"),
    "mr": Voice("mr", "mr-IN", "Google.mr-IN-Standard-A"),
    "pa": Voice("pa", "pa-IN", "Google.pa-IN-Standard-A"),
    "te": Voice("te", "te-IN", "Google.te-IN-Standard-A"),
}
# No Twilio voice: the nearest language that has one (see the module docstring).
STAND_INS: dict[str, str] = {"ur": "hi", "or": "hi", "as": "bn"}
LAST_RESORT = "hi"


def voice_for(code: str, configured_voice: str | None = None) -> Voice:
    """The voice for a language: the association's choice, Twilio's voice, or the nearest stand-in."""
    if configured_voice:
        return Voice(code, f"{code.split('_')[0]}-IN", configured_voice)
    if code in TTS_VOICES:
        return TTS_VOICES[code]
    return TTS_VOICES[STAND_INS.get(code, LAST_RESORT)]


def has_own_voice(code: str) -> bool:
    return code in TTS_VOICES
