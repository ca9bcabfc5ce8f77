"""A listener gives up a shift in the app; it stops counting in routing, the coordinators' board lists it
as open, and another listener takes it."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect
from sqlmodel import Session

from routing.configuration.audit import list_changes
from routing.engine.snapshot import load_listener
from schemas.tables import Proficiency, Shift
from tests.voice.conftest import START
from tests.web.conftest import WebApp

HI = {"hi": Proficiency.native}
TOMORROW_9 = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)  # 09:00 in India
TOMORROW_10 = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)


def on_shift(web: WebApp, listener_id: int, at: datetime) -> bool:
    with Session(web.voice.services.engine) as session:
        return load_listener(session, listener_id, at).on_shift


def test_a_shift_given_up_is_open_on_the_board_until_another_listener_takes_it(web: WebApp) -> None:
    asha = web.voice.listener("Asha", HI)
    bala = web.voice.listener("Bala", HI)
    asha_id, bala_id = web.voice.listeners["Asha"], web.voice.listeners["Bala"]
    web.voice.session.add(Shift(association_id=web.voice.association_id, listener_id=asha_id,
                                starts_at=TOMORROW_9, duration_minutes=480))  # fmt: skip
    web.voice.session.commit()
    assert on_shift(web, asha_id, TOMORROW_10)
    page = web.page()
    web.sign_in(page, asha)
    page.goto("/me/shifts")

    page.get_by_role("button", name="Give up the shift of Thu 26 Nov 09:00").click()
    expect(page.locator("#open-shifts")).to_contain_text("Thu 26 Nov 09:00 – 17:00")
    expect(page.locator("#open-shifts")).to_contain_text("given up by me")
    assert not on_shift(web, asha_id, TOMORROW_10)
    assert on_shift(web, asha_id, START)  # today's shift is untouched

    nisha = web.staff("Nisha", "+919876500100")
    board = web.page()
    web.sign_in(board, nisha)
    expect(board.locator("#open-shifts")).to_contain_text("given up by Asha")

    other = web.page()
    web.sign_in(other, bala)
    other.goto("/me/shifts")
    other.get_by_role("button", name="Take the shift of Thu 26 Nov 09:00").click()
    expect(other.get_by_text("No open shifts.")).to_be_visible()
    expect(other.locator(".shifts li").filter(has_text="Thu 26 Nov 09:00 – 17:00")).to_have_count(1)
    assert on_shift(web, bala_id, TOMORROW_10)
    board.reload()
    expect(board.get_by_text("No open shifts.")).to_be_visible()


def test_an_open_board_tells_the_coordinator_of_a_shift_given_up_and_the_audit_log_names_it(
    web: WebApp,
) -> None:
    asha = web.voice.listener("Asha", HI)
    asha_id = web.voice.listeners["Asha"]
    web.voice.session.add(Shift(association_id=web.voice.association_id, listener_id=asha_id,
                                starts_at=TOMORROW_9, duration_minutes=480))  # fmt: skip
    web.voice.session.commit()
    nisha = web.staff("Nisha", "+919876500100")
    board = web.page()
    web.sign_in(board, nisha)
    board.evaluate("window.loadedOnce = true")
    expect(board.locator("#give-ups")).to_have_count(0)

    page = web.page()
    web.sign_in(page, asha)
    page.goto("/me/shifts")
    page.get_by_role("button", name="Give up the shift of Thu 26 Nov 09:00").click()
    expect(page.locator("#open-shifts")).to_contain_text("given up by me")

    notice = board.locator("#give-ups li")
    expect(notice).to_have_text("Asha gave up Thu 26 Nov 09:00 – 17:00 (still open)")
    assert board.evaluate("window.loadedOnce") is True, "the board reloaded"
    with Session(web.voice.services.engine) as session:
        entries, _ = list_changes(session, web.voice.association_id, 20, 0)
    given = [e for e in entries if e.entity == "open_shift" and e.action == "create"]
    assert len(given) == 1 and given[0].actor == f"web: listener Asha (listener {asha_id})"
