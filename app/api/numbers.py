"""Helpline numbers: the numbers callers dial or text. Each selects one association."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import ActorDep, ItemId, ScopedAssociation, id_of
from app.deps import SessionDep, commit
from routing import configuration
from schemas.api import NumberCreate, NumberRead, NumberUpdate
from schemas.tables import HelplineNumber

router = APIRouter(prefix="/associations/{association_id}/numbers", tags=["helpline numbers"])

NumberId = ItemId


@router.get("", response_model=list[NumberRead])
def list_numbers(association: ScopedAssociation, session: SessionDep) -> list[HelplineNumber]:
    return configuration.list_numbers(session, id_of(association))


@router.post("", response_model=NumberRead, status_code=201)
def add_number(
    association: ScopedAssociation, data: NumberCreate, actor: ActorDep, session: SessionDep
) -> HelplineNumber:
    row = configuration.add_number(session, id_of(association), data, actor)
    commit(session)
    return row


@router.get("/{number_id}", response_model=NumberRead)
def read_number(association: ScopedAssociation, number_id: NumberId, session: SessionDep) -> HelplineNumber:
    return configuration.get_number(session, id_of(association), number_id)


@router.patch("/{number_id}", response_model=NumberRead)
def update_number(
    association: ScopedAssociation,
    number_id: NumberId,
    data: NumberUpdate,
    actor: ActorDep,
    session: SessionDep,
) -> HelplineNumber:
    row = configuration.get_number(session, id_of(association), number_id)
    configuration.update_number(session, row, data, actor)
    commit(session)
    return row


@router.delete("/{number_id}", status_code=204)
def delete_number(
    association: ScopedAssociation, number_id: NumberId, actor: ActorDep, session: SessionDep
) -> Response:
    configuration.delete_number(
        session, configuration.get_number(session, id_of(association), number_id), actor
    )
    commit(session)
    return Response(status_code=204)
