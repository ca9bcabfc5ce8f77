"""Error pages for people: a short message in their language and a way back, never a stack trace or JSON."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from app.web.security import current_visitor
from app.web.templating import render


def render_error(request: Request, status: int) -> HTMLResponse:
    services = request.app.state.services
    try:
        with Session(services.engine) as session:
            visitor = current_visitor(request, services, session)
    except Exception:  # the error may be the database itself: still answer a page
        from app.web.security import Visitor

        visitor = Visitor(None, None, "", False, "")
    return render(request, visitor, "error.html", status, status=status)
