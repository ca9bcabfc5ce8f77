"""What can interrupt a call leg wherever it is waiting. Thrown into the leg's generator by the scheduler."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telephony.simulator.model import Bridge


class CallSignal(Exception):
    pass


class HungUp(CallSignal):
    """The leg is over: someone hung up, TwiML said <Hangup/>, or the REST API ended it."""

    def __init__(self, status: str = "completed", by: str = "caller") -> None:
        super().__init__(f"{status} by {by}")
        self.status = status
        self.by = by


class Redirected(CallSignal):
    """The REST API sent the call to new TwiML (a call update, or a queue member dequeued)."""

    def __init__(self, url: str, method: str = "POST", from_queue: bool = False) -> None:
        super().__init__(url)
        self.url = url
        self.method = method
        self.from_queue = from_queue


class Dequeued(CallSignal):
    """A <Dial><Queue> picked this queued call; `url` (maybe None) runs on it before the bridge."""

    def __init__(self, bridge: Bridge, url: str | None, method: str) -> None:
        super().__init__(url or "")
        self.bridge = bridge
        self.url = url
        self.method = method


class BridgeEnded(CallSignal):
    """The other party of this leg's bridge left."""


class LeftQueue(CallSignal):
    """<Leave/> in waitUrl TwiML."""


class ApplicationError(CallSignal):
    """TwiML could not be fetched or run, and no fallback saved the call."""
