"""Staff: the association's coordinators and admins, who sign in to the web app with a code sent to their
phone. Admin keys manage them; answers show a number's last four digits, never the number."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import ActorDep, AdminAssociation, ItemId, id_of
from app.deps import SessionDep, VaultDep, commit
from routing import access
from schemas.api import StaffCreate, StaffRead, StaffUpdate

router = APIRouter(prefix="/associations/{association_id}/staff", tags=["staff"])


@router.get("", response_model=list[StaffRead])
def list_staff(association: AdminAssociation, session: SessionDep) -> list[StaffRead]:
    return [StaffRead.model_validate(row) for row in access.list_staff(session, id_of(association))]


@router.post("", response_model=StaffRead, status_code=201)
def create_staff(
    association: AdminAssociation, data: StaffCreate, actor: ActorDep, session: SessionDep, vault: VaultDep
) -> StaffRead:
    row = access.create_staff(session, vault, id_of(association), data, actor)
    commit(session)
    return StaffRead.model_validate(row)


@router.get("/{staff_id}", response_model=StaffRead)
def read_staff(association: AdminAssociation, staff_id: ItemId, session: SessionDep) -> StaffRead:
    return StaffRead.model_validate(access.get_staff(session, id_of(association), staff_id))


@router.patch("/{staff_id}", response_model=StaffRead)
def update_staff(
    association: AdminAssociation,
    staff_id: ItemId,
    data: StaffUpdate,
    actor: ActorDep,
    session: SessionDep,
    vault: VaultDep,
) -> StaffRead:
    row = access.get_staff(session, id_of(association), staff_id)
    access.update_staff(session, vault, row, data, actor)
    commit(session)
    return StaffRead.model_validate(row)


@router.delete("/{staff_id}", status_code=204)
def delete_staff(
    association: AdminAssociation, staff_id: ItemId, actor: ActorDep, session: SessionDep
) -> Response:
    access.delete_staff(session, access.get_staff(session, id_of(association), staff_id), actor)
    commit(session)
    return Response(status_code=204)
