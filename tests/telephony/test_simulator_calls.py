"""The simulator behaves as Twilio does on the paths a helpline cares about."""

import threading
import time

import httpx
import pytest
from conftest import AUTH_TOKEN, CALLER, HELPLINE, LISTENER, OVERFLOW_SECONDS, PUBLIC_BASE_URL, Seen

from telephony.rest import RestClient
from telephony.simulator import SimulationTimeout, Simulator

OTHER_LINE = "+14155550199"


def _rest(sim: Simulator) -> RestClient:
    return RestClient(sim.account_sid, AUTH_TOKEN, base_url=sim.rest_base_url, timeout=5)


def _queue_caller(sim: Simulator, language_key: str = "2") -> tuple:  # type: ignore[type-arg]
    caller = sim.phone(CALLER, "caller")
    caller.press(language_key)
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_in_queue)
    return caller, call


def test_a_failing_voice_url_falls_back_with_error_code_and_url(sim: Simulator, seen: Seen) -> None:
    sim.add_number(OTHER_LINE, voice_url="/voice/broken", voice_fallback_url="/voice/fallback")
    caller = sim.phone(CALLER)
    call = caller.call(OTHER_LINE)
    sim.run_until(lambda: call.is_over)
    assert caller.speech() == ["Sorry. For help now call 14416."]
    fallback = seen.last("/voice/fallback")
    assert (fallback["ErrorCode"], fallback["ErrorUrl"]) == ("11200", PUBLIC_BASE_URL + "/voice/broken")
    assert [(e.code, e.url) for e in sim.errors] == [(11200, PUBLIC_BASE_URL + "/voice/broken")]


def test_invalid_twiml_is_error_12100_and_without_fallback_the_caller_hears_twilio_apology(
    sim: Simulator,
) -> None:
    sim.add_number(OTHER_LINE, voice_url="/voice/not-twiml")
    caller = sim.phone(CALLER)
    call = caller.call(OTHER_LINE)
    sim.run_until(lambda: call.is_over)
    assert caller.speech() == ["We are sorry, an application error has occurred. Goodbye."]
    assert [e.code for e in sim.errors] == [12100]
    with pytest.raises(AssertionError):
        sim.assert_no_errors()


def test_queue_wait_loop_sends_position_and_time_until_overflow_leave(sim: Simulator, seen: Seen) -> None:
    caller, call = _queue_caller(sim)
    sim.run_until(lambda: call.is_over)
    waits = seen.forms["/voice/wait/hi"]
    times = [int(form["QueueTime"][0]) for form in waits]
    assert times == sorted(times) and times[0] == 0 and times[-1] >= OVERFLOW_SECONDS
    assert {form["QueuePosition"][0] for form in waits} == {"1"}
    assert {form["CurrentQueueSize"][0] for form in waits} == {"1"}
    assert {form["MaxQueueSize"][0] for form in waits} == {"1000"}
    assert waits[0]["QueueSid"][0].startswith("QU")
    exit_form = seen.last("/voice/queue-exit")
    assert exit_form["QueueResult"] == "leave"
    assert int(exit_form["QueueTime"]) >= OVERFLOW_SECONDS
    assert caller.speech()[-1] == "Everyone is busy. We will call you back."
    sim.assert_no_errors()


def test_second_caller_hears_position_two(sim: Simulator, seen: Seen) -> None:
    _queue_caller(sim)
    second = sim.phone("+919812345003", "second")
    second.press("2")
    call = second.call(HELPLINE)
    sim.run_until(lambda: call.is_in_queue)
    sim.settle()
    assert second.has_heard("You are number 2 in line.")
    assert seen.last("/voice/wait/hi")["CurrentQueueSize"] == "2"


def test_no_input_falls_through_the_gather_to_the_redirect(sim: Simulator, seen: Seen) -> None:
    caller = sim.phone(CALLER)
    call = caller.call(HELPLINE)
    sim.run_until(lambda: len(seen.forms.get("/voice/incoming", [])) == 3)
    assert caller.speech().count("For English press 1.") == 3
    assert "/voice/language" not in seen.forms
    caller.hang_up()
    sim.run_until(lambda: call.is_over)


def test_caller_hanging_up_in_queue_reports_hangup_to_the_enqueue_action(sim: Simulator, seen: Seen) -> None:
    caller, call = _queue_caller(sim)
    caller.hang_up(after=40)
    sim.run_until(lambda: call.is_over)
    assert seen.last("/voice/queue-exit")["QueueResult"] == "hangup"
    assert sim.find_queue("hi").members == []  # type: ignore[union-attr]
    completed = seen.last("/status")
    assert (completed["CallStatus"], completed["CallSid"]) == ("completed", call.sid)
    assert int(completed["CallDuration"]) >= 40


def test_listener_who_does_not_answer_gives_no_answer_and_caller_keeps_waiting(
    sim: Simulator, seen: Seen
) -> None:
    _, call = _queue_caller(sim)
    sim.phone(LISTENER, answer_after=None)
    rest = _rest(sim)
    sid = rest.place_call(
        to=LISTENER,
        from_=HELPLINE,
        url=PUBLIC_BASE_URL + "/voice/listener",
        status_callback=PUBLIC_BASE_URL + "/status",
        timeout=20,
    )
    sim.run_until(lambda: sim.get_call(sid).is_over)  # type: ignore[union-attr]
    listener_statuses = [f["CallStatus"][0] for f in seen.forms["/status"] if f["CallSid"][0] == sid]
    assert listener_statuses == ["initiated", "ringing", "no-answer"]
    assert call.is_in_queue
    rest.close()


def test_busy_listener_and_voicemail_never_take_the_caller(sim: Simulator, seen: Seen) -> None:
    _, call = _queue_caller(sim)
    sim.phone(LISTENER, busy=True)
    voicemail = sim.phone("+919812345004", "voicemail", answer_after=None, voicemail_after=8)
    rest = _rest(sim)
    busy_sid = rest.place_call(to=LISTENER, from_=HELPLINE, url=PUBLIC_BASE_URL + "/voice/listener")
    machine_sid = rest.place_call(
        to=voicemail.number,
        from_=HELPLINE,
        url=PUBLIC_BASE_URL + "/voice/listener",
        status_callback=PUBLIC_BASE_URL + "/status",
        machine_detection="Enable",
    )
    sim.run_until(lambda: all(sim.get_call(s).is_over for s in (busy_sid, machine_sid)))  # type: ignore[union-attr]
    assert sim.get_call(busy_sid).status == "busy"  # type: ignore[union-attr]
    assert seen.last("/voice/listener")["AnsweredBy"] == "machine_start"
    assert voicemail.has_heard("Press 1 to accept")
    assert all(h.by_machine for h in voicemail.spoken())
    assert "/voice/listener/accept" not in seen.forms
    assert call.is_in_queue and not call.is_bridged
    rest.close()


def test_dial_number_whispers_to_the_listener_and_shows_the_helpline_number(
    sim: Simulator, seen: Seen
) -> None:
    sim.add_number(OTHER_LINE, voice_url="/voice/dial-direct")
    caller, listener = sim.phone(CALLER, "caller"), sim.phone(LISTENER, "listener")
    call = caller.call(OTHER_LINE)
    sim.run_until(lambda: caller.is_bridged)
    assert listener.caller_ids_seen == [HELPLINE]
    assert listener.speech() == ["Samvaad call. Connecting."]
    assert caller.speech() == []
    child = listener.calls[-1]
    assert child.direction == "outbound-dial" and child.parent is call
    listener.hang_up(after=90)
    sim.run_until(lambda: call.is_over)
    done = seen.last("/voice/dial-done")
    assert (done["DialCallStatus"], done["DialCallDuration"], done["DialBridged"]) == (
        "completed",
        "90",
        "true",
    )
    assert caller.speech() == ["The listener has left."]
    legs = {f["CallStatus"][0] for f in seen.forms["/status"] if f.get("ParentCallSid") == [call.sid]}
    assert legs == {"completed"}
    assert CALLER not in listener.seen_text()


def test_dial_without_caller_id_shows_the_callers_number_to_the_listener(sim: Simulator) -> None:
    sim.add_number(OTHER_LINE, voice_url="/voice/dial-leaky")
    caller, listener = sim.phone(CALLER), sim.phone(LISTENER)
    caller.call(OTHER_LINE)
    sim.run_until(lambda: listener.is_bridged)
    assert CALLER in listener.seen_text()


def test_rest_dequeue_redirects_the_member_and_reports_redirected(sim: Simulator, seen: Seen) -> None:
    caller, call = _queue_caller(sim)
    rest = _rest(sim)
    queue = rest.find_queue("hi")
    assert queue is not None
    rest.dequeue_member(queue.sid, "Front", PUBLIC_BASE_URL + "/voice/fallback")
    sim.run_until(lambda: call.is_over)
    assert seen.last("/voice/queue-exit")["QueueResult"] == "redirected"
    assert caller.speech()[-1] == "Sorry. For help now call 14416."
    assert rest.list_queue_members(queue.sid) == []
    rest.close()


def test_rest_redirect_moves_a_live_call_and_end_call_hangs_it_up(sim: Simulator) -> None:
    caller = sim.phone(CALLER)
    call = caller.call(HELPLINE)
    sim.run_until(lambda: caller.has_heard("For English"))
    rest = _rest(sim)
    rest.redirect_call(call.sid, PUBLIC_BASE_URL + "/voice/connecting")
    sim.run_until(lambda: call.is_over)  # the new document ran out of verbs
    assert caller.speech()[-1] == "Connecting you to a listener now."
    assert call.status == "completed"
    rest.close()


def test_rest_calls_from_another_thread_are_picked_up_while_the_test_waits(sim: Simulator) -> None:
    """Like an RQ worker in its own thread or process placing the listener call while the caller waits."""
    caller, call = _queue_caller(sim)
    listener = sim.phone(LISTENER)
    listener.respond("press 1", press="1")

    waiting = threading.Event()  # set once the test is inside run_until, waiting for the bridge

    def worker() -> None:
        waiting.wait(30)
        rest = _rest(sim)
        rest.place_call(to=LISTENER, from_=HELPLINE, url=PUBLIC_BASE_URL + "/voice/listener")
        rest.close()

    thread = threading.Thread(target=worker)
    thread.start()

    def bridged() -> bool:
        waiting.set()
        return caller.is_bridged

    sim.run_until(bridged, within=60)
    thread.join()
    assert call.is_bridged and listener.bridged_with == [caller]


def test_run_until_times_out_with_a_description_of_the_calls(sim: Simulator) -> None:
    _queue_caller(sim)
    with pytest.raises(SimulationTimeout) as timeout:
        sim.run_until(lambda: False, timeout=0.3, within=10)
    assert "queue hi" in str(timeout.value)


def test_inbound_sms_and_whatsapp_get_the_messaging_response(sim: Simulator, seen: Seen) -> None:
    caller = sim.phone(CALLER, "Dr Rao")
    (reply,) = caller.send_message(HELPLINE, "I need to talk")
    assert (reply.body, reply.to, reply.from_) == (
        "We got: I need to talk. A listener will call you.",
        CALLER,
        HELPLINE,
    )
    (whatsapp_reply,) = caller.send_message(HELPLINE, "namaste", whatsapp=True)
    assert whatsapp_reply.to == "whatsapp:" + CALLER
    form = seen.last("/sms/incoming")
    assert (form["From"], form["To"], form["WaId"], form["ProfileName"]) == (
        "whatsapp:" + CALLER,
        "whatsapp:" + HELPLINE,
        CALLER.lstrip("+"),
        "Dr Rao",
    )
    assert form["MessageSid"].startswith("SM") and form["SmsStatus"] == "received"
    assert caller.inbox == [reply, whatsapp_reply]


def test_a_key_pressed_in_the_wait_music_leads_to_leave(sim: Simulator, seen: Seen) -> None:
    sim.add_number(OTHER_LINE, voice_url="/voice/enqueue-offer")
    caller = sim.phone(CALLER)
    call = caller.call(OTHER_LINE)
    sim.run_until(lambda: call.is_in_queue)
    sim.advance(60)
    assert call.is_in_queue
    offers = len(seen.forms["/voice/wait-offer"])
    assert offers >= 4
    caller.press("1")
    sim.run_until(lambda: call.is_over)
    choice = seen.last("/voice/wait-choice")
    assert choice["Digits"] == "1"
    assert choice["QueueSid"].startswith("QU")  # requests in the wait context carry the queue parameters
    assert seen.last("/voice/queue-exit")["QueueResult"] == "leave"
    assert caller.speech()[-1] == "Everyone is busy. We will call you back."


def test_get_webhooks_carry_the_parameters_in_the_signed_query(sim: Simulator, seen: Seen) -> None:
    number = sim.add_number(OTHER_LINE, voice_url="/voice/by-get?line=2")
    number.voice_method = "GET"
    caller = sim.phone(CALLER)
    call = caller.call(OTHER_LINE)
    sim.run_until(lambda: call.is_over)
    assert caller.speech() == [f"Hello caller ending {CALLER[-4:]}."]
    (request,) = sim.requests_to("/voice/by-get")
    assert request.method == "GET"
    assert request.url.startswith(PUBLIC_BASE_URL + "/voice/by-get?line=2&AccountSid=AC")
    assert seen.unsigned == []


def test_paced_simulation_keeps_virtual_time_near_real_time(client: httpx.Client) -> None:
    with Simulator(client, public_base_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN, pace=100) as paced:
        paced.add_number(HELPLINE, voice_url="/voice/incoming")
        caller = paced.phone(CALLER)
        caller.press("2")
        call = caller.call(HELPLINE)
        started = time.monotonic()
        with pytest.raises(SimulationTimeout):
            paced.run_until(lambda: False, timeout=0.3)
        elapsed = time.monotonic() - started
        assert call.is_in_queue
        assert paced.clock.seconds <= (elapsed + 0.1) * 100


def test_listener_hanging_up_ends_the_bridge_and_the_caller_continues_to_the_enqueue_action(
    sim: Simulator, seen: Seen
) -> None:
    caller, call = _queue_caller(sim)
    listener = sim.phone(LISTENER)
    listener.respond("press 1", press="1")
    rest = _rest(sim)
    sid = rest.place_call(to=LISTENER, from_=HELPLINE, url=PUBLIC_BASE_URL + "/voice/listener")
    sim.run_until(lambda: caller.is_bridged)
    listener.hang_up(after=45)
    sim.run_until(lambda: call.is_over)
    done = seen.last("/voice/listener/done")
    assert (done["DialCallStatus"], done["DialBridged"], done["DialCallSid"]) == (
        "completed",
        "true",
        call.sid,
    )
    assert done["DialCallDuration"] == "45"
    assert sim.get_call(sid).status == "completed"  # type: ignore[union-attr]
    assert seen.last("/voice/queue-exit")["QueueResult"] == "bridged"
    assert caller.speech()[-1] == "Thank you for calling."
    assert not listener.has_heard("Thank you, the call has ended.")  # the listener had already gone
    rest.close()
