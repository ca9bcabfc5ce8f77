"""Abuse controls on the voice line: a caller over the association's limit, or blocked, is never left in
silence; they are put through to the crisis line, and no contact is created for them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from locales import messages
from routing import safety
from routing.configuration import Actor
from schemas.tables import Association, Contact
from telephony.simulator import Phone
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

CRISIS = {"crisis_line": "14416", "emergency_number": "112"}


def call_and_hang_up(voice: VoiceHelpline, number: str, press: str | None = "2") -> None:
    phone = voice.phones.get(number)
    if phone is None:
        phone = voice.caller(number, number)
        if press:
            phone.respond("English", press=press, once=False)
    call = phone.call(HELPLINE)
    phone.hang_up(after=90)  # the menus say the danger notice in every language first
    voice.sim.run_until(lambda: call.is_over)


def crisis_line(voice: VoiceHelpline) -> Phone:
    return voice.sim.phone("14416", "Tele-MANAS", answer_after=1.0)


def contacts(voice: VoiceHelpline) -> list[Contact]:
    with Session(voice.services.engine) as session:
        return list(session.exec(select(Contact)).all())


def test_the_call_past_the_hourly_limit_hears_a_gentle_word_and_reaches_the_crisis_line(
    voice: VoiceHelpline,
) -> None:
    voice.services.settings = voice.services.settings.model_copy(update={"calls_per_hour": 2})
    tele_manas = crisis_line(voice)
    for _ in range(3):
        call_and_hang_up(voice, "+919800000031")

    caller = voice.phones["+919800000031"]
    assert caller.has_heard(words(messages.VOICE_TOO_MANY_CALLS, "en"))
    assert caller.has_heard(words(messages.CRISIS_TRANSFER, "en", **CRISIS))
    answer = voice.sim.requests_to("/twilio/voice/incoming")[-1].body
    assert ">14416</Dial>" in answer and "<Gather" not in answer
    assert len(contacts(voice)) == 2
    assert caller.bridged_with == [tele_manas]
    limited = safety.recently_limited(voice.services.redis, voice.association_id, voice.sim.clock.now())
    assert [line.kind for line in limited] == ["call"]
    assert voice.phones["+919800000031"].number not in str(limited)
    voice.sim.assert_no_errors()


def test_an_associations_own_limit_counts_each_caller_apart(
    voice: VoiceHelpline,
) -> None:
    with Session(voice.services.engine) as session:
        association = session.get(Association, voice.association_id)
        assert association is not None
        association.calls_per_hour = 1
        session.commit()
    voice.services.helplines.clear()
    crisis_line(voice)
    call_and_hang_up(voice, "+919800000032")
    call_and_hang_up(voice, "+919800000033")
    call_and_hang_up(voice, "+919800000032", press=None)
    assert voice.phones["+919800000032"].has_heard(words(messages.VOICE_TOO_MANY_CALLS, "en"))
    assert not voice.phones["+919800000033"].has_heard(words(messages.VOICE_TOO_MANY_CALLS, "en"))
    assert len(contacts(voice)) == 2


def test_a_blocked_caller_hears_only_the_crisis_line_and_gets_no_contact(voice: VoiceHelpline) -> None:
    tele_manas = crisis_line(voice)
    call_and_hang_up(voice, "+919800000034")
    (first,) = contacts(voice)
    now = voice.sim.clock.now()
    with Session(voice.services.engine) as session:
        actor = Actor("coordinator", now)
        safety.block_contact(
            session, voice.association_id, first.id, "abusive", now + timedelta(days=7), actor
        )
        session.commit()

    caller = voice.phones["+919800000034"]
    heard_before = len(caller.speech())
    call_and_hang_up(voice, "+919800000034", press=None)

    said = caller.speech()[heard_before:]
    assert said == [words(messages.CRISIS_TRANSFER, "en", **CRISIS)]
    assert ">14416</Dial>" in voice.sim.requests_to("/twilio/voice/incoming")[-1].body
    assert len(contacts(voice)) == 1
    assert caller.bridged_with == [tele_manas]
    voice.sim.assert_no_errors()
