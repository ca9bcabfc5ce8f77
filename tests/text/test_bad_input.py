"""Whatever arrives, the webhook answers valid TwiML: a sensible reply or none, never an error."""

from __future__ import annotations

import itertools
import logging
import uuid
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locales import messages
from routing.text.language import language_menu, say
from schemas.tables import Channel, Conversation, ConversationStatus, HelplineNumber, TextMessage
from telephony.signature import sign
from tests.text.conftest import SMS_NUMBER, TextHelpline, bodies

PATH = "/messaging/incoming"
VOICE_AND_SMS = "+14155550102"


def words(text: str) -> list[str]:
    """The simulator reads a <Body> as XML text, with its line breaks folded into spaces."""
    return text.split()


def post(helpline: TextHelpline, body: str, *, sender: str = "+919700099999", **extra: str) -> list[str]:
    """A signed message webhook as Twilio sends it; the reply bodies of its MessagingResponse."""
    form = {
        "MessageSid": "SM" + uuid.uuid4().hex,
        "AccountSid": helpline.services.settings.twilio_account_sid,
        "From": sender,
        "To": SMS_NUMBER,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        **extra,
    }
    request = helpline.sim.driver.send(helpline.sim.absolute(PATH), list(form.items()))
    assert request.status == 200, request.body
    root = ElementTree.fromstring(request.body or "")
    assert root.tag == "Response"
    return [(m.findtext("Body") or "") for m in root.findall("Message")]


def test_media_without_text_is_asked_for_words(helpline: TextHelpline) -> None:
    replies = post(
        helpline, "", NumMedia="1", MediaContentType0="image/jpeg", MediaUrl0="https://api.twilio.com/m.jpg"
    )

    assert replies == [say("ta", messages.TEXT_ONLY)]  # the association's first language: nothing to go on
    assert helpline.rows(Conversation) == []


def test_an_empty_body_gets_the_same_answer(helpline: TextHelpline) -> None:
    assert post(helpline, "   ") == [say("ta", messages.TEXT_ONLY)]


def test_emoji_only_asks_which_language_and_a_number_answers(helpline: TextHelpline) -> None:
    caller = helpline.caller()

    [menu] = helpline.text(caller, "😢😢")

    assert words(menu) == words(language_menu(("ta", "hi", "en")))
    assert "தமிழ்" in menu and "हिन्दी" in menu and "English" in menu
    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.choosing

    [welcome] = helpline.text(caller, "2")

    assert welcome.startswith(say("hi", messages.TEXT_WELCOME).split("।")[0])
    [conversation] = helpline.rows(Conversation)
    assert (conversation.status, conversation.language) == (ConversationStatus.waiting, "hi")

    listener = helpline.listener("Bala", ("hi",))

    helpline.offer_waiting()
    assert bodies(listener.inbox)[-1] == f"#{conversation.tag} 😢😢"


def test_a_message_in_a_language_not_served_is_asked_about(helpline: TextHelpline) -> None:
    [menu] = helpline.text(helpline.caller(), "আমার খুব কষ্ট হচ্ছে, কারো সাথে কথা বলতে চাই")

    assert words(menu) == words(language_menu(("ta", "hi", "en")))


def test_mixed_scripts_are_asked_about_not_guessed(helpline: TextHelpline) -> None:
    [menu] = helpline.text(helpline.caller(), "எனக்கு मुझे ভালো")

    assert (
        say("ta", messages.TEXT_LANGUAGE_QUESTION) in menu
        or say("hi", messages.TEXT_LANGUAGE_QUESTION) in menu
    )


def test_a_1600_character_message_is_relayed_whole_in_parts_that_fit(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    [conversation] = helpline.rows(Conversation)
    long = ("நான் மிகவும் சோர்வாக இருக்கிறேன் " * 60)[:1600]

    helpline.text(caller, long)

    parts = bodies(listener.inbox)[2:]
    assert len(parts) == 2 and all(len(part) <= 1600 for part in parts)
    prefix = f"#{conversation.tag} "
    assert all(part.startswith(prefix) for part in parts)
    assert " ".join(part.removeprefix(prefix) for part in parts) == long.strip()
    helpline.sim.assert_no_errors()
    assert [m.relay_parts for m in helpline.rows(TextMessage)] == [1, 2]


def test_an_unknown_helpline_number_gets_no_reply(helpline: TextHelpline) -> None:
    helpline.sim.add_number("+14155550199", sms_url=PATH)
    caller = helpline.caller()

    assert caller.send_message("+14155550199", "hello") == []
    assert helpline.rows(Conversation) == []


def test_a_listener_without_a_conversation_gets_no_reply(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))

    assert helpline.text(listener, "hello?") == []


def test_a_forged_signature_is_refused_and_changes_nothing(helpline: TextHelpline) -> None:
    form = {"MessageSid": "SM" + "1" * 32, "From": "+919700011111", "To": SMS_NUMBER, "Body": "hello"}
    forged = sign("not-the-token", helpline.services.settings.public_base_url + PATH, form)

    assert helpline.http.post(PATH, data=form, headers={"X-Twilio-Signature": forged}).status_code == 403
    assert helpline.http.post(PATH, data=form).status_code == 403
    assert helpline.rows(Conversation) == [] and helpline.rows(TextMessage) == []


def test_a_repeated_delivery_is_handled_once(helpline: TextHelpline) -> None:
    form = {
        "MessageSid": "SM" + "2" * 32,
        "From": "+919700022222",
        "To": SMS_NUMBER,
        "Body": "mujhe baat karni hai",
        "NumMedia": "0",
    }
    first = helpline.sim.driver.send(helpline.sim.absolute(PATH), list(form.items()))
    again = helpline.sim.driver.send(helpline.sim.absolute(PATH), list(form.items()))

    assert first.status == again.status == 200
    assert len(helpline.rows(TextMessage)) == 1 and len(helpline.rows(Conversation)) == 1


NEW_CALLERS = itertools.count(1)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.text(max_size=1700), media=st.integers(min_value=0, max_value=2))
def test_any_text_body_gets_valid_twiml(
    helpline: TextHelpline, caplog: pytest.LogCaptureFixture, body: str, media: int
) -> None:
    """From a new caller every body gets an answer (a welcome, the menu, a keyword's reply, or "please
    write words"), and nothing is handled by the webhook's last resort: no error is logged."""
    caplog.clear()
    sender = f"+9197{next(NEW_CALLERS):08d}"

    replies = post(helpline, body, sender=sender, NumMedia=str(media))

    assert replies and all(reply.strip() for reply in replies)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_number_that_takes_calls_too_answers_texts(helpline: TextHelpline) -> None:
    with helpline.session() as session:
        session.add(
            HelplineNumber(
                association_id=helpline.association_id, number=VOICE_AND_SMS, channel=Channel.voice
            )
        )
        session.add(
            HelplineNumber(association_id=helpline.association_id, number=VOICE_AND_SMS, channel=Channel.sms)
        )
        session.commit()
    helpline.sim.add_number(VOICE_AND_SMS, sms_url=PATH)

    [welcome] = helpline.caller().send_message(VOICE_AND_SMS, "எனக்கு பேச வேண்டும்")

    assert welcome.body.startswith("எழுதியதற்கு நன்றி")
    [conversation] = helpline.rows(Conversation)
    assert conversation.channel == Channel.sms


def test_a_number_registered_for_calls_only_gets_no_reply_to_a_text(helpline: TextHelpline) -> None:
    with helpline.session() as session:
        session.add(
            HelplineNumber(
                association_id=helpline.association_id, number=VOICE_AND_SMS, channel=Channel.voice
            )
        )
        session.commit()
    helpline.sim.add_number(VOICE_AND_SMS, sms_url=PATH)

    assert helpline.caller().send_message(VOICE_AND_SMS, "எனக்கு பேச வேண்டும்") == []
    assert helpline.rows(Conversation) == []


@pytest.mark.parametrize("where", ["Body", "From", "MessageSid"])
def test_a_nul_byte_in_a_signed_parameter_gets_valid_twiml_and_no_error(
    helpline: TextHelpline, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    """PostgreSQL text cannot hold 0x00: a NUL among the words is dropped, one in an address or id refused."""
    caplog.clear()
    words_with_nul = "எனக்கு\x00 பேச வேண்டும்" if where == "Body" else "எனக்கு பேச வேண்டும்"
    extra = {"MessageSid": "SM\x00" + uuid.uuid4().hex} if where == "MessageSid" else {}
    sender = "+9197\x0000011" if where == "From" else "+919700000011"

    replies = post(helpline, words_with_nul, sender=sender, **extra)

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    if where == "Body":
        assert len(replies) == 1 and replies[0].startswith("எழுதியதற்கு நன்றி")
    else:
        assert replies == []
