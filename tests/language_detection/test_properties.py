"""Whatever arrives by SMS, the detector answers something well-formed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from routing.language_detection import LANGUAGES, clarifying_options, detect_language

INDIC_AND_LATIN = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z"),
)
menus = st.lists(st.sampled_from(LANGUAGES), max_size=6, unique=True)
texts = st.text(INDIC_AND_LATIN, max_size=80) | st.text(
    st.characters(min_codepoint=0x0900, max_codepoint=0x0D7F), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(text=texts, menu=menus)
def test_any_text_gets_a_well_formed_answer(text: str, menu: list[str]) -> None:
    detection = detect_language(text, menu=menu)
    assert 0.0 <= detection.confidence <= 1.0
    assert detection.language is None or detection.language in LANGUAGES
    probabilities = [p for _, p in detection.candidates]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert all(code in LANGUAGES for code, _ in detection.candidates)
    if detection.language is None:
        assert len(detection.candidates) >= 2
    else:
        assert detection.candidates[0][0] == detection.language


@settings(max_examples=100, deadline=None)
@given(text=texts, limit=st.integers(min_value=0, max_value=5))
def test_clarifying_options_are_distinct_known_languages(text: str, limit: int) -> None:
    options = clarifying_options(detect_language(text), limit=limit)
    assert len(options) <= limit
    assert len(set(options)) == len(options)
    assert set(options) <= set(LANGUAGES)


@given(position=st.integers(min_value=1, max_value=6), menu=menus)
def test_a_menu_number_within_the_menu_always_picks_that_entry(position: int, menu: list[str]) -> None:
    detection = detect_language(str(position), menu=menu)
    if position <= len(menu):
        assert (detection.language, detection.explicit) == (menu[position - 1], True)
    else:
        assert detection.language is None
