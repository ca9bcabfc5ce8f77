"""A listener's pages: Today (on shift until when, my state in one tap, who waits in my languages) and My
shifts (this week and next, in my time zone). Staff have their own pages; here they get 404."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.deps import ServicesDep, SessionDep, commit
from app.web.security import FormDep, ListenerDep, VisitorDep, actor_for
from app.web.templating import redirect, render
from routing import engine, roster
from routing.access import Account
from routing.engine.live import LiveState
from routing.engine.shift_rules import zone
from routing.errors import InvalidConfigurationError, NotFoundError
from schemas.tables import Association
from workers.text_jobs import deliver_offers, text_queue
from workers.voice_jobs import enqueue_offer_calls

router = APIRouter()


def timezone_of(session: Session, account: Account) -> str:
    association = session.get(Association, account.association_id)
    return association.timezone if association else "Asia/Kolkata"


def my_state(session: Session, live: LiveState, listener_id: int) -> str:
    """``available``, ``on a break`` (``break``), ``offline``, or what the engine is doing with them."""
    reason = roster.paused_reason(session, listener_id)
    if reason in roster.PAUSE_REASONS:
        return reason
    found = live.listener(listener_id)
    return found.state if found else "offline"


@router.get("/me")
def today(
    request: Request, visitor: VisitorDep, user: ListenerDep, services: ServicesDep, session: SessionDep
) -> Response:
    now = services.clock.now()
    live = LiveState(services.redis)
    spoken = roster.spoken_languages(session, [user.account_id]).get(user.account_id, [])
    board = engine.read_board(session, live, user.association_id, now, only={s.code for s in spoken})
    return render(
        request, visitor, "today.html",
        slot=roster.current_slot(session, user.association_id, user.account_id, now),
        state=my_state(session, live, user.account_id),
        urgent=engine.is_rung_for_crisis(live, user.account_id),
        paused_reason=roster.paused_reason(session, user.account_id),
        board=board,
        timezone=timezone_of(session, user),
    )  # fmt: skip


@router.post("/me/state")
def change_state(form: FormDep, user: ListenerDep, services: ServicesDep, session: SessionDep) -> Response:
    """One tap: available, on a break, or offline, in routing at once (the engine's own pause/resume)."""
    live = LiveState(services.redis)
    actor = actor_for(user, services)
    wanted = form.get("state", "")
    if wanted == "available":
        offer = roster.come_back(session, live, user.association_id, user.account_id, actor)
        commit(session)
        if offer is not None:  # someone was waiting for them: ring or text them now, as the engine would
            queue = text_queue(services.redis)
            enqueue_offer_calls(queue, [offer])
            deliver_offers(queue, [offer])
    elif wanted in roster.PAUSE_REASONS:
        roster.take_break(session, live, user.association_id, user.account_id, wanted, actor)
        commit(session)
    return redirect("/me")


@router.get("/me/shifts")
def my_shifts(
    request: Request, visitor: VisitorDep, user: ListenerDep, services: ServicesDep, session: SessionDep
) -> Response:
    timezone = timezone_of(session, user)
    now = services.clock.now()
    local = now.astimezone(zone(timezone))
    week_start = datetime.combine(local.date() - timedelta(days=local.weekday()), datetime.min.time(),
                                  tzinfo=zone(timezone))  # fmt: skip
    weeks = []
    for index in range(2):
        start = week_start + timedelta(weeks=index)
        slots = roster.occurrences_between(session, user.association_id, start, start + timedelta(weeks=1),
                                           user.account_id)  # fmt: skip
        weeks.append((start, slots))
    names = {row.id: row.name for row in roster.list_listeners(session, user.association_id)}
    return render(request, visitor, "my_shifts.html", weeks=weeks, timezone=timezone, now=now,
                  open_slots=roster.list_open(session, user.association_id, now), names=names,
                  errors={"shift": request.query_params.get("refused", "")})  # fmt: skip


@router.post("/me/shifts/give-up")
def give_up_shift(form: FormDep, user: ListenerDep, services: ServicesDep, session: SessionDep) -> Response:
    """The occurrence becomes an open shift: routing stops counting the listener on it at once, and the
    coordinators' board lists it."""
    try:
        shift_id, start = int(form.get("shift_id", "")), int(form.get("start", ""))
    except ValueError as exc:
        raise NotFoundError("shift not found") from exc
    try:
        roster.give_up(
            session, user.association_id, user.account_id, shift_id, start, actor_for(user, services)
        )
    except InvalidConfigurationError:
        return redirect("/me/shifts?refused=1")
    commit(session)
    engine.sync_roster(session, LiveState(services.redis), user.association_id, services.clock.now())
    return redirect("/me/shifts")


@router.post("/me/shifts/take")
def take_shift(form: FormDep, user: ListenerDep, services: ServicesDep, session: SessionDep) -> Response:
    try:
        open_id = int(form.get("open_id", ""))
    except ValueError as exc:
        raise NotFoundError("open shift not found") from exc
    try:
        roster.take(session, user.association_id, user.account_id, open_id, actor_for(user, services))
    except InvalidConfigurationError:
        return redirect("/me/shifts?refused=1")
    commit(session)
    engine.sync_roster(session, LiveState(services.redis), user.association_id, services.clock.now())
    return redirect("/me/shifts")
