"""A doctor's first message: answered in the language and script they wrote, remembered for next time."""

from __future__ import annotations

from locales import messages
from routing.text.language import say
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


def test_a_returning_caller_who_just_says_hello_is_answered_in_the_remembered_language(
    helpline: TextHelpline,
) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு யாரிடமாவது பேச வேண்டும்")
    helpline.text(caller, "END")

    [reply] = helpline.text(caller, "hello")

    assert reply == say(
        "ta",
        messages.TEXT_WELCOME,
        language="தமிழ்",
        minutes=helpline.services.settings.text_reply_minutes,
        **helpline.crisis_values,
    )
    assert [c.language for c in helpline.rows(Conversation)] == ["ta", "ta"]


def test_a_language_named_first_is_taken_and_not_relayed(helpline: TextHelpline) -> None:
    listener = helpline.listener("Bala", ("hi",))
    caller = helpline.caller()

    [reply] = helpline.text(caller, "Hindi please")

    assert reply.startswith(say("hi", messages.TEXT_WELCOME).split("।")[0])
    assert len(listener.inbox) == 1  # the introduction only: "Hindi please" is a choice, not a message
