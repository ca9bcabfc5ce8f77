"""py3langid's naive Bayes scores for the four languages that share a script, from a small shipped table.

Only Hindi, Marathi, Bengali and Assamese are ever told apart this way (`native.rank_pair`), so
`compile_native_model` keeps, of py3langid's model (langid.py's byte n-gram automaton and its
142-language weights), the automaton states that Devanagari and Bengali text can reach and the
weights of those four languages. Loading that table takes a few milliseconds where py3langid's
own model takes more than a second, and scores come out as py3langid's, for the text with every
character outside those two scripts (Latin words, emoji, other scripts) read as a space.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE
from py3langid.modelio import load_model

CLASSES: tuple[str, ...] = ("hi", "mr", "bn", "as")
COMPILED = "native-nb.npz"
FIRST, LAST = 0x0900, 0x09FF  # Devanagari and Bengali
KEPT_ASCII = "".join(chr(b) for b in range(0x20, 0x7F) if not chr(b).isalpha())
JOINERS = "\u200c\u200d"  # zero-width non-joiner and joiner, part of how Indic words are spelled
KEPT = frozenset(KEPT_ASCII + JOINERS)


class NativeModel:
    """Byte n-gram automaton and per-language weights: log P(feature | language) and priors."""

    def __init__(
        self,
        table: np.ndarray,
        byte_index: np.ndarray,
        output: np.ndarray,
        weights: np.ndarray,
        priors: np.ndarray,
    ) -> None:
        self._width = int(byte_index.max()) + 1
        self._table = table.tolist()  # state * width + byte column -> next state
        self._column = byte_index.tolist()  # byte -> column
        self._output = output.tolist()  # state -> feature id, -1 for none
        self._weights = weights.astype(np.float32)
        self._priors = priors.astype(np.float32)

    @classmethod
    def load(cls) -> NativeModel:
        with files("routing.language_detection.data").joinpath(COMPILED).open("rb") as f, np.load(f) as t:
            return cls(t["table"], t["byte_index"], t["output"], t["weights"], t["priors"])

    def scores(self, text: str) -> dict[str, float]:
        """Raw naive Bayes log scores per language (only their differences mean anything)."""
        counts: Counter[int] = Counter()
        state, table, column, output, width = 0, self._table, self._column, self._output, self._width
        for byte in native_bytes(text):
            state = table[state * width + column[byte]]
            feature = output[state]
            if feature >= 0:
                counts[feature] += 1
        if not counts:
            return dict.fromkeys(CLASSES, 0.0)
        rows = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        logs = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        return dict(zip(CLASSES, (logs @ self._weights[rows] + self._priors).tolist(), strict=True))


@cache
def native_model() -> NativeModel:
    """The shipped table (a few milliseconds, once per process)."""
    return NativeModel.load()


def native_bytes(text: str) -> bytes:
    """The text as py3langid reads it (NFC, UTF-8), with every character outside the two scripts a space."""
    kept = [c if FIRST <= ord(c) <= LAST or c in KEPT else " " for c in unicodedata.normalize("NFC", text)]
    return "".join(kept).encode("utf-8")


def compile_native_model(path: str) -> None:
    """Cut py3langid's model down to the four languages and the states their scripts reach (build time)."""
    ptc, pc, classes, nextmove, rows, output = load_model(MODEL_DIR / MODEL_FILE)
    step = _stepper(nextmove, rows)
    alphabet = sorted({b for c in _characters() for b in c.encode("utf-8")})
    states = _reachable(step, [c.encode("utf-8") for c in _characters()])
    compact = {state: i for i, state in enumerate(states)}
    features = sorted({output[s] for s in states if output[s] >= 0})
    feature_id = {f: i for i, f in enumerate(features)}
    byte_index = np.zeros(256, dtype=np.uint8)
    byte_index[alphabet] = np.arange(len(alphabet))
    table = np.array([compact.get(step(s, b), 0) for s in states for b in alphabet], dtype=np.uint16)
    columns = [classes.index(code) for code in CLASSES]
    arrays: dict[str, Any] = {
        "table": table,
        "byte_index": byte_index,
        "output": np.array([feature_id.get(output[s], -1) for s in states], dtype=np.int32),
        "weights": np.asarray(ptc, dtype=np.float32)[features][:, columns].astype(np.float16),
        "priors": np.asarray(pc, dtype=np.float32)[columns],
    }
    np.savez_compressed(path, **arrays)


def _characters() -> list[str]:
    return [*KEPT_ASCII, *JOINERS, *(chr(c) for c in range(FIRST, LAST + 1))]


def _stepper(nextmove: Any, rows: Any) -> Any:
    def step(state: int, byte: int) -> int:
        return int(nextmove[(rows[state] << 8) + byte])

    return step


def _reachable(step: Any, encoded: list[bytes]) -> list[int]:
    """States reached by any sequence of the characters, in the order first met (state 0 first)."""
    seen, order = {0}, [0]
    for state in order:  # grows while it is walked
        for char in encoded:
            current = state
            for byte in char:
                current = step(current, byte)
                if current not in seen:
                    seen.add(current)
                    order.append(current)
    return order
