"""The shipped Devanagari and Bengali table scores as py3langid's own model does, for the pairs it tells apart."""

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from routing.language_detection.native_model import native_bytes, native_model

TEXTS = [
    "मुझे किसी से बात करनी है",
    "मला खूप त्रास होत आहे, कोणाशी तरी बोलायचं आहे",
    "आमार खुब कष्ट होच्छे",
    "আমার খুব কষ্ট হচ্ছে, কারো সাথে কথা বলতে চাই",
    "মই বৰ অকলশৰীয়া অনুভৱ কৰিছোঁ",
    "टॉम गिटार बर्‍यापैकी वाजवतो.",  # with a zero-width joiner
    "१२ बजे call करो",  # digits and a Latin word
]
PAIRS = [("hi", "mr"), ("bn", "as")]


@pytest.fixture(scope="module")
def py3langid() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


@pytest.mark.parametrize("text", TEXTS)
def test_the_table_gives_py3langids_log_odds_for_each_pair(py3langid: LanguageIdentifier, text: str) -> None:
    """Differences only: the text as the table reads it, Latin letters and emoji read as spaces."""
    theirs = dict(py3langid.rank(native_bytes(text).decode()))
    ours = native_model().scores(text)
    for first, second in PAIRS:
        assert ours[first] - ours[second] == pytest.approx(
            theirs[first] - theirs[second], abs=0.05 * max(1.0, abs(theirs[first] - theirs[second]))
        )


def test_a_text_without_letters_of_either_script_says_nothing() -> None:
    assert set(native_model().scores("hello 😊").values()) == {0.0}
