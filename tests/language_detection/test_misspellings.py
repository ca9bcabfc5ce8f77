"""English typed in a hurry stays English: an unlisted word one vowel from a common English word may be it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from routing.language_detection import detect_language
from routing.language_detection.romanized import load_models
from routing.language_detection.spelling import fold_spelling, vowel_neighbours


def test_a_misspelling_is_one_vowel_from_the_word() -> None:
    assert {"story", "store"} <= vowel_neighbours("stori")
    assert "movie" in vowel_neighbours("muvie") and "please" in vowel_neighbours("plese")
    assert "stori" not in vowel_neighbours("stori")


def test_misspelt_english_is_not_taken_for_an_indian_language() -> None:
    assert detect_language("verry nise muvie").language == "en"
    assert detect_language("amazng storie").language == "en"


@settings(max_examples=60, deadline=None)
@given(word=st.sampled_from(["tumba", "irukku", "enikku", "aahe", "mujhe", "ami", "nanage", "cheppu"]))
def test_listed_indian_words_score_as_before(word: str) -> None:
    """Only unlisted words may be read as misspellings: a word some list has keeps its own scores."""
    models = load_models()
    word = fold_spelling(word)
    assert models.is_listed(word)
    scores = models.log_probabilities(word)
    assert max(scores) != scores[0]  # still likelier in an Indian language than in English
