"""Detect the language of a short message: explicit choice first, then script, then content."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from routing.language_detection.choice import explicit_choice, language_names
from routing.language_detection.latin_words import words_of
from routing.language_detection.native import rank_pair, word_evidence
from routing.language_detection.native_model import native_model
from routing.language_detection.result import Detection, decide, rank_candidates, unsure
from routing.language_detection.romanized import load_models, score_latin
from routing.language_detection.scripts import SHARED_SCRIPTS, SINGLE_LANGUAGE_SCRIPTS, count_scripts

SURE_NATIVE = 0.75  # below this a Hindi/Marathi or Bengali/Assamese call is "unsure"
SURE_LATIN = 0.6  # below this a Latin-script call is "unsure"
MIXED_SCRIPTS = 0.25  # a second Indian script this large (share of native letters) makes it unsure
NATIVE_OVER_LATIN = 0.3  # native letters needed, as a share of all letters, to ignore the Latin ones


def detect_language(text: str, *, menu: Sequence[str] = ()) -> Detection:
    """Language of one message; an explicit choice (menu number, language name) wins."""
    counts = count_scripts(text)
    chosen = explicit_choice(text, menu)
    if chosen is not None:
        script = counts.most_common(1)[0][0] if counts else ""
        return Detection(
            chosen, 1.0, script if script != "Zyyy" else "", False, ((chosen, 1.0),), explicit=True
        )
    native = {s: n for s, n in counts.items() if s in SINGLE_LANGUAGE_SCRIPTS or s in SHARED_SCRIPTS}
    letters = sum(counts.values())
    native_letters = sum(native.values())
    if native_letters and native_letters >= NATIVE_OVER_LATIN * letters:
        return _detect_native(text, native, menu)
    if counts.get("Latn", 0) and counts["Latn"] >= letters / 2:
        return _detect_latin(text, menu)
    return unsure(script="", candidates=_offer_menu(menu))


def warm_up() -> None:
    """Load the models now (about a second) rather than on the first caller's message."""
    language_names()
    native_model()
    word_evidence()
    load_models()


def detect_lines(lines: Iterable[str]) -> Iterator[str]:
    """One language code per input line, "und" when unsure (the `samvaad detect-language` command)."""
    for line in lines:
        detection = detect_language(line.rstrip("\r\n"))
        yield detection.language or "und"


def clarifying_options(detection: Detection, limit: int = 3) -> list[str]:
    """The languages to offer in a "which language?" menu, likeliest first, at most `limit`."""
    if detection.language is not None and not detection.candidates:
        return [detection.language]
    return [code for code, _ in detection.candidates[: max(limit, 0)]]


def _detect_native(text: str, native: dict[str, int], menu: Sequence[str]) -> Detection:
    ranked = sorted(native.items(), key=lambda item: -item[1])
    script, letters = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= MIXED_SCRIPTS * sum(native.values()):
        total = sum(native.values())
        shares = {_first_language(s): n / total for s, n in ranked}
        return unsure(script=script, candidates=rank_candidates(shares))
    if script in SINGLE_LANGUAGE_SCRIPTS:
        confidence = 0.99 if letters >= 2 else 0.8
        language = SINGLE_LANGUAGE_SCRIPTS[script]
        return Detection(language, confidence, script, False, ((language, confidence),), explicit=False)
    return decide(rank_pair(text, _pair(script)), script=script, threshold=SURE_NATIVE)


def _detect_latin(text: str, menu: Sequence[str]) -> Detection:
    probabilities = score_latin(words_of(text))
    if not probabilities:  # only greetings, titles or names: nothing to go on
        return unsure(script="Latn", candidates=_offer_menu(menu))
    return decide(probabilities, script="Latn", threshold=SURE_LATIN, romanized=True)


def _pair(script: str) -> tuple[str, str]:
    first, second = SHARED_SCRIPTS[script]
    return first, second


def _first_language(script: str) -> str:
    return SINGLE_LANGUAGE_SCRIPTS.get(script) or SHARED_SCRIPTS[script][0]


def _offer_menu(menu: Sequence[str]) -> list[tuple[str, float]]:
    """With no evidence at all, offer the association's own menu, in its order."""
    return [(code, 0.0) for code in dict.fromkeys(menu)]
