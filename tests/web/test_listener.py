"""A listener signs in with the code sent to their phone, goes on a break and comes back, in a browser."""

from __future__ import annotations

from playwright.sync_api import expect

from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE
from tests.web.conftest import DESKTOP_SIZE, WebApp, screenshot

HI = {"hi": Proficiency.native}


def test_a_listener_on_a_break_is_not_offered_a_caller_until_back(web: WebApp) -> None:
    sim = web.voice.sim
    asha = web.voice.listener("Dr Asha", HI)
    asha.respond(".", press="1")
    page = web.page()

    web.sign_in(page, asha)
    expect(page).to_have_url(f"{web.base_url}/me")
    expect(page.locator("#on-shift")).to_contain_text("On shift until 17:00")
    expect(page.locator("#my-state")).to_have_attribute("data-state", "available")
    screenshot(page, "listener-today-phone")

    page.get_by_role("button", name="On a break").click()
    expect(page.locator("#my-state")).to_have_attribute("data-state", "break")
    expect(page.get_by_role("button", name="On a break")).to_have_attribute("aria-pressed", "true")
    caller = web.voice.caller("caller", "+919800000001")
    caller.respond("ओड़िया", press="1")
    call = caller.call(HELPLINE)
    sim.advance(120)
    assert not asha.calls, "a listener on a break was rung"
    page.reload()
    expect(page.locator("td[data-waiting=hi]")).to_have_text("1")

    page.get_by_role("button", name="Available").click()
    expect(page.locator("#my-state")).not_to_have_attribute("data-state", "break")
    sim.run_until(lambda: caller.is_bridged)
    assert caller.bridged_with == [asha]
    caller.hang_up(after=5)
    sim.run_until(lambda: call.is_over)


def test_my_shifts_show_this_week_and_next_in_my_time_zone(web: WebApp) -> None:
    asha = web.voice.listener("Dr Asha", HI)
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, asha)

    page.get_by_role("link", name="My shifts").click()
    expect(page.get_by_role("heading", name="This week")).to_be_visible()
    expect(page.locator(".shifts li")).to_have_count(1)
    expect(page.locator(".shifts li").first).to_contain_text("Wed 25 Nov 09:00 – 17:00")
    expect(page.get_by_text("Times are in Asia/Kolkata.")).to_be_visible()
    screenshot(page, "listener-shifts-desktop")


def test_a_listener_switches_the_app_to_hindi_and_keeps_codes_by_whatsapp(web: WebApp) -> None:
    asha = web.voice.listener("Dr Asha", HI)
    page = web.page()
    web.sign_in(page, asha)
    page.get_by_role("link", name="My profile").click()
    expect(page.locator("#my-phone")).to_have_text("…" + asha.number[-4:])
    assert asha.number[1:] not in page.content()

    page.get_by_label("WhatsApp").check()
    page.get_by_label("Language of the app").select_option("hi")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("सहेजा गया।")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    page.get_by_role("link", name="आज").click()
    expect(page.get_by_role("heading", name="आज")).to_be_visible()
    screenshot(page, "listener-today-hindi-phone")
