"""The coverage heat map: the next 14 days, language by hour, how many listeners are rostered; an hour with
nobody is red and says 0. A CSS grid with colour bins, no chart library."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.deps import ServicesDep, SessionDep
from app.web.security import StaffDep, VisitorDep
from app.web.templating import render
from app.web.today import timezone_of
from routing import roster
from routing.engine.shift_rules import zone

router = APIRouter()


def heat_bin(count: int) -> str:
    """The colour class of a cell: none (nobody), one, two, many."""
    return "none" if count == 0 else "one" if count == 1 else "two" if count == 2 else "many"


@router.get("/coverage")
def coverage_page(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    timezone = timezone_of(session, user)
    local = services.clock.now().astimezone(zone(timezone))
    start = datetime.combine(local.date(), datetime.min.time(), tzinfo=zone(timezone))
    found = roster.coverage(session, user.association_id, start, days=14)
    return render(request, visitor, "coverage.html", coverage=found, heat_bin=heat_bin, timezone=timezone)
