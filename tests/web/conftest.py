"""The web app in a real browser: Debian's headless Chromium driven by Playwright, against Samvaad served by
uvicorn on a free loopback port with the run's migrated database and real Redis, the Twilio simulator
carrying the sign-in codes and the calls (``tests.voice.conftest``: the app's clock is the simulator's).

Screenshots are kept in ``artifacts/screenshots`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from sqlmodel import Session

from app.services import Services
from routing import access
from routing.configuration import Actor
from schemas.api import StaffCreate
from telephony.simulator import Phone
from tests.voice.conftest import START, VoiceHelpline, app_services, live_app, voice  # noqa: F401

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE_SIZE = {"width": 390, "height": 844}
DESKTOP_SIZE = {"width": 1366, "height": 900}
# A busy two-core CI machine parses the docs bundles slowly: wait for what a person would see, up to 30 s.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: scripts/setup installs it (apt-get install chromium)")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
    yield launched
    launched.close()


@dataclass
class WebApp:
    """The helpline (simulator, association, listeners) and the URL its web app answers on."""

    voice: VoiceHelpline
    base_url: str
    browser: Browser

    def page(self, size: dict[str, int] = PHONE_SIZE) -> Page:
        context = self.browser.new_context(viewport=size, base_url=self.base_url, locale="en-GB")
        context.set_default_timeout(20_000)
        return context.new_page()

    def staff(self, name: str, number: str, role: str = "coordinator") -> Phone:
        data = StaffCreate.model_validate({"name": name, "phone": number, "role": role})
        with Session(self.voice.services.engine) as session:
            access.create_staff(session, self.voice.services.vault, self.voice.association_id, data,
                                Actor("test", START))  # fmt: skip
            session.commit()
        return self.voice.sim.phone(number, name)

    def sign_in(self, page: Page, phone: Phone) -> None:
        """Sign in as a person would: the number, then the code that arrives on the phone."""
        page.goto("/")
        page.get_by_label("Mobile number").fill(phone.number)
        page.get_by_role("button", name="Send me a code").click()
        page.wait_for_url("**/sign-in/code")
        seen = len(phone.inbox)
        self.voice.sim.run_until(lambda: len(phone.inbox) > seen)
        code = re.search(r"\b(\d{6})\b", phone.inbox[-1].body)
        assert code is not None, phone.inbox[-1].body
        page.get_by_label("Six-digit code").fill(code.group(1))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def web(voice: VoiceHelpline, live_app: tuple[str, object], browser: Browser) -> Iterator[WebApp]:  # noqa: F811
    services: Services = voice.services
    services.settings = services.settings.model_copy(update={"signin_codes_in_log": False})
    base_url, _ = live_app
    yield WebApp(voice, base_url, browser)
    for context in browser.contexts:
        context.close()
