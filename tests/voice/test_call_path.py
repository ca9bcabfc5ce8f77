"""A doctor calls the helpline and reaches a listener who speaks their language, end to end."""

from __future__ import annotations

from locales import messages
from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

HI = {"hi": Proficiency.native}
TA = {"ta": Proficiency.native}


def test_a_hindi_caller_reaches_a_hindi_listener_and_nobody_sees_a_number(voice: VoiceHelpline) -> None:
    sim = voice.sim
    asha = voice.listener("Asha", HI, prompt_language="ta")
    voice.listener("Bala", TA)
    caller = voice.caller("caller", "+919800000001")
    caller.respond("ओड़िया", press="1")  # after the whole menu, the last item is Odia (said in Hindi)
    asha.respond(".", press="1")

    call = caller.call(HELPLINE)
    sim.run_until(lambda: caller.is_bridged, timeout=30)

    assert caller.bridged_with == [asha]
    assert asha.caller_ids_seen == [HELPLINE]
    assert caller.number not in asha.seen_text()
    assert asha.number not in caller.seen_text()
    menu = {h.text: (h.language, h.voice) for h in caller.spoken()}
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "hi", {"language": "hi"}, digit=1)] == ("hi-IN", "Polly.Aditi")
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "ta", {"language": "ta"}, digit=3)][0] == "ta-IN"
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "en", {"language": "en"}, digit=2)][0] == "en-IN"
    whisper = asha.spoken()[0]
    assert whisper.language == "ta-IN"
    assert whisper.text == words(messages.LISTENER_OFFER, "ta", {"language": "hi"})
    assert voice.listener_state("Asha") == "busy"

    caller.hang_up(after=60)
    sim.run_until(lambda: call.is_over and not asha.is_on_call, timeout=20)
    sim.run_until(lambda: voice.listener_state("Asha") == "wrapup", timeout=10)
    sim.assert_no_errors()
