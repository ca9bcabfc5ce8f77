"""Configuration changes, saved together with their audit entry: who, what, when; never a phone number.

Every create, update and delete of configuration goes through ``create_audited``, ``update_audited`` or
``delete_audited``, so the audit log cannot miss one, and a unique-constraint race becomes a ConflictError
rather than a crash. They flush and never commit: the API handler commits the change and its entry together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from routing.errors import ConflictError
from routing.phones import mask
from schemas.tables import AuditEntry

PHONE_FIELDS = frozenset({"phone", "number", "backup_numbers"})


@dataclass(frozen=True)
class Actor:
    """Who makes a change (an API key's name and id, or a command) and the time it happens."""

    label: str
    at: datetime


def to_audit_value(name: str, value: Any) -> Any:
    """JSON-safe, with phone numbers reduced to their last four digits."""
    if isinstance(value, list):
        return [to_audit_value(name, v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_audit_value(name, v) for k, v in value.items()}
    if name in PHONE_FIELDS and value is not None:
        return mask(str(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def record_change(
    session: Session, actor: Actor, action: str, subject: Subject, changes: dict[str, Any]
) -> None:
    session.add(
        AuditEntry(
            association_id=subject.association_id,
            actor=actor.label[:200],
            action=action,
            entity=subject.entity,
            entity_id=str(subject.entity_id)[:50],
            changes={name: to_audit_value(name, value) for name, value in changes.items()},
            at=actor.at,
        )
    )


def record_view(session: Session, actor: Actor, subject: Subject) -> None:
    """Reading a person's record (a listener's details, a contact) is audited as a change is: who, when."""
    record_change(session, actor, "view", subject, {})


def apply_changes(row: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields on the row; return only what really changed, as ``{field: [before, after]}``."""
    changed = {}
    for name, value in fields.items():
        before = getattr(row, name)
        if before != value:
            setattr(row, name, value)
            changed[name] = [before, value]
    return changed


@dataclass(frozen=True)
class Subject:
    """What a change is about, as the audit log names it: ``listener`` 12 of association 3."""

    entity: str
    entity_id: int | str | None
    association_id: int | None


def create_audited(
    session: Session,
    actor: Actor,
    row: Any,
    entity: str,
    changes: dict[str, Any],
    entity_id: str | None = None,
) -> None:
    """Add a new row of an association and its entry, which names the row by ``entity_id`` or its new id."""
    session.add(row)
    flush_changes(session)
    subject = Subject(entity, entity_id or row.id, row.association_id)
    record_change(session, actor, "create", subject, changes)


def update_audited(
    session: Session, actor: Actor, row: Any, fields: dict[str, Any], subject: Subject
) -> dict[str, list[Any]]:
    """Set ``fields`` on the row; only what really changed is recorded (and nothing if nothing did)."""
    changed = apply_changes(row, fields)
    record_update(session, actor, subject, changed)
    return changed


def record_update(session: Session, actor: Actor, subject: Subject, changed: dict[str, Any]) -> None:
    if changed:
        record_change(session, actor, "update", subject, changed)
        flush_changes(session)


def delete_audited(
    session: Session, actor: Actor, row: Any, subject: Subject, changes: dict[str, Any]
) -> None:
    record_change(session, actor, "delete", subject, changes)
    session.delete(row)
    flush_changes(session)


def flush_changes(session: Session) -> None:
    """Flush (to learn a new row's id, and to meet a unique constraint now rather than at the commit)."""
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError("conflicts with existing configuration") from exc


def list_changes(
    session: Session, association_id: int, limit: int, offset: int
) -> tuple[list[AuditEntry], int]:
    """Newest first."""
    where = AuditEntry.association_id == association_id
    total = session.exec(select(func.count()).select_from(AuditEntry).where(where)).one()
    rows = session.exec(
        select(AuditEntry).where(where).order_by(col(AuditEntry.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)
