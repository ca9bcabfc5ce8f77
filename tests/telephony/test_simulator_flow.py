"""The simulator drives a helpline through menu -> queue -> REST-placed listener call -> bridge."""

from __future__ import annotations

from conftest import AUTH_TOKEN, CALLER, HELPLINE, LISTENER, PUBLIC_BASE_URL, Seen

from telephony.rest import RestClient
from telephony.simulator import Simulator


def _rest(sim: Simulator) -> RestClient:
    return RestClient(sim.account_sid, AUTH_TOKEN, base_url=sim.rest_base_url, timeout=5)


def test_caller_chooses_hindi_waits_and_is_bridged_to_a_listener_who_accepts(
    sim: Simulator, seen: Seen
) -> None:
    caller = sim.phone(CALLER, "caller")
    listener = sim.phone(LISTENER, "listener")
    caller.respond("हिंदी", press="2")
    listener.respond("press 1 to accept", press="1")

    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_in_queue)
    assert call.queue is not None and call.queue.name == "hi"

    rest = _rest(sim)
    listener_sid = rest.place_call(
        to=LISTENER,
        from_=HELPLINE,
        url=PUBLIC_BASE_URL + "/voice/listener",
        status_callback=PUBLIC_BASE_URL + "/status",
        timeout=20,
    )
    sim.run_until(lambda: caller.is_bridged)

    assert listener.is_bridged
    assert caller.bridged_with == [listener]
    assert listener.caller_ids_seen == [HELPLINE]
    assert caller.has_heard("You are number 1 in line.")
    assert caller.has_heard("Connecting you to a listener now.")
    hindi = [h for h in caller.spoken() if h.text.startswith("You are number")]
    assert {(h.language, h.voice) for h in hindi} == {("hi-IN", "Polly.Aditi")}

    caller.hang_up(after=300)
    sim.run_until(lambda: call.is_over and sim.get_call(listener_sid).is_over)  # type: ignore[union-attr]

    assert listener.has_heard("Thank you, the call has ended.")
    assert seen.last("/voice/listener/done")["DialCallStatus"] == "completed"
    assert int(seen.last("/voice/listener/done")["DialCallDuration"]) == 300
    assert seen.last("/voice/queue-exit")["QueueResult"] == "bridged"
    assert CALLER not in listener.seen_text()
    assert LISTENER not in caller.seen_text()
    assert seen.unsigned == []
    sim.assert_no_errors()
    rest.close()
