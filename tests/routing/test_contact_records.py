"""A contact's status only moves forward (waiting -> offered -> connected -> ended; an unanswered offer goes
back to waiting), whatever order the writers' commits land in: a late dispatch never turns a connected caller
back into one being offered, so a rebuild never queues them again."""

from __future__ import annotations

from itertools import product

from sqlmodel import Session

from routing import engine
from routing.engine import records
from routing.engine.records import may_move
from schemas.tables import ContactStatus
from tests.routing.conftest import Helpline

S = ContactStatus


def test_the_transition_rules() -> None:
    forward = [S.waiting, S.offered, S.connected, S.ended]
    for i, j in product(range(len(forward)), repeat=2):
        if j > i:
            assert may_move(forward[i], forward[j]), (forward[i], forward[j])
    assert may_move(S.offered, S.waiting) and may_move(S.offered, S.callback)
    assert may_move(S.waiting, S.callback) and not may_move(S.callback, S.waiting)
    for later in (S.connected, S.ended, S.abandoned):
        for earlier in (S.waiting, S.callback, S.offered):
            assert not may_move(later, earlier), (later, earlier)
    assert not any(may_move(S.ended, to) or may_move(S.abandoned, to) for to in S)


def test_a_late_offer_does_not_undo_a_connection(helpline: Helpline) -> None:
    helpline.listener("Anbu")
    helpline.sync()
    contact_id = helpline.call("ta")
    with Session(helpline.services.engine, expire_on_commit=False) as late:
        stale = records.get_contact(late, contact_id)  # this writer read the contact while it waited
        assert stale.status == S.waiting
        [offer] = helpline.dispatch()
        assert helpline.step(
            engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1))
        ).ok
        assert not records.record_offer(late, contact_id, 99, "late-offer", 0)
        assert not records.record_back_in_queue(late, contact_id)
        late.commit()
    helpline.session.expire_all()
    row = records.get_contact(helpline.session, contact_id)
    assert (row.status, row.offer_id) == (S.connected, None)
    helpline.live.client.flushdb()
    engine.rebuild(helpline.session, helpline.live, helpline.now)
    assert helpline.live.contact(contact_id).state == "connected"
    assert helpline.live.waiting(helpline.association_id) == []


def test_only_the_offer_that_ended_puts_the_contact_back(helpline: Helpline) -> None:
    helpline.listener("Anbu")
    helpline.sync()
    contact_id = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert not records.record_back_in_queue(helpline.session, contact_id, "an-older-offer")
    assert records.get_contact(helpline.session, contact_id).status == S.offered
    assert records.record_back_in_queue(helpline.session, contact_id, offer.offer_id)
    assert records.get_contact(helpline.session, contact_id).status == S.waiting


def test_an_ended_contact_stays_ended(helpline: Helpline) -> None:
    helpline.listener("Anbu")
    helpline.sync()
    contact_id = helpline.call("ta")
    engine.cancel_contact(helpline.session, helpline.live, contact_id, helpline.at(1))
    assert not records.record_connected(helpline.session, contact_id, 1, helpline.now)
    engine.end_contact(helpline.session, helpline.live, contact_id, helpline.at(1))
    assert records.get_contact(helpline.session, contact_id).status == S.abandoned
