"""Accuracy floors on the shared development set, a little below what we measured, so regressions fail.

Measured and explained in docs/language-detection.md; rerun `python -m bench.language_detection`.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from routing.language_detection import detect_language

# The development set ships with the repository (licences and attribution in bench/data/langid-dev.README.md).
DEV_SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "langid-dev.tsv"
# Floors per (script group, language); unsure counts as wrong.
NATIVE_FLOOR = 0.95
LATIN_FLOORS = {"en": 0.95, "hi": 0.92, "bn": 0.9, "kn": 0.72, "ml": 0.67, "te": 0.8}


def dev_rows() -> list[dict[str, str]]:
    with DEV_SET.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def accuracy() -> dict[tuple[str, str], float]:
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in dev_rows():
        hits[(row["script"], row["lang"])].append(detect_language(row["text"]).language == row["lang"])
    return {group: sum(h) / len(h) for group, h in hits.items()}


def test_every_native_script_language_stays_above_its_floor(accuracy: dict[tuple[str, str], float]) -> None:
    native = {lang: a for (script, lang), a in accuracy.items() if script == "native"}
    assert len(native) == 12
    assert {lang: a for lang, a in native.items() if a < NATIVE_FLOOR} == {}
    assert sum(native.values()) / len(native) >= 0.97


def test_latin_script_groups_stay_above_their_floors(accuracy: dict[tuple[str, str], float]) -> None:
    latin = {lang: a for (script, lang), a in accuracy.items() if script == "latin"}
    assert {lang: a for lang, a in latin.items() if a < LATIN_FLOORS[lang]} == {}
