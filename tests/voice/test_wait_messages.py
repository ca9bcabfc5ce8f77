"""What a waiting caller and a listener are told is true: an estimate only from who can answer now, "all our
listeners are busy" only when they are on calls, and the whisper gives the minutes waited."""

from __future__ import annotations

from datetime import timedelta

from locales import messages
from routing import engine
from routing.engine.live import LiveState
from schemas.tables import Channel, Contact, ContactStatus, Proficiency
from telephony.simulator import Phone
from tests.voice.conftest import HELPLINE, START, VoiceHelpline, words

HI = {"hi": Proficiency.native}
QUICK_CALLBACK = [{"kind": "listeners", "languages": ["hi"], "seconds": 60}, {"kind": "callback"}]


def _history(voice: VoiceHelpline) -> None:
    """Hindi calls this morning lasted five minutes: a basis for an estimate, when someone can answer."""
    ended = START - timedelta(hours=1)
    voice.session.add(
        Contact(
            id="earlier-call",
            association_id=voice.association_id,
            channel=Channel.voice,
            language="hi",
            caller_hash="earlier",
            arrival_us=int((ended - timedelta(minutes=6)).timestamp() * 1_000_000),
            created_at=ended - timedelta(minutes=6),
            status=ContactStatus.ended,
            connected_at=ended - timedelta(minutes=5),
            ended_at=ended,
        )
    )
    voice.session.commit()


def _caller(voice: VoiceHelpline, name: str, number: str) -> Phone:
    caller = voice.caller(name, number)
    caller.respond("ओड़िया", press="1")
    caller.call(HELPLINE)
    return caller


def _estimates(caller: Phone) -> list[str]:
    under = words(messages.EXPECTED_WAIT_UNDER_A_MINUTE, "hi")
    minutes = words(messages.EXPECTED_WAIT, "hi", minutes=99).split("99")[0]
    return [text for text in caller.speech() if text == under or text.startswith(minutes)]


def test_nobody_who_can_answer_means_no_estimate_and_no_all_busy(voice: VoiceHelpline) -> None:
    _history(voice)
    voice.policy("hi", QUICK_CALLBACK)
    voice.listener("Asha", HI, prompt_language="hi")
    now = voice.sim.clock.now()
    engine.pause_listener(
        voice.session, LiveState(voice.services.redis), voice.listeners["Asha"], now, "missed_offers"
    )
    voice.session.commit()
    caller = _caller(voice, "caller", "+919800000061")

    voice.sim.advance(120)

    assert caller.has_heard(words(messages.CALLBACK_CONFIRMED_VOICE, "hi", {"language": "hi"}))
    assert _estimates(caller) == []  # the only Hindi listener is paused: no number at all
    assert caller.has_heard(words(messages.NOBODY_FREE_CALLBACK, "hi"))
    assert not caller.has_heard(words(messages.ALL_BUSY_CALLBACK, "hi"))


def test_all_busy_is_said_when_everyone_is_on_a_call(voice: VoiceHelpline) -> None:
    _history(voice)
    voice.policy("hi", QUICK_CALLBACK)
    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    _caller(voice, "first", "+919800000062")
    voice.sim.run_until(lambda: asha.is_bridged)
    second = _caller(voice, "second", "+919800000063")

    voice.sim.advance(120)

    assert _estimates(second)  # someone can answer (after this call): an estimate from the recent calls
    assert second.has_heard(words(messages.ALL_BUSY_CALLBACK, "hi"))


def test_the_whisper_gives_the_minutes_waited(voice: VoiceHelpline) -> None:
    caller = _caller(voice, "caller", "+919800000064")
    voice.sim.run_until(lambda: caller.calls[-1].is_in_queue)
    voice.sim.advance(80)
    asha = voice.listener("Asha", HI, prompt_language="en")
    asha.respond(".", press="1")

    voice.sim.run_until(lambda: caller.is_bridged)

    assert asha.spoken()[0].text == words(messages.LISTENER_OFFER_WAITED_A_MINUTE, "en", {"language": "hi"})
