"""`InlineJobs`, the voice tests' and the demo's worker: jobs, delays, retries and the cron follow the
services' clock (the simulator's), never the real one, so nothing depends on the machine's speed."""

from __future__ import annotations

from datetime import timedelta

from rq import Retry

from app.services import Services
from routing.clock import SteppedClock
from tests.voice.conftest import START
from workers.runner import InlineJobs, job_queue
from workers.schedules import Schedule

RAN: list[str] = []


def note(label: str) -> None:
    RAN.append(label)


def fail_first_time(label: str) -> None:
    RAN.append(label)
    if RAN.count(label) == 1:
        raise RuntimeError("refused, like a provider answering 503")


def test_delayed_and_retried_jobs_run_when_their_delay_has_passed_on_the_clock(
    app_services: Services,
) -> None:
    RAN.clear()
    clock = SteppedClock(START)
    app_services.clock = clock
    jobs = InlineJobs(app_services, periodic=[])
    queue = job_queue(app_services.redis)
    queue.enqueue_in(timedelta(seconds=120), note, "delayed")
    queue.enqueue(fail_first_time, "retried", retry=Retry(max=1, interval=60))
    queue.enqueue(note, "at once")

    # RQ keeps due times in whole real seconds, and the real time a burst takes is not counted: hence the
    # margins. Nothing here waits for real time to pass.
    assert jobs() is True
    assert sorted(RAN) == ["at once", "retried"]  # the retry is now scheduled, a minute later
    clock.advance(45)
    jobs()
    assert sorted(RAN) == ["at once", "retried"]
    clock.advance(16)
    jobs()
    assert RAN.count("retried") == 2 and "delayed" not in RAN
    clock.advance(60)
    jobs()
    assert RAN.count("delayed") == 1
    assert jobs() is False  # nothing left to do


def test_the_cron_schedules_run_at_their_interval_on_the_clock(app_services: Services) -> None:
    RAN.clear()
    clock = SteppedClock(START)
    app_services.clock = clock
    jobs = InlineJobs(app_services, periodic=[Schedule(lambda: note("tick"), 2)])
    for _ in range(10):  # five simulated seconds, in half-second steps
        jobs()
        clock.advance(0.5)
    assert RAN == ["tick"] * 3  # at 0, 2 and 4 s
