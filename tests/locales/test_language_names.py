"""Language names come from Babel's CLDR data, in their own script, for all scheduled languages of India."""

import unicodedata

from locales import supported_locales
from locales.language_names import english_name, native_name, scheduled_languages, spoken_name

SCHEDULED = (
    "as", "bn", "brx", "doi", "gu", "hi", "kn", "ks", "kok", "mai", "ml", "mni",
    "mr", "ne", "or", "pa", "sa", "sat", "sd", "ta", "te", "ur", "en",
)  # fmt: skip


def test_all_22_scheduled_languages_and_english_have_names_from_babel() -> None:
    languages = scheduled_languages()

    assert tuple(language.code for language in languages) == SCHEDULED
    for language in languages:
        assert language.native_name and language.native_name != language.code
        assert language.english_name.isascii() and language.english_name != language.code
        if language.code != "en":
            assert not language.native_name.isascii(), language


def test_names_are_in_their_own_script() -> None:
    assert native_name("ta") == "தமிழ்"
    assert unicodedata.name(native_name("sat")[0]).startswith("OL CHIKI")
    assert english_name("or") == "Odia"
    assert native_name("hi-IN").startswith("हिन्दी")


def test_every_supported_locale_has_a_name_to_speak() -> None:
    for locale in supported_locales():
        assert spoken_name(locale) != locale
    assert spoken_name("hi_Latn") == "Hindi"


def test_a_language_can_be_named_in_the_listeners_language() -> None:
    assert spoken_name("hi", "ta") == "இந்தி"
    assert spoken_name("ta", "hi-IN") == "तमिल"
    assert spoken_name("ta", "qq") == "ta"


def test_unknown_codes_fall_back_to_the_code() -> None:
    assert native_name("qq") == "qq"
    assert english_name("not a code") == "not a code"
