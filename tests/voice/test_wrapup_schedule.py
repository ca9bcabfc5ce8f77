"""After a call, the listener's wrap-up end is scheduled at once (not left to the tick), and a voice offer
holds its listener for the ring time plus the whisper."""

from __future__ import annotations

from rq import Queue
from rq.registry import ScheduledJobRegistry
from sqlmodel import Session, select

from routing.offers import WHISPER_SECONDS
from schemas.tables import Contact, Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline
from workers.scope import QUEUE_NAME

HI = {"hi": Proficiency.native}


def test_a_call_ends_and_the_end_of_the_listeners_wrap_up_is_scheduled(voice: VoiceHelpline) -> None:
    sim = voice.sim
    asha = voice.listener("Asha", HI)
    caller = voice.caller("caller", "+919800000041")
    caller.respond("ओड़िया", press="1")
    asha.respond(".", press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: caller.is_bridged, timeout=30)
    listener_id = voice.listeners["Asha"]

    caller.hang_up(after=60)
    sim.run_until(lambda: call.is_over and not asha.is_on_call, timeout=20)
    sim.run_until(lambda: voice.listener_state("Asha") == "wrapup", timeout=10)

    queue = Queue(QUEUE_NAME, connection=voice.services.redis)
    scheduled = ScheduledJobRegistry(queue=queue).get_job_ids()
    assert [job for job in scheduled if job.startswith(f"wrapup-{listener_id}-")]
    sim.assert_no_errors()


def test_a_voice_offer_lasts_the_ring_time_and_the_whisper(voice: VoiceHelpline) -> None:
    sim = voice.sim
    asha = voice.listener("Asha", HI, answer_after=None)  # never answers: the offer stays open
    caller = voice.caller("caller", "+919800000042")
    caller.respond("ओड़िया", press="1")
    caller.call(HELPLINE)
    sim.run_until(lambda: any(h.kind == "ring" for h in asha.transcript), timeout=30)
    ringing_since = voice.services.clock.now().timestamp()

    with Session(voice.services.engine) as session:
        [contact] = [c for c in session.exec(select(Contact)).all() if c.offer_deadline_us]
        offered_us = contact.offer_deadline_us
    assert offered_us is not None
    # 90 s of ring time (the association's) and the whisper after it
    assert offered_us / 1_000_000 - ringing_since > 90 + WHISPER_SECONDS - 5
