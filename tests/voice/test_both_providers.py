"""The same scenarios on Twilio and on Exotel, each in its simulator against the real service: a caller
reaches a listener who speaks their language and neither sees the other's number; a caller in danger whom
no doctor answers reaches the crisis line; a request not from the provider is refused and changes nothing.

What differs between the providers is how a step is carried (a queue and a whisper with "press 1" on
Twilio; Exotel's Connect applet, which rings the listener Samvaad names), not what the caller gets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import pytest
from sqlmodel import Session, select

from app.services import Services
from schemas.tables import Contact, ContactStatus, Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline
from tests.voice.exotel_helpline import EXOPHONE, ExotelHelpline, exotel_helpline

NATIVE = Proficiency.native
CALLER = "+919800000001"
TAMIL_KEY = "3"


class Seen(Protocol):
    """What a phone's user perceived, on either simulator."""

    number: str

    @property
    def caller_ids_seen(self) -> list[str]: ...

    def seen_text(self) -> str: ...


@dataclass
class Run:
    """One provider's helpline, with the scenario's verbs."""

    provider: str
    services: Services
    helpline: str
    twilio: VoiceHelpline | None = None
    exotel: ExotelHelpline | None = None

    def listener(self, name: str, language: str) -> Seen:
        if self.twilio is not None:
            phone = self.twilio.listener(name, {language: NATIVE})
            phone.respond(".", press="1", once=False)  # takes the call in the whisper
            return phone
        assert self.exotel is not None
        return self.exotel.listener(name, {language: NATIVE})

    def crisis_line(self) -> Seen:
        number = self.services.settings.crisis_line
        if self.twilio is not None:
            return self.twilio.sim.phone(number, "Tele-MANAS")
        assert self.exotel is not None
        return self.exotel.sim.phone(number, "Tele-MANAS")

    def call(self, key: str, *, talk: float = 120, wait: float = 0) -> tuple[Seen, list[str]]:
        """The caller presses ``key`` in the menu, talks ``talk`` seconds once put through (or waits
        ``wait`` seconds for it); returns the caller and the names of whom they were bridged with."""
        if self.twilio is not None:
            sim = self.twilio.sim
            caller = self.twilio.caller("caller", CALLER)
            caller.press(key)
            call = caller.call(HELPLINE)
            sim.run_until(lambda: caller.is_bridged, within=max(wait, 600))
            caller.hang_up(after=talk)
            sim.run_until(lambda: call.is_over)
            return caller, [phone.name for phone in caller.bridged_with if phone is not None]
        assert self.exotel is not None
        handset = self.exotel.sim.phone(CALLER, "caller", talk_for=talk)
        handset.respond(".", press=key)
        self.exotel.sim.call(handset, EXOPHONE)
        return handset, list(handset.bridged_with)

    def forged_request(self, base_url: str) -> int:
        form = {"CallSid": "CA" + "f" * 32, "From": CALLER, "To": self.helpline, "Digits": "0"}
        with httpx.Client(base_url=base_url) as http:
            if self.twilio is not None:
                return http.post("/twilio/voice/menu", data=form).status_code  # unsigned
            return http.get("/exotel/forged-token/voice/menu", params=form).status_code

    def contacts(self) -> list[Contact]:
        with Session(self.services.engine) as session:
            return list(session.exec(select(Contact)).all())


@pytest.fixture(params=["twilio", "exotel"])
def run(request: pytest.FixtureRequest, app_services: Services, live_app: tuple[str, Any]) -> Iterator[Run]:
    if request.param == "twilio":
        voice: VoiceHelpline = request.getfixturevalue("voice")
        yield Run("twilio", app_services, HELPLINE, twilio=voice)
        voice.sim.assert_no_errors()
        return
    with exotel_helpline(app_services, live_app[0]) as helpline:
        yield Run("exotel", app_services, EXOPHONE, exotel=helpline)
        assert helpline.sim.errors == []


def test_a_caller_reaches_a_listener_of_their_language_and_no_one_sees_a_number(run: Run) -> None:
    meena = run.listener("Meena", "ta")
    run.listener("Arjun", "hi")

    _caller, bridged = run.call(TAMIL_KEY)

    assert bridged == ["Meena"]
    assert meena.caller_ids_seen == [run.helpline]
    assert CALLER not in meena.seen_text() and CALLER[3:] not in meena.seen_text()
    assert [c.status for c in run.contacts()] == [ContactStatus.ended]


def test_a_caller_in_danger_whom_no_doctor_answers_reaches_the_crisis_line(run: Run) -> None:
    run.crisis_line()

    _caller, bridged = run.call("0", talk=60, wait=run.services.settings.crisis_max_wait_seconds + 60)

    assert bridged == ["Tele-MANAS"]


def test_a_request_not_from_the_provider_is_refused_and_changes_nothing(run: Run, live_app: Any) -> None:
    assert run.forged_request(live_app[0]) == 403
    assert run.contacts() == []
