"""A doctor's first message: answered in the language and script they wrote, remembered for next time."""

from __future__ import annotations

from schemas.tables import CallerProfile, Conversation, ConversationStatus
from tests.text.conftest import TextHelpline


def test_a_first_message_in_tamil_is_answered_in_tamil_and_remembered(helpline: TextHelpline) -> None:
    caller = helpline.caller()

    [reply] = helpline.text(caller, "எனக்கு யாரிடமாவது பேச வேண்டும், மிகவும் சோர்வாக இருக்கிறேன்")

    assert "தமிழ்" in reply and "14416" in reply and "CALL" in reply
    [profile] = helpline.rows(CallerProfile)
    assert profile.language == "ta" and profile.caller_hash != caller.number
    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.waiting and conversation.language == "ta"


def test_romanized_hindi_is_answered_in_romanized_hindi(helpline: TextHelpline) -> None:
    caller = helpline.caller()

    [reply] = helpline.text(caller, "mujhe kisi se baat karni hai, bahut pareshan hoon")

    assert reply.startswith("Likhne ke liye shukriya") and "Hindi" in reply
    [profile] = helpline.rows(CallerProfile)
    assert (profile.language, profile.script) == ("hi", "Latn")
