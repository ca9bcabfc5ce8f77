"""The webhooks themselves: signatures, idempotency under repeated and reordered deliveries, valid TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from app.demo.helpline import ShiftTimes
from app.services import Services
from routing import engine, voice
from routing.clock import SteppedClock
from routing.engine.live import LiveState
from schemas.tables import (
    Contact,
    ContactStatus,
    Proficiency,
    VoiceCall,
    WebhookEffect,
)
from telephony.simulator import WebhookDriver
from tests.voice.conftest import BACKUP, HELPLINE, SHIFT_START, START, builder, make_association

CALLER = "+919800000031"
HI = {"hi": Proficiency.native}
ACCOUNT = "AC" + "0" * 32


@dataclass
class Hooks:
    services: Services
    driver: WebhookDriver
    http: httpx.Client
    association_id: int

    def post(self, path: str, **params: str) -> Any:
        return self.driver.send(self.services.settings.public_base_url + path, list(params.items()))

    def count(self, table: type[Any]) -> int:
        with Session(self.services.engine) as session:
            return len(session.exec(select(table)).all())


def call_params(call_sid: str, **extra: str) -> dict[str, str]:
    return {
        "CallSid": call_sid,
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": HELPLINE,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


@pytest.fixture
def hooks(app_services: Services, live_app: tuple[str, Any]) -> Iterator[Hooks]:
    base_url, _ = live_app
    app_services.clock = SteppedClock(START)
    with httpx.Client(base_url=base_url, timeout=30) as http, Session(app_services.engine) as session:
        association_id = make_association(session, app_services.vault)
        engine.rebuild(session, LiveState(app_services.redis), START)
        driver = WebhookDriver(
            http, app_services.settings.public_base_url, app_services.settings.twilio_auth_token or ""
        )
        yield Hooks(app_services, driver, http, association_id)


def add_listener(hooks: Hooks, name: str = "Asha") -> int:
    services = hooks.services
    with Session(services.engine) as session:
        shift = ShiftTimes(SHIFT_START, 480)
        number = "+919845099999"
        listener_id = builder(session, services.vault).listener(
            hooks.association_id, name, number, HI, [shift]
        )
        session.commit()
        engine.sync_roster(session, LiveState(services.redis), hooks.association_id, START)
        return listener_id


def test_an_unsigned_or_forged_request_gets_403_and_changes_nothing(hooks: Hooks) -> None:
    menu = "/twilio/voice/menu?kind=languages&attempt=1"
    params = call_params("CA" + "1" * 32, Digits="1")
    forged = WebhookDriver(hooks.http, hooks.services.settings.public_base_url, "not-the-token")
    assert forged.send(hooks.services.settings.public_base_url + menu, list(params.items())).status == 403
    internal = WebhookDriver(
        hooks.http, str(hooks.http.base_url), hooks.services.settings.twilio_auth_token or ""
    )
    assert (
        internal.send(str(hooks.http.base_url) + menu, list(params.items())).status == 403
    )  # behind a proxy
    assert hooks.http.post(menu, data=params).status_code == 403
    assert (hooks.count(Contact), hooks.count(VoiceCall), hooks.count(WebhookEffect)) == (0, 0, 0)
    assert hooks.post(menu, **params).status == 200  # the same request, properly signed, acts


def test_a_menu_choice_delivered_six_times_at_once_enqueues_one_contact(hooks: Hooks) -> None:
    params = call_params("CA" + "2" * 32, Digits="1")
    with ThreadPoolExecutor(6) as pool:
        answers = list(
            pool.map(lambda _: hooks.post("/twilio/voice/menu?kind=languages&attempt=1", **params), range(6))
        )
    assert {a.status for a in answers} == {200}
    assert len({a.body for a in answers}) == 1
    assert "<Enqueue" in answers[0].body
    assert hooks.count(Contact) == 1 and hooks.count(VoiceCall) == 1


def test_reordered_and_repeated_status_callbacks_miss_an_offer_once(hooks: Hooks) -> None:
    listener_id = add_listener(hooks)
    hooks.post("/twilio/voice/menu?kind=languages&attempt=1", **call_params("CA" + "3" * 32, Digits="1"))
    services = hooks.services
    with Session(services.engine, expire_on_commit=False) as session:
        contact = session.exec(select(Contact)).one()
        assert contact.status == ContactStatus.offered and contact.offer_id
        offer = voice.prepare_offer(session, contact.offer_id, START)
        assert offer is not None
        session.commit()
    listener_leg = {
        "CallSid": "CA" + "4" * 32,
        "AccountSid": ACCOUNT,
        "From": HELPLINE,
        "To": "+919845099999",
    }
    status = f"/twilio/voice/listener-status?offer={offer.offer_id}"
    deliveries = [
        ("no-answer", "3"),
        ("initiated", "0"),
        ("no-answer", "3"),
        ("ringing", "1"),
        ("no-answer", "3"),
    ]
    for call_status, sequence in deliveries:
        answer = hooks.post(status, **listener_leg, CallStatus=call_status, SequenceNumber=sequence)
        assert answer.status == 204
    live = LiveState(services.redis).listener(listener_id)
    assert live is not None and live.misses == 1
    with Session(services.engine) as session:
        assert session.exec(select(Contact)).one().status in (ContactStatus.waiting, ContactStatus.offered)


def verbs(answer: Any) -> list[str]:
    """The answer's verbs, each with what it acts on: where a Gather sends its input, which queue an Enqueue
    joins, whom a Dial rings."""
    root = ET.fromstring(answer.raw)
    assert root.tag == "Response"
    shown = []
    for verb in root:
        if verb.tag == "Gather":
            shown.append(f"Gather>{httpx.URL(verb.get('action', '')).path}")
        elif verb.tag in ("Enqueue", "Dial"):
            target = verb.findtext("Number") or verb.text or ""
            shown.append(f"{verb.tag}>{target.strip()}")
        else:
            shown.append(verb.tag)
    return shown


def test_every_answer_is_valid_twiml_and_says_what_its_handler_decided(hooks: Hooks) -> None:
    """Each answer holds its own handler's verbs, not the degraded apology every failure gives (which is
    valid TwiML too): a menu, the queue, the hold music's options, a hang-up, the backup line."""
    sid = "CA" + "5" * 32
    menu = ["Say", "Gather>/twilio/voice/menu"]
    apology = ["Say", "Say", "Say", "Dial>14416"]
    expected = [
        (hooks.post("/twilio/voice/incoming", **call_params(sid)), menu),
        (hooks.post("/twilio/voice/menu?kind=languages&attempt=1", **call_params(sid, Digits="")), menu),
        (
            hooks.post("/twilio/voice/menu?kind=languages&attempt=2", **call_params(sid, Digits="7")),
            ["Say", f"Enqueue>sv-{hooks.association_id}-hi"],
        ),
        (
            hooks.post(
                "/twilio/voice/wait",
                **call_params(sid, QueueSid="QU" + "1" * 32, QueuePosition="1", QueueTime="5"),
            ),
            ["Gather>/twilio/voice/wait-input"],
        ),
        (hooks.post("/twilio/voice/wait-input", **call_params(sid, Digits="5")), []),  # back to the music
        (hooks.post("/twilio/voice/queue-exit", **call_params(sid, QueueResult="hangup")), []),
        (hooks.post("/twilio/voice/whisper?offer=missing", **call_params("CA" + "6" * 32)), ["Hangup"]),
        (
            hooks.post("/twilio/voice/accept?offer=missing", **call_params("CA" + "6" * 32, Digits="1")),
            ["Hangup"],
        ),
        (
            hooks.post("/twilio/voice/fallback", **call_params(sid, ErrorCode="11200")),
            ["Say", "Say", "Say", f"Dial>{BACKUP}", "Say", "Dial>14416"],
        ),
        (hooks.post("/twilio/voice/incoming", **call_params(sid, To="+10000000000")), apology),  # not ours
        (hooks.post("/twilio/voice/menu", CallSid=sid, To=HELPLINE), menu),  # parameters missing
    ]
    for answer, holds in expected:
        assert answer.status == 200, answer.url
        assert answer.content_type.startswith("application/xml")
        assert verbs(answer) == holds, answer.url


def test_speech_names_a_language_where_twilio_recognises_speech(hooks: Hooks) -> None:
    sid = "CA" + "7" * 32
    menu = hooks.post("/twilio/voice/incoming", **call_params(sid))
    gather = ET.fromstring(menu.raw).find("Gather")
    assert gather is not None and gather.get("input") == "dtmf speech" and gather.get("language") == "hi-IN"
    chosen = hooks.post(
        "/twilio/voice/menu?kind=languages&attempt=1",
        **call_params(sid, SpeechResult="Tamil", Confidence="0.9"),
    )
    assert ET.fromstring(chosen.raw).findtext("Enqueue", "").endswith("-ta")


def test_an_oversized_body_is_refused_with_413_before_its_signature_is_checked(hooks: Hooks) -> None:
    """Twilio's bodies are a few kilobytes; a megabyte, declared or streamed in chunks, is never read whole."""
    params = call_params("CA" + "7" * 32, Digits="1")
    padding = {"Padding": "x" * 1_000_000}
    menu = "/twilio/voice/menu?kind=languages&attempt=1"

    assert hooks.http.post(menu, data={**params, **padding}).status_code == 413
    chunks = (b"Padding=" + b"x" * 65_536 for _ in range(16))
    assert hooks.http.post("/messaging/incoming", content=chunks).status_code == 413
    assert hooks.post(menu, **params, Padding="x" * 1000).status == 200  # signed and small: acts
