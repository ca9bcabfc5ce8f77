"""Routing's errors become HTTP answers here, in one place: a JSON 4xx with a message, never a 500.

Invalid configuration answers 422 in FastAPI's own shape (``detail: [{loc, msg, type}]``), so a client reads
a Babel or phone-number refusal exactly like a schema refusal. A last-resort handler answers a JSON 500 and
logs the error type (never the request body, which may hold a phone number); on the messaging webhook it
answers an empty TwiML ``<Response/>`` instead, because Twilio reads anything else as a failed webhook.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.web.security import FormRefused, SignInRequired
from routing.errors import (
    ConflictError,
    InvalidConfigurationError,
    InvalidPhoneNumberError,
    NotFoundError,
    RoutingError,
)
from telephony import twiml

logger = logging.getLogger(__name__)

MESSAGING_WEBHOOK = "/messaging/"
NOT_PAGES = (
    "/api/",
    "/twilio/",
    "/messaging/",
    "/healthz",
    "/livez",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/static/",
)
STATUS_FOR: dict[type[RoutingError], int] = {
    NotFoundError: 404,
    ConflictError: 409,
    InvalidPhoneNumberError: 422,
    InvalidConfigurationError: 422,
}


def field_location(exc: RoutingError) -> list[str | int]:
    """``steps.0.languages`` in the body becomes ``["body", "steps", 0, "languages"]``."""
    parts = str(exc.details.get("field", "")).split(".") if exc.details.get("field") else []
    where: list[str | int] = [str(exc.details.get("location", "body"))]
    return where + [int(p) if p.isdigit() else p for p in parts]


def is_page(request: Request) -> bool:
    """A web page (not the API, a webhook or the docs' JSON): errors answer as a page, never as JSON."""
    return not request.url.path.startswith(NOT_PAGES)


async def routing_error_to_json(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RoutingError)
    status = next((code for kind, code in STATUS_FOR.items() if isinstance(exc, kind)), 400)
    if is_page(request):
        return error_page(request, status)
    if status == 422:
        detail = [{"loc": field_location(exc), "msg": str(exc), "type": "value_error"}]
        return JSONResponse(status_code=422, content={"detail": detail})
    return JSONResponse(status_code=status, content={"detail": str(exc)})


async def invalid_request_to_json(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's shape without echoing the input: it may hold a phone number, or text JSON cannot encode."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]
    return JSONResponse(status_code=422, content={"detail": detail})


async def unexpected_error_to_json(request: Request, exc: Exception) -> Response:
    logger.error(
        "unexpected error method=%s path=%s error=%s", request.method, request.url.path, type(exc).__name__
    )
    if request.url.path.startswith(MESSAGING_WEBHOOK):
        return Response(twiml.render_messages(), media_type=twiml.TWIML_MEDIA_TYPE)
    if is_page(request):
        return error_page(request, 500)
    return JSONResponse(status_code=500, content={"detail": "internal error"})


def error_page(request: Request, status: int) -> Response:
    from app.web.pages import render_error

    return render_error(request, status)


async def sign_in_first(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/sign-in", status_code=303)


async def form_refused(request: Request, exc: Exception) -> Response:
    return error_page(request, 403)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such route) as a page for people, as JSON for the API."""
    assert isinstance(exc, StarletteHTTPException)
    if is_page(request) and exc.status_code in (404, 405):
        return error_page(request, exc.status_code)
    return await http_exception_handler(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, sign_in_first)
    app.add_exception_handler(FormRefused, form_refused)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RoutingError, routing_error_to_json)
    app.add_exception_handler(RequestValidationError, invalid_request_to_json)
    app.add_exception_handler(Exception, unexpected_error_to_json)
