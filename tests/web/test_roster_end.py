"""A coordinator ends a weekly shift from a day on: the occurrences from that day disappear, the earlier
ones stay, and an occurrence given up after it is no longer open."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlmodel import Session, select

from routing import roster
from routing.configuration import Actor
from schemas.tables import OpenShift, Proficiency, Shift
from tests.voice.conftest import START
from tests.web.conftest import DESKTOP_SIZE, WebApp

HI = {"hi": Proficiency.native}
MONDAY_20 = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # Mon 23 Nov, 20:00 in India
THURSDAY_3_DEC = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)


def asha_slots(page, week: str):  # type: ignore[no-untyped-def]
    page.goto(f"/roster?language=hi&week={week}")
    return page.locator(".slot").filter(has_text="20:00–22:00 Asha")


def test_a_weekly_shift_ends_from_a_day_and_keeps_its_earlier_weeks(web: WebApp) -> None:
    web.voice.listener("Asha", HI)
    asha_id = web.voice.listeners["Asha"]
    with Session(web.voice.services.engine) as session:
        shift = Shift(association_id=web.voice.association_id, listener_id=asha_id, starts_at=MONDAY_20,
                      duration_minutes=120, rrule="FREQ=WEEKLY;BYDAY=MO,TH")  # fmt: skip
        session.add(shift)
        session.flush()
        assert shift.id is not None
        shift_id = shift.id
        roster.give_up(session, web.voice.association_id, asha_id, shift_id, round(THURSDAY_3_DEC.timestamp()),
                       Actor("test", START))  # fmt: skip
        session.commit()
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    expect(asha_slots(page, "2026-11-30")).to_have_count(1)  # Mon 30 Nov; Thu 3 Dec is given up
    slots = asha_slots(page, "2026-11-23")
    expect(slots).to_have_count(2)

    thursday = slots.nth(1)
    thursday.get_by_text("Move or end").click()
    thursday.get_by_label("End from (this day and later)").fill("2026-11-30")
    thursday.get_by_role("button", name="End from that day").click()

    expect(asha_slots(page, "2026-11-23")).to_have_count(2)
    expect(asha_slots(page, "2026-11-30")).to_have_count(0)
    with Session(web.voice.services.engine) as session:
        assert session.exec(select(OpenShift).where(OpenShift.shift_id == shift_id)).all() == []
        assert len(roster.list_open(session, web.voice.association_id, START)) == 0


def test_ending_a_weekly_shift_after_its_last_week_is_told_beside_the_field(web: WebApp) -> None:
    web.voice.listener("Asha", HI)
    with Session(web.voice.services.engine) as session:
        session.add(Shift(association_id=web.voice.association_id, listener_id=web.voice.listeners["Asha"],
                          starts_at=MONDAY_20, duration_minutes=120, rrule="FREQ=WEEKLY;COUNT=2"))  # fmt: skip
        session.commit()
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    slot = asha_slots(page, "2026-11-23").first
    slot.get_by_text("Move or end").click()
    slot.get_by_label("End from (this day and later)").fill("2026-12-14")
    slot.get_by_role("button", name="End from that day").click()
    expect(page.locator("p.error")).to_have_text("this shift has no occurrence from that day")
    expect(asha_slots(page, "2026-11-30")).to_have_count(1)
