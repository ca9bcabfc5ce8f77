"""The configuration API under ``/api/v1``, one router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from app.api import (
    api_keys,
    associations,
    audit,
    board,
    catalog,
    languages,
    listeners,
    numbers,
    policies,
    privacy,
    providers,
    reports,
    roster,
    routing,
    safety,
    shifts,
    staff,
    staffing,
)
from schemas.api import ErrorMessage

ERRORS = {
    401: {"model": ErrorMessage, "description": "Missing, unknown or revoked API key"},
    403: {"model": ErrorMessage, "description": "The key's role does not allow this"},
    404: {"model": ErrorMessage, "description": "Not found, or not visible to this key"},
    409: {"model": ErrorMessage, "description": "Conflicts with existing configuration"},
}

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(catalog.router)
for module in (
    associations,
    numbers,
    providers,
    languages,
    listeners,
    shifts,
    roster,
    policies,
    routing,
    board,
    staff,
    reports,
    staffing,
    api_keys,
    audit,
    safety,
    privacy,
):
    api_router.include_router(module.router, responses=ERRORS)  # type: ignore[arg-type]
