"""The routing dry run: which step applies now, and who would be offered next, with reasons.

Wire it into ``app/api/__init__.py``: ``api_router.include_router(routing.router, responses=ERRORS)``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import ScopedAssociation, id_of
from app.deps import ClockDep, RedisDep, SessionDep
from routing.configuration import check_language
from routing.engine.live import LiveState
from routing.engine.preview import Preview, preview
from schemas.tables import Channel

router = APIRouter(prefix="/associations/{association_id}/routing", tags=["routing"])

LanguageQuery = Annotated[
    str, Query(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
]


@router.get("/preview", response_model=Preview)
def routing_preview(
    association: ScopedAssociation,
    language: LanguageQuery,
    session: SessionDep,
    redis: RedisDep,
    clock: ClockDep,
    channel: Channel = Channel.voice,
) -> Preview:
    """For a contact in ``language`` arriving now, and for the one waiting longest: the fallback step that
    applies, the listener who would be offered next (idle longest), the next ones in order, and why every
    other listener would not be offered (off shift, unverified, training lapsed, paused, busy, language).
    Listeners appear by id and name only, never by phone number. A code Babel does not know answers 422."""
    code = check_language(language, "language", location="query")
    return preview(session, LiveState(redis), id_of(association), code, clock.now(), channel)
