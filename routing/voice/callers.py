"""Returning callers: their last language, remembered under the keyed hash of their number (never the number)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

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
    """Keep the caller's choice for their next call; commits. Two calls at once both succeed."""
    if caller_hash is None:
        return
    for _ in range(2):
        profile = session.exec(
            select(CallerProfile).where(
                CallerProfile.association_id == association_id, CallerProfile.caller_hash == caller_hash
            )
        ).first()
        profile = profile or CallerProfile(
            association_id=association_id, caller_hash=caller_hash, last_seen=at
        )
        profile.language = language
        profile.last_seen = at
        session.add(profile)
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()
