"""Twilio's webhook parameters become Samvaad's events, with our names and no channel prefixes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.events import CallEnded, MessageReceived
from telephony.errors import WebhookFormError
from telephony.webhooks import (
    parse_call_bridged,
    parse_call_ended,
    parse_call_started,
    parse_call_status,
    parse_dial_ended,
    parse_digits,
    parse_message,
    parse_queue_exit,
    parse_queue_tick,
    to_address,
)

CALL = {
    "CallSid": "CA" + "a" * 32,
    "AccountSid": "AC" + "b" * 32,
    "From": "+919812345001",
    "To": "+14155550100",
}


def test_incoming_call_renames_twilio_fields() -> None:
    started = parse_call_started({**CALL, "Direction": "inbound", "FromCity": ""})
    assert (started.call_sid, started.caller, started.called, started.direction) == (
        CALL["CallSid"],
        "+919812345001",
        "+14155550100",
        "inbound",
    )


@pytest.mark.parametrize("withheld", ["anonymous", "Anonymous", "unknown", "+266696687", "", "private"])
def test_withheld_caller_id_becomes_none(withheld: str) -> None:
    assert parse_call_started({**CALL, "From": withheld}).caller is None


def test_missing_call_sid_is_a_form_error_naming_the_parameter() -> None:
    with pytest.raises(WebhookFormError) as error:
        parse_call_started({"From": "+1", "To": "+2"})
    assert error.value.parameter == "CallSid"


def test_digits_queue_and_dial_parameters() -> None:
    assert parse_digits({**CALL, "Digits": "2"}).digits == "2"
    assert parse_digits(CALL).digits == ""
    tick = parse_queue_tick(
        {**CALL, "QueueSid": "QU1", "QueuePosition": "3", "QueueTime": "75", "CurrentQueueSize": "4"}
    )
    assert (tick.position, tick.waited_seconds, tick.queue_size) == (3, 75, 4)
    exited = parse_queue_exit({**CALL, "QueueResult": "leave", "QueueSid": "QU1", "QueueTime": "121"})
    assert (exited.result, exited.waited_seconds) == ("leave", 121)
    assert parse_queue_exit({**CALL, "QueueResult": "queue-full"}).waited_seconds is None
    bridged = parse_call_bridged({**CALL, "QueueSid": "QU1", "QueueTime": "50", "DequeingCallSid": "CA2"})
    assert (bridged.other_call_sid, bridged.waited_seconds) == ("CA2", 50)
    dial = parse_dial_ended({**CALL, "DialCallStatus": "no-answer", "DialCallSid": ""})
    assert (dial.status, dial.other_call_sid, dial.duration) == ("no-answer", None, None)


def test_status_callbacks_mark_the_end_of_a_leg() -> None:
    ringing = {**CALL, "CallStatus": "ringing", "SequenceNumber": "1"}
    assert parse_call_status(ringing).sequence == 1
    assert parse_call_ended(ringing) is None
    done = {**CALL, "CallStatus": "no-answer", "SequenceNumber": "3", "CallDuration": "0"}
    assert parse_call_ended(done) == CallEnded(CALL["CallSid"], 0, "no-answer")
    with pytest.raises(WebhookFormError):
        parse_call_status({**CALL, "CallStatus": "completed", "CallDuration": "soon"})


def test_whatsapp_prefix_becomes_the_channel() -> None:
    message = parse_message(
        {
            "MessageSid": "SM1",
            "From": "whatsapp:+919812345001",
            "To": "whatsapp:+14155550100",
            "Body": "hello",
            "NumMedia": "1",
        }
    )
    assert message == MessageReceived("SM1", "+919812345001", "+14155550100", "hello", "whatsapp", 1)
    assert to_address(message.sender, message.channel) == "whatsapp:+919812345001"
    sms = parse_message({"MessageSid": "SM2", "From": "+919812345001", "To": "+14155550100", "Body": ""})
    assert (sms.channel, sms.body, sms.num_media) == ("sms", "", 0)
    assert to_address(sms.sender, sms.channel) == "+919812345001"


@given(
    body=st.text(max_size=1600), whatsapp=st.booleans(), digits=st.text("0123456789", min_size=6, max_size=13)
)
def test_any_message_body_and_sender_survive_parsing(body: str, whatsapp: bool, digits: str) -> None:
    prefix = "whatsapp:" if whatsapp else ""
    message = parse_message(
        {"MessageSid": "SM1", "From": prefix + "+" + digits, "To": "+14155550100", "Body": body}
    )
    assert message.body == body.replace("\x00", "")  # a NUL carries no words; PostgreSQL cannot hold it
    assert message.sender == "+" + digits
    assert to_address(message.sender, message.channel) == prefix + "+" + digits
