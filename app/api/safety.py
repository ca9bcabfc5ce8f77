"""Abuse controls: a contact's record, blocking the caller behind it, listeners' flags and the coordinator's
decision, and the board's abuse data. Blocks are made from a contact, never from a typed number."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.auth import ActorDep, ItemId, ScopedAssociation, id_of
from app.deps import ClockDep, RedisDep, SessionDep, commit
from routing import safety
from routing.configuration import Subject, record_view
from routing.safety.blocklist import contact_of
from schemas.safety import (
    BlockCreate,
    BlockRead,
    ContactRead,
    FlagCreate,
    FlagDecision,
    FlagRead,
    LimitedCallerRead,
    SafetyBoard,
)
from schemas.tables import FlagStatus

router = APIRouter(prefix="/associations/{association_id}", tags=["safety"])
ContactId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-f-]+$")]


@router.get("/contacts/{contact_id}", response_model=ContactRead)
def read_contact(
    association: ScopedAssociation, contact_id: ContactId, actor: ActorDep, session: SessionDep
) -> ContactRead:
    """A contact's record (never the caller's number or hash). Each reading is written to the audit log."""
    contact = contact_of(session, id_of(association), contact_id)
    blocked = safety.active_block(session, id_of(association), contact.caller_hash, actor.at) is not None
    record_view(session, actor, Subject("contact", contact_id, id_of(association)))
    commit(session)
    return ContactRead.model_validate({**contact.model_dump(), "blocked": blocked})


@router.post("/contacts/{contact_id}/block", response_model=BlockRead, status_code=201)
def block_contact(
    association: ScopedAssociation,
    contact_id: ContactId,
    data: BlockCreate,
    actor: ActorDep,
    session: SessionDep,
) -> BlockRead:
    """Block the caller behind this contact for ``days``: they hear a neutral message and the crisis line."""
    expires = actor.at + timedelta(days=data.days)
    row = safety.block_contact(session, id_of(association), contact_id, data.reason, expires, actor)
    commit(session)
    return BlockRead.model_validate(row)


@router.get("/blocks", response_model=list[BlockRead])
def list_blocks(association: ScopedAssociation, session: SessionDep, clock: ClockDep) -> list[BlockRead]:
    return [BlockRead.model_validate(r) for r in safety.list_blocks(session, id_of(association), clock.now())]


@router.delete("/blocks/{block_id}", status_code=204)
def lift_block(
    association: ScopedAssociation, block_id: ItemId, actor: ActorDep, session: SessionDep
) -> Response:
    safety.lift_block(session, id_of(association), block_id, actor)
    commit(session)
    return Response(status_code=204)


@router.post("/contacts/{contact_id}/flags", response_model=FlagRead, status_code=201)
def flag_contact(
    association: ScopedAssociation,
    contact_id: ContactId,
    data: FlagCreate,
    actor: ActorDep,
    session: SessionDep,
) -> FlagRead:
    """A listener reports an abusive contact; a coordinator decides (``/flags/{id}/decision``)."""
    row = safety.flag_contact(session, id_of(association), contact_id, data.listener_id, data.reason, actor)
    commit(session)
    return FlagRead.model_validate(row)


@router.get("/flags", response_model=list[FlagRead])
def list_flags(
    association: ScopedAssociation, session: SessionDep, status: Annotated[FlagStatus | None, Query()] = None
) -> list[FlagRead]:
    return [FlagRead.model_validate(r) for r in safety.list_flags(session, id_of(association), status)]


@router.post("/flags/{flag_id}/decision", response_model=FlagRead)
def decide_flag(
    association: ScopedAssociation, flag_id: ItemId, data: FlagDecision, actor: ActorDep, session: SessionDep
) -> FlagRead:
    expires = actor.at + timedelta(days=data.days)
    row = safety.decide_flag(session, id_of(association), flag_id, FlagStatus(data.decision), actor, expires)
    commit(session)
    return FlagRead.model_validate(row)


@router.get("/safety", response_model=SafetyBoard)
def safety_board(
    association: ScopedAssociation, session: SessionDep, redis: RedisDep, clock: ClockDep
) -> SafetyBoard:
    """For the board: callers refused by a limit in the last day, flags awaiting a decision, blocks in force."""
    now, association_id = clock.now(), id_of(association)
    return SafetyBoard(
        limited=[
            LimitedCallerRead(**vars(line)) for line in safety.recently_limited(redis, association_id, now)
        ],
        open_flags=len(safety.list_flags(session, association_id, FlagStatus.open)),
        active_blocks=len(safety.list_blocks(session, association_id, now)),
    )
