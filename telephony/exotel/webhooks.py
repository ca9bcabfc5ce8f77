"""Exotel's request parameters, turned into Samvaad's events (routing/events.py).

Passthru, Gather and Connect send a GET with the call in the query; status callbacks POST a form (we read
both). Exotel's names differ between applets and over the years (``CallFrom`` / ``From``, ``CallTo`` /
``To``), and a Gather's ``digits`` arrive in double quotes ("2"), as its Passthru page warns:
https://support.exotel.com/support/solutions/articles/48283-working-with-passthru-applet. A missing
required parameter or a NUL byte raises ``WebhookFormError``; the app still answers validly.
"""

from __future__ import annotations

from collections.abc import Mapping

from routing.events import CallStarted, CallStatusChanged, DigitsEntered
from telephony.errors import WebhookFormError
from telephony.webhooks import WITHHELD_CALLER_IDS

Params = Mapping[str, str]

# Exotel's StatusCallback reports one of these (https://developer.exotel.com/docs/references/webhooks).
FINAL_STATUSES = frozenset({"completed", "failed", "busy", "no-answer", "canceled"})


def _first(params: Params, *names: str) -> str | None:
    for name in names:
        value = params.get(name)
        if value:
            if "\x00" in value:
                raise WebhookFormError(name)
            return value
    return None


def _required(params: Params, *names: str) -> str:
    value = _first(params, *names)
    if value is None:
        raise WebhookFormError(names[0])
    return value


def call_sid(params: Params) -> str:
    return _required(params, "CallSid")


def to_e164(raw: str) -> str:
    """Exotel writes Indian numbers nationally (``09800000001``, ``08040001000``); Samvaad keeps E.164."""
    number = raw.strip()
    if number.startswith("+"):
        return number
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 11 and digits.startswith("0"):
        return "+91" + digits[1:]
    if len(digits) == 12 and digits.startswith("91"):
        return "+" + digits
    if len(digits) == 10:
        return "+91" + digits
    return number


def parse_call_started(params: Params) -> CallStarted:
    caller = _first(params, "CallFrom", "From")
    withheld = caller is None or caller.strip().lower() in WITHHELD_CALLER_IDS
    return CallStarted(
        call_sid=call_sid(params),
        caller=None if withheld or caller is None else to_e164(caller),
        called=to_e164(_required(params, "CallTo", "To")),
        direction=str(params.get("Direction") or "incoming"),
    )


def parse_digits(params: Params) -> DigitsEntered:
    raw = _first(params, "digits", "Digits") or ""
    return DigitsEntered(call_sid=call_sid(params), digits=raw.strip().strip('"').strip())


def parse_call_status(params: Params) -> CallStatusChanged:
    """The StatusCallback: ``Status`` (``completed`` ...), or a Passthru's ``DialCallStatus``."""
    status = _required(params, "Status", "CallStatus", "DialCallStatus").lower()
    duration = _first(params, "DialCallDuration", "ConversationDuration", "Duration")
    return CallStatusChanged(
        call_sid=call_sid(params),
        status=status,
        sequence=None,
        duration=int(duration) if duration and duration.isdigit() else None,
        answered_by=None,
    )


def is_final(status: CallStatusChanged) -> bool:
    return status.status in FINAL_STATUSES
