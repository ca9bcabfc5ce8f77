"""The coordinators' reports page: the API's report chart and staffing heat map drawn inline, each named and
described for a screen reader, with the same figures in a table beside it."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlmodel import Session

from app.demo.history import HistoryPlan, write_history
from routing import reports
from schemas.tables import Association, Proficiency
from tests.voice.conftest import START
from tests.web.conftest import DESKTOP_SIZE, WebApp, screenshot


def history(web: WebApp, days: int) -> reports.Report:
    """A few days of calls before the simulator's now, and the report the API would answer for them."""
    asha = web.voice.listener("Asha", {"hi": Proficiency.native})
    with Session(web.voice.services.engine) as session:
        listener_id = web.voice.listeners["Asha"]
        plan = HistoryPlan(web.voice.association_id, ["hi"], {"hi": [listener_id]}, START - timedelta(days=days),
                           START - timedelta(hours=1), per_day=40, seed=9)  # fmt: skip
        write_history(session, plan)
        session.commit()
        association = session.get(Association, web.voice.association_id)
        assert association is not None and asha is not None
        window = reports.ReportRange(plan.start, START, association.timezone)
        return reports.build_report(session, association, window)


def described_by(page: Page, selector: str) -> tuple[str, str]:
    """The accessible name and description an SVG gets from the ids its ``aria-labelledby`` names."""
    ids = page.locator(selector).get_attribute("aria-labelledby") or ""
    texts = [page.locator(f"[id='{name}']").text_content() or "" for name in ids.split()]
    assert len(texts) == 2, ids
    return texts[0], texts[1]


def test_the_reports_page_draws_the_charts_with_their_figures_in_words(web: WebApp) -> None:
    report = history(web, days=3)
    assert report.total.tally.calls_offered > 0
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    page.get_by_role("link", name="Reports").click()
    expect(page).to_have_url(f"{web.base_url}/reports")

    title, description = described_by(page, "svg#report-chart")
    assert title.startswith("Calls per day")
    assert f"{report.total.tally.calls_offered} calls offered" in description
    expect(page.get_by_role("img", name=title)).to_be_visible()
    row = page.locator("#report-figures tr[data-language=hi]")
    expect(row.locator("td[data-field=offered]")).to_have_text(str(report.total.tally.calls_offered))
    expect(row.locator("td[data-field=answered]")).to_have_text(str(report.total.tally.calls_answered))

    title, description = described_by(page, "svg#staffing-chart")
    assert title.startswith("Listeners rostered against those needed")
    assert description.startswith("Hours per language: hi:")
    expect(page.locator("#staffing-short tr[data-language=hi] td[data-field=short]")).to_have_text(
        str(description.split(" short")[0].rsplit(" ", 1)[1])
    )
    screenshot(page, "reports-desktop")


def test_a_range_that_ends_before_it_starts_is_told_beside_the_field(web: WebApp) -> None:
    nisha = web.staff("Nisha", "+919876500100")
    page = web.page(DESKTOP_SIZE)
    web.sign_in(page, nisha)
    page.goto("/reports?from=2026-11-20&until=2026-11-10&period=day")
    expect(page.locator("#until-error")).to_have_text("must be after from")
    expect(page.get_by_label("Until")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("svg#report-chart")).to_have_count(0)
