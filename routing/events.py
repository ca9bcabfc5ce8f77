"""What the telephone network tells Samvaad, in Samvaad's own words.

Provider adapters (telephony/webhooks.py for Twilio) turn webhook parameters into these, so routing and
the call flow never see a provider's parameter names. Numbers are E.164 without any channel prefix; a withheld
caller ID is None. Durations and waits are whole seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.tables import Channel

CALL_STATUSES = (
    "queued",
    "initiated",
    "ringing",
    "in-progress",
    "completed",
    "busy",
    "failed",
    "no-answer",
    "canceled",
)
FINAL_CALL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


@dataclass(frozen=True)
class CallStarted:
    """A call reached one of our numbers (inbound) or one we placed was answered (outbound)."""

    call_sid: str
    caller: str | None
    called: str
    direction: str


@dataclass(frozen=True)
class DigitsEntered:
    """The answer to a menu. Empty digits: the caller pressed nothing before the timeout."""

    call_sid: str
    digits: str


@dataclass(frozen=True)
class QueueTick:
    """A queued caller's wait music needs its next part: a chance to say the position or offer a way out."""

    call_sid: str
    queue_sid: str
    position: int
    waited_seconds: int
    queue_size: int


@dataclass(frozen=True)
class QueueExited:
    """A call left a queue: bridged, hangup, leave, redirected, queue-full, error or system-error."""

    call_sid: str
    result: str
    waited_seconds: int | None


@dataclass(frozen=True)
class CallBridged:
    """A queued call is being connected to `other_call_sid` (the listener's leg) after `waited_seconds`."""

    call_sid: str
    other_call_sid: str
    queue_sid: str
    waited_seconds: int


@dataclass(frozen=True)
class DialEnded:
    """A Dial finished: status is completed, answered, busy, no-answer, failed or canceled."""

    call_sid: str
    other_call_sid: str | None
    status: str
    duration: int | None


@dataclass(frozen=True)
class CallStatusChanged:
    """Progress of a call leg. Events may arrive twice or out of order: order them by `sequence`."""

    call_sid: str
    status: str
    sequence: int | None
    duration: int | None
    answered_by: str | None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_CALL_STATUSES


@dataclass(frozen=True)
class CallEnded:
    """A call leg is over. `cause` is its final status (completed, busy, no-answer, failed, canceled)."""

    call_sid: str
    duration: int
    cause: str


@dataclass(frozen=True)
class MessageReceived:
    """A text message as it arrived (SMS or WhatsApp). The numbers are in clear here, in memory only, for
    this request. ``num_segments`` is what the provider billed, when it said."""

    message_sid: str
    sender: str
    recipient: str
    body: str
    channel: Channel
    num_media: int = 0
    num_segments: int | None = None
    button_payload: str | None = None  # a WhatsApp quick reply's id (``ButtonPayload``), when one was tapped


@dataclass(frozen=True)
class MessageStatusChanged:
    message_sid: str
    status: str
    error_code: int | None
