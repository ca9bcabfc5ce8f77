"""Fallback policies per association and language: ordered steps a waiting caller moves through.
Without one, the default applies (same language, widening proficiency, callback, crisis line)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from app.api.auth import ActorDep, ScopedAssociation, id_of
from app.deps import SessionDep, commit
from routing import configuration
from schemas.api import PolicyRead, PolicyWrite

router = APIRouter(prefix="/associations/{association_id}/policies", tags=["fallback policies"])

LanguagePath = Annotated[
    str, Path(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")
]


@router.get("", response_model=list[PolicyRead])
def list_policies(association: ScopedAssociation, session: SessionDep) -> list[PolicyRead]:
    """The policies the association has set (languages without one use the default)."""
    return [
        PolicyRead(language=row.language, steps=row.steps, is_default=False, updated_at=row.updated_at)
        for row in configuration.list_policies(session, id_of(association))
    ]


@router.get("/{language}", response_model=PolicyRead)
def read_policy(association: ScopedAssociation, language: LanguagePath, session: SessionDep) -> PolicyRead:
    language = configuration.check_language(language, "language", location="path")
    steps, row = configuration.effective_steps(session, id_of(association), language)
    return PolicyRead(
        language=language,
        steps=steps.model_dump(mode="json")["steps"],
        is_default=row is None,
        updated_at=row.updated_at if row else None,
    )


@router.put("/{language}", response_model=PolicyRead)
def set_policy(
    association: ScopedAssociation,
    language: LanguagePath,
    data: PolicyWrite,
    actor: ActorDep,
    session: SessionDep,
) -> PolicyRead:
    row = configuration.set_policy(session, id_of(association), language, data, actor)
    commit(session)
    return PolicyRead(language=row.language, steps=row.steps, is_default=False, updated_at=row.updated_at)


@router.delete("/{language}", status_code=204)
def delete_policy(
    association: ScopedAssociation, language: LanguagePath, actor: ActorDep, session: SessionDep
) -> Response:
    """Back to the default policy."""
    configuration.delete_policy(session, id_of(association), language, actor)
    commit(session)
    return Response(status_code=204)
