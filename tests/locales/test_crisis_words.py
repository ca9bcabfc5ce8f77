"""Crisis detection finds a person in danger in every language and script, and ignores clinical talk."""

import pytest

from locales.crisis import crisis_languages, crisis_phrases, find_crisis_phrase, is_crisis_message
from locales.normalisation import normalise

LANGUAGES = ("as", "bn", "en", "gu", "hi", "kn", "ml", "mr", "or", "pa", "ta", "te", "ur")

# Whole messages as a doctor in distress might type them: with punctuation, stretched letters, other words.
POSITIVES = {
    "en": [
        "I'm SUICIDAL!!!",
        "honestly i want to die",
        "I keep thinking about ending my life.",
        "self-harm again",
    ],
    "hi": ["मुझे मरना है।", "मैं अब जीना नहीं चाहती हूँ", "main marna chahta hoon yaar", "ab khudkushi hi rasta hai"],
    "bn": ["আমি আর বাঁচতে চাই না", "ami morte chai"],
    "mr": ["मला जगायचं नाही.", "mala marayche ahe"],
    "te": ["నాకు చనిపోవాలని ఉంది", "bathakalani ledu"],
    "ta": ["நான் தற்கொலைக்கு முயற்சி செய்யப் போகிறேன்", "vazha pidikkala"],
    "gu": ["મારે જીવવું નથી", "aapghat karvo che"],
    "ur": ["میں مرنا چاہتا ہوں۔", "ab khudkashi kar lunga"],
    "kn": ["ನನಗೆ ಬದುಕಲು ಇಷ್ಟವಿಲ್ಲ", "nanu sayabeku"],
    "or": ["ମୁଁ ମରିବାକୁ ଚାହୁଁଛି", "banchibaku ichha nahi"],
    "ml": ["എനിക്ക് ജീവിക്കാൻ തോന്നുന്നില്ല", "ജീവനൊടുക്കാൻ തോന്നുന്നു", "enikku marikkanam"],
    "pa": ["ਮੈਂ ਹੁਣ ਜਿਉਣਾ ਨਹੀਂ ਚਾਹੁੰਦਾ", "khudkushi kar lavanga"],
    "as": ["মোৰ জীয়াই থাকিব মন নাই", "moi mori jam"],
}

# What doctors say about patients and work every day.
CLINICAL_TALK = [
    "The patient died at 3 am.",
    "Please check the diet chart for bed 4.",
    "Sign the death certificate before you leave.",
    "We had an overdose case in casualty, paracetamol poisoning.",
    "This shift is killing me, I'm dead tired.",
    "Patient is a known case of hanging, brought dead.",
    "I cut myself shaving this morning.",
    "She wants to die at home, the family agreed to palliative care.",
    "मरीज़ की मौत हो गई, पोस्टमार्टम के लिए भेजा है",
    "patient ki death ho gayi, family ko bata diya",
    "ज़हर खाने का केस आया है",
    "நோயாளி இறந்துவிட்டார்",
    "রোগী মারা গেছেন",
    "I will call the ICU later",
]


def test_every_language_has_a_crisis_list_in_native_script_and_latin_letters() -> None:
    assert crisis_languages() == LANGUAGES
    for language in LANGUAGES:
        phrases = [phrase.text for phrase in crisis_phrases(language)]
        latin = [text for text in phrases if text.isascii()]
        assert len(phrases) >= 25, language
        assert language == "en" or (latin and len(latin) < len(phrases)), language


@pytest.mark.parametrize(
    ("language", "message"), [(lang, msg) for lang, msgs in POSITIVES.items() for msg in msgs]
)
def test_a_person_in_danger_is_recognised(language: str, message: str) -> None:
    assert is_crisis_message(message), f"{language}: {message!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_listed_phrase_is_recognised_inside_a_sentence(language: str) -> None:
    for phrase in crisis_phrases(language):
        written = f"Sorry to write so late... {phrase.text}{'e' if phrase.open_ending else ''}!!"
        assert is_crisis_message(written), f"{language}: {phrase.text!r}"


@pytest.mark.parametrize("message", CLINICAL_TALK)
def test_clinical_talk_is_not_a_crisis(message: str) -> None:
    assert find_crisis_phrase(message) is None


def test_words_only_match_whole() -> None:
    assert not is_crisis_message("diet")
    assert not is_crisis_message("skill myselfie")
    assert is_crisis_message("kill myself")
    assert is_crisis_message("suicidal")


def test_different_keyboards_give_the_same_text() -> None:
    assert normalise("ख़ुदकुशी") == normalise("खुदकुशी")  # with and without nukta
    assert normalise("हूँ") == normalise("हूं")  # chandrabindu and anusvara
    assert normalise("മെസേജ്\u200c") == normalise("മെസേജ്")  # zero-width non-joiner
    assert normalise("ന്\u200d") == normalise("ൻ")  # old and atomic Malayalam chillu
    assert normalise("يہ") == normalise("یہ")  # Arabic and Urdu yeh
    assert normalise("Don’t   WANT to liiiive!") == "dont want to live"
