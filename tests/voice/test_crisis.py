"""A caller who pressed 0 is told they are being helped, and reaches the crisis line within the limit when no
listener takes the call: whether the listeners decline, are busy, or do not answer."""

from __future__ import annotations

from locales import messages
from schemas.tables import Proficiency
from telephony.simulator import Phone
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

HI = {"hi": Proficiency.native}
LIMIT = 120  # SAMVAAD_CRISIS_MAX_WAIT_SECONDS by default


def _in_hindi(voice: VoiceHelpline, message: str, **values: object) -> str:
    """A crisis message as a Hindi caller hears it, with the numbers from the settings."""
    settings = voice.services.settings
    numbers = {"crisis_line": settings.crisis_line, "emergency_number": settings.emergency_number}
    return words(message, "hi", **numbers, **values)


def _crisis_transfer(voice: VoiceHelpline) -> str:
    return _in_hindi(voice, messages.CRISIS_TRANSFER)


def _acknowledgement(voice: VoiceHelpline, seconds: int) -> str:
    return _in_hindi(voice, messages.CRISIS_ACKNOWLEDGED, seconds=seconds)


def _call_in_danger(voice: VoiceHelpline) -> Phone:
    voice.sim.phone(voice.services.settings.crisis_line, "Tele-MANAS")
    danger = voice.caller("in danger", "+919800000031")
    danger.respond(words(messages.DANGER_PRESS_ZERO, "hi", crisis_line="14416"), press="0")
    danger.call(HELPLINE)
    return danger


def _pressed_zero_at(voice: VoiceHelpline) -> float:
    return next(r.at for r in voice.sim.requests_to("/twilio/voice/menu") if r.param("Digits") == "0")


def _assert_helped_then_transferred(voice: VoiceHelpline, danger: Phone) -> None:
    """Acknowledged in Hindi, never the normal loop nor the danger notice again, and at the crisis line
    within the limit (one turn of the wait loop, 15 s, of slack)."""
    transfer = _crisis_transfer(voice)
    assert danger.has_heard(transfer), danger.speech()
    settings = voice.services.settings
    ack = _acknowledgement(voice, LIMIT)
    heard = danger.speech()
    assert ack in heard
    after_menu = heard[heard.index(ack) :]
    assert words(messages.DANGER_PRESS_ZERO, "hi", crisis_line="14416") not in after_menu  # the menu's only
    assert words(messages.HOLD_OPTIONS, "hi") not in heard
    assert words(messages.PLEASE_STAY, "hi") not in heard
    assert ack == heard[heard.index(ack)]  # said on joining, in Hindi
    transferred_at = next(h.at for h in danger.spoken() if h.text == transfer)
    assert transferred_at - _pressed_zero_at(voice) <= LIMIT + 15
    answer = voice.sim.requests_to("/twilio/voice/queue-exit")[-1].body
    assert f">{settings.crisis_line}</Dial>" in answer
    assert danger.bridged_with[-1] is voice.sim.phonebook.get(settings.crisis_line)


def test_a_caller_in_danger_whom_every_listener_declines_reaches_the_crisis_line_in_time(
    voice: VoiceHelpline,
) -> None:
    for name in ("Asha", "Chitra"):
        voice.listener(name, HI, prompt_language="hi").respond(".", press="2", once=False)
    danger = _call_in_danger(voice)

    voice.sim.advance(LIMIT + 60)

    _assert_helped_then_transferred(voice, danger)
    voice.sim.assert_no_errors()


def test_a_caller_in_danger_while_every_listener_is_on_a_call_hears_no_normal_loop(
    voice: VoiceHelpline,
) -> None:
    sim = voice.sim
    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    first = voice.caller("first", "+919800000032")
    first.respond("ओड़िया", press="1")
    first.call(HELPLINE)
    sim.run_until(lambda: asha.is_bridged)

    danger = _call_in_danger(voice)
    sim.advance(LIMIT + 60)

    _assert_helped_then_transferred(voice, danger)
    assert asha.bridged_with == [first]


def test_a_caller_in_danger_rings_several_listeners_at_once_and_the_first_to_press_1_takes_it(
    voice: VoiceHelpline,
) -> None:
    """Issue 11: a crisis contact is offered to the first few eligible listeners together (three by default);
    the first to press 1 takes it, the one who answered too hears it was taken in her own language, the
    phone still ringing stops, and nobody is left reserved."""
    asha = voice.listener("Asha", HI, prompt_language="hi", answer_after=2.0)
    bela = voice.listener("Bela", HI, prompt_language="ta", answer_after=6.0)
    chitra = voice.listener("Chitra", HI, prompt_language="en", answer_after=None)
    voice.listener("Dev", HI, prompt_language="en", answer_after=None)  # the fourth is not rung
    for phone in (asha, bela):
        phone.respond(".", press="1")
    danger = _call_in_danger(voice)

    voice.sim.run_until(lambda: danger.is_bridged)
    voice.sim.advance(30)

    rang = {
        name: [h.at for h in voice.phones[name].transcript if h.kind == "ring"]
        for name in ("Asha", "Bela", "Chitra", "Dev")
    }
    assert rang["Dev"] == []
    assert len({round(times[0]) for times in (rang["Asha"], rang["Bela"], rang["Chitra"])}) == 1, rang
    assert danger.bridged_with == [asha]
    assert asha.spoken()[0].text == words(messages.LISTENER_URGENT_CALL, "hi")
    assert bela.spoken()[0].text == words(messages.LISTENER_URGENT_CALL, "ta")
    assert bela.has_heard(words(messages.LISTENER_OFFER_TAKEN, "ta")), bela.speech()
    assert not bela.is_bridged and not chitra.ringing
    assert [voice.listener_state(n) for n in ("Asha", "Bela", "Chitra", "Dev")] == [
        "busy", "available", "available", "available",
    ]  # fmt: skip
    voice.sim.assert_no_errors()


def _set_crisis_policy(voice: VoiceHelpline, **fields: object) -> None:
    from schemas.tables import Association

    association = voice.session.get(Association, voice.association_id)
    assert association is not None
    for name, value in fields.items():
        setattr(association, name, value)
    voice.session.commit()


def test_an_association_that_chose_the_crisis_line_transfers_a_caller_in_danger_at_once(
    voice: VoiceHelpline,
) -> None:
    _set_crisis_policy(voice, crisis_policy="crisis_line")
    asha = voice.listener("Asha", HI, prompt_language="hi")
    danger = _call_in_danger(voice)

    voice.sim.advance(20)

    assert danger.has_heard(_crisis_transfer(voice)), danger.speech()
    assert danger.bridged_with[-1] is voice.sim.phonebook.get(voice.services.settings.crisis_line)
    assert rang_at_all(asha) is False  # nobody is rung: the association sends danger straight to the line
    voice.sim.assert_no_errors()


def rang_at_all(phone: Phone) -> bool:
    return any(h.kind == "ring" for h in phone.transcript)


def test_the_associations_own_wait_limit_is_said_and_kept(voice: VoiceHelpline) -> None:
    _set_crisis_policy(voice, crisis_max_wait_seconds=60)
    voice.listener("Asha", HI, prompt_language="hi").respond(".", press="2", once=False)
    danger = _call_in_danger(voice)

    voice.sim.advance(60 + 40)

    assert danger.has_heard(_acknowledgement(voice, 60)), danger.speech()
    transfer = _crisis_transfer(voice)
    transferred_at = next(h.at for h in danger.spoken() if h.text == transfer)
    assert transferred_at - _pressed_zero_at(voice) <= 60 + 15
