"""Several web processes dispatch at once: one may claim a contact another process has queued in Redis but not
committed yet. The database does not show that contact to it; the contact must keep its place (its own step
commits a moment later), not be taken for one whose call is over. A contact that stays unknown to the
database long after it arrived (its step died before committing) is taken out of the queue."""

from __future__ import annotations

from datetime import timedelta

from routing.engine.live import new_id, to_us
from routing.engine.offers import UNCOMMITTED_GRACE_SECONDS
from schemas.tables import Proficiency
from tests.routing.conftest import Helpline

TA = {"ta": Proficiency.native}


def queue_in_redis_only(helpline: Helpline, arrived_seconds_ago: float) -> str:
    """A contact as another process's step leaves it before its commit: queued in Redis, no row visible."""
    contact_id = new_id()
    arrival = helpline.now - timedelta(seconds=arrived_seconds_ago)
    helpline.live.enqueue(contact_id, helpline.association_id, "voice", "ta", "normal", to_us(arrival))
    return contact_id


def test_a_contact_whose_step_has_not_committed_keeps_its_place(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    pending = queue_in_redis_only(helpline, arrived_seconds_ago=1)

    assert helpline.dispatch() == []

    assert [c.contact_id for c in helpline.live.waiting(helpline.association_id)] == [pending]
    assert helpline.state(listener) == "available"


def test_the_contact_is_offered_once_its_step_has_committed(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.dispatch()
    committed = helpline.call("ta")  # queued and committed: the row the other process was about to write

    [offer] = helpline.dispatch()

    assert (offer.contact_id, offer.listener_id) == (committed, listener)


def test_a_contact_the_database_never_got_leaves_the_queue(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    queue_in_redis_only(helpline, arrived_seconds_ago=UNCOMMITTED_GRACE_SECONDS + 1)

    assert helpline.dispatch() == []

    assert helpline.live.waiting(helpline.association_id) == []
    assert helpline.state(listener) == "available"
