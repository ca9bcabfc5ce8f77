"""Waiting: the crisis key, a callback instead of waiting, and the crisis line when nobody can take a call."""

from __future__ import annotations

from sqlmodel import Session, select

from locales import messages
from schemas.tables import Callback, CallbackStatus, Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

HI = {"hi": Proficiency.native}


def test_a_caller_in_danger_goes_to_the_front_then_to_the_crisis_line(voice: VoiceHelpline) -> None:
    sim = voice.sim
    first = voice.caller("waiting", "+919800000011")
    first.respond("ओड़िया", press="1")
    first_call = first.call(HELPLINE)
    sim.run_until(lambda: first_call.is_in_queue)

    danger = voice.caller("in danger", "+919800000012")
    danger.respond(words(messages.DANGER_PRESS_ZERO, "hi"), press="0")
    danger.call(HELPLINE)
    sim.run_until(lambda: danger.has_heard(words(messages.QUEUE_POSITION, "hi", position=1)))
    assert words(messages.DANGER_PRESS_ZERO, "hi") == danger.spoken()[1].text  # the menu opens with it

    sim.run_until(
        lambda: danger.has_heard(
            words(
                messages.CRISIS_TRANSFER,
                "hi",
                crisis_line=voice.services.settings.crisis_line,
                emergency_number=voice.services.settings.emergency_number,
            )
        )
    )
    assert any(
        r.url.endswith("/twilio/voice/queue-exit") and r.param("QueueResult") == "leave"
        for r in sim.requests_to("/twilio/voice/queue-exit")
    )
    assert "<Dial" in sim.requests_to("/twilio/voice/queue-exit")[-1].body
    assert voice.services.settings.crisis_line in sim.requests_to("/twilio/voice/queue-exit")[-1].body
    assert not first_call.is_over  # the other caller still waits
    sim.assert_no_errors()


def test_a_crisis_caller_is_offered_before_an_earlier_caller(voice: VoiceHelpline) -> None:
    sim = voice.sim
    early = voice.caller("early", "+919800000013")
    early.respond("ओड़िया", press="1")
    early_call = early.call(HELPLINE)
    sim.run_until(lambda: early_call.is_in_queue)
    danger = voice.caller("in danger", "+919800000014")
    danger.respond(words(messages.DANGER_PRESS_ZERO, "hi"), press="0")
    danger_call = danger.call(HELPLINE)
    sim.run_until(lambda: danger_call.is_in_queue)

    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    voice.dispatch()
    sim.run_until(lambda: asha.is_bridged)
    assert asha.bridged_with == [danger]
    assert not early.is_bridged


def test_press_1_while_waiting_gets_a_callback_listener_first_then_caller(voice: VoiceHelpline) -> None:
    sim = voice.sim
    caller = voice.caller("callback", "+919800000015")
    caller.respond("ओड़िया", press="1")
    caller.respond(words(messages.HOLD_OPTIONS, "hi"), press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_over)

    confirmation = words(messages.CALLBACK_CONFIRMED_VOICE, "hi", {"language": "hi"})
    assert caller.has_heard(confirmation)
    with Session(voice.services.engine) as session:
        [callback] = session.exec(select(Callback)).all()
        assert callback.status == CallbackStatus.scheduled and callback.number_encrypted
        assert caller.number.encode() not in callback.number_encrypted

    asha = voice.listener("Asha", HI, prompt_language="en")
    asha.respond(".", press="1")
    voice.dispatch()
    sim.run_until(lambda: caller.is_bridged)

    assert caller.bridged_with == [asha]
    assert asha.spoken()[0].text == words(messages.LISTENER_CALLBACK_OFFER, "en", {"language": "hi"})
    listener_rang = next(h.at for h in asha.transcript if h.kind == "ring")
    caller_rang = [h.at for h in caller.transcript if h.kind == "ring"][-1]
    assert listener_rang < caller_rang  # the listener first, then the caller
    assert caller.caller_ids_seen[-1] == HELPLINE
    assert caller.has_heard(words(messages.CALLBACK_GREETING, "hi"))
    assert asha.number not in caller.seen_text() and caller.number not in asha.seen_text()
    with Session(voice.services.engine) as session:
        [callback] = session.exec(select(Callback)).all()
        assert (callback.status, callback.attempts, callback.number_encrypted) == (
            CallbackStatus.connected,
            1,
            None,
        )
    caller.hang_up(after=30)
    sim.run_until(lambda: not asha.is_on_call)
    sim.assert_no_errors()


def test_an_unanswered_callback_is_retried_then_the_number_is_erased(voice: VoiceHelpline) -> None:
    sim = voice.sim
    caller = voice.caller("callback", "+919800000016")
    caller.respond("ओड़िया", press="1")
    caller.respond(words(messages.HOLD_OPTIONS, "hi"), press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_over)
    caller.answer_after = None  # the caller does not pick up when we call back

    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1", once=False)
    voice.dispatch()

    def callback() -> Callback:
        with Session(voice.services.engine) as session:
            return session.exec(select(Callback)).one()

    sim.run_until(lambda: callback().attempts == 1 and callback().status == CallbackStatus.scheduled)
    missed_at = sim.clock.seconds
    assert callback().number_encrypted is not None
    sim.run_until(lambda: not asha.is_on_call)
    sim.advance(missed_at + 590 - sim.clock.seconds)  # the jobs and the cron run as simulated time passes
    assert callback().attempts == 1  # no second attempt before ten minutes
    sim.run_until(lambda: callback().status == CallbackStatus.failed)
    assert (callback().attempts, callback().number_encrypted) == (2, None)
    rang = [h.at for h in caller.transcript if h.kind == "ring"]
    assert len(rang) == 2 and rang[1] >= missed_at + 600


def test_a_callback_the_provider_refuses_for_good_is_closed_and_the_listener_released(
    voice: VoiceHelpline,
) -> None:
    """A 4xx from the REST API will not change on retry: the attempt is spent, the callback closed, the
    number erased and the listener freed, instead of the attempt being handed back for ever."""
    sim = voice.sim
    caller = voice.caller("callback", "+919800000017")
    caller.respond("ओड़िया", press="1")
    caller.respond(words(messages.HOLD_OPTIONS, "hi"), press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_over)
    sim.refuse_calls_to(caller.number)

    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    voice.dispatch()

    def callback() -> Callback:
        with Session(voice.services.engine) as session:
            return session.exec(select(Callback)).one()

    sim.run_until(lambda: callback().status == CallbackStatus.failed)
    assert (callback().attempts, callback().number_encrypted) == (1, None)
    sim.run_until(lambda: not asha.is_on_call)
    assert voice.listener_state("Asha") in ("wrapup", "available")
    assert not any(h.kind == "ring" for h in caller.transcript)
