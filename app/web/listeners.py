"""The coordinators' listeners page: who is verified, whose peer-support training lapses in the next 30
days, who was paused automatically after missed offers, and the action that mends each (verify, record the
renewed training, resume), through the same roster functions and audit as the API."""

from __future__ import annotations

from datetime import timedelta
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
from routing.engine.live import LiveState
from routing.engine.shift_rules import zone
from schemas.api import ListenerUpdate

router = APIRouter()

LAPSE_WARNING_DAYS = 30


def _page(request: Request, visitor: Any, session: Session, user: Account, services: Any,
          status: int = 200, **extra: Any) -> Response:  # fmt: skip
    today = services.clock.now().astimezone(zone(timezone_of(session, user))).date()
    rows = roster.list_listeners(session, user.association_id)
    spoken = roster.spoken_languages(session, [row.id for row in rows if row.id is not None])
    paused = roster.paused_reasons(session, [row.id for row in rows if row.id is not None])
    return render(request, visitor, "listeners.html", status, rows=rows, spoken=spoken, paused=paused,
                  today=today, soon=today + timedelta(days=LAPSE_WARNING_DAYS), **extra)  # fmt: skip


@router.get("/listeners")
def listeners_page(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    return _page(request, visitor, session, user, services)


@router.post("/listeners/{listener_id}/verify")
def verify(
    listener_id: int, form: FormDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    row = roster.get_listener(session, user.association_id, listener_id)
    update = ListenerUpdate(registration_verified=True)
    roster.update_listener(session, services.vault, row, update, actor_for(user, services))
    commit(session)
    return redirect("/listeners")


@router.post("/listeners/{listener_id}/training")
def renew_training(
    request: Request, listener_id: int, form: FormDep, visitor: VisitorDep, user: StaffDep,
    services: ServicesDep, session: SessionDep,
) -> Response:  # fmt: skip
    row = roster.get_listener(session, user.association_id, listener_id)
    try:
        update = parse(ListenerUpdate, {"training_valid_until": form.get("until") or None})
        attempt(
            lambda: roster.update_listener(session, services.vault, row, update, actor_for(user, services))
        )
    except FormErrors as refused:
        session.rollback()
        errors = {f"training_{listener_id}": next(iter(refused.errors.values()))}
        return _page(request, visitor, session, user, services, 422, errors=errors)
    commit(session)
    return redirect("/listeners")


@router.post("/listeners/{listener_id}/resume")
def resume(
    listener_id: int, form: FormDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    actor = actor_for(user, services)
    roster.come_back(session, LiveState(services.redis), user.association_id, listener_id, actor)
    commit(session)
    return redirect("/listeners")
