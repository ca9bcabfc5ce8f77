"""Who is asking: the session cookie, the person it belongs to, and CSRF checks on every form.

The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure in production); the session lives in
Redis (``routing.access.WebSessions``). Before sign-in a browser cookie of its own stands in, so the phone
and code forms are protected too. Each form carries ``csrf``: an HMAC of the cookie it belongs to, which a
page on another site can neither read nor compute.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.deps import ServicesDep, SessionDep
from app.services import Services
from routing.access import Account, WebSessions, account_of
from routing.configuration import Actor
from routing.errors import NotFoundError

SESSION_COOKIE = "samvaad_session"
BROWSER_COOKIE = "samvaad_browser"


class SignInRequired(Exception):
    """No live session: the page answers with a redirect to sign-in."""


class FormRefused(Exception):
    """A form without the right CSRF token: answered 403, and nothing changes."""


@dataclass
class Visitor:
    account: Account | None
    token: str | None
    browser: str
    new_browser: bool
    csrf: str
    others: tuple[Account, ...] = ()  # the other accounts the session's number signs in to (switch view)


def web_sessions(services: Services) -> WebSessions:
    return WebSessions(services.redis, timedelta(minutes=services.settings.web_idle_minutes))


def csrf_for(services: Services, cookie: str) -> str:
    secret = (services.settings.phone_hash_secret or "").encode()
    return hmac.new(secret, f"csrf:{cookie}".encode(), hashlib.sha256).hexdigest()


def current_visitor(request: Request, services: ServicesDep, session: SessionDep) -> Visitor:
    token = request.cookies.get(SESSION_COOKIE)
    account: Account | None = None
    others: tuple[Account, ...] = ()
    if token:
        found = web_sessions(services).find(token, services.clock.now())
        account = account_of(session, found.kind, found.account_id) if found else None
        if found is not None and account is not None:
            others = tuple(a for kind, i in found.others if (a := account_of(session, kind, i)) is not None)
    browser = request.cookies.get(BROWSER_COOKIE, "")
    new_browser = len(browser) < 16
    if new_browser:
        browser = secrets.token_urlsafe(24)
    live_token = token if account else None
    csrf = csrf_for(services, live_token or browser)
    return Visitor(account, live_token, browser, new_browser, csrf, others)


VisitorDep = Annotated[Visitor, Depends(current_visitor)]


async def checked_form(request: Request, visitor: VisitorDep) -> dict[str, str]:
    """The submitted form, once its CSRF token is right; values are strings, trimmed."""
    form = await request.form()
    values = {key: str(value).strip() for key, value in form.items() if isinstance(value, str)}
    if not hmac.compare_digest(values.get("csrf", ""), visitor.csrf):
        raise FormRefused()
    return values


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def signed_in(visitor: VisitorDep) -> Account:
    if visitor.account is None:
        raise SignInRequired()
    return visitor.account


UserDep = Annotated[Account, Depends(signed_in)]


def listener_only(user: UserDep) -> Account:
    """A listener's page; to anyone else it does not exist (404, as the API answers for another's data)."""
    if user.is_staff:
        raise NotFoundError("page not found")
    return user


def staff_only(user: UserDep) -> Account:
    """A coordinator's or admin's page; a listener gets 404."""
    if not user.is_staff:
        raise NotFoundError("page not found")
    return user


def admin_only(user: UserDep) -> Account:
    if not user.is_admin:
        raise NotFoundError("page not found")
    return user


ListenerDep = Annotated[Account, Depends(listener_only)]
StaffDep = Annotated[Account, Depends(staff_only)]
AdminDep = Annotated[Account, Depends(admin_only)]


def actor_for(account: Account, services: Services) -> Actor:
    """How the audit log names a change made in the app."""
    return Actor(label=f"web: {account.role} {account.name} ({account.kind} {account.account_id})",
                 at=services.clock.now())  # fmt: skip
