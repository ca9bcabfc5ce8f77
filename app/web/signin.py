"""Signing in with a code sent to the phone, and out (here, or everywhere).

The phone form answers the same whether or not the number is registered: a code is issued either way, and
sent only when the number belongs to an account. On the embedded default (no provider configured) the code
is written to the log instead of sent, so the demo can be tried without a phone.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ServicesDep, SessionDep
from app.web.security import SESSION_COOKIE, FormDep, VisitorDep, web_sessions
from app.web.templating import redirect, remember_browser, render
from locales.web_messages import BAD_CODE, PHONE_HELP, TOO_MANY_ATTEMPTS
from routing.access import Account, SignInCodes, find_accounts
from routing.errors import InvalidPhoneNumberError, NotFoundError, TooManyAttemptsError
from routing.phones import mask, to_e164
from workers.access_jobs import enqueue_signin_code

logger = logging.getLogger(__name__)
router = APIRouter()


def home_of(account: Account | None) -> str:
    if account is None:
        return "/sign-in"
    return "/board" if account.is_staff else "/me"


@router.get("/")
def home(visitor: VisitorDep) -> RedirectResponse:
    """``/`` leads to sign-in, or to the person's first page."""
    return RedirectResponse(home_of(visitor.account), status_code=303)


@router.get("/sign-in")
def phone_form(request: Request, visitor: VisitorDep) -> Response:
    if visitor.account is not None:
        return redirect(home_of(visitor.account))
    return render(request, visitor, "signin_phone.html")


@router.post("/sign-in")
def ask_for_code(
    request: Request, form: FormDep, visitor: VisitorDep, services: ServicesDep, session: SessionDep
) -> Response:
    try:
        number = to_e164(form.get("phone", ""))
    except InvalidPhoneNumberError:
        return _phone_error(request, visitor, form, PHONE_HELP)
    codes = SignInCodes(services.redis, services.vault)
    now = services.clock.now()
    try:
        code = codes.issue(number, request.client.host if request.client else "", now)
    except TooManyAttemptsError:
        return _phone_error(request, visitor, form, TOO_MANY_ATTEMPTS)
    codes.hold(visitor.browser, number, now)
    accounts = find_accounts(session, services.vault, number)
    if accounts:
        _deliver(services, accounts[0], code, number)
    response = redirect("/sign-in/code")
    remember_browser(response, visitor, request)
    return response


def _phone_error(request: Request, visitor: VisitorDep, form: dict[str, str], message: str) -> Response:
    return render(request, visitor, "signin_phone.html", 422, errors={"phone": message}, values=form)


def _deliver(services: ServicesDep, account: Account, code: str, number: str) -> None:
    if services.settings.logs_signin_codes:
        logger.warning("sign-in code for %s (%s): %s (embedded default: shown here, not sent)",
                       mask(number), account.role, code)  # fmt: skip
        return
    enqueue_signin_code(services.redis, account.kind, account.account_id, services.vault.encrypt(code))


@router.get("/sign-in/code")
def code_form(request: Request, visitor: VisitorDep, services: ServicesDep) -> Response:
    number = SignInCodes(services.redis, services.vault).held(visitor.browser)
    if number is None:
        return redirect("/sign-in")
    return render(request, visitor, "signin_code.html", masked=mask(number))


@router.post("/sign-in/code")
def check_code(
    request: Request, form: FormDep, visitor: VisitorDep, services: ServicesDep, session: SessionDep
) -> Response:
    codes = SignInCodes(services.redis, services.vault)
    number = codes.held(visitor.browser)
    if number is None:
        return redirect("/sign-in")
    now = services.clock.now()
    accounts = find_accounts(session, services.vault, number)
    if not codes.verify(number, form.get("code", ""), now) or not accounts:
        errors = {"code": BAD_CODE}
        return render(request, visitor, "signin_code.html", 422, masked=mask(number), errors=errors)
    codes.release(visitor.browser)
    token = web_sessions(services).start(accounts[0], now, accounts[1:])
    return _signed_in(services, accounts[0], token)


def _signed_in(services: ServicesDep, account: Account, token: str) -> Response:
    response = redirect(home_of(account))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=services.settings.secure_cookies)  # fmt: skip
    return response


@router.post("/switch-view")
def switch_view(form: FormDep, visitor: VisitorDep, services: ServicesDep) -> Response:
    """A person whose number signs in to two accounts (a coordinator who also listens) changes view without
    a new code; only to an account the session's number proved, or it is not found."""
    if visitor.account is None or visitor.token is None:
        return redirect("/sign-in")
    to = next((a for a in visitor.others if f"{a.kind}:{a.account_id}" == form.get("account")), None)
    if to is None:
        raise NotFoundError("account not found")
    token = web_sessions(services).switch(visitor.token, visitor.account, to, visitor.others,
                                          services.clock.now())  # fmt: skip
    return _signed_in(services, to, token)


@router.post("/sign-out")
def sign_out(form: FormDep, visitor: VisitorDep, services: ServicesDep) -> Response:
    sessions = web_sessions(services)
    if visitor.account is not None and form.get("everywhere") == "1":
        sessions.end_everywhere(visitor.account.kind, visitor.account.account_id)
    elif visitor.token:
        sessions.end(visitor.token)
    response = redirect("/sign-in")
    response.delete_cookie(SESSION_COOKIE)
    return response
