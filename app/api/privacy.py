"""A person's requests under the DPDP Act: erase every trace of their number in the association, or export
it as JSON. Admins only; both are audited (the counts, never the number)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.auth import ActorDep, AdminAssociation, id_of
from app.deps import RedisDep, SessionDep, VaultDep, commit
from routing import privacy
from schemas.privacy import ErasureRead, PersonRequest

router = APIRouter(prefix="/associations/{association_id}/privacy", tags=["data protection"])


@router.post("/erasure", response_model=ErasureRead)
def erase_person(
    association: AdminAssociation,
    data: PersonRequest,
    actor: ActorDep,
    session: SessionDep,
    redis: RedisDep,
    vault: VaultDep,
) -> ErasureRead:
    """Removes every contact, call, conversation, message, callback, profile, block and flag of this number
    (and its Redis counters), and says how many rows of each it found and removed. 409 while a call or
    conversation of theirs is in progress. A listener with this number is named, not removed."""
    erasure = privacy.erase_number(session, redis, vault, id_of(association), data.number, actor)
    commit(session)
    return ErasureRead.model_validate(vars(erasure))


@router.post("/export")
def export_person(
    association: AdminAssociation, data: PersonRequest, actor: ActorDep, session: SessionDep, vault: VaultDep
) -> dict[str, Any]:
    """Everything kept of this number, as JSON, table by table (no hashes, no ciphertext)."""
    exported = privacy.export_number(session, vault, id_of(association), data.number, actor)
    commit(session)
    return exported
