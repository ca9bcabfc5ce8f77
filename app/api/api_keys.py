"""API keys of one association, managed by its admins. Platform keys are made on the command line only."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.auth import ActorDep, AdminAssociation, ItemId, id_of
from app.deps import SessionDep, commit
from routing import configuration
from schemas.api import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from schemas.tables import ApiKey

router = APIRouter(prefix="/associations/{association_id}/api-keys", tags=["API keys"])


@router.get("", response_model=list[ApiKeyRead])
def list_api_keys(association: AdminAssociation, session: SessionDep) -> list[ApiKey]:
    return configuration.list_api_keys(session, id_of(association))


@router.post("", response_model=ApiKeyCreated, status_code=201)
def create_api_key(
    association: AdminAssociation, data: ApiKeyCreate, actor: ActorDep, session: SessionDep
) -> ApiKeyCreated:
    """The answer holds the key itself, this once: keep it safe."""
    row, key = configuration.issue_api_key(
        session, name=data.name, role=data.role, association_id=id_of(association), actor=actor
    )
    commit(session)
    return ApiKeyCreated.model_validate({**row.model_dump(), "key": key})


@router.delete("/{key_id}", response_model=ApiKeyRead)
def revoke_api_key(
    association: AdminAssociation, key_id: ItemId, actor: ActorDep, session: SessionDep
) -> ApiKey:
    """Revokes the key at once; it stays listed with its revocation time."""
    row = configuration.get_api_key(session, id_of(association), key_id)
    configuration.revoke_api_key(session, row, actor)
    commit(session)
    return row
