"""Redis loses the live state (FLUSHALL, or a restart with no data): how soon is a new call routed again?

A caller is at the language menu when the data goes; they then press their language's key. The seconds
counted run from the loss to the moment a listener who speaks the caller's language is rung (the offer's
call reaches their phone): the live state rebuilt from the database (``routing.engine.recovery``) and a
routing decision carried out, by the real web and worker processes. Goal: within 5 s.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass

from sqlmodel import Session, select

from bench.fault_rig import Rig
from bench.many_processes import HELPLINE, listener_number
from bench.outage import wait_until
from routing.engine.live import LiveState

GOAL_SECONDS = 5.0


@dataclass
class Rerouted:
    fault: str
    rebuilt_after: float
    rung_after: float
    speaks_language: bool

    @property
    def met(self) -> bool:
        return self.speaks_language and self.rung_after <= GOAL_SECONDS

    def line(self) -> str:
        return (
            f"{self.fault:<22} live state rebuilt after {self.rebuilt_after:4.2f} s, a Hindi listener rung "
            f"after {self.rung_after:4.2f} s (speaks the caller's language: {self.speaks_language})  "
            f"goal within {GOAL_SECONDS:.0f} s: {'met' if self.met else 'NOT MET'}"
        )


def lose_state(rig: Rig, fault: str) -> None:
    if fault == "flush":
        rig.services.redis.flushall()
        return
    rig.redis.kill()
    shutil.rmtree(rig.folder / "appendonlydir", ignore_errors=True)
    rig.redis.start()


def measure_rerouting(rig: Rig, fault: str, listeners: int) -> Rerouted:
    sim, live = rig.group.sim, LiveState(rig.services.redis)
    wait_until(live.is_built, 30, "the live state built before the fault")
    sim.add_number(
        HELPLINE, voice_url="/twilio/voice/incoming", voice_fallback_url="/twilio/voice/fallback",
        status_callback="/twilio/voice/call-status",
    )  # fmt: skip
    phones = [sim.phone(listener_number(index), f"listener {index}") for index in range(listeners)]
    caller = sim.phone("+919800099999", "caller")
    caller.call(HELPLINE)
    sim.run_until(lambda: bool(caller.speech))  # the menu is playing
    lose_state(rig, fault)
    lost = time.monotonic()
    caller.press("1")  # Hindi
    rebuilt: list[float] = []

    def rung() -> bool:
        if not rebuilt and _is_built(live):
            rebuilt.append(time.monotonic() - lost)
        return any(phone.calls for phone in phones)

    sim.run_until(rung, within=600)
    rung_after = time.monotonic() - lost
    if not rebuilt:
        rebuilt.append(rung_after)
    speaks = _offered_to_hindi_speaker(rig)
    caller.hang_up()
    sim.run_until(lambda: all(call.is_over for call in caller.calls), within=600)
    return Rerouted(fault, rebuilt[0], rung_after, speaks)


def _is_built(live: LiveState) -> bool:
    try:
        return live.is_built()
    except Exception:  # Redis restarting: not yet
        return False


def _offered_to_hindi_speaker(rig: Rig) -> bool:
    from schemas.tables import ListenerLanguage, VoiceOffer

    with Session(rig.services.engine) as session:
        offers = session.exec(select(VoiceOffer)).all()
        speakers = set(
            session.exec(select(ListenerLanguage.listener_id).where(ListenerLanguage.code == "hi"))
        )
    return bool(offers) and all(offer.listener_id in speakers for offer in offers)
