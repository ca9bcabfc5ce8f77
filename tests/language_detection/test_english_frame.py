"""An English frame holds: names nobody listed, brands and typos do not turn English chat Indian.

The unseen messages that came back romanized Hindi were short English introductions carrying
Indian names and places that no list has. Here hypothesis makes up such names from Indian
syllables, so every one is new to the word lists.
"""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from routing.language_detection import detect_language
from routing.language_detection.latin_words import words_of
from routing.language_detection.romanized import load_models

SYLLABLES = ["bha", "vesh", "ghat", "ko", "par", "raj", "nee", "sh", "wa", "di", "kum", "sri", "dha"]
SYLLABLES += ["lak", "shmi", "pu", "ne", "gan", "esh", "thi", "ru", "van", "anu", "pam", "ma", "li"]
ENGLISH = [
    "hi this is {name} from {place}",
    "my name is {name}, i am from {place}",
    "hello, i am {name} from {place}. can you call me",
    "this is {name} here, need to talk to someone please",
    "good morning, {name} from {place} this side. is anyone there?",
]
unlisted_names = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map("".join)


@settings(max_examples=200, deadline=None)
@given(template=st.sampled_from(ENGLISH), name=unlisted_names, place=unlisted_names)
def test_unlisted_indian_names_never_turn_english_indian(template: str, name: str, place: str) -> None:
    models = load_models()
    assume(not any(models.is_listed(w.text) for w in words_of(f"{name} {place}")))
    for text in (
        template.format(name=name, place=place),
        template.format(name=name.title(), place=place.title()),
    ):
        assert detect_language(text).language == "en", text


@settings(max_examples=100, deadline=None)
@given(
    template=st.sampled_from(
        ["I'm {name} from {place}", "{place}'s {name} here, I can't sleep", "it’s {name}"]
    ),
    name=unlisted_names,
    place=unlisted_names,
)
def test_english_clitics_count_as_english_words(template: str, name: str, place: str) -> None:
    """ "I'm", "can't" and "Kerala's" are English grammar: "I'm" is "I" and "am", not "i" and an initial."""
    models = load_models()
    assume(not any(models.is_listed(w.text) for w in words_of(f"{name} {place}")))
    text = template.format(name=name.title(), place=place.title())
    assert detect_language(text).language == "en", text


def test_a_clitic_splits_into_the_word_and_its_function_word() -> None:
    assert [w.text for w in words_of("I'm sure it’s fine, don't worry")] == [
        "i", "am", "sure", "it", "is", "fine", "do", "not", "wory",
    ]  # fmt: skip
    assert [w.text for w in words_of("rock'n'roll")] == ["rock", "n", "rol"]  # no clitic: split as before
