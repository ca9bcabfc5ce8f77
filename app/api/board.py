"""The live board as data: per language, who waits and for how long, and the listeners by state. The same
``routing.engine.read_board`` the coordinators' page shows. Counts only: nothing identifies a caller."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from app.api.auth import ScopedAssociation, id_of
from app.deps import ClockDep, RedisDep, SessionDep
from routing import engine
from routing.engine.live import LiveState

router = APIRouter(prefix="/associations/{association_id}", tags=["routing"])


class LanguageBoardRead(BaseModel):
    code: str
    calls_waiting: int
    texts_waiting: int
    crisis_waiting: int
    crisis_ringing: int
    callbacks_pending: int
    longest_wait_seconds: int
    listeners: dict[str, int]


class BoardRead(BaseModel):
    association_id: int
    at: datetime
    languages: list[LanguageBoardRead]


@router.get("/board", response_model=BoardRead)
def read_board(
    association: ScopedAssociation, session: SessionDep, redis: RedisDep, clock: ClockDep
) -> BoardRead:
    """Listener states are ``available``, ``offered``, ``busy`` (on a call), ``wrapup``, ``paused`` and
    ``offline``, counted per language they speak."""
    board = engine.read_board(session, LiveState(redis), id_of(association), clock.now())
    return BoardRead.model_validate(board, from_attributes=True)
