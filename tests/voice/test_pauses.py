"""An automatic pause (offers missed in a row) has a way back: a coordinator (or the listener) ends it, and
the listener's next shift starts without it; the coordinator finds both in the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlmodel import Session, select

from app.cli import make_api_key
from locales import messages
from routing import engine
from routing.engine.live import LiveState
from schemas.tables import Association, AuditEntry, Proficiency, Role, Shift
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

HI = {"hi": Proficiency.native}


def _key(voice: VoiceHelpline, role: Role) -> dict[str, str]:
    key = make_api_key(
        voice.services.engine, role=role, name=f"{role.value} desk", association_id=voice.association_id
    )
    return {"Authorization": f"Bearer {key}"}


def _availability_entries(voice: VoiceHelpline, listener: str) -> list[AuditEntry]:
    with Session(voice.services.engine) as session:
        return list(
            session.exec(
                select(AuditEntry).where(
                    AuditEntry.entity == "availability",
                    AuditEntry.entity_id == str(voice.listeners[listener]),
                )
            ).all()
        )


def test_a_coordinator_ends_an_automatic_pause_and_the_stranded_callback_is_made(
    voice: VoiceHelpline, live_app: tuple[str, Any]
) -> None:
    sim = voice.sim
    with Session(voice.services.engine) as session:
        association = session.get(Association, voice.association_id)
        assert association is not None
        association.ring_seconds = 20
        session.add(association)
        session.commit()
    asha = voice.listener("Asha", HI, prompt_language="hi", answer_after=None)  # away from the phone
    caller = voice.caller("caller", "+919800000051")
    caller.respond("ओड़िया", press="1")
    caller.respond(words(messages.HOLD_OPTIONS, "hi"), press="1")  # a callback, like the stranded one
    call = caller.call(HELPLINE)
    sim.run_until(lambda: call.is_over)
    sim.run_until(lambda: voice.listener_state("Asha") == "paused", within=600)

    [paused] = _availability_entries(voice, "Asha")
    assert paused.changes == {"paused": [False, True], "reason": "missed_offers"}
    base_url, _ = live_app
    with httpx.Client(base_url=base_url) as http:
        audit = http.get(
            f"/api/v1/associations/{voice.association_id}/audit", headers=_key(voice, Role.admin)
        )
        assert any(
            item["entity"] == "availability" for item in audit.json()["items"]
        )  # the coordinator sees it
        sim.advance(600)
        assert voice.listener_state("Asha") == "paused"  # nothing else ends it
        asha.answer_after = 2.0
        asha.respond(".", press="1")
        resumed = http.post(
            f"/api/v1/associations/{voice.association_id}/listeners/{voice.listeners['Asha']}/resume",
            headers=_key(voice, Role.coordinator),
        )
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["paused_reason"] == ""
    sim.run_until(lambda: caller.is_bridged)
    assert caller.bridged_with[-1] is asha
    assert len(_availability_entries(voice, "Asha")) == 2


def test_the_next_shift_starts_without_yesterdays_automatic_pause(voice: VoiceHelpline) -> None:
    sim = voice.sim
    voice.listener("Bala", HI, prompt_language="hi")
    listener_id = voice.listeners["Bala"]
    now = sim.clock.now()
    with Session(voice.services.engine) as session:
        shift = session.exec(select(Shift).where(Shift.listener_id == listener_id)).one()
        shift.starts_at = now + timedelta(minutes=5)  # the next shift starts in five minutes
        session.add(shift)
        session.commit()
        engine.pause_listener(
            session, LiveState(voice.services.redis), listener_id, now, reason="missed_offers"
        )
        session.commit()
    voice.sync()
    assert voice.listener_state("Bala") == "paused"

    sim.advance(4 * 60)
    assert voice.listener_state("Bala") == "paused"
    sim.advance(2 * 60)

    assert voice.listener_state("Bala") == "available"
    [resumed] = _availability_entries(voice, "Bala")
    assert resumed.changes == {"paused": [True, False], "reason": ""}
