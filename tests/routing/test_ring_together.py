"""A caller in danger is offered to several listeners at once: the first to accept takes the contact, the
others' offers are taken back, and each listener is only ever reserved once (issue 11)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from routing import engine
from schemas.tables import Association, Contact, ContactStatus, Priority, Proficiency, RingOffer
from tests.routing.conftest import Helpline

TA = {"ta": Proficiency.native}


def _listeners(helpline: Helpline, n: int) -> list[int]:
    ids = []
    for i in range(n):
        ids.append(helpline.listener(f"L{i}", TA))
        helpline.at(1)
    helpline.sync()
    return ids


def test_a_crisis_contact_rings_three_listeners_and_the_first_accept_takes_it(helpline: Helpline) -> None:
    ids = _listeners(helpline, 4)
    normal = helpline.call("ta")
    crisis = helpline.call("ta", priority=Priority.crisis)

    offers = helpline.dispatch()

    ringing = [o for o in offers if o.contact_id == crisis]
    assert [o.listener_id for o in ringing] == ids[:3]  # the three idle longest, together
    assert [o.listener_id for o in offers if o.contact_id == normal] == [ids[3]]
    won = helpline.step(
        engine.accept_offer(helpline.session, helpline.live, ringing[1].offer_id, helpline.now)
    )
    assert won.ok and sorted(won.taken) == sorted([ringing[0].offer_id, ringing[2].offer_id])
    assert [helpline.state(i) for i in ids] == ["available", "busy", "available", "offered"]
    late = helpline.step(
        engine.accept_offer(helpline.session, helpline.live, ringing[0].offer_id, helpline.now)
    )
    assert (late.ok, late.reason) == (False, "taken")
    row = helpline.session.get(Contact, crisis)
    assert row is not None and (row.status, row.listener_id) == (ContactStatus.connected, ids[1])
    assert helpline.session.exec(select(RingOffer)).all() == []


def test_the_association_sets_how_many_ring_together(helpline: Helpline) -> None:
    ids = _listeners(helpline, 3)
    association = helpline.session.get(Association, helpline.association_id)
    assert association is not None
    association.crisis_ring_together = 1
    helpline.session.commit()
    crisis = helpline.call("ta", priority=Priority.crisis)

    assert [(o.contact_id, o.listener_id) for o in helpline.dispatch()] == [(crisis, ids[0])]


def test_a_ringing_offer_declined_leaves_the_others_ringing_and_the_last_puts_the_caller_back(
    helpline: Helpline,
) -> None:
    _listeners(helpline, 2)
    crisis = helpline.call("ta", priority=Priority.crisis)
    first, second = helpline.dispatch()

    helpline.step(engine.decline_offer(helpline.session, helpline.live, first.offer_id, helpline.now))
    row = helpline.session.get(Contact, crisis)
    assert row is not None
    helpline.session.refresh(row)
    assert (row.status, row.offer_id, row.listener_id) == (
        ContactStatus.offered,
        second.offer_id,
        second.listener_id,
    )
    helpline.step(engine.decline_offer(helpline.session, helpline.live, second.offer_id, helpline.now))
    helpline.session.refresh(row)
    assert row.status == ContactStatus.waiting
    live = helpline.live.contact(crisis)
    assert live is not None and live.state == "waiting"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    listeners=st.integers(min_value=1, max_value=6),
    together=st.integers(min_value=1, max_value=4),
    callers=st.lists(st.sampled_from(["crisis", "normal"]), min_size=1, max_size=4),
    answers=st.lists(
        st.tuples(st.integers(0, 20), st.sampled_from(["accept", "decline", "miss"])), max_size=12
    ),
)
def test_one_accepted_offer_per_contact_and_no_listener_in_two_calls(
    helpline: Helpline, listeners: int, together: int, callers: list[str], answers: list[tuple[int, str]]
) -> None:
    """Through the services, with the database: whatever listeners answer, in any order, each contact is
    connected at most once, no listener holds two offers or calls, and at most ``together`` ring at once."""
    helpline.live.client.flushdb()
    helpline.session.rollback()
    for table in (RingOffer, Contact):
        for row in helpline.session.exec(select(table)).all():
            helpline.session.delete(row)
    association = helpline.session.get(Association, helpline.association_id)
    assert association is not None
    association.crisis_ring_together = together
    helpline.session.commit()
    if not helpline.session.exec(select(Contact)).first() and len(_roster(helpline)) < listeners:
        _listeners_up_to(helpline, listeners)
    helpline.sync()
    for priority in callers:
        helpline.call("ta", priority=Priority(priority))
    offers = helpline.dispatch()
    connected: dict[str, int] = {}
    for pick, action in answers:
        if not offers:
            break
        offer = offers[pick % len(offers)]
        if action == "accept":
            result = helpline.step(
                engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.now)
            )
            if result.ok:
                connected[offer.contact_id] = connected.get(offer.contact_id, 0) + 1
            offers = [*offers, *result.offers]
        else:
            move = engine.decline_offer if action == "decline" else engine.miss_offer
            offers = [
                *offers,
                *helpline.step(move(helpline.session, helpline.live, offer.offer_id, helpline.now)),
            ]
        _check(helpline, together)
    assert all(n == 1 for n in connected.values()), connected


def _roster(helpline: Helpline) -> list[int]:
    return sorted(helpline.live.listeners(helpline.association_id))


def _listeners_up_to(helpline: Helpline, n: int) -> None:
    for i in range(len(_roster(helpline)), n):
        helpline.listener(f"P{i}", TA)


def _check(helpline: Helpline, together: int) -> None:
    holders: dict[int, int] = {}
    per_contact: dict[str, int] = {}
    for raw in helpline.live.client.zrange("sv:deadlines", 0, -1):
        offer = helpline.live.offer(raw.decode())
        assert offer is not None
        holders[offer.listener_id] = holders.get(offer.listener_id, 0) + 1
        per_contact[offer.contact_id] = per_contact.get(offer.contact_id, 0) + 1
    for listener_id, live in helpline.live.listeners(helpline.association_id).items():
        if live.state == "busy":
            holders[listener_id] = holders.get(listener_id, 0) + 1
    assert all(n == 1 for n in holders.values()), holders
    assert all(n <= together for n in per_contact.values()), per_contact
