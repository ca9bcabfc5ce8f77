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
    ],
)
def test_other_romanized_languages(text: str, language: str) -> None:
    detection = detect_language(text)
    assert (detection.language, detection.romanized) == (language, True)


def test_a_greeting_alone_is_unsure_and_english_is_offered_first() -> None:
    detection = detect_language("hello")
    assert detection.language is None
    assert clarifying_options(detection)[0] == "en"
    assert len(clarifying_options(detection, limit=2)) == 2
