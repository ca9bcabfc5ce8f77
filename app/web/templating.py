"""Rendering a page: the template, the person's language, their CSRF token and what the menu shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from app.web.security import BROWSER_COOKIE, Visitor
from locales import resolve_locale, web_locales, web_translator_for
from locales.language_names import native_name

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
BROWSER_COOKIE_DAYS = 30


def page_locale(visitor: Visitor, request: Request) -> str:
    """The signed-in person's chosen language; before sign-in, the browser's first language."""
    if visitor.account is not None:
        return resolve_locale(visitor.account.locale)
    asked = request.headers.get("accept-language", "").split(",")[0].split(";")[0]
    return resolve_locale(asked)


def render(
    request: Request, visitor: Visitor, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    locale = page_locale(visitor, request)
    translator = web_translator_for(locale)
    base = {
        "_": translator.gettext,
        "ngettext": translator.ngettext,
        "locale": locale.replace("_", "-"),
        "user": visitor.account,
        "other_views": visitor.others,
        "csrf": visitor.csrf,
        "language_name": native_name,
        "app_locales": web_locales(),
        "clock": clock_text,
        "errors": {},
        "values": {},
    }
    response = TEMPLATES.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
    remember_browser(response, visitor, request)
    return response


def remember_browser(response: HTMLResponse | RedirectResponse, visitor: Visitor, request: Request) -> None:
    if visitor.new_browser:
        services = request.app.state.services
        response.set_cookie(
            BROWSER_COOKIE,
            visitor.browser,
            max_age=BROWSER_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="lax",
            secure=services.settings.secure_cookies,
        )


def clock_text(at: datetime | None, timezone: str = "Asia/Kolkata", with_day: bool = False) -> str:
    """A time as the person reads it in their zone: ``14:30`` or ``Wed 03 Dec 14:30``."""
    if at is None:
        return ""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(timezone))
    return local.strftime("%a %d %b %H:%M" if with_day else "%H:%M")


def redirect(url: str) -> RedirectResponse:
    """After a form: see the page again (303, so a reload does not post twice)."""
    return RedirectResponse(url, status_code=303)
