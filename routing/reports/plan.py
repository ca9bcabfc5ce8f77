"""Staffing beside the roster, hour by hour: the listeners each language needs (``demand``) and those
rostered (active, verified, on shift: the ones routing would offer a call to), with a verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from routing.configuration import list_languages
from routing.reports.demand import Model, hour_of_week, measure_demand, needs
from routing.reports.periods import HOUR_US, Period, ReportRange
from routing.reports.shift_hours import shift_hours
from routing.reports.staffing import service_level_a
from schemas.tables import Association

Verdict = Literal["short", "enough", "more than needed"]


@dataclass(frozen=True)
class StaffingHour:
    start: datetime  # local
    language: str
    calls_per_hour: float
    handle_seconds: float
    patience_seconds: float | None
    needed: int
    minimum: int  # the language's own minimum on shift
    rostered: float  # mean listeners on shift over the hour
    expected_service_level: float  # with the whole listeners rostered
    verdict: Verdict


def verdict(rostered: float, needed: int) -> Verdict:
    if rostered < needed - 1e-9:
        return "short"
    return "enough" if rostered < needed + 1 else "more than needed"


def plan_staffing(
    session: Session,
    association: Association,
    now: datetime,
    *,
    weeks: int = 8,
    days: int = 7,
    model: Model = "erlang-a",
) -> list[StaffingHour]:
    """Each local hour of the next ``days`` days (from the current hour), per enabled language."""
    assert association.id is not None
    menu = [row for row in list_languages(session, association.id) if row.enabled]
    codes = [row.code for row in menu]
    minimum = {row.code: row.min_listeners for row in menu}
    target, goal = association.answer_target_seconds, association.service_level_percent / 100
    cells = needs(measure_demand(session, association, now, weeks, codes), target, goal, model)
    start = _hour_start(now, association.timezone)
    window = ReportRange(start, start + timedelta(days=days), association.timezone, Period.hour)
    rostered = shift_hours(session, association.id, window, ready_only=True)
    hours = []
    for slot in window.slots():
        for code in codes:
            need = cells[(code, hour_of_week(slot))]
            on_shift = rostered.get((slot, code), 0) / HOUR_US
            expected = service_level_a(int(on_shift + 1e-9), need.load, target)
            hours.append(
                StaffingHour(
                    start=window.slot_start(slot),
                    language=code,
                    calls_per_hour=need.load.arrivals_per_second * 3600,
                    handle_seconds=need.load.handle_seconds,
                    patience_seconds=need.load.patience_seconds,
                    needed=need.listeners,
                    minimum=minimum[code],
                    rostered=round(on_shift, 3),
                    expected_service_level=expected,
                    verdict=verdict(on_shift, need.listeners),
                )
            )
    return hours


def _hour_start(now: datetime, timezone: str) -> datetime:
    window = ReportRange(now, now + timedelta(hours=1), timezone, Period.hour)
    return window.slot_start(window.slot_of(now))
