"""My profile: the languages I speak and how well, how codes and reminders reach me (WhatsApp or SMS), and
the language of the app. A listener changes their listener record, a staff member their staff record,
through the same functions (and checks, and audit) as the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ServicesDep, SessionDep, commit
from app.web.forms import FormErrors, attempt, parse
from app.web.security import FormDep, UserDep, VisitorDep, actor_for
from app.web.templating import redirect, render
from routing import access, roster
from routing.access import Account
from schemas.api import ListenerUpdate, StaffUpdate
from schemas.tables import Listener, ListenerLanguage, Proficiency, StaffMember

router = APIRouter()


def _record(session: Session, user: Account) -> Listener | StaffMember:
    if user.is_staff:
        return access.get_staff(session, user.association_id, user.account_id)
    return roster.get_listener(session, user.association_id, user.account_id)


def _spoken(session: Session, user: Account) -> list[ListenerLanguage]:
    if user.is_staff:
        return []
    return roster.spoken_languages(session, [user.account_id]).get(user.account_id, [])


def _page(
    request: Request, visitor: Any, session: Session, user: Account, status: int = 200, **extra: Any
) -> Response:
    row = _record(session, user)
    channel = row.text_channel if isinstance(row, Listener) else row.code_channel
    return render(request, visitor, "profile.html", status, row=row, channel=channel.value,
                  spoken=_spoken(session, user), levels=list(Proficiency), **extra)  # fmt: skip


@router.get("/me/profile")
def profile(request: Request, visitor: VisitorDep, user: UserDep, session: SessionDep) -> Response:
    return _page(request, visitor, session, user, saved=request.query_params.get("saved") == "1")


@router.post("/me/profile")
def save_profile(
    request: Request,
    form: FormDep,
    visitor: VisitorDep,
    user: UserDep,
    services: ServicesDep,
    session: SessionDep,
) -> Response:
    actor = actor_for(user, services)
    row = _record(session, user)
    try:
        if isinstance(row, Listener):
            data = {"text_channel": form.get("channel"), "app_language": form.get("app_language") or None}
            languages = [{"code": s.code, "proficiency": form.get(f"level_{s.code}", s.proficiency.value)}
                         for s in _spoken(session, user)]  # fmt: skip
            update = parse(ListenerUpdate, {k: v for k, v in {**data, "languages": languages}.items() if v})
            attempt(lambda: roster.update_listener(session, services.vault, row, update, actor))
        else:
            staff = parse(
                StaffUpdate, {"code_channel": form.get("channel"), "app_language": form.get("app_language")}
            )
            attempt(lambda: access.update_staff(session, services.vault, row, staff, actor))
    except FormErrors as refused:
        session.rollback()
        return _page(request, visitor, session, user, 422, errors=refused.errors)
    commit(session)
    return redirect("/me/profile?saved=1")
