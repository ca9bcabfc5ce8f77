"""Returning callers: their last language, remembered under the keyed hash of their number (never the number)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from schemas.database import insert_for
from schemas.tables import CallerProfile

# Every incoming call asks this: plain SQL skips the ORM's per-query work (a third of the webhook's time).
_LANGUAGE_OF = text(
    "SELECT language FROM caller_profiles WHERE association_id = :association AND caller_hash = :hash"
)


def get_language(session: Session, association_id: int, caller_hash: str | None) -> str | None:
    """The language this caller last chose with this association, or None (new, or caller ID withheld)."""
    if caller_hash is None:
        return None
    found = session.connection().execute(_LANGUAGE_OF, {"association": association_id, "hash": caller_hash})
    language = found.scalar()
    return str(language) if language is not None else None


def remember_language(
    session: Session, association_id: int, caller_hash: str | None, language: str, at: datetime
) -> None:
    """Keep the caller's choice for their next call. Two calls at once both succeed (one upsert each)."""
    if caller_hash is None:
        return
    upsert = insert_for(session)(CallerProfile).values(
        association_id=association_id, caller_hash=caller_hash, language=language, last_seen=at
    )
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["association_id", "caller_hash"], set_={"language": language, "last_seen": at}
        )
    )
