"""A coordinator's day in a browser: the live board follows a simulated call, a new shift shows on the
heat map, and nothing a caller owns ever reaches a page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlmodel import Session

from routing.engine.live import LiveState
from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE
from tests.web.conftest import DESKTOP_SIZE, WebApp, screenshot

HI = {"hi": Proficiency.native}
CALLER = "+919800000001"


def caller_traces(web: WebApp) -> list[str]:
    """The caller's number in every form a page might show it, and the keyed hash Samvaad knows it by."""
    vault = web.voice.services.vault
    return [
        CALLER,
        CALLER[1:],
        CALLER[3:],
        f"{CALLER[3:8]} {CALLER[8:]}",
        vault.caller_key(web.voice.association_id, CALLER),
    ]


def assert_no_caller_on(page: Page, web: WebApp) -> None:
    html = page.content()
    for trace in caller_traces(web):
        assert trace not in html, f"{page.url} shows a caller's number or hash"


def board_cell(page: Page, language: str, field: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#board-live tr[data-language={language}] td[data-field={field}]")


def waiting_count(web: WebApp) -> int:
    return len(LiveState(web.voice.services.redis).waiting(web.voice.association_id))


def test_the_board_follows_a_call_that_waits_and_is_answered_without_a_reload(web: WebApp) -> None:
    sim = web.voice.sim
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    expect(page).to_have_url(f"{web.base_url}/board")
    page.evaluate("window.loadedOnce = true")
    expect(board_cell(page, "hi", "calls")).to_have_text("0")

    caller = web.voice.caller("caller", CALLER)
    caller.respond("ओड़िया", press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: waiting_count(web) == 1)
    expect(board_cell(page, "hi", "calls")).to_have_text("1")
    assert_no_caller_on(page, web)
    screenshot(page, "board-waiting-desktop")

    asha = web.voice.listener("Asha", HI)
    asha.respond(".", press="1")
    web.voice.dispatch()
    sim.run_until(lambda: caller.is_bridged)
    expect(board_cell(page, "hi", "calls")).to_have_text("0")
    expect(board_cell(page, "hi", "busy")).to_have_text("1")
    assert page.evaluate("window.loadedOnce") is True, "the board reloaded"
    assert_no_caller_on(page, web)
    caller.hang_up(after=5)
    sim.run_until(lambda: call.is_over)
    for path in ("/roster", "/coverage", "/listeners", "/me/profile"):
        page.goto(path)
        assert_no_caller_on(page, web)


def test_the_board_says_when_its_live_feed_is_lost(web: WebApp) -> None:
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    expect(page.locator("#feed-lost")).to_be_hidden()

    page.context.route("**/board/events", lambda route: route.abort())
    page.reload()
    expect(page.locator("#feed-lost")).to_be_visible()


def test_a_new_shift_fills_its_hour_on_the_heat_map(web: WebApp) -> None:
    web.voice.listener("Asha", HI)
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    cell = page.locator("#main .cell[data-language=hi][data-hour='2026-11-26T20:00:00+05:30']")
    page.goto("/coverage")
    expect(cell).to_have_text("0")
    expect(cell).to_have_class("cell none")

    page.goto("/roster?language=hi&week=2026-11-26")
    form = page.locator("#add-shift")
    form.get_by_label("Listener").select_option(label="Asha")
    form.get_by_label("Date").fill("2026-11-26")
    form.get_by_label("Start time").fill("20:00")
    form.get_by_label("Hours").fill("2")
    form.get_by_role("button", name="Add shift").click()
    expect(page.locator(".day").nth(3).locator(".slot")).to_contain_text("20:00–22:00 Asha")

    page.goto("/coverage")
    expect(cell).to_have_text("1")
    expect(cell).to_have_class("cell one")
    screenshot(page, "coverage-desktop")


def test_the_shift_form_refuses_like_the_api_beside_the_field(web: WebApp) -> None:
    web.voice.listener("Asha", HI)
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page()
    web.sign_in(page, nisha)
    page.goto("/roster?language=hi")
    form = page.locator("#add-shift")
    form.get_by_label("Listener").select_option(label="Asha")
    form.get_by_label("Date").fill("2026-11-26")
    form.get_by_label("Start time").fill("20:00")
    form.get_by_label("Hours").fill("30")
    form.get_by_role("button", name="Add shift").click()

    expect(page.locator("#hours-error")).to_contain_text("less than or equal to 1440")
    screenshot(page, "roster-error-phone")


def test_another_associations_shift_and_a_listeners_board_answer_404(web: WebApp) -> None:
    from datetime import timedelta

    from schemas.tables import Association, Listener, Shift
    from tests.voice.conftest import START

    with Session(web.voice.services.engine) as session:
        other = Association(name="Other", created_at=START)
        session.add(other)
        session.flush()
        assert other.id is not None
        listener = Listener(association_id=other.id, name="B", phone_encrypted=b"x", phone_hash="h",
                            phone_last4="0000", created_at=START)  # fmt: skip
        session.add(listener)
        session.flush()
        assert listener.id is not None
        shift = Shift(association_id=other.id, listener_id=listener.id, starts_at=START + timedelta(days=1),
                      duration_minutes=60)  # fmt: skip
        session.add(shift)
        session.commit()
        shift_id = shift.id
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page()
    web.sign_in(page, nisha)
    page.goto("/roster")
    token = page.locator("input[name=csrf]").first.get_attribute("value")

    refused = page.request.post(f"/roster/shifts/{shift_id}/end", form={"csrf": token or ""})
    assert refused.status == 404
    with Session(web.voice.services.engine) as session:
        assert session.get(Shift, shift_id) is not None

    asha = web.voice.listener("Asha", HI)
    listener_page = web.page()
    web.sign_in(listener_page, asha)
    assert listener_page.goto("/board").status == 404  # type: ignore[union-attr]
    assert listener_page.goto("/roster").status == 404  # type: ignore[union-attr]
    forged = listener_page.request.post("/me/state", form={"csrf": "forged", "state": "break"})
    assert forged.status == 403


def test_an_admin_adds_a_coordinator_in_the_app_and_deactivates_them(web: WebApp) -> None:
    admin = web.staff("Nisha", "+919876500100", role="admin")
    page = web.page()
    web.sign_in(page, admin)
    page.get_by_role("link", name="Staff").click()
    form = page.locator("#add-staff")
    form.get_by_label("Name").fill("Ravi")
    form.get_by_label("Mobile number").fill("12345")
    form.get_by_role("button", name="Add").click()
    expect(page.locator("#phone-error")).to_contain_text("not a valid phone number")

    form.get_by_label("Mobile number").fill("+91 98765 00200")
    form.get_by_role("button", name="Add").click()
    expect(page.locator("#staff-list")).to_contain_text("Ravi · …0200 · coordinator")
    assert "9876500200" not in page.content()
    page.get_by_role("button", name="Deactivate Ravi").click()
    expect(page.locator("#staff-list li").filter(has_text="Ravi")).to_contain_text("inactive")
