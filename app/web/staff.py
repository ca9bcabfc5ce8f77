"""Admins' staff page: the association's coordinators and admins, adding one (name, phone, role) and
deactivating one, through the same functions, checks and audit as ``…/staff`` in the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ServicesDep, SessionDep, commit
from app.web.forms import FormErrors, attempt, parse
from app.web.security import AdminDep, FormDep, VisitorDep, actor_for, web_sessions
from app.web.templating import redirect, render
from routing import access
from routing.access import Account
from schemas.api import StaffCreate, StaffUpdate

router = APIRouter()


def _page(
    request: Request, visitor: Any, session: Session, user: Account, status: int = 200, **extra: Any
) -> Response:
    rows = access.list_staff(session, user.association_id)
    return render(request, visitor, "staff.html", status, rows=rows, **extra)


@router.get("/staff")
def staff_page(request: Request, visitor: VisitorDep, user: AdminDep, session: SessionDep) -> Response:
    return _page(request, visitor, session, user)


@router.post("/staff")
def add_staff(
    request: Request,
    form: FormDep,
    visitor: VisitorDep,
    user: AdminDep,
    services: ServicesDep,
    session: SessionDep,
) -> Response:
    try:
        data = parse(StaffCreate, {k: form.get(k) for k in ("name", "phone", "role") if form.get(k)})
        attempt(lambda: access.create_staff(session, services.vault, user.association_id, data,
                                            actor_for(user, services)))  # fmt: skip
    except FormErrors as refused:
        session.rollback()
        values = {k: v for k, v in form.items() if k != "phone"}
        return _page(request, visitor, session, user, 422, errors=refused.errors, values=values)
    commit(session)
    return redirect("/staff")


@router.post("/staff/{staff_id}/deactivate")
def deactivate(
    staff_id: int, form: FormDep, user: AdminDep, services: ServicesDep, session: SessionDep
) -> Response:
    """They can no longer sign in, and every session they have ends now."""
    row = access.get_staff(session, user.association_id, staff_id)
    access.update_staff(session, services.vault, row, StaffUpdate(active=False), actor_for(user, services))
    commit(session)
    web_sessions(services).end_everywhere("staff", staff_id)
    return redirect("/staff")
