"""A caller in danger is urgent on the pages too: the listener whose phone rings for them is told so, and the
coordinators' board flags them while they are being rung (no longer waiting in a queue), in a browser."""

from __future__ import annotations

from playwright.sync_api import expect

from locales import messages
from routing.engine.live import LiveState
from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE, words
from tests.web.conftest import DESKTOP_SIZE, WebApp
from tests.web.test_coordinator import board_cell

HI = {"hi": Proficiency.native}


def _ringing(web: WebApp) -> bool:
    found = LiveState(web.voice.services.redis).listener(web.voice.listeners["Dr Asha"])
    return found is not None and found.state == "offered"


def test_the_listener_rung_for_a_caller_in_danger_and_the_board_see_it_is_urgent(web: WebApp) -> None:
    sim = web.voice.sim
    asha = web.voice.listener("Dr Asha", HI, answer_after=None)  # her phone rings while she looks
    nisha = web.staff("Nisha", "+919876500100")
    listener_page, board = web.page(), web.page(DESKTOP_SIZE)
    web.sign_in(listener_page, asha)
    web.sign_in(board, nisha)

    sim.phone(web.voice.services.settings.crisis_line, "Tele-MANAS")
    danger = web.voice.caller("in danger", "+919800000091")
    danger.respond(words(messages.DANGER_PRESS_ZERO, "hi", crisis_line="14416"), press="0")
    danger.call(HELPLINE)
    sim.run_until(lambda: _ringing(web) and bool(asha.ringing))

    listener_page.reload()
    expect(listener_page.locator("#my-state")).to_have_attribute("data-state", "offered")
    expect(listener_page.locator("#my-state [data-urgent]")).to_contain_text("Urgent")
    board.reload()
    row = board.locator("#board-live tr[data-language=hi]")
    expect(row).to_have_class("urgent")
    expect(board_cell(board, "hi", "crisis").locator("[data-field=crisis-ringing]")).to_contain_text("+1")
