"""Staffing beside the roster, and the coverage gaps of the coming days (definitions in docs/reports.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.auth import ScopedAssociation
from app.charts import staffing_chart
from app.deps import ClockDep, SessionDep
from routing import reports
from schemas.api import CoverageGapRead, StaffingHourRead

router = APIRouter(prefix="/associations/{association_id}", tags=["reports"])

WeeksQuery = Annotated[int, Query(ge=1, le=52, description="Weeks of history the demand is measured on")]


@router.get("/staffing", response_model=list[StaffingHourRead])
def read_staffing(
    association: ScopedAssociation,
    session: SessionDep,
    clock: ClockDep,
    weeks: WeeksQuery = 8,
    days: Annotated[int, Query(ge=1, le=14)] = 7,
    model: Literal["erlang-a", "erlang-c"] = "erlang-a",
) -> list[StaffingHourRead]:
    """Each hour of the next ``days`` days per language: calls expected (from the last ``weeks`` weeks),
    listeners needed for the service-level target, listeners rostered, and short / enough / more than
    needed."""
    hours = reports.plan_staffing(session, association, clock.now(), weeks=weeks, days=days, model=model)
    return [StaffingHourRead.model_validate(asdict(hour)) for hour in hours]


@router.get(
    "/staffing/chart.svg", response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}}
)
def read_staffing_chart(
    association: ScopedAssociation,
    session: SessionDep,
    clock: ClockDep,
    weeks: WeeksQuery = 8,
    days: Annotated[int, Query(ge=1, le=14)] = 7,
    model: Literal["erlang-a", "erlang-c"] = "erlang-a",
) -> Response:
    """The same hours as a heat map drawn by Samvaad: a row per language, short / enough / more than needed."""
    hours = reports.plan_staffing(session, association, clock.now(), weeks=weeks, days=days, model=model)
    return Response(staffing_chart(hours), media_type="image/svg+xml")


@router.get("/coverage-gaps", response_model=list[CoverageGapRead])
def read_coverage_gaps(
    association: ScopedAssociation,
    session: SessionDep,
    clock: ClockDep,
    days: Annotated[int, Query(ge=1, le=31)] = 14,
    weeks: WeeksQuery = 8,
) -> list[CoverageGapRead]:
    """Every hour of the next ``days`` days in which a language has fewer listeners rostered than wanted:
    its minimum on shift or the staffing figure, whichever is higher."""
    gaps = reports.find_coverage_gaps(session, association, clock.now(), days=days, weeks=weeks)
    return [CoverageGapRead.model_validate(asdict(gap)) for gap in gaps]
