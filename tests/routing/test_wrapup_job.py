"""A listener whose wrap-up ends on its own is offered the next caller at that moment, by a job RQ's scheduler
runs when the wrap-up ends, not up to a tick later; the job is harmless when run twice, late, or against a
later wrap-up."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from rq import Queue
from rq.job import Job

from app.services import Services
from routing import engine
from routing.clock import SteppedClock
from schemas.tables import Proficiency
from tests.routing.conftest import Helpline
from workers.routing_jobs import schedule_wrapup_end
from workers.runner import ThreadWorker
from workers.scope import QUEUE_NAME, install

TA = {"ta": Proficiency.native}


def _talk(helpline: Helpline, listener: int, seconds: float) -> engine.Ended:
    """A caller is offered to ``listener``, connected, and hangs up after ``seconds``."""
    helpline.call("ta")
    [offer] = helpline.dispatch()
    assert offer.listener_id == listener
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.now).ok
    return engine.end_contact(helpline.session, helpline.live, offer.contact_id, helpline.at(seconds))


def _run_scheduled(services: Services, queue: Queue, clock: SteppedClock, job_id: str) -> None:
    """What RQ's scheduler does when the time comes (move the job onto its queue), then a worker runs it
    with Samvaad's clock at ``clock``."""
    job = Job.fetch(job_id, connection=services.redis)
    queue.scheduled_job_registry.remove(job)
    queue.enqueue_job(job)
    install(dataclasses.replace(services, clock=clock))
    ThreadWorker([queue], connection=services.redis).work(burst=True)


def test_the_next_caller_is_offered_when_the_wrap_up_ends(helpline: Helpline, services: Services) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    ended = _talk(helpline, listener, 120)  # wrap-up: 30 s + 0.25 x 120 s = 60 s
    assert ended.wrap_until == helpline.now + timedelta(seconds=60)
    waiting = helpline.call("ta")
    assert helpline.dispatch() == []  # the only Tamil speaker is in wrap-up
    queue = Queue(QUEUE_NAME, connection=services.redis)
    schedule_wrapup_end(queue, ended)
    [job_id] = queue.scheduled_job_registry.get_job_ids()
    assert queue.scheduled_job_registry.get_scheduled_time(job_id) == ended.wrap_until

    _run_scheduled(services, queue, SteppedClock(ended.wrap_until), job_id)
    live = helpline.live.contact(waiting)
    assert live is not None and (live.state, live.listener_id) == ("offered", listener)

    _run_scheduled(services, queue, SteppedClock(ended.wrap_until + timedelta(seconds=1)), job_id)
    assert helpline.state(listener) == "offered"  # the second run did not offer them anything else
    assert helpline.live.contact(waiting).offer_id == live.offer_id  # type: ignore[union-attr]


def test_a_late_job_does_not_cut_a_later_wrap_up_short(helpline: Helpline, services: Services) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    first = _talk(helpline, listener, 40)  # wrap-up 40 s
    assert first.wrap_until is not None
    helpline.now = first.wrap_until
    engine.tick(helpline.session, helpline.live, helpline.now)  # the tick got there first
    second = _talk(helpline, listener, 400)  # wrap-up 130 s, until long after the first job's time
    assert second.wrap_until is not None
    queue = Queue(QUEUE_NAME, connection=services.redis)
    schedule_wrapup_end(queue, first)
    helpline.call("ta")
    _run_scheduled(services, queue, SteppedClock(helpline.now), queue.scheduled_job_registry.get_job_ids()[0])
    assert helpline.state(listener) == "wrapup"
    found = helpline.live.listener(listener)
    assert found is not None and found.wrap_until_us == engine.to_us(second.wrap_until)


def test_a_job_that_runs_early_leaves_the_listener_in_wrap_up(helpline: Helpline, services: Services) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    ended = _talk(helpline, listener, 120)
    assert ended.wrap_until is not None
    helpline.call("ta")
    queue = Queue(QUEUE_NAME, connection=services.redis)
    schedule_wrapup_end(queue, ended)
    early = SteppedClock(ended.wrap_until - timedelta(seconds=5))  # this worker's clock runs behind
    _run_scheduled(services, queue, early, queue.scheduled_job_registry.get_job_ids()[0])
    assert helpline.state(listener) == "wrapup"
