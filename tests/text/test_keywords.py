"""Crisis words and the keywords CALL, STOP, START, HELP, END and a language's name."""

from __future__ import annotations

from sqlmodel import select

from locales import messages
from routing import engine
from routing.engine.live import LiveState
from routing.text.language import say
from schemas.tables import CallerProfile, Contact, Conversation, ConversationStatus, Priority
from tests.text.conftest import TextHelpline, bodies


def test_crisis_words_get_the_crisis_line_at_once_and_the_front_of_the_queue(helpline: TextHelpline) -> None:
    earlier = helpline.caller("earlier")
    helpline.text(earlier, "எனக்கு பேச வேண்டும்")
    caller = helpline.caller("in danger")

    replies = helpline.text(caller, "எனக்கு தற்கொலை எண்ணம் வருகிறது")

    assert replies[0] == say("ta", messages.TEXT_CRISIS, **helpline.crisis_values)
    with helpline.session() as session:
        crisis = session.exec(select(Contact).where(Contact.priority == Priority.crisis)).one()
        normal = session.exec(select(Contact).where(Contact.priority == Priority.normal)).one()
        live, now = LiveState(helpline.services.redis), helpline.clock.now()
        assert engine.queue_position(session, live, crisis.id, now).position == 1
        assert engine.queue_position(session, live, normal.id, now).position == 2

    listener = helpline.listener("Anbu", ("ta",))
    helpline.offer_waiting()
    tag = "#" + helpline.rows(Conversation, contact_id=crisis.id)[0].tag
    intro, relayed = bodies(listener.inbox)
    assert intro.startswith(f"Urgent, {tag}: this doctor may be in danger")
    assert relayed.startswith("Urgent") and relayed.endswith(f"{tag} எனக்கு தற்கொலை எண்ணம் வருகிறது")


def test_crisis_words_while_connected_tell_the_listener_it_is_urgent(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("hi",))
    caller = helpline.caller()
    helpline.text(caller, "mujhe kisi se baat karni hai")

    replies = helpline.text(caller, "main mar jaana chahta hoon")

    assert replies == [say("hi_Latn", messages.TEXT_CRISIS, **helpline.crisis_values)]
    assert bodies(listener.inbox)[-1].startswith("Urgent")
    assert "main mar jaana chahta hoon" in bodies(listener.inbox)[-1]


def test_call_asks_for_a_call_back_that_keeps_the_place(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    [before] = helpline.rows(Contact)

    [reply] = helpline.text(caller, "CALL")

    assert reply == say("ta", messages.TEXT_CALLBACK_CONFIRMED, language="தமிழ்")
    [after] = helpline.rows(Contact)
    assert (after.id, after.arrival_us, after.callback_requested) == (before.id, before.arrival_us, True)
    assert helpline.rows(Conversation)[0].callback_requested


def test_stop_silences_everything_until_start(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "mujhe baat karni hai")

    [stopped] = helpline.text(caller, "STOP")
    assert stopped == say("hi_Latn", messages.TEXT_STOPPED)
    assert helpline.rows(CallerProfile)[0].opted_out
    assert helpline.rows(Conversation)[0].status == ConversationStatus.closed
    assert helpline.text(caller, "hello?") == []
    assert helpline.text(caller, "HELP") == []

    [restarted] = helpline.text(caller, "START")
    assert not helpline.rows(CallerProfile)[0].opted_out
    assert restarted == say("hi_Latn", messages.TEXT_RESTARTED)


def test_help_in_the_callers_language(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "mujhe baat karni hai")

    [help_text] = helpline.text(caller, "help")

    assert help_text == say("hi_Latn", messages.TEXT_HELP, **helpline.crisis_values)


def test_end_from_the_caller_closes_and_tells_the_listener(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    [conversation] = helpline.rows(Conversation)

    [closed] = helpline.text(caller, "END")

    assert closed == say("ta", messages.TEXT_CLOSED)
    assert bodies(listener.inbox)[-1] == f"Conversation #{conversation.tag} has ended."
    [after] = helpline.rows(Conversation)
    assert after.status == ConversationStatus.closed and after.caller_encrypted is None
    live = LiveState(helpline.services.redis).listener(helpline.listeners["Anbu"])
    assert live is not None and live.texts == 0


def test_end_from_the_listener_closes_and_tells_the_caller(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    [conversation] = helpline.rows(Conversation)

    [told] = helpline.text(listener, f"#{conversation.tag} END")

    assert told == f"Conversation #{conversation.tag} has ended."
    assert bodies(caller.inbox)[-1] == say("ta", messages.TEXT_CLOSED)
    assert helpline.rows(Conversation)[0].status == ConversationStatus.closed
    assert helpline.rows(Contact)[0].ended_at is not None


def test_a_language_name_switches_language(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")

    [switched] = helpline.text(caller, "Hindi")

    assert switched == say("hi", messages.CONTINUE_IN_LANGUAGE, language="हिन्दी")
    [conversation] = helpline.rows(Conversation)
    assert conversation.language == "hi"
    waiting = [c for c in helpline.rows(Contact) if c.ended_at is None]
    assert [c.language for c in waiting] == ["hi"]
    assert helpline.rows(CallerProfile)[0].language == "hi"


def test_a_crisis_text_is_told_what_a_caller_who_pressed_0_hears(helpline: TextHelpline) -> None:
    """Issue 11: the text acknowledgement says what the voice one says, in the texter's language: a doctor
    is being found now, the crisis line if nobody within the wait limit, the emergency number; numbers
    from the settings."""
    settings = helpline.services.settings
    caller = helpline.caller("in danger")

    replies = helpline.text(caller, "எனக்கு தற்கொலை எண்ணம் வருகிறது")

    said = say("ta", messages.TEXT_CRISIS, **helpline.crisis_values)
    assert replies[0] == said
    for number in (str(settings.crisis_max_wait_seconds), settings.crisis_line, settings.emergency_number):
        assert number in said
    assert said != messages.TEXT_CRISIS % helpline.crisis_values  # Tamil, not the English fallback
    voice = say(
        "ta",
        messages.CRISIS_ACKNOWLEDGED,
        crisis_line=settings.crisis_line,
        emergency_number=settings.emergency_number,
        seconds=settings.crisis_max_wait_seconds,
    )
    assert said.split(".")[0] == voice.split(".")[0]  # the same opening: a doctor is being found now
