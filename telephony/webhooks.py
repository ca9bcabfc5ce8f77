"""Twilio's webhook parameters, turned into Samvaad's events (routing/events.py).

Twilio's names become ours here (CallSid -> call_sid, From -> caller) and nowhere else. Extra parameters are
ignored (Twilio adds new ones without notice); a missing required one, or one holding a NUL byte, raises
`WebhookFormError`, which the app answers with valid TwiML like any other failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routing.events import (
    CallBridged,
    CallEnded,
    CallStarted,
    CallStatusChanged,
    Channel,
    DialEnded,
    DigitsEntered,
    MessageReceived,
    MessageStatusChanged,
    QueueExited,
    QueueTick,
)
from telephony.errors import WebhookFormError

Form = Mapping[str, Any]

WHATSAPP_PREFIX = "whatsapp:"
# What carriers and Twilio put in From when the caller ID is withheld; +266696687 is Twilio's "anonymous".
WITHHELD_CALLER_IDS = frozenset(
    {"", "anonymous", "unknown", "private", "restricted", "blocked", "+266696687"}
)


def _required(form: Form, name: str) -> str:
    """A NUL byte is refused too: no id or address holds one, and PostgreSQL text cannot store it."""
    value = form.get(name)
    if value is None or not isinstance(value, str) or value == "" or "\x00" in value:
        raise WebhookFormError(name)
    return value


def _optional_int(form: Form, name: str) -> int | None:
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return int(float(value))
    except ValueError as exc:
        raise WebhookFormError(name) from exc


def _caller(raw: str | None) -> str | None:
    if raw is None or raw.strip().lower() in WITHHELD_CALLER_IDS:
        return None
    return raw.strip()


def _split_channel(address: str) -> tuple[Channel, str]:
    if address.lower().startswith(WHATSAPP_PREFIX):
        return Channel.whatsapp, address[len(WHATSAPP_PREFIX) :]
    return Channel.sms, address


def parse_call_started(form: Form) -> CallStarted:
    return CallStarted(
        call_sid=_required(form, "CallSid"),
        caller=_caller(form.get("From")),
        called=_required(form, "To"),
        direction=str(form.get("Direction") or "inbound"),
    )


def parse_digits(form: Form) -> DigitsEntered:
    return DigitsEntered(call_sid=_required(form, "CallSid"), digits=str(form.get("Digits") or ""))


def parse_queue_tick(form: Form) -> QueueTick:
    return QueueTick(
        call_sid=_required(form, "CallSid"),
        queue_sid=_required(form, "QueueSid"),
        position=_optional_int(form, "QueuePosition") or 0,
        waited_seconds=_optional_int(form, "QueueTime") or 0,
        queue_size=_optional_int(form, "CurrentQueueSize") or 0,
    )


def parse_queue_exit(form: Form) -> QueueExited:
    return QueueExited(
        call_sid=_required(form, "CallSid"),
        result=_required(form, "QueueResult"),
        waited_seconds=_optional_int(form, "QueueTime"),
    )


def parse_call_bridged(form: Form) -> CallBridged:
    """From the request to a <Queue url>: it runs on the queued caller just before the bridge."""
    return CallBridged(
        call_sid=_required(form, "CallSid"),
        other_call_sid=_required(form, "DequeingCallSid"),
        queue_sid=_required(form, "QueueSid"),
        waited_seconds=_optional_int(form, "QueueTime") or 0,
    )


def parse_dial_ended(form: Form) -> DialEnded:
    return DialEnded(
        call_sid=_required(form, "CallSid"),
        other_call_sid=form.get("DialCallSid") or None,
        status=_required(form, "DialCallStatus"),
        duration=_optional_int(form, "DialCallDuration"),
    )


def parse_call_status(form: Form) -> CallStatusChanged:
    return CallStatusChanged(
        call_sid=_required(form, "CallSid"),
        status=_required(form, "CallStatus"),
        sequence=_optional_int(form, "SequenceNumber"),
        duration=_optional_int(form, "CallDuration"),
        answered_by=form.get("AnsweredBy") or None,
    )


def parse_call_ended(form: Form) -> CallEnded | None:
    """The end of a call leg, or None when this status callback reports progress, not the end."""
    status = parse_call_status(form)
    if not status.is_final:
        return None
    return CallEnded(call_sid=status.call_sid, duration=status.duration or 0, cause=status.status)


def parse_message(form: Form) -> MessageReceived:
    channel, sender = _split_channel(_required(form, "From"))
    _, recipient = _split_channel(_required(form, "To"))
    return MessageReceived(
        message_sid=_required(form, "MessageSid"),
        sender=sender,
        recipient=recipient,
        body=str(form.get("Body") or "").replace("\x00", ""),  # a NUL carries no words
        channel=channel,
        num_media=_optional_int(form, "NumMedia") or 0,
        num_segments=_count(form.get("NumSegments")),
        button_payload=str(form.get("ButtonPayload") or "").replace("\x00", "")[:64] or None,
    )


def _count(value: object) -> int | None:
    """A count the provider may leave out or garble; only informative, so never a reason to refuse."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def parse_message_status(form: Form) -> MessageStatusChanged:
    return MessageStatusChanged(
        message_sid=_required(form, "MessageSid"),
        status=_required(form, "MessageStatus"),
        error_code=_optional_int(form, "ErrorCode"),
    )


def to_address(number: str, channel: Channel) -> str:
    """The address to send to on `channel` (WhatsApp addresses carry the `whatsapp:` prefix)."""
    return WHATSAPP_PREFIX + number if channel == "whatsapp" else number
