"""Latin letters: English, or an Indian language typed in Latin letters."""

import pytest

from routing.language_detection import clarifying_options, detect_language


@pytest.mark.parametrize(
    "text",
    [
        "I am not able to sleep and I feel very low",
        "can I talk to a doctor please",
        "Please call me back tomorrow morning",
        "Hi, I am a resident and I need to talk to someone",
    ],
)
def test_english_is_english(text: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.script, detection.romanized) == ("en", "Latn", False)


@pytest.mark.parametrize(
    "text",
    [
        "mujhe neend nahi aa rahi",
        "main bahut pareshan hoon yaar",
        "mujhe doctor se baat karni hai please",
        "kya aap meri madad kar sakte ho",
        "Duty ke baad bhi ghar pe sukoon nahi milta",
    ],
)
def test_romanized_hindi_is_hindi_not_english(text: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.script, detection.romanized) == ("hi", "Latn", True)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ami khub kosto pacchi", "bn"),
        ("amar kichu bhalo lagche na", "bn"),
        ("mala khup tras hotoy", "mr"),
        ("mala kahi samajat nahi", "mr"),
        ("naan romba kashtapadren", "ta"),
        ("enakku thookam varala", "ta"),
        ("nenu chala badha lo unnanu", "te"),
        ("naaku emi ardham kavatledu", "te"),
        ("nanage tumba bejaru aagide", "kn"),
        ("nanage yenu gottagtilla", "kn"),
        ("enikku urakkam varunnilla", "ml"),
        ("ente manassu vallathe vishamichirikkunnu", "ml"),
        # Written for these tests after the word lists, and not taken from them.
        ("naanu ivattu office ge hogalla, tumba tale novu ide", "kn"),
        ("nanna maga hospital alli idane, bega banni", "kn"),
        ("enakku ippo yaar kitta pesanum nu theriyala", "ta"),
        ("en ponnu hospital la irukka, konjam help pannunga", "ta"),
        ("mala kahi suchat nahi, khup tension aahe", "mr"),
        ("majhi aai aajari aahe, kay karu kalat nahi", "mr"),
        ("njan valare tired aanu, urakkam varunnilla", "ml"),
        ("nenu chala alasipoyanu, nidra raavatledu", "te"),
        ("amar ma hospital e ache, taratari esho", "bn"),
    ],
)
def test_other_romanized_languages(text: str, language: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.romanized) == (language, True)


@pytest.mark.parametrize("text", ["hello", "Hi", "ok", "Hello doctor", "thanks"])
def test_a_greeting_alone_is_unsure_and_offers_the_menu(text: str) -> None:
    """Callers of every language open with "hello": ask rather than guess."""
    detection = detect_language(text, menu=("ta", "en", "hi"))
    assert detection.language is None
    assert clarifying_options(detection) == ["ta", "en", "hi"]


@pytest.mark.parametrize(
    "text", ["My name is Priya Sharma", "I am Dr. Ramesh from Chennai", "This is Anjali Deshpande from Pune"]
)
def test_indian_names_in_an_english_message_do_not_make_it_indian(text: str) -> None:
    assert detect_language(text).language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Hi, this is Ramesh from Pune",
        "hi this is ramesh from pune, need to talk",
        "hello doctor i am Lakshmi",
        "Good evening, I am Dr. Venkatesh from Hyderabad",
        "this is Priya, can u call me back",
    ],
)
def test_english_introductions_with_indian_names_and_places_are_english(text: str) -> None:
    """The doctor who writes in English must not be answered in Hinglish because of their name."""
    detection = detect_language(text)
    assert (detection.language, detection.romanized) == ("en", False)


@pytest.mark.parametrize(
    "text", ["ok thanks, pls call me", "u there? pls reply when free", "ok sir thanks, i will wait"]
)
def test_english_chat_forms_count_for_english(text: str) -> None:
    assert detect_language(text).language == "en"


def test_capitalising_every_word_does_not_hide_romanized_hindi() -> None:
    assert detect_language("Mera Naam Priya Hai Mujhe Baat Karni Hai").language == "hi"
