"""The roster: a week per language, and forms to add, move and end shifts (one-off or weekly). The forms
build the API's own ``ShiftCreate``/``ShiftUpdate`` and call the same roster functions, so they refuse what
the API refuses, with the same messages, shown beside the field."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ServicesDep, SessionDep, commit
from app.web.forms import FormErrors, attempt, parse
from app.web.security import FormDep, StaffDep, VisitorDep, actor_for
from app.web.templating import redirect, render
from app.web.today import timezone_of
from routing import roster
from routing.access import Account
from routing.configuration import list_languages
from routing.engine.shift_rules import zone
from schemas.api import ShiftCreate, ShiftUpdate

router = APIRouter()

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# Form fields -> the API fields whose refusals they show.
FIELD_OF = {"starts_at": "start", "duration_minutes": "hours", "rrule": "days", "listener_id": "listener_id"}


def week_of(text: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(text) if text else today
    except ValueError:
        day = today
    return day - timedelta(days=day.weekday())


def _page(request: Request, visitor: Any, session: Session, user: Account, services: Any,
          language: str | None, week: str | None, status: int = 200, **extra: Any) -> Response:  # fmt: skip
    timezone = timezone_of(session, user)
    tz = zone(timezone)
    monday = week_of(week, services.clock.now().astimezone(tz).date())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    languages = [row.code for row in list_languages(session, user.association_id)]
    chosen = language if language in languages else (languages[0] if languages else "")
    listeners = roster.list_listeners(session, user.association_id)
    spoken = roster.spoken_languages(session, [row.id for row in listeners if row.id is not None])
    speakers = {row.id for row in listeners if any(s.code == chosen for s in spoken.get(row.id or 0, []))}
    slots = [s for s in roster.occurrences_between(session, user.association_id, start, start + timedelta(weeks=1))
             if s.shift.listener_id in speakers]  # fmt: skip
    days = [(monday + timedelta(days=i), [s for s in slots if s.occurrence.start.astimezone(tz).date()
             == monday + timedelta(days=i)]) for i in range(7)]  # fmt: skip
    return render(request, visitor, "roster.html", status, languages=languages, language=chosen,
                  monday=monday, days=days, listeners=listeners, names={r.id: r.name for r in listeners},
                  timezone=timezone, weekdays=DAYS, timedelta=timedelta, **extra)  # fmt: skip


@router.get("/roster")
def roster_page(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    query = request.query_params
    return _page(request, visitor, session, user, services, query.get("language"), query.get("week"))


def shift_fields(form: dict[str, str], timezone: str) -> dict[str, Any]:
    """The API's shift fields from the form: a local start, hours as minutes, weekly days as an RRULE."""
    fields: dict[str, Any] = {"timezone": timezone}
    if form.get("date") or form.get("time"):
        fields["starts_at"] = f"{form.get('date', '')}T{form.get('time', '')}"
    if form.get("hours"):
        try:
            fields["duration_minutes"] = round(float(form["hours"]) * 60)
        except ValueError:
            fields["duration_minutes"] = form["hours"]
    days = [day for day in DAYS if form.get(f"day_{day}")]
    if form.get("repeat") == "weekly":
        fields["rrule"] = f"FREQ=WEEKLY;BYDAY={','.join(days)}" if days else "FREQ=WEEKLY"
    return fields


def _shown(errors: dict[str, str]) -> dict[str, str]:
    return {FIELD_OF.get(name, name): message for name, message in errors.items()}


@router.post("/roster/shifts")
def add_shift(
    request: Request,
    form: FormDep,
    visitor: VisitorDep,
    user: StaffDep,
    services: ServicesDep,
    session: SessionDep,
) -> Response:
    timezone = timezone_of(session, user)
    fields = {**shift_fields(form, timezone), "listener_id": form.get("listener_id") or None}
    try:
        data = parse(ShiftCreate, fields)
        attempt(lambda: roster.create_shift(session, user.association_id, data, actor_for(user, services)))
    except FormErrors as refused:
        session.rollback()
        return _page(request, visitor, session, user, services, form.get("language"), form.get("week"), 422,
                     errors=_shown(refused.errors), values=form)  # fmt: skip
    commit(session)
    return redirect(f"/roster?language={form.get('language', '')}&week={form.get('date', '')}")


def _refused_beside(request: Request, visitor: Any, session: Session, user: Account, services: Any,
                    form: dict[str, str], name: str, refused: FormErrors) -> Response:  # fmt: skip
    """The week again, with a one-shift form's refusal beside that form (``name``), nothing changed."""
    session.rollback()
    errors = {name: next(iter(refused.errors.values()))}
    return _page(request, visitor, session, user, services, form.get("language"), form.get("week"), 422,
                 errors=errors)  # fmt: skip


@router.post("/roster/shifts/{shift_id}/move")
def move_shift(
    request: Request, shift_id: int, form: FormDep, visitor: VisitorDep, user: StaffDep,
    services: ServicesDep, session: SessionDep,
) -> Response:  # fmt: skip
    row = roster.get_shift(session, user.association_id, shift_id)
    fields = {
        k: v for k, v in shift_fields(form, row.timezone).items() if k in ("starts_at", "duration_minutes")
    }
    try:
        data = parse(ShiftUpdate, fields)
        attempt(lambda: roster.update_shift(session, row, data, actor_for(user, services)))
    except FormErrors as refused:
        return _refused_beside(request, visitor, session, user, services, form, f"move_{shift_id}", refused)
    commit(session)
    return redirect(f"/roster?language={form.get('language', '')}&week={form.get('date', '')}")


@router.post("/roster/shifts/{shift_id}/end-from")
def end_shift_from(
    request: Request, shift_id: int, form: FormDep, visitor: VisitorDep, user: StaffDep,
    services: ServicesDep, session: SessionDep,
) -> Response:  # fmt: skip
    """A weekly shift ends from a day on: later occurrences disappear, earlier ones stay."""
    row = roster.get_shift(session, user.association_id, shift_id)
    try:
        try:
            day = date.fromisoformat(form.get("from", ""))
        except ValueError:
            raise FormErrors({"from": "Enter a date as YYYY-MM-DD"}) from None
        attempt(lambda: roster.end_shift_from(session, row, day, actor_for(user, services)))
    except FormErrors as refused:
        return _refused_beside(
            request, visitor, session, user, services, form, f"end_from_{shift_id}", refused
        )
    commit(session)
    return redirect(f"/roster?language={form.get('language', '')}&week={form.get('week', '')}")


@router.post("/roster/shifts/{shift_id}/end")
def end_shift(
    shift_id: int, form: FormDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    row = roster.get_shift(session, user.association_id, shift_id)
    roster.delete_shift(session, row, actor_for(user, services))
    commit(session)
    return redirect(f"/roster?language={form.get('language', '')}&week={form.get('week', '')}")
