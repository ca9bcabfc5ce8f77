"""After a call, the listener's wrap-up end is scheduled at once (not left to the tick)."""

from __future__ import annotations

from rq import Queue
from rq.registry import ScheduledJobRegistry

from schemas.tables import Proficiency
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
