"""Languages that share a script: Hindi or Marathi (Devanagari), Bengali or Assamese (Bengali script).

py3langid's naive Bayes model, restricted to the two candidates (`native_model`: a small table cut
from it), decides most messages; a few letters and words that only one of the pair uses then
sharpen it. Assamese writes r and w with
its own letters (ৰ ৱ) where Bengali uses র ব; Marathi keeps ळ, which Hindi lacks, and its
commonest words (आहे, आणि, नाही) differ from Hindi's (है, और, नहीं).
"""

from __future__ import annotations

import math
import re
from functools import cache
from importlib.resources import files

from routing.language_detection.native_model import native_model

# Likelihood ratios, first language of the pair over the second, per occurrence.
LETTER_EVIDENCE: dict[str, tuple[str, float]] = {
    "ৰ": ("as", 50.0),
    "ৱ": ("as", 50.0),
    "র": ("bn", 20.0),
    "ळ": ("mr", 8.0),
}
WORD_EVIDENCE: dict[str, tuple[str, float]] = {
    "है": ("hi", 6.0),
    "हैं": ("hi", 6.0),
    "और": ("hi", 4.0),
    "नहीं": ("hi", 4.0),
    "में": ("hi", 3.0),
    "आहे": ("mr", 6.0),
    "आहेत": ("mr", 6.0),
    "आणि": ("mr", 6.0),
    "नाही": ("mr", 4.0),
    "मुझे": ("hi", 4.0),
    "चाहिए": ("hi", 4.0),
    "मैं": ("hi", 3.0),
    "हूँ": ("hi", 4.0),
    "हूं": ("hi", 4.0),
    "मला": ("mr", 3.0),
    "मी": ("mr", 3.0),
    "माझे": ("mr", 4.0),
    "माझा": ("mr", 4.0),
    "माझी": ("mr", 4.0),
    "काय": ("mr", 3.0),
    "तुम्ही": ("mr", 3.0),
    "झाले": ("mr", 3.0),
    "কেমন": ("bn", 4.0),
    "কেন": ("bn", 3.0),
    "খুব": ("bn", 3.0),
    "নেই": ("bn", 3.0),
    "কোথায়": ("bn", 3.0),
    "মই": ("as", 4.0),
    "কেনে": ("as", 4.0),
    "কিয়": ("as", 3.0),
}
# Word endings: Marathi's genitive -च्या and dative -ला (Hindi uses का/की/के and को), and its
# present tense -तो (करतो, जातो), where Hindi writes -ता है.
SUFFIX_EVIDENCE: dict[str, tuple[str, float]] = {"च्या": ("mr", 4.0), "ला": ("mr", 1.5), "तो": ("mr", 2.0)}
NB_TEMPERATURE = 2.0  # naive Bayes overcounts correlated n-grams; halve its log-odds
LISTED_MARKER_RATIO = 2.5  # a function word of only one of Hindi and Marathi (data/native-markers.tsv)
_WORD = re.compile(r"[\w\u0900-\u09FF]+")  # \w alone splits words at their vowel signs


def rank_pair(text: str, pair: tuple[str, str]) -> dict[str, float]:
    """Probability of each language of the pair, from py3langid scores and the marker evidence."""
    scores = native_model().scores(text)
    log_odds = (scores[pair[0]] - scores[pair[1]]) / NB_TEMPERATURE
    log_odds += _marker_log_odds(text, pair)
    log_odds = max(min(log_odds, 30.0), -30.0)
    first = 1.0 / (1.0 + math.exp(-log_odds))
    return {pair[0]: first, pair[1]: 1.0 - first}


def _marker_log_odds(text: str, pair: tuple[str, str]) -> float:
    log_odds = 0.0
    for char in text:
        if char in LETTER_EVIDENCE:
            log_odds += _signed(LETTER_EVIDENCE[char], pair)
    words = word_evidence()
    for word in _WORD.findall(text):
        if word in words:
            log_odds += _signed(words[word], pair)
        elif len(word) > 3:
            for suffix, evidence in SUFFIX_EVIDENCE.items():
                if word.endswith(suffix):
                    log_odds += _signed(evidence, pair)
    return log_odds


@cache
def word_evidence() -> dict[str, tuple[str, float]]:
    """The hand-picked markers above, and the generated function-word markers beneath them.

    The generated list (stop words of one language that the other neither lists nor commonly
    uses) catches the many small words a short message is made of; a hand-picked ratio wins.
    """
    listed = (
        files("routing.language_detection.data").joinpath("native-markers.tsv").read_text(encoding="utf-8")
    )
    evidence: dict[str, tuple[str, float]] = {}
    for line in listed.splitlines():
        word, _, language = line.partition("\t")
        evidence[word] = (language, LISTED_MARKER_RATIO)
    return evidence | WORD_EVIDENCE


def _signed(evidence: tuple[str, float], pair: tuple[str, str]) -> float:
    language, ratio = evidence
    if language == pair[0]:
        return math.log(ratio)
    if language == pair[1]:
        return -math.log(ratio)
    return 0.0
