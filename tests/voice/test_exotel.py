"""A helpline on an ExoPhone, end to end: the simulated Exotel runs the association's flow (Passthru, Gather,
Greeting, Connect, StatusCallback) against the real service over HTTP; Samvaad's jobs run in-process on
the simulated clock; callbacks go through the fake Exotel call API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from app.services import Services
from locales import messages
from schemas.tables import (
    Association,
    Callback,
    CallbackStatus,
    Contact,
    ContactStatus,
    Proficiency,
    WebhookEffect,
)
from tests.voice.conftest import words
from tests.voice.exotel_helpline import EXOPHONE, ExotelHelpline, exotel_helpline

NATIVE = Proficiency.native
CALLER = "+919800000001"


@pytest.fixture
def exotel(app_services: Services, live_app: tuple[str, Any]) -> Iterator[ExotelHelpline]:
    base_url, _ = live_app
    with exotel_helpline(app_services, base_url) as helpline:
        yield helpline


def contacts(services: Services) -> list[Contact]:
    with Session(services.engine) as session:
        return list(session.exec(select(Contact)).all())


def test_a_tamil_caller_talks_with_a_tamil_listener(exotel: ExotelHelpline) -> None:
    listener = exotel.listener("Meena", {"ta": NATIVE})
    exotel.listener("Arjun", {"hi": NATIVE})
    caller = exotel.sim.phone(CALLER, "caller")
    caller.respond("3", press="3")  # Tamil is 3 on the menu

    call = exotel.sim.call(caller, EXOPHONE)

    assert call.outcome == "talked", (call.path, exotel.sim.errors)
    assert caller.bridged_with == ["Meena"]
    assert listener.caller_ids_seen == [EXOPHONE]  # the ExoPhone, never the caller's number
    assert CALLER not in listener.seen_text() and CALLER[3:] not in listener.seen_text()
    assert listener.has_heard(words(messages.CONTINUE_IN_LANGUAGE, "en", names={"language": "ta"}))
    assert caller.has_heard(words(messages.PLEASE_STAY, "ta"))
    assert [c.status for c in contacts(exotel.services)] == [ContactStatus.ended]  # the status callback
    assert exotel.listener_state("Meena") == "wrapup"
    assert exotel.sim.errors == []


def test_all_busy_books_a_callback_placed_through_exotels_call_api(exotel: ExotelHelpline) -> None:
    listener = exotel.listener("Meena", {"ta": NATIVE}, answer_after=None)  # does not pick up
    caller = exotel.sim.phone(CALLER, "caller")
    caller.respond("3", press="3")

    call = exotel.sim.call(caller, EXOPHONE)

    assert call.outcome == "callback", (call.path, exotel.sim.errors)
    assert call.path[-3:] == ["connect", "unanswered", "greeting"]
    assert caller.has_heard(words(messages.CALLBACK_CONFIRMED_VOICE, "ta", names={"language": "ta"}))
    with Session(exotel.services.engine) as session:
        booked = session.exec(select(Callback)).one()
        assert booked.number_encrypted is not None and CALLER.encode() not in booked.number_encrypted

    listener.answer_after = 2.0  # back at the phone: the next offer is the callback, listener first
    exotel.sim.advance(60)

    placed = [r for r in exotel.sim.rest.requests if r.path.endswith("/Calls/connect.json")]
    assert len(placed) == 1, exotel.sim.rest.requests
    assert placed[0].form["From"] == listener.number and placed[0].form["To"] == CALLER
    assert placed[0].form["CallerId"] == EXOPHONE
    exotel.sim.advance(130)
    assert caller.bridged_with == ["Meena"]
    with Session(exotel.services.engine) as session:
        done = session.exec(select(Callback)).one()
        assert done.status == CallbackStatus.connected and done.number_encrypted is None


def test_a_caller_in_danger_reaches_the_crisis_line_when_no_doctor_answers(exotel: ExotelHelpline) -> None:
    crisis_line = exotel.sim.phone("+9114416", "Tele-MANAS")
    exotel.services.settings = exotel.services.settings.model_copy(update={"crisis_line": crisis_line.number})
    caller = exotel.sim.phone(CALLER, "caller")
    caller.respond(".", press="0")

    call = exotel.sim.call(caller, EXOPHONE)

    assert call.outcome == "transfer", (call.path, exotel.sim.errors)
    assert caller.bridged_with == ["Tele-MANAS"]
    assert call.path[-3:] == ["connect", "unanswered", "transfer"]


def test_status_callback_delivered_twice_ends_the_call_once(exotel: ExotelHelpline) -> None:
    exotel.listener("Meena", {"ta": NATIVE})
    caller = exotel.sim.phone(CALLER, "caller")
    caller.respond("3", press="3")
    exotel.sim.duplicate_status_callbacks = True

    exotel.sim.call(caller, EXOPHONE)

    statuses = [r for r in exotel.sim.requests if r[0] == "status"]
    assert len(statuses) == 2
    with Session(exotel.services.engine) as session:
        effects = session.exec(select(WebhookEffect).where(WebhookEffect.effect == "ended")).all()
        assert len(effects) == 1
    assert [c.status for c in contacts(exotel.services)] == [ContactStatus.ended]


def test_a_connect_fetched_twice_reserves_one_listener(exotel: ExotelHelpline, live_app: Any) -> None:
    exotel.listener("Meena", {"ta": NATIVE})
    exotel.listener("Kavya", {"ta": NATIVE})
    base_url, _ = live_app
    query = {"CallSid": "exo-retry", "CallFrom": "09800000001", "CallTo": "04023000100"}
    path = exotel.sim.local(exotel.urls["connect_listener"])
    with httpx.Client(base_url=base_url) as http:
        menu = exotel.sim.local(exotel.urls["passthru_menu"])
        assert http.get(menu, params={**query, "digits": '"3"'}).status_code == 200
        first = http.get(path, params=query).json()
        again = http.get(path, params=query).json()
    assert first["destination"]["numbers"] == again["destination"]["numbers"] != []
    assert first["outgoing_phone_number"] == EXOPHONE
    states = sorted(exotel.listener_state(name) for name in ("Meena", "Kavya"))
    assert states == ["available", "busy"]


def test_forged_or_malformed_requests(exotel: ExotelHelpline, live_app: Any) -> None:
    base_url, _ = live_app
    query = {"CallSid": "exo-forged", "CallFrom": "09800000001", "CallTo": "04023000100"}
    with httpx.Client(base_url=base_url) as http:
        forged = http.get("/exotel/not-the-token/voice/menu", params={**query, "digits": '"1"'})
        assert forged.status_code == 403
        incoming = exotel.sim.local(exotel.urls["passthru_incoming"])
        assert http.get(incoming, params={"CallTo": "04023000100"}).status_code == 302  # no CallSid
        connect = exotel.sim.local(exotel.urls["connect_listener"])
        nobody = http.get(connect, params={"CallSid": "x\x00"})
        assert nobody.status_code == 200 and nobody.json()["destination"]["numbers"] == []
        status = exotel.sim.local(exotel.urls["status_callback"])
        assert http.post(status, data={"Status": "completed"}).status_code == 200
    assert contacts(exotel.services) == []


def _crisis_caller(exotel: ExotelHelpline) -> Any:
    crisis_line = exotel.sim.phone("+9114416", "Tele-MANAS")
    exotel.services.settings = exotel.services.settings.model_copy(update={"crisis_line": crisis_line.number})
    caller = exotel.sim.phone(CALLER, "caller")
    caller.respond(".", press="0")
    return caller


def _acknowledged(seconds: int) -> str:
    return words(
        messages.CRISIS_ACKNOWLEDGED, "hi", crisis_line="+9114416", emergency_number="112", seconds=seconds
    )


def test_a_caller_in_danger_hears_the_wait_exotel_gives_them(exotel: ExotelHelpline) -> None:
    """One listener rung for their ring time (90 s here, under the 120 s limit), then the crisis line: the
    acknowledgement names that wait, not the queue's limit a Twilio caller gets."""
    exotel.listener("Meena", {"hi": NATIVE}, answer_after=None)
    caller = _crisis_caller(exotel)
    limit = exotel.services.settings.crisis_max_wait_seconds
    assert limit > 90

    call = exotel.sim.call(caller, EXOPHONE)

    assert call.outcome == "transfer", (call.path, exotel.sim.errors)
    assert caller.has_heard(_acknowledged(90)), caller.heard
    assert not caller.has_heard(_acknowledged(limit))


def test_a_caller_in_danger_waits_no_longer_than_the_associations_crisis_limit(
    exotel: ExotelHelpline,
) -> None:
    """The association's limit (45 s) is shorter than the ring time (90 s): the listener rings 45 s only, so
    one who would answer after 60 s is not put through; the caller reaches the crisis line, as told."""
    association = exotel.session.get(Association, exotel.association_id)
    assert association is not None
    association.crisis_max_wait_seconds = 45
    exotel.session.commit()
    exotel.services.helplines.clear()
    meena = exotel.listener("Meena", {"hi": NATIVE}, answer_after=60)
    caller = _crisis_caller(exotel)

    call = exotel.sim.call(caller, EXOPHONE)

    assert call.outcome == "transfer", (call.path, exotel.sim.errors)
    assert caller.bridged_with == ["Tele-MANAS"] and meena.bridged_with == []
    assert caller.has_heard(_acknowledged(45)), caller.heard
