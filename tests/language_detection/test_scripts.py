"""Native-script messages: the script decides, except where two languages share it."""

import pytest

from routing.language_detection import clarifying_options, detect_language

NEED_HELP = [
    ("મને મદદ જોઈએ છે", "gu", "Gujr"),
    ("ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", "pa", "Guru"),
    ("ମୋତେ ସାହାଯ୍ୟ ଦରକାର", "or", "Orya"),
    ("எனக்கு உதவி வேண்டும்", "ta", "Taml"),
    ("నాకు సహాయం కావాలి", "te", "Telu"),
    ("ನನಗೆ ಸಹಾಯ ಬೇಕು", "kn", "Knda"),
    ("എനിക്ക് സഹായം വേണം", "ml", "Mlym"),
    ("مجھے مدد چاہیے", "ur", "Arab"),
    ("मुझे किसी से बात करनी है, मैं बहुत परेशान हूँ", "hi", "Deva"),
    ("मला कोणाशी तरी बोलायचे आहे, मी खूप त्रासलो आहे", "mr", "Deva"),
    ("আমার কারো সাথে কথা বলা দরকার, আমি খুব কষ্টে আছি", "bn", "Beng"),
    ("মোৰ কাৰোবাৰ লগত কথা পাতিব লাগে, মই বৰ কষ্টত আছোঁ", "as", "Beng"),
]


@pytest.mark.parametrize(("text", "language", "script"), NEED_HELP)
def test_each_script_is_recognised(text: str, language: str, script: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.script, detection.romanized) == (language, script, False)
    assert detection.confidence >= 0.9
    assert not detection.explicit


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("आज रात मुझे नींद नहीं आई", "hi"),
        ("मी रात्रभर झोपलो नाही", "mr"),
        ("मेरे घर में सब ठीक है", "hi"),
        ("माझ्या घरी सगळे ठीक आहेत", "mr"),
    ],
)
def test_hindi_and_marathi_are_told_apart(text: str, language: str) -> None:
    assert detect_language(text).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("আমি আজ খুব ক্লান্ত বোধ করছি", "bn"),
        ("মই আজি বৰ ভাগৰুৱা অনুভৱ কৰিছোঁ", "as"),
    ],
)
def test_bengali_and_assamese_are_told_apart(text: str, language: str) -> None:
    assert detect_language(text).language == language


@pytest.mark.parametrize(("text", "language"), [("তুমি কেমন আছ?", "bn"), ("তুমি কেনে আছা?", "as")])
def test_short_bengali_script_greetings_rank_the_right_language_first(text: str, language: str) -> None:
    """Three words may not settle it; the right language must still head the menu we offer."""
    detection = detect_language(text)
    assert detection.language in (language, None)
    assert clarifying_options(detection)[0] == language


def test_english_words_inside_a_hindi_message_do_not_make_it_english() -> None:
    detection = detect_language("मुझे hospital जाना है, doctor से मिलना है")
    assert (detection.language, detection.script) == ("hi", "Deva")


def test_two_indian_scripts_in_one_message_is_unsure_between_them() -> None:
    detection = detect_language("नमस्ते நன்றி")
    assert detection.language is None
    assert {code for code, _ in detection.candidates} == {"hi", "ta"}


@pytest.mark.parametrize("text", ["", "   ", "😀😀🙏", "12345", "?!", "Привет, как дела"])
def test_messages_without_a_clue_are_unsure_and_offer_the_menu(text: str) -> None:
    detection = detect_language(text, menu=("ta", "en", "hi"))
    assert detection.language is None
    assert detection.confidence == 0.0
    assert clarifying_options(detection) == ["ta", "en", "hi"]


def test_unsure_without_a_menu_still_offers_two_languages() -> None:
    detection = detect_language("🙏")
    assert detection.language is None
    assert len(detection.candidates) >= 2
