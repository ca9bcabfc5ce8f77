"""Bearer API keys, and the one rule of tenancy: a key sees its own association and nothing else.

Other routers use:

* ``AuthDep``: the authenticated ``ApiKey`` (401 with ``WWW-Authenticate: Bearer`` when missing, unknown or
  revoked);
* ``association_in_scope(association_id, key, session) -> Association``: the association, or NotFoundError
  (404) when it does not exist *or* belongs to another association's key, so nothing leaks;
* ``ScopedAssociation`` / ``AdminAssociation``: the same as dependencies taking the ``association_id`` path
  parameter; ``AdminAssociation`` also requires an admin or platform key (403 for a coordinator);
* ``ActorDep``: who is making the change, for the audit log.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.deps import ClockDep, SessionDep
from routing.configuration import Actor, describe_actor, find_valid_key, get_association
from routing.errors import NotFoundError
from schemas.api import MAX_ID
from schemas.tables import ApiKey, Association, Role

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sk_…`")

AssociationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Association id")]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]


def authenticate(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    key = find_valid_key(session, credentials.credentials) if credentials else None
    if key is None:
        raise HTTPException(
            status_code=401,
            detail="a valid API key is required (Authorization: Bearer sk_…)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return key


AuthDep = Annotated[ApiKey, Depends(authenticate)]


def require_role(key: ApiKey, role: Role | None = None) -> None:
    """Platform keys may do everything; ``role=None`` means only they may."""
    if key.role is not Role.platform and key.role is not role:
        needed = f"an {role.value} or platform" if role else "a platform"
        raise HTTPException(status_code=403, detail=f"this needs {needed} key")


def association_in_scope(association_id: int, key: ApiKey, session: Session) -> Association:
    if key.role is not Role.platform and key.association_id != association_id:
        raise NotFoundError("association not found")
    return get_association(session, association_id)


def scoped_association(association_id: AssociationId, key: AuthDep, session: SessionDep) -> Association:
    return association_in_scope(association_id, key, session)


def admin_association(association_id: AssociationId, key: AuthDep, session: SessionDep) -> Association:
    association = association_in_scope(association_id, key, session)
    require_role(key, Role.admin)
    return association


def id_of(association: Association) -> int:
    assert association.id is not None
    return association.id


def current_actor(key: AuthDep, clock: ClockDep) -> Actor:
    return describe_actor(key, clock.now())


ScopedAssociation = Annotated[Association, Depends(scoped_association)]
AdminAssociation = Annotated[Association, Depends(admin_association)]
ActorDep = Annotated[Actor, Depends(current_actor)]
