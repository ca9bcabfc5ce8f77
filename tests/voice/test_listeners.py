"""A listener who does not answer, whose voicemail answers, or who declines: the next listener is rung."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from schemas.tables import Proficiency, VoiceOffer
from telephony.simulator import Phone
from tests.voice.conftest import HELPLINE, VoiceHelpline

HI = {"hi": Proficiency.native}


def _call_in_hindi(voice: VoiceHelpline) -> Phone:
    caller = voice.caller("caller", "+919800000021")
    caller.respond("ओड़िया", press="1")
    caller.call(HELPLINE)
    return caller


@pytest.mark.parametrize(
    ("first_phone", "outcome"),
    [
        ({"answer_after": None}, "no-answer"),
        ({"voicemail_after": 1.0, "answer_after": None}, "voicemail"),
        ({}, "declined"),
    ],
)
def test_the_next_listener_is_rung_when_the_first_does_not_take_the_call(
    voice: VoiceHelpline, first_phone: dict[str, float | None], outcome: str
) -> None:
    sim = voice.sim
    first = voice.listener("Asha", HI, prompt_language="hi", **first_phone)  # type: ignore[arg-type]
    if outcome == "declined":
        first.respond(".", press="2")
    second = voice.listener("Chitra", HI, prompt_language="hi")
    second.respond(".", press="1")
    caller = _call_in_hindi(voice)

    sim.run_until(lambda: caller.is_bridged)

    assert caller.bridged_with == [second]
    assert not first.is_on_call
    with Session(voice.services.engine) as session:
        outcomes = {o.listener_id: o.outcome for o in session.exec(select(VoiceOffer)).all()}
    assert outcomes[voice.listeners["Asha"]] == outcome
    assert outcomes[voice.listeners["Chitra"]] == "connected"
    if outcome == "voicemail":
        assert all(not h.by_machine or h.kind != "bridged" for h in first.transcript)
    sim.assert_no_errors()


def test_a_ring_twilio_refuses_is_retried_and_the_caller_still_reaches_the_listener(
    voice: VoiceHelpline,
) -> None:
    sim = voice.sim
    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    sim.fail_next_rest_request("/Calls.json")  # Twilio answers 503 once
    caller = _call_in_hindi(voice)

    sim.run_until(lambda: caller.is_bridged)

    assert caller.bridged_with == [asha]
    placed = [
        path for method, path, _ in sim.rest_requests if method == "POST" and path.endswith("/Calls.json")
    ]
    assert len(placed) == 2  # refused, then placed again by RQ's retry (its delay counted in simulated time)
    with Session(voice.services.engine) as session:
        assert [o.outcome for o in session.exec(select(VoiceOffer)).all()] == ["connected"]  # one offer
    queued_at = sim.requests_to("/twilio/voice/wait")[0].at
    [rang] = [h.at for h in asha.transcript if h.kind == "ring"]
    assert 0 <= rang - queued_at <= 5  # within seconds, not once the offer expired
    sim.assert_no_errors()


def test_listeners_who_decline_are_not_rung_again_for_the_same_caller_at_once(voice: VoiceHelpline) -> None:
    sim = voice.sim
    phones = [voice.listener(name, HI, prompt_language="hi") for name in ("Asha", "Chitra")]
    for phone in phones:
        phone.respond(".", press="2", once=False)  # "no", every time
    _call_in_hindi(voice)

    sim.advance(240)

    rings = [h for phone in phones for h in phone.transcript if h.kind == "ring"]
    assert len(rings) == 2  # each once; the emulator counted about 120 rings in these four minutes
    sim.assert_no_errors()
