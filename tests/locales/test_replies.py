"""YES and NO to a roster question in every supported language, as data: never a keyword, never both."""

import pytest

from locales.keywords import keyword_languages, match_keyword
from locales.replies import button_answers, match_button, match_reply, replies_for, reply_languages


def test_every_keyword_language_has_its_replies() -> None:
    assert reply_languages() == keyword_languages()
    assert len(reply_languages()) == 13


@pytest.mark.parametrize("language", reply_languages())
def test_each_language_says_yes_and_no_and_none_is_a_keyword_or_both(language: str) -> None:
    words = replies_for(language)
    assert words["YES"] and words["NO"] and not words["YES"] & words["NO"]
    for word in words["YES"] | words["NO"]:
        assert match_keyword(word) is None, f"{word!r} is a keyword"


def test_a_word_means_the_same_in_every_language_it_is_in() -> None:
    meaning: dict[str, str] = {}
    for language in reply_languages():
        for answer, words in replies_for(language).items():
            for word in words:
                assert meaning.setdefault(word, answer) == answer, f"{word!r} in {language}"


@pytest.mark.parametrize(
    ("text", "language", "answer"),
    [("हाँ", "hi", "YES"), ("Nahi!", "hi_Latn", "NO"), ("இல்லை", "ta", "NO"), ("YES", "ur", "YES"),
     ("ہاں", "ur", "YES"), ("can't come", "bn", "NO"), ("yes, but late", "en", None), ("ஆம்", "hi", None)],
)  # fmt: skip
def test_replies_are_understood_in_english_and_the_listeners_language(
    text: str, language: str, answer: str | None
) -> None:
    assert match_reply(text, language) == answer


def test_the_template_buttons_are_yes_and_no() -> None:
    assert button_answers() == {"CONFIRM": "YES", "CANT_COME": "NO"}
    assert match_button(None) is None and match_button("OTHER") is None
