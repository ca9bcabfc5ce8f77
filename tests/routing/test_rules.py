"""Who may be offered what: languages and proficiency steps, exclusions, eligibility, shifts, text capacity."""

from __future__ import annotations

from datetime import date

from routing import engine
from routing.engine.selection import Exclusion
from schemas.tables import Channel, Priority, Proficiency
from tests.routing.conftest import Helpline

N, F, C = Proficiency.native, Proficiency.fluent, Proficiency.conversational


def test_a_freed_multilingual_listener_takes_the_hardest_language_first(helpline: Helpline) -> None:
    # English has three free speakers for two waiting callers; Marathi has none for its one caller.
    for name in ("E1", "E2", "E3"):
        helpline.listener(name, {"en": N})
    helpline.sync()
    english_first = helpline.call("en")
    helpline.call("en")
    helpline.at(1)
    marathi = helpline.call("mr")
    # occupy the English speakers so both English callers still wait
    for name in ("E4", "E5"):
        helpline.listener(name, {"hi": N})
    helpline.sync()
    offers = helpline.dispatch()
    assert {o.language for o in offers} == {"en"} and len(offers) == 2
    bilingual = helpline.listener("Both", {"en": F, "mr": N}, on_shift=False)
    helpline.sync()
    offer = engine.listener_freed(helpline.session, helpline.live, bilingual, helpline.now, on_shift=True)
    # the commonest language (English, arrived first) loses to the one nobody else can serve
    assert offer is not None and offer.contact_id == marathi
    assert english_first not in {offer.contact_id}


def test_steps_widen_with_the_wait_and_never_earlier(helpline: Helpline) -> None:
    helpline.policy(
        "mr",
        [
            {"kind": "listeners", "languages": ["mr"], "min_proficiency": "fluent", "seconds": 120},
            {"kind": "listeners", "languages": ["mr", "hi"], "min_proficiency": "fluent", "seconds": 180},
            {"kind": "callback"},
        ],
    )
    hindi = helpline.listener("Hindi", {"hi": N})
    weak = helpline.listener("Weak Marathi", {"mr": C})
    helpline.sync()
    contact = helpline.call("mr")
    assert helpline.dispatch() == []  # step 1: Marathi, fluent or better: nobody
    helpline.at(119)
    assert helpline.dispatch() == []
    helpline.at(1)
    [offer] = helpline.dispatch()  # step 2 admits Hindi speakers
    assert (offer.contact_id, offer.listener_id, offer.step) == (contact, hindi, 1)
    assert helpline.state(weak) == "available"  # conversational Marathi is never admitted by this policy


def test_exclusions_in_both_directions(helpline: Helpline) -> None:
    colleague = helpline.listener("Same hospital", {"ta": N}, institution="AIIMS Madurai")
    helpline.at(1)
    neighbour = helpline.listener("Same city", {"ta": N}, city="Madurai")
    helpline.at(1)
    declines = helpline.listener("Declines", {"ta": N}, declined=("AIIMS Madurai",))
    helpline.at(1)
    stranger = helpline.listener("Stranger", {"ta": N}, institution="CMC Vellore", city="Vellore")
    helpline.sync()
    contact = helpline.call("ta", exclusion=Exclusion(institution="aiims madurai", city="Madurai"))
    [offer] = helpline.dispatch()
    assert (offer.contact_id, offer.listener_id) == (contact, stranger)
    # and a freed excluded listener is never offered that contact either
    engine.decline_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1))
    for excluded in (colleague, neighbour, declines):
        assert helpline.state(excluded) == "available"
        assert engine.listener_freed(helpline.session, helpline.live, excluded, helpline.now) is None


def test_unverified_or_lapsed_listeners_are_never_offered(helpline: Helpline) -> None:
    unverified = helpline.listener("Unverified", {"ta": N}, verified=False)
    lapsed = helpline.listener("Lapsed", {"ta": N}, trained_until=date(2026, 11, 24))
    helpline.sync()
    helpline.call("ta")
    assert helpline.dispatch() == []
    for listener in (unverified, lapsed):
        assert helpline.live.listener(listener).pools == ()
        assert engine.listener_freed(helpline.session, helpline.live, listener, helpline.now) is None
    helpline.at(3600)  # past every step: still never offered
    assert helpline.dispatch() == []


def test_shift_end_stops_new_offers_but_the_call_finishes(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", {"ta": N})  # on shift until 17:00 local = 11:30 UTC
    helpline.sync()
    first = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1)).ok
    helpline.at(5.5 * 3600)  # 17:00:01 local: shift over, call still going
    engine.tick(helpline.session, helpline.live, helpline.now)
    assert helpline.state(listener) == "busy"
    helpline.call("ta")
    ended = engine.end_contact(helpline.session, helpline.live, first, helpline.at(60))
    assert ended.next_offer is None
    helpline.at(3600)
    report = engine.tick(helpline.session, helpline.live, helpline.now)
    assert report.offers == () and helpline.state(listener) == "offline"


def test_a_listener_in_a_text_conversation_is_offered_a_call_by_default(helpline: Helpline) -> None:
    listener = helpline.listener("Anbu", {"ta": N}, capacity=2)
    helpline.sync()
    text = helpline.call("ta", channel=Channel.sms)
    [offer] = helpline.dispatch()
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1)).ok
    call = helpline.call("ta")
    [offer] = helpline.dispatch()
    assert (offer.contact_id, offer.listener_id, offer.kind) == (call, listener, "voice")  # the text waits
    assert helpline.live.contact(text).state == "connected"


def test_text_conversations_share_capacity_while_texts_block_calls(helpline: Helpline) -> None:
    helpline.settings(text_blocks_calls=True)
    listener = helpline.listener("Anbu", {"ta": N}, capacity=2)
    helpline.sync()
    texts = []
    for _ in range(3):
        texts.append(helpline.call("ta", channel=Channel.sms))
        helpline.at(1)
    call = helpline.call("ta")
    accepted = []
    for _ in range(3):
        offers = helpline.dispatch()
        for offer in offers:
            assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(1)).ok
            accepted.append(offer.contact_id)
    assert accepted == texts[:2]  # capacity 2; the call waits: no call while texting
    live = helpline.live.listener(listener)
    assert live is not None and (live.state, live.texts) == ("available", 2)
    engine.end_contact(helpline.session, helpline.live, texts[0], helpline.at(60))
    engine.end_contact(helpline.session, helpline.live, texts[1], helpline.at(60))
    # both conversations over: the next contact is the one waiting longest, the third text
    assert helpline.live.listener(listener).state == "offered"
    assert helpline.live.contact(texts[2]).state == "offered"
    assert helpline.live.contact(call).state == "waiting"


def test_a_freed_listener_takes_a_crisis_caller_before_a_harder_language(helpline: Helpline) -> None:
    helpline.listener("Tamil", {"ta": N})
    helpline.sync()
    helpline.call("mr")  # nobody free speaks Marathi: the hardest language
    helpline.at(1)
    crisis = helpline.call("ta", priority=Priority.crisis)
    helpline.dispatch()  # the Tamil listener takes the crisis call...
    helpline.at(1)
    crisis_two = helpline.call("ta", priority=Priority.crisis)
    bilingual = helpline.listener("Both", {"ta": F, "mr": N}, on_shift=False)
    helpline.sync()
    offer = engine.listener_freed(helpline.session, helpline.live, bilingual, helpline.now, on_shift=True)
    assert offer is not None and offer.contact_id == crisis_two != crisis
