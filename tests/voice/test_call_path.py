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
    sim.run_until(lambda: caller.is_bridged)

    assert caller.bridged_with == [asha]
    assert asha.caller_ids_seen == [HELPLINE]
    assert caller.number not in asha.seen_text()
    assert asha.number not in caller.seen_text()
    menu = {h.text: (h.language, h.voice) for h in caller.spoken()}
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "hi", {"language": "hi"}, digit=1)] == (
        "hi-IN",
        "Polly.Aditi",
    )
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "ta", {"language": "ta"}, digit=3)][0] == "ta-IN"
    assert menu[words(messages.LANGUAGE_MENU_ITEM, "en", {"language": "en"}, digit=2)][0] == "en-IN"
    whisper = asha.spoken()[0]
    assert whisper.language == "ta-IN"
    assert whisper.text == words(messages.LISTENER_OFFER, "ta", {"language": "hi"})
    assert voice.listener_state("Asha") == "busy"

    caller.hang_up(after=60)
    sim.run_until(lambda: call.is_over and not asha.is_on_call)
    sim.run_until(lambda: voice.listener_state("Asha") == "wrapup")
    sim.assert_no_errors()


def test_a_returning_caller_continues_in_their_last_language_with_one_key(voice: VoiceHelpline) -> None:
    sim = voice.sim
    bala = voice.listener("Bala", TA, prompt_language="ta")
    first = voice.caller("first time", "+919800000002")
    first.respond("3 ஐ அழுத்தவும்", press="3")
    bala.respond(".", press="1")
    call = first.call(HELPLINE)
    sim.run_until(lambda: first.is_bridged)
    first.hang_up(after=30)
    sim.run_until(lambda: call.is_over and not bala.is_on_call)

    before = len(first.spoken())
    welcome_back = words(messages.WELCOME_BACK_LANGUAGE, "ta", {"language": "ta"})
    first.respond("1 ஐ அழுத்தவும்", press="1")
    second = first.call(HELPLINE)  # the same number calls again
    sim.run_until(lambda: second.is_in_queue)

    spoken = first.spoken()[before:]
    heard = [h.text for h in spoken]
    assert welcome_back in heard
    assert words(messages.LANGUAGE_MENU_ITEM, "hi", {"language": "hi"}, digit=1) not in heard
    assert {h.language for h in spoken} == {"ta-IN"}
    assert second.queue is not None and second.queue.name.endswith("-ta")


def test_no_input_repeats_the_menu_once_then_the_default_language(voice: VoiceHelpline) -> None:
    sim = voice.sim
    caller = voice.caller("silent", "+919800000003")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_in_queue)

    heard = [h.text for h in caller.spoken()]
    hindi_item = words(messages.LANGUAGE_MENU_ITEM, "hi", {"language": "hi"}, digit=1)
    assert heard.count(hindi_item) == 2
    assert words(messages.NOT_CAUGHT, "hi") in heard
    assert words(messages.CONTINUE_IN_LANGUAGE, "hi", {"language": "hi"}) in heard
    assert call.queue is not None and call.queue.name.endswith("-hi")
    sim.assert_no_errors()


def test_a_wrong_key_repeats_the_menu(voice: VoiceHelpline) -> None:
    sim = voice.sim
    caller = voice.caller("wrong key", "+919800000004")
    caller.respond("ओड़िया", press="9")
    caller.respond(words(messages.NOT_CAUGHT, "hi"), press="2")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_in_queue)

    assert call.queue is not None and call.queue.name.endswith("-en")
    assert caller.has_heard(words(messages.NOT_CAUGHT, "hi"))


def test_the_danger_notice_is_said_in_every_menu_language_and_names_the_crisis_line(
    voice: VoiceHelpline,
) -> None:
    caller = voice.caller("caller", "+919800000004")
    call = caller.call(HELPLINE)
    voice.sim.run_until(lambda: call.is_in_queue)

    heard = {(h.text, h.language) for h in caller.spoken()}
    for code in ("hi", "en", "ta", "bn"):
        notice = words(messages.DANGER_PRESS_ZERO, code, crisis_line="14416")
        assert "14416" in notice
        assert any(text == notice for text, _ in heard), code
    assert any(language == "ta-IN" and "14416" in text for text, language in heard)  # the third language too


def test_the_caller_moved_to_the_offers_queue_hears_no_provider_hold_music(voice: VoiceHelpline) -> None:
    asha = voice.listener("Asha", HI, prompt_language="hi", answer_after=8.0)  # the caller waits for her leg
    asha.respond(".", press="1")
    caller = voice.caller("caller", "+919800000005")
    caller.respond("ओड़िया", press="1")
    caller.call(HELPLINE)

    voice.sim.run_until(lambda: caller.is_bridged)

    assert not [h for h in caller.transcript if h.kind == "play"]
    assert voice.sim.requests_to("/twilio/voice/bridge")
    assert 'waitUrl="' in voice.sim.requests_to("/twilio/voice/bridge")[-1].body
    voice.sim.assert_no_errors()
