"""``/docs`` (Swagger UI) and ``/redoc`` from files Samvaad serves itself (``app/static/vendor``, pinned), so
the API documentation renders on a network with no internet. Nothing is fetched from a CDN."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter()

VENDOR = "/static/vendor"
SWAGGER_JS = f"{VENDOR}/swagger-ui-bundle-5.35.0.js"
SWAGGER_CSS = f"{VENDOR}/swagger-ui-5.35.0.css"
FAVICON = f"{VENDOR}/swagger-favicon-32x32.png"
REDOC_JS = f"{VENDOR}/redoc-2.5.2.standalone.js"


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title="Samvaad API",
        swagger_js_url=SWAGGER_JS,
        swagger_css_url=SWAGGER_CSS,
        swagger_favicon_url=FAVICON,
    )


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=request.app.openapi_url,
        title="Samvaad API",
        redoc_js_url=REDOC_JS,
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
