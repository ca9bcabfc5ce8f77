"""Which queue a first text reaches: the language it is written in, not the names in it; a close call is asked."""

from __future__ import annotations

from sqlmodel import Session

from locales import messages
from routing.text.language import language_menu, say
from schemas.tables import AssociationLanguage, CallerProfile, Conversation, ConversationStatus
from tests.text.conftest import TextHelpline


def serve_kannada(helpline: TextHelpline) -> None:
    """The association adds Kannada as its fourth language."""
    with Session(helpline.services.engine) as session:
        session.add(
            AssociationLanguage(association_id=helpline.association_id, code="kn", digit=4, position=3)
        )
        session.commit()


def welcome(language: str) -> str:
    """The first sentence of the welcome in `language`, which names no number or minutes."""
    return say(language, messages.TEXT_WELCOME).split(".")[0].split("।")[0]


def test_english_with_an_indian_name_and_place_is_answered_in_english(helpline: TextHelpline) -> None:
    listener = helpline.listener("Bala", ("en",))
    caller = helpline.caller()

    [reply] = helpline.text(caller, "Kavitha from Tamilnadu, need help pls")

    assert reply.startswith(welcome("en"))
    [conversation] = helpline.rows(Conversation)
    assert conversation.language == "en"
    [profile] = helpline.rows(CallerProfile)
    assert (profile.language, profile.script) == ("en", None)
    helpline.offer_waiting()
    assert any(m.body.endswith("need help pls") for m in listener.inbox)


def test_romanized_kannada_reaches_the_kannada_queue(helpline: TextHelpline) -> None:
    serve_kannada(helpline)
    kannada = helpline.listener("Kavya", ("kn",))
    hindi = helpline.listener("Bala", ("hi",))
    caller = helpline.caller()

    helpline.text(caller, "nanage yaaru illa, tumba kashta aagtide. yaaradru jothe maathadbeku")

    [conversation] = helpline.rows(Conversation)
    assert conversation.language == "kn"
    [profile] = helpline.rows(CallerProfile)
    assert (profile.language, profile.script) == ("kn", "Latn")
    helpline.offer_waiting()
    assert any(m.body.endswith("maathadbeku") for m in kannada.inbox) and not hindi.inbox


def test_a_close_call_gets_the_short_menu_and_the_answer_picks_the_queue(helpline: TextHelpline) -> None:
    caller = helpline.caller()

    [menu] = helpline.text(caller, "Hello Ramesh")  # a greeting and a name: nothing to go on

    assert menu.split() == language_menu(("ta", "hi", "en")).split()  # line breaks arrive as spaces
    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.choosing

    [reply] = helpline.text(caller, "3")

    assert reply.startswith(welcome("en"))
    [conversation] = helpline.rows(Conversation)
    assert (conversation.status, conversation.language) == (ConversationStatus.waiting, "en")
