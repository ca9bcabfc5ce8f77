"""Coverage gaps: the hours ahead in which a language has fewer listeners rostered than the association
wants, which is the language's minimum or the staffing figure for that hour, whichever is higher."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from routing.errors import InvalidConfigurationError
from routing.reports.plan import plan_staffing
from schemas.tables import Association

MAX_DAYS = 31


@dataclass(frozen=True)
class CoverageGap:
    start: datetime  # local
    end: datetime
    language: str
    rostered: float
    wanted: int
    minimum: int
    needed: int


def find_coverage_gaps(
    session: Session, association: Association, now: datetime, *, days: int = 14, weeks: int = 8
) -> list[CoverageGap]:
    """Every local hour of the next ``days`` days, per enabled language, rostered below what is wanted."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidConfigurationError(f"days runs from 1 to {MAX_DAYS}", field="days", location="query")
    gaps = []
    for hour in plan_staffing(session, association, now, weeks=weeks, days=days):
        wanted = max(hour.minimum, hour.needed)
        if hour.rostered < wanted - 1e-9:
            end = hour.start + timedelta(hours=1)
            gaps.append(
                CoverageGap(hour.start, end, hour.language, hour.rostered, wanted, hour.minimum, hour.needed)
            )
    return gaps
