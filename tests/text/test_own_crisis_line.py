"""An association with its own crisis line: the text replies name the number from the settings."""

from __future__ import annotations

from locales import messages
from routing.text.language import say
from tests.text.conftest import TextHelpline, bodies

OWN_LINE = "1800-000-000"


def test_a_crisis_message_is_answered_with_the_associations_own_crisis_line(helpline: TextHelpline) -> None:
    helpline.services.settings = helpline.services.settings.model_copy(update={"crisis_line": OWN_LINE})
    caller = helpline.caller()

    replies = helpline.text(caller, "main mar jaana chahta hoon")

    assert OWN_LINE in replies[0] and "14416" not in replies[0]
    assert replies[0] == say(
        "hi_Latn", messages.TEXT_CRISIS, crisis_line=OWN_LINE, emergency_number="112", seconds="120"
    )
    listener = helpline.listener("Asha", ("hi",))
    helpline.offer_waiting()
    intro = bodies(listener.inbox)[0]
    assert intro.startswith("Urgent") and OWN_LINE in intro and "14416" not in intro
