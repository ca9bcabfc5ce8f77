"""A coordinator who is also a listener signs in once and switches between the two views; the switch offers
only accounts their number proved."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import Session

from routing import access
from routing.configuration import Actor
from schemas.api import StaffCreate
from schemas.tables import Proficiency
from tests.voice.conftest import START
from tests.web.conftest import WebApp

HI = {"hi": Proficiency.native}


def test_a_coordinator_who_listens_switches_view_without_a_new_code(web: WebApp) -> None:
    asha = web.voice.listener("Asha", HI)
    with Session(web.voice.services.engine) as session:
        data = StaffCreate.model_validate({"name": "Asha", "phone": asha.number, "role": "coordinator"})
        access.create_staff(
            session, web.voice.services.vault, web.voice.association_id, data, Actor("test", START)
        )
        session.commit()
    page = web.page()
    web.sign_in(page, asha)
    expect(page).to_have_url(f"{web.base_url}/board")
    codes = len(asha.inbox)

    page.get_by_role("button", name="Switch to the listener view").click()
    expect(page).to_have_url(f"{web.base_url}/me")
    expect(page.get_by_role("link", name="My shifts")).to_be_visible()
    assert page.goto("/board").status == 404  # the listener's session: a coordinator's page does not exist
    page.goto("/me")
    page.get_by_role("button", name="Switch to the coordinator view").click()
    expect(page).to_have_url(f"{web.base_url}/board")
    expect(page.get_by_role("link", name="Roster")).to_be_visible()
    assert len(asha.inbox) == codes, "a switch sent a new code"


def test_a_switch_to_an_account_the_number_did_not_prove_is_not_found(web: WebApp) -> None:
    bala = web.voice.listener("Bala", HI)
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page()
    web.sign_in(page, bala)
    expect(page.get_by_role("button", name="Switch to the coordinator view")).to_have_count(0)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    with Session(web.voice.services.engine) as session:
        staff_id = access.find_accounts(session, web.voice.services.vault, nisha.number)[0].account_id
    answer = page.request.post("/switch-view", form={"csrf": csrf or "", "account": f"staff:{staff_id}"})
    assert answer.status == 404
    page.goto("/me")
    expect(page.get_by_role("link", name="My shifts")).to_be_visible()
