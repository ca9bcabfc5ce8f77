"""A caller who types a menu number or names a language gets that language, no guessing."""

import pytest

from routing.language_detection import detect_language

MENU = ("hi", "en", "ta", "bn")


@pytest.mark.parametrize(
    ("text", "language"),
    [("1", "hi"), ("2", "en"), (" 3 ", "ta"), ("4.", "bn"), ("२", "en"), ("৩", "ta"), ("3 please", "ta")],
)
def test_menu_number_picks_that_entry(text: str, language: str) -> None:
    detection = detect_language(text, menu=MENU)
    assert (detection.language, detection.explicit, detection.confidence) == (language, True, 1.0)


@pytest.mark.parametrize("text", ["0", "5", "12"])
def test_number_outside_the_menu_is_not_a_choice(text: str) -> None:
    detection = detect_language(text, menu=MENU)
    assert detection.language is None
    assert not detection.explicit


def test_number_without_a_menu_is_not_a_choice() -> None:
    assert detect_language("2").language is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tamil", "ta"),
        ("tamil", "ta"),
        ("TAMIL!", "ta"),
        ("தமிழ்", "ta"),
        ("Hindi", "hi"),
        ("हिन्दी", "hi"),
        ("हिंदी", "hi"),
        ("Hinglish", "hi"),
        ("Bangla", "bn"),
        ("Bengali", "bn"),
        ("বাংলা", "bn"),
        ("অসমীয়া", "as"),
        ("Oriya", "or"),
        ("ଓଡ଼ିଆ", "or"),
        ("Panjabi", "pa"),
        ("ਪੰਜਾਬੀ", "pa"),
        ("ગુજરાતી", "gu"),
        ("తెలుగు", "te"),
        ("ಕನ್ನಡ", "kn"),
        ("മലയാളം", "ml"),
        ("اردو", "ur"),
        ("मराठी", "mr"),
        ("English", "en"),
        ("तमिल", "ta"),  # Tamil named in Hindi
        ("in Malayalam please", "ml"),
    ],
)
def test_language_name_is_an_explicit_choice(text: str, language: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.explicit) == (language, True)
    assert detection.candidates[0][0] == language


@pytest.mark.parametrize("text", ["I don't speak Hindi", "Tamil or Telugu", "Hindi aur English dono"])
def test_sentence_mentioning_languages_is_not_an_explicit_choice(text: str) -> None:
    assert not detect_language(text).explicit


def test_explicit_choice_reports_the_script_it_was_typed_in() -> None:
    assert detect_language("தமிழ்").script == "Taml"
    assert detect_language("Tamil").script == "Latn"
    assert detect_language("2", menu=MENU).script == ""


def test_explicit_choice_beats_the_script() -> None:
    """ "ਪੰਜਾਬੀ" is Punjabi by script too, but "English" typed by a Tamil menu user means English."""
    assert detect_language("English", menu=("ta", "en")).language == "en"
