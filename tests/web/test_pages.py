"""Every page at a phone-sized and a desktop viewport (screenshots kept), checked for accessibility with
axe-core served from the repository; ``/`` leads to sign-in; ``/docs`` and ``/redoc`` render with every
request off this machine refused (the network cut off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from schemas.tables import Proficiency
from tests.web.conftest import DESKTOP_SIZE, PHONE_SIZE, WebApp, screenshot

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
LISTENER_PAGES = ("/me", "/me/shifts", "/me/profile")
STAFF_PAGES = ("/board", "/roster", "/coverage", "/reports", "/listeners", "/staff", "/me/profile")


def cut_off_network(page: Page, base_url: str) -> list[str]:
    """Refuse every request that leaves Samvaad; return the list of what was tried."""
    tried: list[str] = []

    def only_samvaad(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            tried.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_samvaad)
    return tried


def serious_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations.map(v => [v.id, v.impact])")
    return [rule for rule, impact in found if impact in ("serious", "critical")]


def test_home_leads_to_sign_in(web: WebApp) -> None:
    page = web.page()
    page.goto("/")
    expect(page).to_have_url(f"{web.base_url}/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_number_and_a_wrong_code_are_told_beside_the_field(web: WebApp) -> None:
    page = web.page()
    page.goto("/sign-in")
    page.get_by_label("Mobile number").fill("12")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.locator("#phone-error")).to_contain_text("Enter your mobile number")
    page.get_by_label("Mobile number").fill("+919812345678")  # nobody's number: the page says nothing more
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_text("If …5678 is registered with Samvaad")).to_be_visible()
    page.get_by_label("Six-digit code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("That code is not right")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_render_with_the_network_cut_off(web: WebApp, path: str) -> None:
    page = web.page(DESKTOP_SIZE)
    tried = cut_off_network(page, web.base_url)
    page.goto(path)
    expect(page.get_by_text("Samvaad API").or_(page.get_by_text("Samvaad")).first).to_be_visible()
    expect(page.get_by_text("/api/v1/associations").first).to_be_attached()
    assert tried == []
    screenshot(page, f"docs{path.replace('/', '-')}")


@pytest.mark.parametrize(("size", "label"), [(PHONE_SIZE, "phone"), (DESKTOP_SIZE, "desktop")])
def test_every_page_fits_and_passes_axe(web: WebApp, size: dict[str, int], label: str) -> None:
    asha = web.voice.listener("Asha", {"hi": Proficiency.native, "en": Proficiency.fluent})
    nisha = web.staff("Nisha", "+919876500100", role="admin")
    for phone, paths in ((asha, LISTENER_PAGES), (nisha, STAFF_PAGES)):
        page = web.page(size)
        tried = cut_off_network(page, web.base_url)
        web.sign_in(page, phone)
        for path in paths:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"] + 1 or path == "/coverage", f"{path} overflows at {label} size"
            assert serious_violations(page) == [], path
            screenshot(page, f"{phone.name.lower()}{path.replace('/', '-')}-{label}")
        assert tried == []
