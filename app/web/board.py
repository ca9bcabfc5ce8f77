"""The coordinators' live board: per language, who waits and for how long, and the listeners by state.

The page shows the board at once, then follows ``/board/events`` (server-sent events): a fresh board is
pushed within a quarter of a second of any change a viewer could see, and the page says when the feed is
lost (the browser reconnects by itself). Shifts given up in the last day are a notice in the same live part. Every figure comes from ``routing.engine.read_board``, which the
API's ``GET …/board`` answers too.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from app.deps import ServicesDep, SessionDep
from app.services import Services
from app.web.security import StaffDep, VisitorDep
from app.web.templating import TEMPLATES, clock_text, page_locale, render
from app.web.today import timezone_of
from locales import web_translator_for
from locales.language_names import native_name
from routing import engine, roster
from routing.access import Account
from routing.engine.live import LiveState

router = APIRouter()

CHECK_SECONDS = 0.25
GIVE_UP_NOTICE_HOURS = 24
HEARTBEAT_SECONDS = 10
STREAM_SECONDS = 300  # then the browser reconnects: no stream outlives a restart by long


def current_board(services: Services, session: Session, user: Account) -> engine.Board:
    return engine.read_board(session, LiveState(services.redis), user.association_id, services.clock.now())


@router.get("/board")
def board_page(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep, session: SessionDep
) -> Response:
    timezone = timezone_of(session, user)
    open_slots = roster.list_open(session, user.association_id, services.clock.now())
    names = {row.id: row.name for row in roster.list_listeners(session, user.association_id)}
    return render(request, visitor, "board.html", board=current_board(services, session, user),
                  give_ups=recent_give_ups(services, session, user), open_slots=open_slots, names=names,
                  timezone=timezone)  # fmt: skip


def recent_give_ups(services: Services, session: Session, user: Account) -> list[roster.GiveUp]:
    since = services.clock.now() - timedelta(hours=GIVE_UP_NOTICE_HOURS)
    return roster.given_up_since(session, user.association_id, since)


def board_fragment(services: Services, user: Account, locale: str) -> tuple[str, str]:
    """The board's live part as HTML, and what a viewer would see change (to push only changes): the
    figures, and the shifts given up lately (so an open board tells the coordinator at once)."""
    with Session(services.engine) as session:
        board = current_board(services, session, user)
        give_ups = recent_give_ups(services, session, user)
        timezone = timezone_of(session, user)
    translator = web_translator_for(locale)
    html = TEMPLATES.get_template("board_live.html").render(
        board=board, give_ups=give_ups, timezone=timezone, clock=clock_text, _=translator.gettext,
        language_name=native_name,
    )  # fmt: skip
    return html, board.fingerprint() + repr(give_ups)


def as_event(html: str) -> str:
    return "event: board\n" + "".join(f"data: {line}\n" for line in html.splitlines()) + "\n"


@router.get("/board/events")
async def board_events(
    request: Request, visitor: VisitorDep, user: StaffDep, services: ServicesDep
) -> Response:
    locale = page_locale(visitor, request)
    return StreamingResponse(
        _stream(request, services, user, locale),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _stream(request: Request, services: Services, user: Account, locale: str) -> AsyncIterator[str]:
    last, quiet = "", 0.0
    loop = asyncio.get_running_loop()
    ends = loop.time() + STREAM_SECONDS
    yield "retry: 1000\n\n"
    while loop.time() < ends and not await request.is_disconnected():
        html, fingerprint = await run_in_threadpool(board_fragment, services, user, locale)
        if fingerprint != last:
            last, quiet = fingerprint, 0.0
            yield as_event(html)
        elif quiet >= HEARTBEAT_SECONDS:
            quiet = 0.0
            yield ": still here\n\n"
        await asyncio.sleep(CHECK_SECONDS)
        quiet += CHECK_SECONDS
