"""The blocklist and listeners' flags, by contact: a coordinator blocks the caller behind a contact's record
(never by typing a number), with a reason and an expiry; a listener flags a contact for a coordinator to
decide. The caller is held as the association's keyed hash, taken from the contact. Every change is audited
(the entry names the contact, never the hash); nothing here commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, bindparam, text
from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, flush_changes, record_change
from routing.errors import ConflictError, InvalidConfigurationError, NotFoundError
from schemas.tables import BlockedCaller, Contact, ContactFlag, FlagStatus, Listener


def contact_of(session: Session, association_id: int, contact_id: str) -> Contact:
    """The association's contact, or NotFoundError (another association's contact is not found either)."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.association_id != association_id:
        raise NotFoundError("contact not found")
    return contact


# Every call and text asks this, and almost always finds nothing: plain SQL for the id skips the ORM's
# per-query work (building the statement alone cost a third of the incoming-call webhook's time); the row is
# loaded only for a caller who is blocked.
_ACTIVE_BLOCK = text(
    "SELECT id FROM blocked_callers WHERE association_id = :association AND caller_hash = :hash"
    " AND lifted_at IS NULL AND expires_at > :at LIMIT 1"
).bindparams(bindparam("at", type_=DateTime(timezone=True)))  # bound as the column is stored


def active_block(
    session: Session, association_id: int, caller_hash: str, at: datetime
) -> BlockedCaller | None:
    found = (
        session.connection()
        .execute(_ACTIVE_BLOCK, {"association": association_id, "hash": caller_hash, "at": at})
        .scalar()
    )
    return None if found is None else session.get(BlockedCaller, found)


def block_contact(
    session: Session, association_id: int, contact_id: str, reason: str, expires_at: datetime, actor: Actor
) -> BlockedCaller:
    """Block the caller behind the contact until ``expires_at``; a caller blocked already is a conflict."""
    if expires_at <= actor.at:
        raise InvalidConfigurationError("the block must expire in the future", field="expires_at")
    contact = contact_of(session, association_id, contact_id)
    if active_block(session, association_id, contact.caller_hash, actor.at) is not None:
        raise ConflictError("this caller is blocked already")
    row = BlockedCaller(
        association_id=association_id,
        caller_hash=contact.caller_hash,
        contact_id=contact_id,
        reason=reason,
        blocked_by=actor.label[:200],
        created_at=actor.at,
        expires_at=expires_at,
    )
    session.add(row)
    flush_changes(session)
    changes = {"contact_id": contact_id, "reason": reason, "expires_at": expires_at}
    record_change(session, actor, "create", Subject("block", row.id, association_id), changes)
    return row


def lift_block(session: Session, association_id: int, block_id: int, actor: Actor) -> BlockedCaller:
    row = session.get(BlockedCaller, block_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("block not found")
    if row.lifted_at is None:
        row.lifted_at = actor.at
        record_change(session, actor, "update", Subject("block", row.id, association_id), {"lifted": True})
        flush_changes(session)
    return row


def list_blocks(session: Session, association_id: int, at: datetime) -> list[BlockedCaller]:
    """Blocks in force now, newest first."""
    rows = session.exec(
        select(BlockedCaller)
        .where(
            BlockedCaller.association_id == association_id,
            col(BlockedCaller.lifted_at).is_(None),
            col(BlockedCaller.expires_at) > at,
        )
        .order_by(col(BlockedCaller.id).desc())
    ).all()
    return list(rows)


def flag_contact(
    session: Session, association_id: int, contact_id: str, listener_id: int | None, reason: str, actor: Actor
) -> ContactFlag:
    """A listener's report, open until a coordinator decides; the listener must be the association's."""
    contact = contact_of(session, association_id, contact_id)
    listener = session.get(Listener, listener_id) if listener_id is not None else None
    if listener_id is not None and (listener is None or listener.association_id != association_id):
        raise InvalidConfigurationError("no such listener in this association", field="listener_id")
    row = ContactFlag(
        association_id=association_id,
        contact_id=contact_id,
        caller_hash=contact.caller_hash,
        listener_id=listener_id,
        reason=reason,
        created_at=actor.at,
    )
    session.add(row)
    flush_changes(session)
    changes = {"contact_id": contact_id, "listener_id": listener_id, "reason": reason}
    record_change(session, actor, "create", Subject("flag", row.id, association_id), changes)
    return row


def decide_flag(
    session: Session,
    association_id: int,
    flag_id: int,
    decision: FlagStatus,
    actor: Actor,
    expires_at: datetime | None = None,
) -> ContactFlag:
    """Block the flagged caller (until ``expires_at``) or dismiss the flag; a flag is decided once."""
    row = session.get(ContactFlag, flag_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("flag not found")
    if row.status is not FlagStatus.open:
        raise ConflictError(f"this flag was decided already ({row.status.value})")
    if decision is FlagStatus.blocked:
        if expires_at is None:
            raise InvalidConfigurationError("a block needs an expiry", field="expires_at")
        if active_block(session, association_id, row.caller_hash, actor.at) is None:
            block_contact(session, association_id, row.contact_id, row.reason, expires_at, actor)
    row.status, row.decided_by, row.decided_at = decision, actor.label[:200], actor.at
    record_change(session, actor, "update", Subject("flag", row.id, association_id), {"status": decision})
    flush_changes(session)
    return row


def list_flags(session: Session, association_id: int, status: FlagStatus | None = None) -> list[ContactFlag]:
    query = select(ContactFlag).where(ContactFlag.association_id == association_id)
    if status is not None:
        query = query.where(ContactFlag.status == status)
    return list(session.exec(query.order_by(col(ContactFlag.id).desc())).all())


def forget_caller(session: Session, association_id: int, caller_hash: str) -> dict[str, int]:
    """Erasure: the caller's blocks and flags go."""
    blocks = session.exec(
        select(BlockedCaller).where(
            BlockedCaller.association_id == association_id, BlockedCaller.caller_hash == caller_hash
        )
    ).all()
    flags = session.exec(
        select(ContactFlag).where(
            ContactFlag.association_id == association_id, ContactFlag.caller_hash == caller_hash
        )
    ).all()
    for row in [*blocks, *flags]:
        session.delete(row)
    return {"blocked_callers": len(blocks), "contact_flags": len(flags)}
