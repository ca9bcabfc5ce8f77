"""The WhatsApp quick-reply template of shift reminders and invitations, as Twilio's Content API creates it
(``twilio/quick-reply``, https://www.twilio.com/docs/content/twilio-quick-reply): one per locale, because
WhatsApp approves a template in one language and its buttons' words are fixed in it, so a Hindi reminder
under English buttons is what one template for everyone would give. The words come from the catalogs; the
buttons' ids are the payloads ``locales/replies/buttons.json`` reads back. `samvaad reminder-templates`
prints them for an operator to create, and the simulator registers the same definitions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from locales import messages, supported_locales, translator_for
from locales.dates import short_moment
from locales.language_names import spoken_name
from locales.replies import button_answers

TITLES = {"YES": messages.BUTTON_CONFIRM, "NO": messages.BUTTON_CANT_COME}
SAMPLE_START = datetime(2026, 12, 3, 3, 30, tzinfo=UTC)  # WhatsApp asks for a sample of {{1}}


def reminder_template(locale: str) -> dict[str, Any]:
    """The Content API's create request for one locale; ``{{1}}`` takes the reminder or invitation."""
    translate = translator_for(locale).gettext
    body = translate(messages.ROSTER_TEMPLATE_BODY) % {"message": "{{1}}"}
    actions = [
        {"title": translate(TITLES[answer]), "id": button} for button, answer in button_answers().items()
    ]
    return {
        "friendly_name": f"samvaad_roster_{locale.lower()}",
        "language": locale.split("_")[0],
        "variables": {"1": translate(messages.SHIFT_REMINDER) % sample(locale)},
        "types": {"twilio/quick-reply": {"body": body, "actions": actions}, "twilio/text": {"body": body}},
    }


def sample(locale: str) -> dict[str, str]:
    """A reminder's values in the locale's words, as the reader would get them."""
    return {
        "when": short_moment(SAMPLE_START, "Asia/Kolkata", locale),
        "languages": ", ".join(spoken_name(code, locale) for code in ("hi", "en")),
    }


def reminder_templates() -> dict[str, dict[str, Any]]:
    return {locale: reminder_template(locale) for locale in supported_locales()}
