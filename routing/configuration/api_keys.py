"""API keys: ``sk_<prefix>_<secret>``, shown once, kept as the prefix (to find the key) and a SHA-256 hash of
the secret (to check it, in constant time). Roles: platform (every association), admin (one association,
including its keys) and coordinator (one association's configuration, not its keys).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, create_audited, flush_changes, record_change
from routing.errors import InvalidConfigurationError, NotFoundError
from schemas.tables import ApiKey, Association, Role

KEY_SHAPE = re.compile(r"^sk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_key(
    session: Session, *, name: str, role: Role, association_id: int | None, actor: Actor
) -> tuple[ApiKey, str]:
    """Create a key and return it with its one and only clear-text copy."""
    if (role is Role.platform) != (association_id is None):
        raise InvalidConfigurationError(
            "a platform key has no association; admin and coordinator keys have one", field="association_id"
        )
    if association_id is not None and session.get(Association, association_id) is None:
        raise NotFoundError("association not found")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    row = ApiKey(
        name=name, prefix=prefix, key_hash=hash_secret(secret), role=role, association_id=association_id,
        created_at=actor.at, revoked_at=None,
    )  # fmt: skip
    create_audited(session, actor, row, "api_key", {"name": name, "role": role, "prefix": prefix})
    return row, f"sk_{prefix}_{secret}"


def find_valid_key(session: Session, presented: str) -> ApiKey | None:
    """The key the text names, if it exists, matches and is not revoked; None for anything else."""
    match = KEY_SHAPE.match(presented)
    if match is None:
        return None
    prefix, secret = match.groups()
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None or row.revoked_at is not None:
        return None
    return row if hmac.compare_digest(row.key_hash, hash_secret(secret)) else None


def list_api_keys(session: Session, association_id: int) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.association_id == association_id).order_by(col(ApiKey.id))
    return list(session.exec(query).all())


def get_api_key(session: Session, association_id: int, key_id: int) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("API key not found")
    return row


def revoke_api_key(session: Session, row: ApiKey, actor: Actor) -> ApiKey:
    """Revoked keys stay listed, so the audit trail keeps a name for every actor."""
    if row.revoked_at is None:
        row.revoked_at = actor.at
        record_change(
            session, actor, "revoke", Subject("api_key", row.id, row.association_id), {"name": row.name}
        )
        flush_changes(session)
    return row


def describe_actor(key: ApiKey, at: datetime) -> Actor:
    return Actor(label=f"{key.name} (key {key.id}, {key.role.value})", at=at)
