"""Text keywords work in every language, only as a whole message, and match what the replies tell people."""

import pytest

from locales import messages, translator_for
from locales.keywords import KEYWORDS, keyword_languages, keywords_for, match_keyword

LANGUAGES = ("as", "bn", "en", "gu", "hi", "kn", "ml", "mr", "or", "pa", "ta", "te", "ur")

# The local keyword each catalog advertises next to CALL, END or START, e.g. Hindi "CALL या कॉल".
ADVERTISED = [
    ("hi", "CALL", "कॉल"),
    ("hi", "END", "समाप्त"),
    ("hi", "START", "शुरू"),
    ("hi_Latn", "END", "khatam"),
    ("hi_Latn", "START", "shuru"),
    ("bn", "CALL", "কল"),
    ("bn", "END", "শেষ"),
    ("bn", "START", "শুরু"),
    ("mr", "CALL", "कॉल"),
    ("mr", "END", "संपवा"),
    ("mr", "START", "सुरू"),
    ("te", "CALL", "కాల్"),
    ("te", "END", "ముగించు"),
    ("te", "START", "మొదలు"),
    ("ta", "CALL", "அழை"),
    ("ta", "END", "முடி"),
    ("ta", "START", "தொடங்கு"),
    ("gu", "CALL", "કૉલ"),
    ("gu", "END", "પૂરું"),
    ("gu", "START", "શરૂ"),
    ("ur", "CALL", "کال"),
    ("ur", "END", "ختم"),
    ("ur", "START", "شروع"),
    ("kn", "CALL", "ಕರೆ"),
    ("kn", "END", "ಮುಗಿಸಿ"),
    ("kn", "START", "ಆರಂಭ"),
    ("or", "CALL", "କଲ୍"),
    ("or", "END", "ଶେଷ"),
    ("or", "START", "ଆରମ୍ଭ"),
    ("ml", "CALL", "വിളിക്കൂ"),
    ("ml", "END", "അവസാനിപ്പിക്കൂ"),
    ("ml", "START", "തുടങ്ങൂ"),
    ("pa", "CALL", "ਕਾਲ"),
    ("pa", "END", "ਖ਼ਤਮ"),
    ("pa", "START", "ਸ਼ੁਰੂ"),
    ("as", "CALL", "কল"),
    ("as", "END", "শেষ"),
    ("as", "START", "আৰম্ভ"),
]


def test_every_language_has_every_keyword() -> None:
    assert keyword_languages() == LANGUAGES
    for language in LANGUAGES:
        for keyword, words in keywords_for(language).items():
            assert words, f"{language} has no word for {keyword}"


@pytest.mark.parametrize(("locale", "keyword", "word"), ADVERTISED)
def test_the_keyword_a_reply_advertises_is_understood(locale: str, keyword: str, word: str) -> None:
    t = translator_for(locale)
    replies = " ".join(
        t.gettext(m) for m in (messages.TEXT_WELCOME, messages.TEXT_HELP, messages.TEXT_STOPPED)
    )

    assert word in replies
    assert match_keyword(word) == keyword


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_english_keywords_work_in_any_case_and_with_punctuation(keyword: str) -> None:
    assert match_keyword(keyword) == keyword
    assert match_keyword(f"  {keyword.lower()}!  ") == keyword


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("call karo", "CALL"),
        ("फ़ोन करो", "CALL"),
        ("Khatam.", "END"),
        ("बंद", "END"),
        ("message band karo", "STOP"),
        ("ਖਤਮ", "END"),
        ("ಕರೆ ಮಾಡಿ", "CALL"),
        ("മെസേജ്\u200c വേണ്ട", "STOP"),
        ("உதவி", "HELP"),
        ("مجھے کال کریں", "CALL"),
    ],
)
def test_local_and_romanised_keywords(text: str, keyword: str) -> None:
    assert match_keyword(text) == keyword


@pytest.mark.parametrize(
    "text",
    ["I will call my mother tonight", "please stop the pain", "start of my shift was bad", "", "   ", "yes"],
)
def test_ordinary_messages_are_not_keywords(text: str) -> None:
    assert match_keyword(text) is None
