"""RestClient against the simulator's REST API: what Samvaad's workers do, and Twilio's errors as ours."""

from collections.abc import Iterator

import pytest
from conftest import AUTH_TOKEN, CALLER, HELPLINE, LISTENER, PUBLIC_BASE_URL, Seen

from telephony.errors import TelephonyError
from telephony.rest import RestClient
from telephony.simulator import Simulator


@pytest.fixture
def rest(sim: Simulator) -> Iterator[RestClient]:
    client = RestClient(sim.account_sid, AUTH_TOKEN, base_url=sim.rest_base_url, timeout=5)
    yield client
    client.close()


def test_unverified_from_number_is_twilio_error_21210(rest: RestClient) -> None:
    with pytest.raises(TelephonyError) as error:
        rest.place_call(to=LISTENER, from_="+15005550000", url=PUBLIC_BASE_URL + "/voice/listener")
    assert (error.value.code, error.value.status) == (21210, 400)


def test_a_malformed_to_number_is_21211(rest: RestClient) -> None:
    with pytest.raises(TelephonyError) as error:
        rest.place_call(to="98123 45002", from_=HELPLINE, url=PUBLIC_BASE_URL + "/voice/listener")
    assert (error.value.code, error.value.status) == (21211, 400)


def test_unknown_call_is_404_and_wrong_credentials_are_401(sim: Simulator, rest: RestClient) -> None:
    with pytest.raises(TelephonyError) as missing:
        rest.redirect_call("CA" + "0" * 32, PUBLIC_BASE_URL + "/voice/incoming")
    assert (missing.value.code, missing.value.status) == (20404, 404)
    stranger = RestClient(sim.account_sid, "not-the-token", base_url=sim.rest_base_url)
    with pytest.raises(TelephonyError) as denied:
        stranger.send_message(to=CALLER, from_=HELPLINE, body="hello")
    assert (denied.value.code, denied.value.status) == (20003, 401)
    stranger.close()


def test_an_outage_is_a_telephony_error_with_twilio_code(sim: Simulator, rest: RestClient) -> None:
    sim.fail_next_rest_request("Messages.json", status=503, code=20503)
    with pytest.raises(TelephonyError) as error:
        rest.send_message(to=CALLER, from_=HELPLINE, body="hello")
    assert (error.value.code, error.value.status) == (20503, 503)
    assert rest.send_message(to=CALLER, from_=HELPLINE, body="hello").startswith("SM")


def test_unreachable_api_is_a_telephony_error_with_status_0() -> None:
    dead = RestClient("AC" + "1" * 32, "token", base_url="http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(TelephonyError) as error:
        dead.send_message(to=CALLER, from_=HELPLINE, body="hello")
    assert (error.value.code, error.value.status) == (None, 0)
    dead.close()


def test_whatsapp_message_is_delivered_with_status_callbacks(
    sim: Simulator, rest: RestClient, seen: Seen
) -> None:
    caller = sim.phone(CALLER, "caller")
    sid = rest.send_message(
        to="whatsapp:" + CALLER,
        from_="whatsapp:" + HELPLINE,
        body="A listener will call you in 10 minutes.",
        status_callback=PUBLIC_BASE_URL + "/status",
    )
    sim.run_until(lambda: bool(caller.inbox))
    (message,) = caller.inbox
    assert (message.sid, message.channel, message.body) == (
        sid,
        "whatsapp",
        "A listener will call you in 10 minutes.",
    )
    assert message.from_ == "whatsapp:" + HELPLINE
    assert [f["MessageStatus"] for f in seen.forms["/status"]] == [["sent"], ["delivered"]]
    assert sim.messaging.sent_to("whatsapp:" + CALLER) == [message]


def test_message_without_body_is_21602_and_mixed_channels_are_refused(rest: RestClient) -> None:
    with pytest.raises(TelephonyError) as empty:
        rest.send_message(to=CALLER, from_=HELPLINE, body="")
    assert empty.value.code == 21602
    with pytest.raises(TelephonyError) as mixed:
        rest.send_message(to="whatsapp:" + CALLER, from_=HELPLINE, body="hi")
    assert mixed.value.code == 63007


def test_queues_are_found_created_and_listed_front_first(sim: Simulator, rest: RestClient) -> None:
    assert rest.find_queue("hi") is None
    created = rest.create_queue("hi", max_size=20)
    assert (created.friendly_name, created.max_size, created.current_size) == ("hi", 20, 0)
    assert rest.find_queue("hi") == created
    with pytest.raises(TelephonyError) as duplicate:
        rest.create_queue("hi")
    assert duplicate.value.status == 400
    first, second = sim.phone(CALLER), sim.phone("+919812345003")
    for phone in (first, second):
        phone.respond("हिंदी", press="2")
    calls = [first.call(HELPLINE), second.call(HELPLINE)]
    sim.run_until(lambda: all(c.is_in_queue for c in calls))
    sim.advance(30)
    members = rest.list_queue_members(created.sid)
    assert [m.call_sid for m in members] == [c.sid for c in calls]
    assert [m.position for m in members] == [1, 2]
    assert all(m.wait_seconds >= 30 for m in members)


def test_end_call_cancels_a_ringing_call(sim: Simulator, rest: RestClient, seen: Seen) -> None:
    listener = sim.phone(LISTENER, answer_after=None)
    sid = rest.place_call(
        to=LISTENER,
        from_=HELPLINE,
        url=PUBLIC_BASE_URL + "/voice/listener",
        status_callback=PUBLIC_BASE_URL + "/status",
    )
    sim.run_until(lambda: listener.is_ringing)
    assert rest.get_call_status(sid) == "ringing"
    rest.end_call(sid)
    sim.run_until(lambda: not listener.is_ringing)
    assert rest.get_call_status(sid) == "canceled"
    assert [f["CallStatus"] for f in seen.forms["/status"]] == [["initiated"], ["ringing"], ["canceled"]]
    assert "/voice/listener" not in seen.forms
    with pytest.raises(TelephonyError) as over:
        rest.redirect_call(sid, PUBLIC_BASE_URL + "/voice/listener")
    assert over.value.code == 21220
