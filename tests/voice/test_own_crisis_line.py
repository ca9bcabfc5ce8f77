"""An association with its own crisis line: the caller hears that number and is put through to it."""

from __future__ import annotations

from locales import messages
from tests.voice.conftest import HELPLINE, VoiceHelpline, words

OWN_LINE = "1800-000-000"


def test_a_caller_in_danger_hears_and_is_dialled_to_the_associations_own_crisis_line(
    voice: VoiceHelpline,
) -> None:
    voice.services.settings = voice.services.settings.model_copy(update={"crisis_line": OWN_LINE})
    sim = voice.sim
    danger = voice.caller("in danger", "+919800000012")
    danger.respond(words(messages.DANGER_PRESS_ZERO, "hi", crisis_line=OWN_LINE), press="0")
    danger.call(HELPLINE)

    crisis = words(messages.CRISIS_TRANSFER, "hi", crisis_line=OWN_LINE, emergency_number="112")
    sim.run_until(lambda: danger.has_heard(crisis))

    assert OWN_LINE in crisis and not danger.has_heard("14416")
    answer = sim.requests_to("/twilio/voice/queue-exit")[-1].body
    assert "<Dial" in answer and f">{OWN_LINE}</Dial>" in answer and "14416" not in answer
