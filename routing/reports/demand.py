"""Demand per language and hour of the week, from the last weeks of calls, and the listeners it needs.

Arrivals are the calls offered in that hour of the week divided by the weeks; handle time is that hour's
mean, or the language's when that hour handled fewer than ``MIN_HANDLED`` calls, or the association's;
patience is the total wait of the language's calls divided by its abandons (the estimate for an exponential
patience censored by service, Brown et al. 2005), unknown (so Erlang C) without abandons. Texts are left
out: a listener holds several conversations at once, which no Erlang model describes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from routing.reports.figures import US, Tally, contact_tallies
from routing.reports.periods import Period, ReportRange
from routing.reports.staffing import Load, listeners_needed
from schemas.tables import Association

HOURS_OF_WEEK = 168
MIN_HANDLED = 5
DEFAULT_HANDLE_SECONDS = 600.0
Model = Literal["erlang-a", "erlang-c"]


@dataclass(frozen=True)
class Need:
    load: Load
    listeners: int


def hour_of_week(slot: int) -> int:
    """Monday 00:00 is 0. ``slot`` counts local hours from 1970-01-01 00:00, a Thursday."""
    return ((slot // 24 + 3) % 7) * 24 + slot % 24


def measure_demand(
    session: Session, association: Association, now: datetime, weeks: int, languages: list[str]
) -> dict[tuple[str, int], Load]:
    """(language, hour of the week) -> the load of the last ``weeks`` weeks of calls."""
    window = ReportRange(now - timedelta(weeks=weeks), now, association.timezone, Period.hour)
    return fold_demand(contact_tallies(session, association, window), weeks, languages)


def fold_demand(
    tallies: dict[tuple[int, str], Tally], weeks: int, languages: list[str]
) -> dict[tuple[str, int], Load]:
    cells: dict[tuple[str, int], Tally] = defaultdict(Tally)
    per_language: dict[str, Tally] = defaultdict(Tally)
    for (slot, language), tally in tallies.items():
        cells[(language, hour_of_week(slot))].add(tally)
        per_language[language].add(tally)
    everyone = Tally()
    for tally in per_language.values():
        everyone.add(tally)
    fallback = _handle_seconds(everyone) or DEFAULT_HANDLE_SECONDS
    loads = {}
    for language in languages:
        overall = per_language.get(language, Tally())
        handle = _handle_seconds(overall) or fallback
        patience = _patience_seconds(overall)
        for hour in range(HOURS_OF_WEEK):
            cell = cells.get((language, hour), Tally())
            own = _handle_seconds(cell) if cell.calls_handled >= MIN_HANDLED else None
            rate = cell.calls_offered / weeks / 3600
            loads[(language, hour)] = Load(rate, own or handle, patience)
    return loads


def _handle_seconds(tally: Tally) -> float | None:
    return tally.calls_handle_us / US / tally.calls_handled if tally.calls_handled else None


def _patience_seconds(tally: Tally) -> float | None:
    if not tally.calls_abandoned:
        return None
    return max(1.0, (tally.calls_wait_us + tally.calls_abandoned_wait_us) / US / tally.calls_abandoned)


def needs(
    loads: dict[tuple[str, int], Load], target_seconds: float, goal: float, model: Model = "erlang-a"
) -> dict[tuple[str, int], Need]:
    """The listeners each cell needs; Erlang C ignores the callers' patience."""
    found = {}
    for key, load in loads.items():
        used = load if model == "erlang-a" else Load(load.arrivals_per_second, load.handle_seconds)
        found[key] = Need(used, listeners_needed(used, target_seconds, goal))
    return found
