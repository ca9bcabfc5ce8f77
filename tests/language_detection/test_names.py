"""Names are not language: an Indian name or place neither makes English Indian nor hides a language."""

from hypothesis import given, settings
from hypothesis import strategies as st

from routing.language_detection import detect_language
from routing.language_detection.lexicon import names

NAMES = sorted(names())
ENGLISH = [
    "hi this is {name} from {place}, I need to talk to someone",
    "Hello doctor, my name is {name} and I am calling from {place}",
    "ok thanks {name}, please call me back tomorrow from {place}",
]
ROMANIZED = [
    ("naanu {name}, {place} inda. nanage tumba bejaar aagide", "kn"),
    ("naan {name}, {place} la irukken. enakku romba kashtama irukku", "ta"),
    ("mi {name}, {place} madhun. mala khup tras hot aahe", "mr"),
    ("main {name} hoon, {place} se. mujhe kisi se baat karni hai", "hi"),
]


def test_the_names_list_ships_common_indian_names_and_places() -> None:
    assert {"ramesh", "lakshmi", "priya", "pune", "chenai"} <= names()  # folded: chennai -> chenai
    assert "mala" not in names()  # Marathi "to me" is a word first


@settings(max_examples=150, deadline=None)
@given(template=st.sampled_from(ENGLISH), name=st.sampled_from(NAMES), place=st.sampled_from(NAMES))
def test_names_never_turn_an_english_message_indian(template: str, name: str, place: str) -> None:
    for text in (
        template.format(name=name.title(), place=place.title()),
        template.format(name=name, place=place),
    ):
        assert detect_language(text).language == "en", text


@settings(max_examples=150, deadline=None)
@given(template=st.sampled_from(ROMANIZED), name=st.sampled_from(NAMES), place=st.sampled_from(NAMES))
def test_names_never_hide_the_language_they_are_written_in(
    template: tuple[str, str], name: str, place: str
) -> None:
    text, language = template
    assert detect_language(text.format(name=name.title(), place=place.title())).language == language
