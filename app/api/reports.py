"""Reports per language and period, as JSON, CSV (``?format=csv`` or ``Accept: text/csv``) or an SVG chart.
Figures come from the database (``routing.reports``); definitions in docs/reports.md."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.auth import ScopedAssociation
from app.api.shifts import in_zone
from app.charts import report_chart
from app.deps import ClockDep, SessionDep
from routing import reports
from routing.engine.shift_rules import zone
from schemas.api import LanguageCode, Moment, ReportFigures, ReportRead
from schemas.tables import Association

router = APIRouter(prefix="/associations/{association_id}/reports", tags=["reports"])

CSV_COLUMNS = list(ReportFigures.model_fields)
Format = Literal["json", "csv"]


def report_range(
    association: Association, clock_now: datetime, start: datetime | None, end: datetime | None, period: str
) -> reports.ReportRange:
    """The range asked for, read in the association's zone; by default the last seven days."""
    now = clock_now.astimezone(zone(association.timezone))
    until = in_zone(end, association) if end else now
    since = in_zone(start, association) if start else until - timedelta(days=7)
    return reports.ReportRange(since, until, association.timezone, reports.Period(period))


def figures(row: reports.ReportRow) -> ReportFigures:
    t = row.tally
    return ReportFigures(
        period_start=row.period_start, language=row.language,
        calls_offered=t.calls_offered, calls_answered=t.calls_answered,
        calls_answered_in_target=t.calls_in_target, calls_abandoned=t.calls_abandoned,
        calls_short_abandoned=t.calls_short_abandoned, texts_offered=t.texts_offered,
        texts_answered=t.texts_answered, texts_abandoned=t.texts_abandoned,
        asa_seconds=row.asa_seconds, texts_asa_seconds=row.texts_asa_seconds,
        service_level=row.service_level, abandon_rate=row.abandon_rate, aht_seconds=row.aht_seconds,
        callbacks_requested=t.callbacks_requested, callbacks_made=t.callbacks_made,
        callbacks_failed=t.callbacks_failed, crisis_presses=t.crisis_presses, crisis_texts=t.crisis_texts,
        crisis_transfers=t.crisis_transfers, shift_hours=round(row.shift_hours, 3),
        call_hours=round(row.call_hours, 3),
    )  # fmt: skip


def present(report: reports.Report) -> ReportRead:
    return ReportRead(
        start=report.range.start,
        end=report.range.end,
        period=report.range.period.value,
        timezone=report.range.timezone,
        short_abandon_seconds=report.short_abandon_seconds,
        answer_target_seconds=report.answer_target_seconds,
        rows=[figures(row) for row in report.rows],
        by_language=[figures(row) for row in report.by_language],
        total=figures(report.total),
    )


def as_csv(report: ReportRead) -> str:
    """Every period's row per language, then the whole range per language, then the total."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in [*report.rows, *report.by_language, report.total]:
        writer.writerow(row.model_dump(mode="json"))
    return out.getvalue()


def wants_csv(request: Request, format: Format | None) -> bool:
    if format is not None:
        return format == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


FromQuery = Annotated[Moment | None, Query(alias="from", description="Start; default 7 days before `to`")]
ToQuery = Annotated[Moment | None, Query(alias="to", description="End (excluded); default now")]
PeriodQuery = Annotated[Literal["hour", "day"], Query(description="Local hours or days of the association")]
LanguagesQuery = Annotated[list[LanguageCode] | None, Query(alias="language", max_length=30)]


def build(
    association: ScopedAssociation,
    session: SessionDep,
    clock: ClockDep,
    start: FromQuery = None,
    end: ToQuery = None,
    period: PeriodQuery = "day",
    language: LanguagesQuery = None,
) -> reports.Report:
    """The report the query asks for (a dependency: the JSON, CSV and chart routes read the same one)."""
    window = report_range(association, clock.now(), start, end, period)
    return reports.build_report(session, association, window, frozenset(language or ()))


ReportDep = Annotated[reports.Report, Depends(build)]


@router.get(
    "",
    response_model=ReportRead,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def read_report(
    report: ReportDep,
    request: Request,
    format: Annotated[Format | None, Query(description="csv or json; default from Accept")] = None,
) -> ReportRead | Response:
    """Contacts offered (calls and texts apart), answered, abandoned, ASA, service level, AHT, callbacks,
    crisis presses and transfers, listener hours on shift and on calls, per period and language."""
    shown = present(report)
    if wants_csv(request, format):
        return Response(
            as_csv(shown),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="samvaad-report.csv"'},
        )
    return shown


@router.get("/chart.svg", response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def read_report_chart(report: ReportDep) -> Response:
    """The same figures drawn by Samvaad: calls per period (answered within the target, answered later,
    abandoned, other) and the service level, for the languages asked for (all by default)."""
    return Response(report_chart(report), media_type="image/svg+xml")
