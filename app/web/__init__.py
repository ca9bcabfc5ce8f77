"""The listeners' and coordinators' web app: server-rendered pages, one module per page concern.

Each page reads the session's person (``app.web.security``), calls the same routing functions the API
calls, and renders a template from ``app/templates`` with the person's language.
"""

from fastapi import APIRouter

from app.web import board, coverage, docs, listeners, profile, reports, roster, signin, staff, today

web_router = APIRouter(include_in_schema=False)
for module in (signin, today, profile, board, roster, coverage, reports, listeners, staff, docs):
    web_router.include_router(module.router)
