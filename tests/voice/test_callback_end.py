"""A caller we called back ends a normal conversation normally, whoever hangs up first."""

from __future__ import annotations

from locales import messages
from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

HI = {"hi": Proficiency.native}


def test_a_called_back_caller_whose_listener_hangs_up_first_is_not_sent_to_the_crisis_line(
    voice: VoiceHelpline,
) -> None:
    sim = voice.sim
    crisis_line = sim.phone(voice.services.settings.crisis_line, "Tele-MANAS")
    caller = voice.caller("callback", "+919800000041")
    caller.respond("ओड़िया", press="1")
    caller.respond(words(messages.HOLD_OPTIONS, "hi"), press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_over)
    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    voice.dispatch()
    sim.run_until(lambda: caller.is_bridged)

    asha.hang_up(after=120)  # a normal conversation, and the listener says goodbye first
    sim.advance(200)

    assert not caller.is_on_call and not asha.is_on_call

    assert not caller.has_heard(words(messages.FALLBACK_TRANSFER, "hi"))
    assert not [
        h for h in caller.transcript if h.kind == "play"
    ]  # no provider hold music in the offer's queue
    assert not crisis_line.transcript  # nobody was dialled to the crisis line
    exits = [
        r for r in sim.requests_to("/twilio/voice/queue-exit") if r.param("CallSid") == caller.calls[-1].sid
    ]
    assert exits and all("<Dial" not in r.body for r in exits)
    assert voice.listener_state("Asha") in ("wrapup", "available")  # the call ended normally
    sim.assert_no_errors()
