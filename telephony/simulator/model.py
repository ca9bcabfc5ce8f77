"""The simulator's state: our Twilio numbers, call legs, queues and bridges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telephony.simulator.scheduler import Process

if TYPE_CHECKING:
    from telephony.simulator.phones import Phone

API_VERSION = "2010-04-01"
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})
COUNTRY_PREFIXES = (("+91", "IN"), ("+1", "US"), ("+44", "GB"), ("+61", "AU"))


def country_of(address: str) -> str:
    number = address.removeprefix("whatsapp:")
    return next((country for prefix, country in COUNTRY_PREFIXES if number.startswith(prefix)), "")


@dataclass
class TwilioNumber:
    """A number on the simulated Twilio account, configured as in the console."""

    number: str
    voice_url: str | None = None
    voice_method: str = "POST"
    voice_fallback_url: str | None = None
    status_callback: str | None = None
    sms_url: str | None = None
    sms_method: str = "POST"
    sms_fallback_url: str | None = None


@dataclass
class SimCall:
    """One call leg, as Twilio's Call resource sees it."""

    sid: str
    account_sid: str
    direction: str  # inbound, outbound-api, outbound-dial
    from_: str
    to: str
    created_at: float
    phone: Phone | None  # the person on this leg: the caller for inbound, the callee otherwise
    process: Process
    parent: SimCall | None = None
    status: str = "queued"
    answered_at: float | None = None
    ended_at: float | None = None
    answered_by: str | None = None
    machine: bool = False  # an answering machine picked up: it hears everything and presses nothing
    status_callback: str | None = None
    status_callback_events: frozenset[str] = frozenset({"completed"})
    status_callback_method: str = "POST"
    fallback_url: str | None = None
    fallback_method: str = "POST"
    doc_url: str | None = None
    queue: SimQueue | None = None
    enqueued_at: float | None = None
    dequeued_at: float | None = None
    bridge: Bridge | None = None
    last_bridge: Bridge | None = None
    sequence: int = 0
    heard_since_gather: list[str] = field(default_factory=list)

    @property
    def is_over(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_in_queue(self) -> bool:
        return self.queue is not None

    @property
    def is_bridged(self) -> bool:
        return self.bridge is not None and self.bridge.is_connected

    def queue_wait(self, now: float) -> float:
        """Seconds spent in the current (or last) queue: until dequeued, else until now."""
        if self.enqueued_at is None:
            return 0.0
        return (self.dequeued_at if self.dequeued_at is not None else now) - self.enqueued_at

    def duration(self, now: float) -> int:
        if self.answered_at is None:
            return 0
        return int((self.ended_at if self.ended_at is not None else now) - self.answered_at)

    def params(self) -> list[tuple[str, str]]:
        """The parameters Twilio sends with every request about this call."""
        params = [
            ("AccountSid", self.account_sid),
            ("ApiVersion", API_VERSION),
            ("CallSid", self.sid),
            ("CallStatus", self.status),
            ("Direction", self.direction),
            ("From", self.from_),
            ("To", self.to),
            ("Caller", self.from_),
            ("Called", self.to),
            ("FromCity", ""),
            ("FromState", ""),
            ("FromZip", ""),
            ("FromCountry", country_of(self.from_)),
            ("ToCity", ""),
            ("ToState", ""),
            ("ToZip", ""),
            ("ToCountry", country_of(self.to)),
        ]
        if self.parent is not None:
            params.append(("ParentCallSid", self.parent.sid))
        if self.answered_by is not None:
            params.append(("AnsweredBy", self.answered_by))
        return params


@dataclass
class SimQueue:
    sid: str
    name: str
    created_at: float
    max_size: int = 1000
    members: list[SimCall] = field(default_factory=list)
    waiting_dialers: list[Process] = field(default_factory=list)

    def position(self, call: SimCall) -> int:
        return self.members.index(call) + 1 if call in self.members else 0

    def remove(self, call: SimCall) -> bool:
        """Take `call` out; False if it had already gone (dequeued by someone else)."""
        if call not in self.members:
            return False
        self.members.remove(call)
        call.queue = None
        return True

    def average_wait(self, now: float) -> int:
        waits = [m.queue_wait(now) for m in self.members]
        return int(sum(waits) / len(waits)) if waits else 0

    def params(self, call: SimCall, now: float) -> list[tuple[str, str]]:
        """What Twilio adds to a waitUrl request."""
        return [
            ("QueuePosition", str(self.position(call))),
            ("QueueSid", self.sid),
            ("QueueTime", str(int(call.queue_wait(now)))),
            ("AvgQueueTime", str(self.average_wait(now))),
            ("CurrentQueueSize", str(len(self.members))),
            ("MaxQueueSize", str(self.max_size)),
        ]


@dataclass
class Bridge:
    """Two legs talking. `dialer` ran the <Dial>; `other` was dequeued or rang and answered."""

    dialer: SimCall
    other: SimCall
    created_at: float
    connected_at: float | None = None
    ended_at: float | None = None

    @property
    def is_connected(self) -> bool:
        return self.connected_at is not None and self.ended_at is None

    def party_of(self, call: SimCall) -> SimCall:
        return self.other if call is self.dialer else self.dialer
