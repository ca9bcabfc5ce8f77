"""The life of a contact through routing's services, against the real database and Redis."""

from __future__ import annotations

from routing import engine
from routing.engine.offers import WHISPER_SECONDS
from schemas.tables import Association, Contact, ContactStatus, ListenerPresence, Priority, Proficiency
from tests.routing.conftest import Helpline

TA = {"ta": Proficiency.native}


def test_a_caller_is_offered_to_the_listener_idle_longest(helpline: Helpline) -> None:
    first = helpline.listener("Anbu", TA)
    helpline.at(5)
    second = helpline.listener("Bala", TA)
    helpline.sync()
    helpline.at(60)
    contact = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert (offer.contact_id, offer.listener_id, offer.step) == (contact, first, 0)
    assert helpline.state(first) == "offered"
    assert helpline.state(second) == "available"


def test_a_listener_is_never_offered_two_contacts(helpline: Helpline) -> None:
    only = helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.call("ta")
    helpline.call("ta")
    offers = helpline.dispatch()
    assert [o.listener_id for o in offers] == [only]
    assert helpline.dispatch() == []


def test_accepting_connects_and_a_late_accept_is_told_why(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.call("ta")
    [offer] = helpline.dispatch()
    accepted = engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(3))
    assert accepted.ok and helpline.state(listener) == "busy"
    again = engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1))
    assert (again.ok, again.reason) == (False, "accepted")


def test_an_unanswered_offer_expires_and_the_caller_keeps_their_place(helpline: Helpline) -> None:
    slow = helpline.listener("Anbu", TA)
    helpline.at(1)
    other = helpline.listener("Bala", TA)
    helpline.sync()
    first = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert offer.listener_id == slow
    helpline.at(15)
    second = helpline.call("ta")
    assert [(o.contact_id, o.listener_id) for o in helpline.dispatch()] == [(second, other)]
    helpline.at(
        6 + WHISPER_SECONDS
    )  # the first offer's 20 s ring time and whisper are over; not the second's
    later = helpline.call("ta")
    late = engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.now)
    assert (late.ok, late.reason) == (False, "expired")
    # the first caller is offered again at once, ahead of the caller who arrived meanwhile
    assert [(o.contact_id, o.listener_id) for o in late.offers] == [(first, slow)]
    assert helpline.session.get(Contact, first).status == ContactStatus.offered
    assert helpline.session.get(Contact, later).status == ContactStatus.waiting


def test_crisis_goes_first_then_first_come_first_served(helpline: Helpline) -> None:
    normal_early = helpline.call("ta")
    helpline.at(1)
    normal_late = helpline.call("ta")
    helpline.at(1)
    crisis = helpline.call("ta", priority=Priority.crisis)
    listeners = [helpline.listener(name, TA) for name in ("A", "B", "C")]
    association = helpline.session.get(Association, helpline.association_id)
    assert association is not None
    association.crisis_ring_together = 1  # the order here, not ringing together (test_ring_together.py)
    helpline.sync()
    offers = helpline.dispatch()
    assert [o.contact_id for o in offers] == [crisis, normal_early, normal_late]
    assert [o.listener_id for o in offers] == listeners  # equally idle: lowest id first, all different


def test_freed_listener_gets_the_next_contact_in_one_call(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    first = helpline.call("ta")
    [offer] = helpline.dispatch()
    engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(2))
    waiting = helpline.call("ta")
    assert helpline.dispatch() == []  # the only listener is busy
    ended = engine.end_contact(helpline.session, helpline.live, first, helpline.at(300))
    assert ended.listener_state == "wrapup"
    assert (
        engine.listener_freed(helpline.session, helpline.live, listener, helpline.at(10)) is None
    )  # still in wrap-up
    helpline.at(200)
    report = engine.tick(helpline.session, helpline.live, helpline.now)
    assert [(o.contact_id, o.listener_id) for o in report.offers] == [(waiting, listener)]


def test_wrapup_grows_with_the_call_and_is_capped(helpline: Helpline) -> None:
    helpline.settings(wrapup_base_seconds=30, wrapup_factor=0.5, wrapup_max_seconds=300)
    listener = helpline.listener("Anbu", TA)
    helpline.sync()

    def wrapup_after(call_seconds: int) -> float:
        contact = helpline.call("ta")
        [offer] = helpline.dispatch()
        start = helpline.at(1)
        engine.accept_offer(helpline.session, helpline.live, offer.offer_id, start)
        engine.end_contact(helpline.session, helpline.live, contact, helpline.at(call_seconds))
        live = helpline.live.listener(listener)
        assert live is not None and live.state == "wrapup"
        wrap = (live.wrap_until_us - engine.to_us(helpline.now)) / 1e6
        helpline.at(wrap)
        engine.tick(helpline.session, helpline.live, helpline.now)
        assert helpline.state(listener) == "available"
        return wrap

    assert [wrapup_after(s) for s in (60, 240, 3600)] == [60.0, 150.0, 300.0]


def test_three_missed_offers_pause_the_listener_until_they_are_back(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.call("ta")
    [offer] = helpline.dispatch()
    for _ in range(2):
        # each miss puts the caller back in their place and offers them again at once
        [offer] = engine.miss_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(10))
        assert offer.listener_id == listener
    helpline.at(21 + WHISPER_SECONDS)
    report = engine.tick(helpline.session, helpline.live, helpline.now)  # expiry counts as a miss
    assert report.expired == 1 and report.offers == ()
    assert helpline.state(listener) == "paused"
    presence = helpline.session.get(ListenerPresence, listener)
    assert presence is not None and presence.paused and presence.paused_reason == "missed_offers"
    offer = engine.set_available(helpline.session, helpline.live, listener, helpline.at(5))
    assert offer is not None and offer.listener_id == listener
    assert helpline.live.listener(listener).misses == 0
