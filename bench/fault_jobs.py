"""A worker SIGKILLed while it relays texts: is every message relayed, once, within 2 minutes?

Texters open conversations (a listener takes each), then send ``total`` messages between them, each body
unique; the web process hands each relay to the workers (``relay-<message>`` jobs). A relay waits on the
provider's REST API (a few hundred milliseconds), and RQ's worker runs one job at a time, so the line runs
``WORKERS`` worker processes, as a production line with this much to send would. When a third have
reached the listeners' phones, one worker and its work horse are SIGKILLed (its job is left 'started'), and
a new worker started a second later, as a supervisor would. The figure: messages relayed (distinct bodies on
the listeners' phones), doubles (a body that arrived twice) and the seconds from the first message to the
last relay.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.fault_rig import Rig
from bench.many_processes import HINDI_TEXT, SMS_NUMBER, listener_number
from telephony.simulator import Phone
from telephony.simulator.core import SimulationTimeout

GOAL_SECONDS = 120.0
WORKERS = 4
KILL_AT = 1 / 3
RESTART_AFTER = 1.0
SENDERS = 4


@dataclass
class Relayed:
    total: int
    done: int
    doubles: int
    seconds: float
    killed: int

    @property
    def met(self) -> bool:
        return self.done == self.total and self.doubles == 0 and self.seconds <= GOAL_SECONDS

    def line(self) -> str:
        return (
            f"{'worker SIGKILL':<22} {self.total} relay jobs on {WORKERS} workers, one killed ({self.killed} processes) at "
            f"{KILL_AT:.0%} and restarted: done {self.done}/{self.total}, doubles {self.doubles}, "
            f"{self.seconds:5.1f} s  goal all once within {GOAL_SECONDS:.0f} s: "
            f"{'met' if self.met else 'NOT MET'}"
        )


def relay_counts(listeners: list[Phone], prefix: str) -> Counter[str]:
    return Counter(
        message.body.split(" ", 1)[1]
        for phone in listeners
        for message in phone.inbox
        if " " in message.body and message.body.split(" ", 1)[1].startswith(prefix)
    )


def open_conversations(rig: Rig, texters: list[Phone], listeners: list[Phone]) -> None:
    """Each texter's first message, taken by a listener and relayed."""
    sim = rig.group.sim
    with ThreadPoolExecutor(SENDERS) as pool:
        sent = [pool.submit(texter.send_message, SMS_NUMBER, HINDI_TEXT) for texter in texters]

        def all_taken() -> bool:
            relayed = sum(m.body.endswith(HINDI_TEXT) for phone in listeners for m in phone.inbox)
            return all(f.done() for f in sent) and relayed >= len(texters)

        sim.run_until(all_taken, within=24 * 3600)
        for future in sent:
            future.result()


def measure_worker_kill(rig: Rig, total: int, texters_count: int, listeners_count: int) -> Relayed:
    sim = rig.group.sim
    sim.add_number(SMS_NUMBER, sms_url="/messaging/incoming")
    listeners = [sim.phone(listener_number(i), f"listener {i}") for i in range(listeners_count)]
    texters = [sim.phone(f"+9197100{i:05d}", f"texter {i}") for i in range(texters_count)]
    open_conversations(rig, texters, listeners)
    bodies = [(texters[i % len(texters)], f"fault-{i:05d}") for i in range(total)]
    started = time.monotonic()
    killed: list[int] = []
    with ThreadPoolExecutor(SENDERS) as pool:
        sent = [pool.submit(texter.send_message, SMS_NUMBER, body) for texter, body in bodies]

        def progress() -> bool:
            done = len(relay_counts(listeners, "fault-"))
            if not killed and done >= total * KILL_AT:
                killed.append(rig.kill_workers(1))
                restart_at.append(time.monotonic() + RESTART_AFTER)
            if restart_at and time.monotonic() >= restart_at[0]:
                restart_at.clear()
                rig.start_worker("worker-restarted")
            return done >= total and all(f.done() for f in sent)

        restart_at: list[float] = []
        with contextlib.suppress(SimulationTimeout):  # not all done in three times the goal: NOT MET, below
            sim.run_until(progress, within=24 * 3600, timeout=GOAL_SECONDS * 3)
        for future in sent:
            future.result()
    seconds = time.monotonic() - started
    sim.advance(5)  # a late duplicate would show now
    counts = relay_counts(listeners, "fault-")
    doubles = sum(n - 1 for n in counts.values())
    return Relayed(total, len(counts), doubles, seconds, killed[0] if killed else 0)
