"""Routing's errors become HTTP answers here, in one place: a JSON 4xx with a message, never a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from routing.errors import (
    ConflictError,
    InvalidConfigurationError,
    InvalidPhoneNumberError,
    NotFoundError,
    RoutingError,
)

logger = logging.getLogger(__name__)

STATUS_FOR: dict[type[RoutingError], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    InvalidPhoneNumberError: 422,
    InvalidConfigurationError: 422,
}


async def routing_error_to_json(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RoutingError)
    status = next((code for kind, code in STATUS_FOR.items() if isinstance(exc, kind)), 400)
    return JSONResponse(status_code=status, content={"detail": str(exc)})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RoutingError, routing_error_to_json)
