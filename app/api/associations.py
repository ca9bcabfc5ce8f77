"""Associations: a platform key creates and deletes them; an association's own keys read and configure it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import ActorDep, AuthDep, ScopedAssociation, require_role
from app.deps import SessionDep, commit
from routing import configuration
from schemas.api import AssociationCreate, AssociationRead, AssociationUpdate
from schemas.tables import Association, Role

router = APIRouter(prefix="/associations", tags=["associations"])


@router.get("", response_model=list[AssociationRead])
def list_associations(key: AuthDep, session: SessionDep) -> list[Association]:
    """A platform key sees every association; any other key sees its own."""
    only = None if key.role is Role.platform else key.association_id
    return configuration.list_associations(session, only=only)


@router.post("", response_model=AssociationRead, status_code=201)
def create_association(
    data: AssociationCreate, key: AuthDep, actor: ActorDep, session: SessionDep
) -> Association:
    require_role(key)
    row = configuration.create_association(session, data, actor)
    commit(session)
    return row


@router.get("/{association_id}", response_model=AssociationRead)
def read_association(association: ScopedAssociation) -> Association:
    return association


@router.patch("/{association_id}", response_model=AssociationRead)
def update_association(
    association: ScopedAssociation, data: AssociationUpdate, actor: ActorDep, session: SessionDep
) -> Association:
    configuration.update_association(session, association, data, actor)
    commit(session)
    return association


@router.delete("/{association_id}", status_code=204)
def delete_association(
    association: ScopedAssociation, key: AuthDep, actor: ActorDep, session: SessionDep
) -> Response:
    """Deletes the association with everything in it: numbers, languages, listeners, shifts, policies, keys."""
    require_role(key)
    configuration.delete_association(session, association, actor)
    commit(session)
    return Response(status_code=204)
