"""The simulated network's switchboard: call legs from creation to their end (status callbacks on the way),
the queues callers wait in, the bridges that join two legs, and the webhooks and sounds they cause. The
interpreter (``voice``, ``dialing``, ``queueing``) and the REST API drive it; ``Simulator`` is the one class
that uses it, and holds the state it works on (declared below).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telephony.simulator.clock import VirtualClock
from telephony.simulator.documents import Document, DocumentError
from telephony.simulator.ids import SidFactory
from telephony.simulator.model import Bridge, SimCall, SimQueue, TwilioNumber
from telephony.simulator.phones import BridgeRecord, Heard, Phone
from telephony.simulator.scheduler import Process, Scheduler, SimLock
from telephony.simulator.signals import BridgeEnded, HungUp, Redirected
from telephony.simulator.webhooks import WebhookDriver

STATUS_EVENTS = {"initiated": "initiated", "ringing": "ringing", "in-progress": "answered"}


@dataclass(frozen=True)
class SimError:
    """What Twilio's debugger would show: a failed webhook (code 11200, 12100...) or unsupported TwiML."""

    call_sid: str
    url: str
    code: int | None
    detail: str


class Switchboard:
    """Calls, queues and bridges of one simulated account (mixed into ``Simulator``)."""

    lock: SimLock
    clock: VirtualClock
    scheduler: Scheduler
    sids: SidFactory
    driver: WebhookDriver
    account_sid: str
    words_per_second: float
    numbers: dict[str, TwilioNumber]
    calls: list[SimCall]
    queues: dict[str, SimQueue]
    errors: list[SimError]

    if TYPE_CHECKING:

        def _on_crash(self, process: Process, exc: BaseException) -> None: ...

    # --- webhooks and sounds ---------------------------------------------------
    def absolute(self, url: str | None, base: str | None = None) -> str:
        return self.driver.absolute(url or "", base)

    def fetch(
        self, url: str, params: list[tuple[str, str]], method: str, allowed: frozenset[str]
    ) -> Document:
        with self.lock.released():
            return self.driver.fetch(url, params, method, allowed, at=self.clock.seconds)

    def notify(
        self, url: str, params: list[tuple[str, str]], method: str = "POST", call_sid: str = ""
    ) -> None:
        """A request whose answer Twilio ignores (status callbacks, superseded actions)."""
        with self.lock.released():
            record = self.driver.send(self.absolute(url), params, method, at=self.clock.seconds)
        if record.status is None or not 200 <= record.status < 300:
            self.errors.append(SimError(call_sid, record.url, 11200, record.error or f"HTTP {record.status}"))

    def record_error(self, call_sid: str, error: DocumentError) -> None:
        self.errors.append(SimError(call_sid, error.url, error.code, error.detail))

    def record_problem(self, call_sid: str, url: str, detail: str) -> None:
        self.errors.append(SimError(call_sid, url, None, detail))

    def say_seconds(self, text: str) -> float:
        return max(1.0, len(text.split()) / self.words_per_second)

    def hear(
        self, call: SimCall, kind: str, text: str, language: str | None = None, voice: str | None = None
    ) -> None:
        if kind == "say":
            call.heard_since_gather[:] = [*call.heard_since_gather[-20:], text]
        if call.phone is not None:
            heard = Heard(self.clock.seconds, kind, text, language, voice, call.sid, by_machine=call.machine)
            call.phone.hear(heard)

    def new_call(self, direction: str, from_: str, to: str, parent: SimCall | None = None) -> SimCall:
        sid = self.sids.new("CA")
        process = Process(self.scheduler, sid, self._on_crash)
        call = SimCall(sid, self.account_sid, direction, from_, to, self.clock.seconds, None, process, parent)
        with self.lock:
            self.calls.append(call)
        return call

    def mark_answered(self, call: SimCall) -> None:
        if call.answered_at is None:
            call.answered_at = self.clock.seconds
            self.set_status(call, "in-progress")

    def set_status(self, call: SimCall, status: str) -> None:
        call.status = status
        event = STATUS_EVENTS.get(status, "completed" if call.is_over else None)
        if not call.status_callback or event not in call.status_callback_events:
            return
        params = [
            *call.params(),
            ("CallbackSource", "call-progress-events"),
            ("SequenceNumber", str(call.sequence)),
            ("Timestamp", self.clock.rfc2822()),
        ]
        if call.is_over:
            params.append(("CallDuration", str(call.duration(self.clock.seconds))))
        call.sequence += 1
        self.notify(call.status_callback, params, call.status_callback_method, call.sid)

    def end_call(self, call: SimCall, status: str) -> None:
        if call.is_over:
            return
        call.ended_at = self.clock.seconds
        phone = call.phone
        if phone is not None:
            if call in phone.ringing:
                phone.ringing.remove(call)
            if phone.active is call:
                phone.active = None
                self.hear(call, "hangup", "")
        if call.queue is not None:
            self.leave_queue(call)
        if call.bridge is not None:
            self.end_bridge(call.bridge, ended_by=call)
        self.set_status(call, status)

    def hang_up(self, phone: Phone, after: float = 0.0) -> None:
        with self.lock:
            call = phone.active or next((c for c in reversed(phone.calls) if not c.is_over), None)
            if call is None:
                raise ValueError(f"{phone.name} is not on a call")
            self.hang_up_call(call, after, by="caller")

    def hang_up_call(
        self, call: SimCall, after: float = 0.0, by: str = "api", status: str = "completed"
    ) -> None:
        self.scheduler.call_later(after, lambda: call.process.interrupt(HungUp(status, by=by)))

    def redirect_call(self, call: SimCall, url: str, method: str = "POST") -> None:
        call.process.interrupt(Redirected(url, method))

    # --- queues -------------------------------------------------------------------------------------
    def get_or_create_queue(self, name: str, max_size: int = 1000) -> SimQueue:
        with self.lock:
            queue = self.queues.get(name)
            if queue is None:
                queue = SimQueue(self.sids.new("QU"), name, self.clock.seconds, max_size)
                self.queues[name] = queue
            return queue

    def join_queue(self, call: SimCall, queue: SimQueue) -> None:
        with self.lock:
            queue.members.append(call)
            call.queue = queue
            call.enqueued_at = self.clock.seconds
            call.dequeued_at = None
            for dialer in list(queue.waiting_dialers):
                dialer.wake("member")

    def leave_queue(self, call: SimCall) -> bool:
        with self.lock:
            queue = call.queue
            if queue is None or not queue.remove(call):
                return False
            call.dequeued_at = self.clock.seconds
            return True

    def dequeue_to_url(self, call: SimCall, url: str, method: str) -> None:
        """REST: take a member out of its queue and run `url` on it (its Enqueue action gets 'redirected')."""
        with self.lock:
            self.leave_queue(call)
            call.process.interrupt(Redirected(url, method, from_queue=True))

    # --- bridges ------------------------------------------------------------------------------------
    def connect(self, bridge: Bridge) -> None:
        bridge.connected_at = self.clock.seconds
        for call in (bridge.dialer, bridge.other):
            call.last_bridge = bridge
            other = bridge.party_of(call)
            if call.phone is not None:
                call.phone.bridges.append(BridgeRecord(other.phone, call.sid, self.clock.seconds))
            self.hear(call, "bridged", "")
        bridge.dialer.process.wake("connected")

    def fail_bridge(self, bridge: Bridge) -> None:
        bridge.ended_at = self.clock.seconds
        bridge.dialer.bridge = bridge.other.bridge = None
        bridge.dialer.process.wake("failed")

    def end_bridge(self, bridge: Bridge, ended_by: SimCall) -> None:
        if bridge.ended_at is not None:
            return
        bridge.ended_at = self.clock.seconds
        for call in (bridge.dialer, bridge.other):
            call.bridge = None
            if bridge.connected_at is None:
                continue
            if call.phone is not None and call.phone.bridges and call.phone.bridges[-1].ended_at is None:
                call.phone.bridges[-1].ended_at = self.clock.seconds
            self.hear(call, "unbridged", "")
        other = bridge.party_of(ended_by)
        if not other.is_over:
            other.process.interrupt(BridgeEnded())
