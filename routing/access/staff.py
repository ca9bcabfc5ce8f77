"""The staff directory: coordinators and admins of an association, who sign in to the web app with a code
sent to their phone. Managed like listeners (through the API and the app), and audited the same way."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from routing.configuration.audit import (
    Actor,
    Subject,
    apply_changes,
    create_audited,
    delete_audited,
    record_update,
)
from routing.configuration.checks import check_language, check_number
from routing.errors import ConflictError, NotFoundError
from routing.phones import PhoneVault
from schemas.api import StaffCreate, StaffUpdate
from schemas.tables import Role, StaffMember


def list_staff(session: Session, association_id: int) -> list[StaffMember]:
    query = select(StaffMember).where(StaffMember.association_id == association_id)
    return list(session.exec(query.order_by(col(StaffMember.id))).all())


def get_staff(session: Session, association_id: int, staff_id: int) -> StaffMember:
    row = session.get(StaffMember, staff_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("staff member not found")
    return row


def _phone_fields(
    session: Session, vault: PhoneVault, association_id: int, raw: str, keep: int | None
) -> dict:
    number = check_number(raw, "phone")
    phone_hash = vault.staff_key(association_id, number)
    existing = session.exec(
        select(StaffMember).where(
            StaffMember.association_id == association_id, StaffMember.phone_hash == phone_hash
        )
    ).first()
    if existing is not None and existing.id != keep:
        raise ConflictError("another staff member of this association has this phone number")
    return {"phone_encrypted": vault.encrypt(number), "phone_hash": phone_hash, "phone_last4": number[-4:]}


def create_staff(
    session: Session, vault: PhoneVault, association_id: int, data: StaffCreate, actor: Actor
) -> StaffMember:
    fields: dict[str, Any] = data.model_dump(mode="python", exclude={"phone"})
    fields["role"] = Role(data.role.value)
    fields["app_language"] = check_language(data.app_language, "app_language")
    phone = _phone_fields(session, vault, association_id, data.phone, keep=None)
    row = StaffMember(association_id=association_id, **fields, **phone, created_at=actor.at)
    create_audited(session, actor, row, "staff", {**fields, "phone": data.phone})
    return row


def update_staff(
    session: Session, vault: PhoneVault, row: StaffMember, data: StaffUpdate, actor: Actor
) -> StaffMember:
    fields: dict[str, Any] = data.model_dump(mode="python", exclude_unset=True)
    if "role" in fields:
        fields["role"] = Role(fields["role"].value)
    if "app_language" in fields:
        fields["app_language"] = check_language(fields["app_language"], "app_language")
    changed: dict[str, Any] = {}
    raw_phone = fields.pop("phone", None)
    if raw_phone is not None:
        phone = _phone_fields(session, vault, row.association_id, raw_phone, keep=row.id)
        if phone["phone_hash"] != row.phone_hash:
            changed["phone"] = ["…" + row.phone_last4, "…" + phone["phone_last4"]]
            apply_changes(row, phone)
    changed.update(apply_changes(row, fields))
    record_update(session, actor, _subject(row), changed)
    return row


def delete_staff(session: Session, row: StaffMember, actor: Actor) -> None:
    delete_audited(session, actor, row, _subject(row), {"name": row.name})


def _subject(row: StaffMember) -> Subject:
    return Subject("staff", row.id, row.association_id)
