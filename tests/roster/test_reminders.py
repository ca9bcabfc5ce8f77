"""Shift reminders: 24 hours and 1 hour before each occurrence, in the listener's language, from the helpline
number; WhatsApp with the quick-reply template by default, SMS for a listener abroad who prefers it."""

from __future__ import annotations

from datetime import timedelta

from schemas.tables import Channel, RosterNotice
from tests.roster.conftest import TOMORROW, Roster, roster_messages
from tests.text.conftest import SMS_NUMBER, WHATSAPP_NUMBER

HOUR = timedelta(hours=1)


def test_reminders_go_24_hours_and_1_hour_before_in_the_listeners_language_on_whatsapp(
    roster: Roster,
) -> None:
    phone, _ = roster.listener("Meena", ("ta",), prompt_language="ta")
    roster.settle()
    assert roster_messages(phone) == []  # six hours before the 24-hour reminder: nothing yet

    roster.jump(TOMORROW - 24 * HOUR - timedelta(minutes=5))
    assert roster_messages(phone) == []
    roster.run_until(TOMORROW - 24 * HOUR + timedelta(minutes=1))
    [first] = roster_messages(phone)
    assert first.from_ == "whatsapp:" + WHATSAPP_NUMBER and first.to == "whatsapp:" + phone.number
    assert first.content_sid == roster.templates["ta"]
    assert [b.title for b in first.buttons] == ["உறுதிசெய்", "வர இயலாது"]  # Confirm, Can't come
    assert first.body.startswith("சம்வாத் பணிப்பட்டியல்: நினைவூட்டல்")
    assert "17:30" in first.body and "தமிழ்" in first.body and "YES" in first.body

    roster.jump(TOMORROW - HOUR - timedelta(minutes=5))
    roster.run_until(TOMORROW - HOUR + timedelta(minutes=1))
    assert len(roster_messages(phone)) == 2
    roster.run_until(TOMORROW + HOUR)
    assert len(roster_messages(phone)) == 2  # nothing once the shift began
    assert [e.changes["hours"] for e in roster.audit("remind")] == [24, 1]


def test_a_tick_that_runs_twice_sends_each_reminder_once(roster: Roster) -> None:
    from workers.roster_jobs import plan_roster_work, send_shift_reminder

    phone, _ = roster.listener("Ravi", ("hi",))
    roster.jump(TOMORROW - 24 * HOUR)
    for _ in range(3):
        plan_roster_work()
    roster.settle()
    [notice] = roster.line.rows(RosterNotice, kind="reminder")
    assert notice.shift_id is not None and notice.starts_at_epoch is not None
    send_shift_reminder(notice.shift_id, notice.starts_at_epoch, 24)  # a worker running the job again
    roster.settle()
    assert len(roster_messages(phone)) == 1


def test_a_listener_abroad_who_prefers_sms_is_reminded_by_sms_and_one_in_india_on_whatsapp(
    roster: Roster,
) -> None:
    abroad, _ = roster.listener("Sam", ("en",), country="+44", channel=Channel.sms)
    at_home, _ = roster.listener("Asha", ("en",), channel=Channel.sms)
    roster.jump(TOMORROW - 24 * HOUR)
    [sms] = roster_messages(abroad)
    assert sms.from_ == SMS_NUMBER and sms.to == abroad.number and sms.content_sid is None
    assert sms.body.startswith("Reminder: your helpline shift is on") and "Reply YES" in sms.body
    [whatsapp] = roster_messages(at_home)
    assert whatsapp.to == "whatsapp:" + at_home.number  # no SMS replies from India on Twilio


def test_a_shift_planned_late_gets_one_reminder_not_two(roster: Roster) -> None:
    phone, _ = roster.listener("Late", ("ta",), starts=roster.clock.now() + 3 * HOUR)
    roster.settle()
    assert len(roster_messages(phone)) == 1  # the 24-hour one is past: only the latest due is sent
    roster.run_until(roster.clock.now() + 2 * HOUR + timedelta(minutes=2))
    assert len(roster_messages(phone)) == 2  # the 1-hour one


def test_every_locales_template_has_its_own_buttons_that_answer_yes_and_no() -> None:
    """WhatsApp approves a template in one language, its buttons' words fixed: one per locale, from the
    catalogs, each title within WhatsApp's 20 characters, the body not starting or ending with its variable."""
    from locales import supported_locales
    from locales.replies import match_button
    from telephony.content import reminder_templates

    templates = reminder_templates()
    assert set(templates) == set(supported_locales())
    for locale, definition in templates.items():
        reply = definition["types"]["twilio/quick-reply"]
        titles = [action["title"] for action in reply["actions"]]
        assert [match_button(action["id"]) for action in reply["actions"]] == ["YES", "NO"]
        assert all(0 < len(title) <= 20 for title in titles)
        assert (titles == ["Confirm", "Can't come"]) == (locale == "en"), locale
        body = reply["body"]
        assert body.count("{{1}}") == 1 and not body.startswith("{{1}}") and not body.endswith("{{1}}")


def test_a_listener_whose_language_has_no_template_is_asked_in_plain_text_not_under_english_buttons(
    roster: Roster,
) -> None:
    services = roster.line.services
    only_english = {"en": roster.templates["en"]}
    services.settings = services.settings.model_copy(update={"reminder_content_sids": only_english})
    tamil, _ = roster.listener("Meena", ("ta",), prompt_language="ta")
    english, _ = roster.listener("Sam", ("ta", "en"))
    roster.jump(TOMORROW - 24 * HOUR)
    [plain] = roster_messages(tamil)
    assert plain.content_sid is None and plain.buttons == [] and plain.body.startswith("நினைவூட்டல்")
    [with_buttons] = roster_messages(english)
    assert [b.title for b in with_buttons.buttons] == ["Confirm", "Can't come"]
