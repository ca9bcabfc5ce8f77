"""Associations: each is one helpline's whole configuration. Every lookup elsewhere is scoped to one
association, so one association's id never reaches another's."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from routing.configuration.audit import (
    Actor,
    Subject,
    delete_audited,
    flush_changes,
    record_change,
    update_audited,
)
from routing.configuration.checks import check_language, check_number, check_time_zone, set_fields
from routing.configuration.languages import menu_codes
from routing.errors import InvalidConfigurationError, NotFoundError
from schemas.api import AssociationCreate, AssociationUpdate
from schemas.tables import Association


def get_association(session: Session, association_id: int) -> Association:
    row = session.get(Association, association_id)
    if row is None:
        raise NotFoundError("association not found")
    return row


def list_associations(session: Session, only: int | None = None) -> list[Association]:
    query = select(Association).order_by(col(Association.id))
    if only is not None:
        query = query.where(Association.id == only)
    return list(session.exec(query).all())


def _checked_association_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if "default_language" in fields:
        fields["default_language"] = check_language(fields["default_language"], "default_language")
    if "timezone" in fields:
        check_time_zone(fields["timezone"])
    if "backup_numbers" in fields:
        fields["backup_numbers"] = [
            check_number(raw, f"backup_numbers.{i}") for i, raw in enumerate(fields["backup_numbers"])
        ]
    return fields


def _check_on_menu(session: Session, association_id: int, code: str) -> None:
    """Callers hear the default language first, so it must be one they can choose."""
    menu = menu_codes(session, association_id)
    if menu and code not in menu:
        raise InvalidConfigurationError(
            f"{code!r} is not on the association's menu ({', '.join(menu)}): add it to the menu first",
            field="default_language",
        )


def create_association(session: Session, data: AssociationCreate, actor: Actor) -> Association:
    fields = _checked_association_fields(data.model_dump(mode="python"))
    row = Association(**fields, created_at=actor.at)
    session.add(row)
    flush_changes(session)  # its own entry belongs to it: the id is known once flushed
    record_change(session, actor, "create", Subject("association", row.id, row.id), fields)
    return row


def update_association(
    session: Session, row: Association, data: AssociationUpdate, actor: Actor
) -> Association:
    fields = _checked_association_fields(set_fields(data))
    if "default_language" in fields and row.id is not None:
        _check_on_menu(session, row.id, fields["default_language"])
    update_audited(session, actor, row, fields, Subject("association", row.id, row.id))
    return row


def delete_association(session: Session, row: Association, actor: Actor) -> None:
    delete_audited(session, actor, row, Subject("association", row.id, row.id), {"name": row.name})
