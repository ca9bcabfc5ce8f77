"""One transaction per webhook: what a voice webhook does stays only if its answer is the one the caller got.

A step that fails part-way leaves nothing behind (no contact without its call record), work that outlives its
deadline is rolled back instead of queueing a caller already sent elsewhere, and a failure outside the
deadline guard still answers TwiML.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from app.services import Services
from routing import engine
from routing.engine.live import LiveState
from routing.voice.helplines import HelplineCache, load_helpline
from schemas.tables import Contact, VoiceCall, WebhookEffect
from tests.voice.conftest import BACKUP, HELPLINE, START, make_association
from tests.voice.test_degraded import assert_degraded, closed_port, degraded_services, post  # noqa: F401
from tests.voice.test_webhooks import call_params

MENU = "/twilio/voice/menu?kind=languages&attempt=1"


def test_a_failed_menu_step_leaves_no_contact_to_hold_listeners_and_a_redelivery_queues_the_caller(
    services: Services,
    degraded_services: Callable[..., Services],  # noqa: F811 (the fixture)
) -> None:
    with Session(services.engine) as session:
        association_id = make_association(session, services.vault)
    broken = degraded_services(services.settings, redis_url=f"redis://127.0.0.1:{closed_port()}/0")
    broken.engine = services.engine
    broken.request_engine = services.engine
    params = call_params("CA" + "b" * 32, Digits="1")

    status, _, raw = post(broken, MENU, params)  # Redis refuses the queue right after the contact is written

    assert status == 200
    assert_degraded(raw, ("hi", "en", "ta"), (BACKUP,))
    live = LiveState(services.redis)
    with Session(services.engine) as session:
        assert session.exec(select(Contact)).all() == []
        engine.rebuild(session, live, START)
        session.commit()
    assert live.waiting(association_id) == []  # nobody restored to hold a listener without ever ringing

    healthy = dataclasses.replace(
        services,
        helplines=HelplineCache(),
        request_pool=ThreadPoolExecutor(4),
        request_engine=services.engine,
    )
    healthy.settings = services.settings.model_copy(update={"voice_deadline_ms": 5000})
    status, body, _ = post(healthy, MENU, params)  # Twilio's retry of the same webhook
    healthy.request_pool.shutdown(wait=True)

    assert status == 200 and "<Enqueue" in body
    with Session(services.engine) as session:
        [contact] = session.exec(select(Contact)).all()
        [call] = session.exec(select(VoiceCall)).all()
        assert call.contact_id == contact.id
    assert [c.contact_id for c in live.waiting(association_id)] == [contact.id]


def test_a_menu_step_past_its_deadline_does_not_queue_the_caller_it_sent_elsewhere(
    services: Services,
) -> None:
    with Session(services.engine) as session:
        association_id = make_association(session, services.vault)
        config = load_helpline(session, HELPLINE)
    late = dataclasses.replace(
        services,
        settings=services.settings.model_copy(update={"voice_deadline_ms": 250}),
        helplines=HelplineCache(),
        request_pool=ThreadPoolExecutor(4),
        request_engine=services.engine,  # no statement timeout: the step waits as long as the lock is held
    )
    late.helplines.put(HELPLINE, config)
    call_sid = "CA" + "c" * 32
    with Session(services.engine) as holder:  # another writer holds the row the step must write first
        holder.add(WebhookEffect(call_sid=call_sid, effect="enqueue", key="", at=START))
        holder.flush()
        status, _, raw = post(late, MENU, call_params(call_sid, Digits="1"))
        holder.rollback()
    late.request_pool.shutdown(wait=True)  # the late step has finished, one way or the other

    assert status == 200
    assert_degraded(raw, ("hi", "en", "ta"), (BACKUP,))  # told: another helpline, then the crisis line
    with Session(services.engine) as session:
        assert session.exec(select(Contact)).all() == []
        assert session.exec(select(WebhookEffect)).all() == []
    assert LiveState(services.redis).waiting(association_id) == []


def test_a_failure_outside_the_deadline_guard_still_answers_twiml(services: Services) -> None:
    with Session(services.engine) as session:
        make_association(session, services.vault)
        config = load_helpline(session, HELPLINE)
    stopped = ThreadPoolExecutor(2)
    stopped.shutdown()  # a process shutting down: handing the work to its threads fails before any deadline
    broken = dataclasses.replace(
        services, helplines=HelplineCache(), request_pool=stopped, request_engine=services.engine
    )
    broken.helplines.put(HELPLINE, config)

    for path, sid in (("/twilio/voice/incoming", "d"), ("/twilio/voice/fallback", "e")):
        status, _, raw = post(broken, path, call_params("CA" + sid * 32, ErrorCode="11200"))
        assert status == 200
        root = ET.fromstring(raw)  # TwiML: an apology, then the crisis line
        assert list(root.iter("Say")) and [d.text for d in root.iter("Dial")][-1] == "14416"

    listener_leg = {**call_params("CA" + "f" * 32), "From": HELPLINE, "Direction": "outbound-api"}
    status, _, raw = post(broken, "/twilio/voice/whisper?offer=x", listener_leg)
    assert status == 200
    assert [child.tag for child in ET.fromstring(raw)] == ["Hangup"]
