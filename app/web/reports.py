"""The coordinators' reports page: the figures of a range per language (the API's ``…/reports``) drawn as the
API's chart, and the staffing heat map of the coming week (``…/staffing``), each with the same figures in a
table for anyone who cannot see the drawing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from app.charts import report_chart, staffing_chart
from app.deps import ServicesDep, SessionDep
from app.web.security import StaffDep, VisitorDep
from app.web.templating import render
from routing import reports
from routing.engine.shift_rules import zone
from routing.errors import InvalidConfigurationError
from schemas.tables import Association

router = APIRouter()

DEFAULT_DAYS = 7


@router.get("/reports")
def reports_page(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    association = session.get(Association, user.association_id)
    assert association is not None  # the signed-in person's association exists
    today = services.clock.now().astimezone(zone(association.timezone)).date()
    asked = request.query_params
    values = {
        "from": asked.get("from", (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()),
        "until": asked.get("until", today.isoformat()),
        "period": asked.get("period", "day") if asked.get("period") in ("day", "hour") else "day",
    }
    errors: dict[str, str] = {}
    report = None
    window = _window(association, values, errors)
    if window is not None:
        report = reports.build_report(session, association, window)
    hours = reports.plan_staffing(session, association, services.clock.now())
    return render(request, visitor, "reports.html", 200 if not errors else 422, values=values, errors=errors,
                  report=report, report_svg=Markup(report_chart(report)) if report else None,
                  hours=hours, staffing_svg=Markup(staffing_chart(hours)), short=_short_hours(hours),
                  timezone=association.timezone)  # fmt: skip


def _window(
    association: Association, values: dict[str, str], errors: dict[str, str]
) -> reports.ReportRange | None:
    """The range from the form's days (both included), or None with the refusal by its field."""
    days: dict[str, date] = {}
    for name in ("from", "until"):
        try:
            days[name] = date.fromisoformat(values[name])
        except ValueError:
            errors[name] = "Enter a date as YYYY-MM-DD"
    if errors:
        return None
    local = zone(association.timezone)
    start = datetime.combine(days["from"], time.min, tzinfo=local)
    end = datetime.combine(days["until"] + timedelta(days=1), time.min, tzinfo=local)
    try:
        return reports.ReportRange(start, end, association.timezone, reports.Period(values["period"]))
    except InvalidConfigurationError as exc:
        errors["until"] = str(exc)
        return None


def _short_hours(hours: list[reports.StaffingHour]) -> dict[str, list[reports.StaffingHour]]:
    """Per language, the hours with fewer listeners rostered than needed: the text beside the heat map."""
    found: dict[str, list[reports.StaffingHour]] = {}
    for hour in hours:
        found.setdefault(hour.language, [])
        if hour.verdict == "short":
            found[hour.language].append(hour)
    return found
