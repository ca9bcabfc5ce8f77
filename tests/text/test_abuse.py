"""Abuse controls on the text line: a flood gets one gentle reply with the crisis line and is not relayed;
a blocked texter gets one neutral reply with the crisis line, then silence."""

from __future__ import annotations

from datetime import timedelta

from locales import messages
from routing import safety
from routing.configuration import Actor
from routing.text.language import say
from schemas.tables import Contact, Conversation, TextMessage
from tests.text.conftest import TextHelpline

TAMIL = "எனக்கு யாரிடமாவது பேச வேண்டும், மிகவும் சோர்வாக இருக்கிறேன்"


def test_a_flood_gets_one_gentle_reply_and_is_not_relayed_until_the_next_minute(
    helpline: TextHelpline,
) -> None:
    helpline.services.settings = helpline.services.settings.model_copy(update={"texts_per_minute": 3})
    caller = helpline.caller()
    answers = [helpline.text(caller, f"{TAMIL} {i}") for i in range(5)]

    gentle = say("ta", messages.TEXT_TOO_MANY_MESSAGES, **helpline.crisis_values)
    assert answers[3] == [gentle] and "14416" in gentle
    assert answers[4] == []
    assert len(helpline.rows(TextMessage)) == 3
    helpline.clock.advance(60)
    assert helpline.text(caller, "still here") == []  # admitted again: relayed, no reply needed
    assert len(helpline.rows(TextMessage)) == 4
    limited = safety.recently_limited(helpline.services.redis, helpline.association_id, helpline.clock.now())
    assert [line.kind for line in limited] == ["text"]


def test_a_blocked_texter_gets_one_neutral_reply_then_silence(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, TAMIL)
    [contact] = helpline.rows(Contact)
    now = helpline.clock.now()
    with helpline.session() as session:
        actor = Actor("coordinator", now)
        safety.block_contact(
            session, helpline.association_id, contact.id, "threats", now + timedelta(days=1), actor
        )
        session.commit()

    first = helpline.text(caller, "are you there")
    second = helpline.text(caller, "hello??")

    assert first == [say("ta", messages.TEXT_NOT_ANSWERED, **helpline.crisis_values)]
    assert second == []
    assert len(helpline.rows(TextMessage)) == 1
    assert len(helpline.rows(Conversation)) == 1
