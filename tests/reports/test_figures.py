"""The report's figures, from contacts that went through routing's real services (queued, offered, answered,
ended or abandoned) on the real database: the counts a coordinator reads, per language and local period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from routing import engine
from routing.reports import Period, ReportRange, build_report
from schemas.tables import Association, Channel, Priority
from tests.routing.conftest import NOW, Helpline

DAY = ReportRange(NOW - timedelta(hours=12), NOW + timedelta(hours=12), "Asia/Kolkata", Period.day)


def answer(helpline: Helpline, waited: float, talked: float) -> str:
    contact_id = helpline.call("ta")
    helpline.at(waited - 5)
    [offer] = [o for o in helpline.dispatch() if o.contact_id == contact_id]
    assert engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(5)).ok
    engine.end_contact(helpline.session, helpline.live, contact_id, helpline.at(talked))
    return contact_id


def abandon(helpline: Helpline, waited: float, language: str = "ta") -> None:
    contact_id = helpline.call(language)
    engine.cancel_contact(helpline.session, helpline.live, contact_id, helpline.at(waited))


def association(helpline: Helpline) -> Association:
    found = helpline.session.get(Association, helpline.association_id)
    assert found is not None
    return found


def test_a_day_of_tamil_calls(helpline: Helpline) -> None:
    for name in ("Anbu", "Bala", "Chitra"):
        helpline.listener(name)
    helpline.sync()
    answer(helpline, waited=30, talked=300)
    answer(helpline, waited=90, talked=600)
    abandon(helpline, waited=5, language="hi")  # nobody speaks Hindi: the caller hangs up quickly
    abandon(helpline, waited=40, language="hi")
    helpline.call("ta", channel=Channel.sms)
    report = build_report(helpline.session, association(helpline), DAY)
    tamil, hindi = {row.language: row for row in report.by_language}["ta"], report.by_language[0]
    assert (tamil.tally.calls_offered, tamil.tally.calls_answered, tamil.tally.calls_in_target) == (2, 2, 1)
    assert tamil.asa_seconds == pytest.approx(60)
    assert tamil.aht_seconds == pytest.approx(450)
    assert tamil.service_level == pytest.approx(0.5)
    assert tamil.tally.texts_offered == 1 and tamil.tally.texts_answered == 0
    assert tamil.shift_hours == pytest.approx(3 * 8)  # three Tamil speakers, 09:00-17:00
    assert tamil.call_hours == pytest.approx(900 / 3600)
    assert hindi.language == "hi"
    assert (hindi.tally.calls_abandoned, hindi.tally.calls_short_abandoned) == (2, 1)
    assert hindi.service_level == 0.0 and hindi.abandon_rate == 1.0
    assert report.total.tally.calls_offered == 4 and report.total.service_level == pytest.approx(1 / 3)


def test_the_short_abandon_threshold_is_the_associations(helpline: Helpline) -> None:
    abandon(helpline, waited=5)
    abandon(helpline, waited=25)
    row = association(helpline)
    before = build_report(helpline.session, row, DAY).total.tally.calls_short_abandoned
    row.short_abandon_seconds = 30
    assert (before, build_report(helpline.session, row, DAY).total.tally.calls_short_abandoned) == (1, 2)


def test_crisis_presses_and_callbacks_are_counted(helpline: Helpline) -> None:
    helpline.call("ta", priority=Priority.crisis)
    waiting = helpline.call("ta")
    engine.request_callback(helpline.session, helpline.live, waiting, helpline.at(20))
    total = build_report(helpline.session, association(helpline), DAY).total
    assert (total.tally.crisis_presses, total.tally.callbacks_requested) == (1, 1)
    assert total.tally.calls_abandoned == 0


def test_hours_are_the_associations_local_hours(helpline: Helpline) -> None:
    abandon(helpline, waited=15)  # 06:00 UTC is 11:30 in Kolkata
    hourly = ReportRange(NOW - timedelta(hours=3), NOW + timedelta(hours=3), "Asia/Kolkata", Period.hour)
    [row] = build_report(helpline.session, association(helpline), hourly).rows
    assert row.period_start == datetime(2026, 11, 25, 11, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_periods_follow_a_clock_change(helpline: Helpline) -> None:
    """London's clocks go back on 25 October 2026 at 01:00 UTC: local days and hours follow them."""
    row = association(helpline)
    row.timezone = "Europe/London"
    moments = [datetime(2026, 10, 24, 23, 30, tzinfo=UTC), datetime(2026, 10, 25, 23, 30, tzinfo=UTC)]
    for moment in moments:
        helpline.now = moment
        abandon(helpline, waited=15)
    window = ReportRange(moments[0] - timedelta(days=1), moments[1] + timedelta(days=1), "Europe/London")
    london = ZoneInfo("Europe/London")
    [day] = build_report(helpline.session, row, window).rows  # one local day, two UTC days
    assert (day.period_start, day.tally.calls_offered) == (datetime(2026, 10, 25, tzinfo=london), 2)
    hours = ReportRange(window.start, window.end, "Europe/London", Period.hour)
    starts = [r.period_start for r in build_report(helpline.session, row, hours).rows]
    assert [s.replace(tzinfo=None) for s in starts] == [
        datetime(2026, 10, 25, 0, 0),
        datetime(2026, 10, 25, 23, 0),
    ]


def test_another_associations_contacts_stay_out(helpline: Helpline) -> None:
    abandon(helpline, waited=15)
    helpline.session.commit()
    with Session(helpline.services.engine) as session:
        other = Association(name="Other", created_at=NOW)
        session.add(other)
        session.commit()
        assert build_report(session, other, DAY).total.tally.calls_offered == 0
