"""The audit log of an association's configuration changes, newest first. Admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import AdminAssociation, id_of
from app.deps import SessionDep
from routing.configuration import list_changes
from schemas.api import AuditPage, AuditRead

router = APIRouter(prefix="/associations/{association_id}/audit", tags=["audit"])


@router.get("", response_model=AuditPage)
def read_audit_log(
    association: AdminAssociation,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditPage:
    rows, total = list_changes(session, id_of(association), limit, offset)
    return AuditPage(
        items=[AuditRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
    )
