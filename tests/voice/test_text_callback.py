"""A texter who writes CALL is called back by voice: a listener first, then the texter's phone, from the
helpline's voice number, in the conversation's language; neither sees the other's number."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from locales import messages
from routing.text.language import LATIN, language_label, reply_locale, say
from schemas.tables import (
    Callback,
    CallbackStatus,
    Channel,
    Contact,
    Conversation,
    HelplineNumber,
    Proficiency,
)
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

TEXT_NUMBER = "+14155550188"
HI = {"hi": Proficiency.native}


def add_text_number(voice: VoiceHelpline, channel: Channel) -> None:
    voice.sim.add_number(TEXT_NUMBER, sms_url="/messaging/incoming")
    voice.session.add(
        HelplineNumber(association_id=voice.association_id, number=TEXT_NUMBER, channel=channel)
    )
    voice.session.commit()


@pytest.mark.parametrize("channel", [Channel.sms, Channel.whatsapp])
def test_a_texters_call_rings_a_listener_then_the_texter_from_the_helpline(
    voice: VoiceHelpline, channel: Channel
) -> None:
    sim = voice.sim
    add_text_number(voice, channel)
    whatsapp = channel == Channel.whatsapp
    texter = voice.caller("texter", "+919800000031")
    texter.send_message(TEXT_NUMBER, "mujhe kisi se baat karni hai, bahut pareshan hoon", whatsapp=whatsapp)
    [place] = [c.arrival_us for c in voice.session.exec(select(Contact)).all()]

    [reply] = texter.send_message(TEXT_NUMBER, "CALL", whatsapp=whatsapp)

    locale = reply_locale("hi", LATIN)
    label = language_label("hi", locale)
    assert reply.body == say(locale, messages.TEXT_CALLBACK_CONFIRMED, language=label)
    with Session(voice.services.engine) as session:
        [callback] = session.exec(select(Callback)).all()
        assert (callback.language, callback.helpline, callback.status) == (
            "hi",
            HELPLINE,
            CallbackStatus.scheduled,
        )
        assert callback.number_encrypted and texter.number.encode() not in callback.number_encrypted
        contact = session.get(Contact, callback.contact_id)
        assert contact is not None and contact.channel == Channel.voice and contact.arrival_us == place
        [conversation] = session.exec(select(Conversation)).all()
        assert conversation.close_reason == "callback"

    asha = voice.listener("Asha", HI, prompt_language="en")
    asha.respond(".", press="1")
    voice.dispatch()
    sim.run_until(lambda: texter.is_bridged, timeout=30)

    assert texter.bridged_with == [asha]
    assert asha.spoken()[0].text == words(messages.LISTENER_CALLBACK_OFFER, "en", {"language": "hi"})
    listener_rang = next(h.at for h in asha.transcript if h.kind == "ring")
    texter_rang = next(h.at for h in texter.transcript if h.kind == "ring")
    assert listener_rang < texter_rang
    assert texter.caller_ids_seen[-1] == HELPLINE
    assert texter.has_heard(words(messages.CALLBACK_GREETING, "hi"))
    assert asha.number not in texter.seen_text() and texter.number not in asha.seen_text()
    with Session(voice.services.engine) as session:
        [callback] = session.exec(select(Callback)).all()
        assert (callback.status, callback.number_encrypted) == (CallbackStatus.connected, None)
    texter.hang_up(after=30)
    sim.run_until(lambda: not asha.is_on_call, timeout=20)
    sim.assert_no_errors()
