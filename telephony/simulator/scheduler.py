"""Discrete-event scheduling of call legs.

Each call leg is a generator (a `Process`) that yields `Wait`s; the scheduler resumes it when the wait times
out (in virtual time), when something wakes it (a keypress, an answer) or throws an interrupt into it
(hang-up, redirect, dequeue). Only the thread running the scheduler steps generators. Other threads (the fake
REST API serving Samvaad's workers, the test) only schedule events, under the simulator lock.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from telephony.simulator.clock import VirtualClock

URGENT = 0  # interrupts and wake-ups run before timers due at the same instant
TIMER = 1


@dataclass(frozen=True)
class Wait:
    """Suspend a call leg: for `seconds` (None: until woken or interrupted); `listen` for keypresses."""

    seconds: float | None
    listen: bool = False


TIMED_OUT = "timed-out"

Leg = Generator[Wait, Any, Any]


@dataclass(order=True)
class _Event:
    at: float
    priority: int
    seq: int
    action: Callable[[], None] = field(compare=False)


class SimLock:
    """A re-entrant lock the scheduler can drop entirely while it waits on Samvaad's HTTP answer."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.condition = threading.Condition(self._lock)
        self._depth = 0

    def __enter__(self) -> SimLock:
        self._lock.acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        self._lock.release()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Let other threads (the REST API) in while this thread blocks on HTTP."""
        depth = self._depth
        for _ in range(depth):
            self._depth -= 1
            self._lock.release()
        try:
            yield
        finally:
            for _ in range(depth):
                self._lock.acquire()
                self._depth += 1


class Scheduler:
    def __init__(self, clock: VirtualClock, lock: SimLock) -> None:
        self.clock = clock
        self.lock = lock
        self._events: list[_Event] = []
        self._seq = itertools.count()

    def call_later(self, delay: float, action: Callable[[], None], priority: int = TIMER) -> None:
        with self.lock:
            at = self.clock.seconds + max(0.0, delay)
            heapq.heappush(self._events, _Event(at, priority, next(self._seq), action))
            self.lock.condition.notify_all()

    def call_soon(self, action: Callable[[], None]) -> None:
        self.call_later(0.0, action, URGENT)

    def next_time(self) -> float | None:
        with self.lock:
            return self._events[0].at if self._events else None

    def pop(self, until: float | None) -> _Event | None:
        """The next event due no later than `until` (virtual seconds), moving the clock to it."""
        with self.lock:
            if not self._events or (until is not None and self._events[0].at > until):
                return None
            event = heapq.heappop(self._events)
            self.clock.move_to(event.at)
            return event

    def wait_for_news(self, seconds: float) -> None:
        """Block (real time) until another thread schedules something, or `seconds` pass."""
        with self.lock:
            self.lock.condition.wait(seconds)


class Process:
    """One call leg's generator, stepped by the scheduler."""

    def __init__(self, scheduler: Scheduler, name: str, on_crash: Callable[[Process, BaseException], None]):
        self.scheduler = scheduler
        self.name = name
        self.done = False
        self.waiting: Wait | None = None
        self._generator: Leg | None = None
        self._token = 0
        self._on_crash = on_crash

    def start(self, generator: Leg, delay: float = 0.0) -> None:
        self._generator = generator
        self.scheduler.call_later(delay, lambda: self._advance(None, None), URGENT)

    @property
    def is_listening(self) -> bool:
        return self.waiting is not None and self.waiting.listen

    def wake(self, value: Any) -> None:
        """Resume the current wait early with `value` (ignored if the leg has moved on by then)."""
        token = self._token
        self.scheduler.call_soon(lambda: self._advance(value, None) if token == self._token else None)

    def interrupt(self, signal: BaseException) -> None:
        """Throw `signal` into the leg at whatever wait it is in when the event runs."""
        self.scheduler.call_soon(lambda: self._advance(None, signal))

    def _advance(self, value: Any, signal: BaseException | None) -> None:
        if self.done or self._generator is None:
            return
        self._token += 1
        self.waiting = None
        try:
            wait = self._generator.send(value) if signal is None else self._generator.throw(signal)
        except StopIteration:
            self.done = True
            return
        except BaseException as exc:
            self.done = True
            self._on_crash(self, exc)
            return
        self._suspend(wait)

    def _suspend(self, wait: Wait) -> None:
        self.waiting = wait
        if wait.seconds is not None:
            token = self._token
            self.scheduler.call_later(
                wait.seconds, lambda: self._advance(TIMED_OUT, None) if token == self._token else None
            )


def real_deadline(seconds: float) -> float:
    return time.monotonic() + seconds
