"""The shipped word-model tables are what the shipped word lists build: nobody forgot to rebuild."""

import pytest

from routing.language_detection.latin_model import LatinModels
from routing.language_detection.lexicon import shipped_lexicons
from routing.language_detection.romanized import load_models
from routing.language_detection.spelling import fold_spelling

LISTED = ["mujhe", "ami", "korchi", "nanage", "enikku", "irukku", "aahe", "the", "please"]
WORDS = [fold_spelling(w) for w in [*LISTED, "bhavesh", "xqzt"]]


@pytest.fixture(scope="module")
def built() -> LatinModels:
    return LatinModels.build(shipped_lexicons())


def test_the_shipped_tables_list_the_same_words_as_the_lists(built: LatinModels) -> None:
    shipped = load_models()
    assert all(built.is_listed(w) == shipped.is_listed(w) for w in WORDS)
    assert sum(map(shipped.is_listed, WORDS)) == len(LISTED)  # the lists still have their common words


@pytest.mark.parametrize("word", WORDS)
def test_the_shipped_tables_score_words_as_the_lists_do(built: LatinModels, word: str) -> None:
    """Listed and unlisted alike, to the precision the tables are stored at (float16)."""
    shipped = load_models().log_probabilities(word)
    assert shipped == pytest.approx(built.log_probabilities(word), abs=0.05)
