"""An association's language menu: which languages its callers may choose, by which keypad digit, in which
order. The association's default language (what a caller hears first) is always on the menu: a change that
leaves it off (the first language added, the default removed or disabled) makes the first enabled language
the default, audited with the change."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, create_audited, delete_audited, update_audited
from routing.configuration.checks import canonical_code, check_language
from routing.errors import ConflictError, NotFoundError
from schemas.api import LanguageCreate, LanguageUpdate
from schemas.tables import Association, AssociationLanguage


def list_languages(session: Session, association_id: int) -> list[AssociationLanguage]:
    query = select(AssociationLanguage).where(AssociationLanguage.association_id == association_id)
    return list(
        session.exec(query.order_by(col(AssociationLanguage.position), col(AssociationLanguage.digit)))
    )


def get_language(session: Session, association_id: int, code: str) -> AssociationLanguage:
    code = canonical_code(code)
    query = select(AssociationLanguage).where(
        AssociationLanguage.association_id == association_id, AssociationLanguage.code == code
    )
    row = session.exec(query).first()
    if row is None:
        raise NotFoundError(f"language {code!r} is not configured for this association")
    return row


def _ensure_digit_free(session: Session, association_id: int, digit: int, code: str) -> None:
    query = select(AssociationLanguage).where(
        AssociationLanguage.association_id == association_id,
        AssociationLanguage.digit == digit,
        AssociationLanguage.code != code,
    )
    taken = session.exec(query).first()
    if taken is not None:
        raise ConflictError(f"keypad digit {digit} already selects {taken.code!r}")


def add_language(
    session: Session, association_id: int, data: LanguageCreate, actor: Actor
) -> AssociationLanguage:
    data = data.model_copy(update={"code": check_language(data.code, "code")})
    if session.exec(
        select(AssociationLanguage).where(
            AssociationLanguage.association_id == association_id, AssociationLanguage.code == data.code
        )
    ).first():
        raise ConflictError(f"language {data.code!r} is already configured")
    _ensure_digit_free(session, association_id, data.digit, data.code)
    fields = data.model_dump(mode="json")
    if data.position is None:
        last = session.exec(
            select(func.max(AssociationLanguage.position)).where(
                AssociationLanguage.association_id == association_id
            )
        ).one()
        fields["position"] = 0 if last is None else last + 1
    row = AssociationLanguage(association_id=association_id, **fields)
    create_audited(session, actor, row, "language", fields, entity_id=row.code)
    mend_default_language(session, association_id, actor)
    return row


def update_language(
    session: Session, row: AssociationLanguage, data: LanguageUpdate, actor: Actor
) -> AssociationLanguage:
    fields = data.model_dump(mode="json", exclude_unset=True)
    if "digit" in fields:
        _ensure_digit_free(session, row.association_id, fields["digit"], row.code)
    update_audited(session, actor, row, fields, _subject(row))
    mend_default_language(session, row.association_id, actor)
    return row


def delete_language(session: Session, row: AssociationLanguage, actor: Actor) -> None:
    delete_audited(session, actor, row, _subject(row), {"digit": row.digit})
    mend_default_language(session, row.association_id, actor)


def menu_codes(session: Session, association_id: int) -> list[str]:
    """The enabled languages of the menu, in menu order."""
    return [row.code for row in list_languages(session, association_id) if row.enabled]


def mend_default_language(session: Session, association_id: int, actor: Actor) -> None:
    association = session.get(Association, association_id)
    menu = menu_codes(session, association_id)
    if association is None or not menu or association.default_language in menu:
        return
    subject = Subject("association", association_id, association_id)
    update_audited(session, actor, association, {"default_language": menu[0]}, subject)


def _subject(row: AssociationLanguage) -> Subject:
    return Subject("language", row.code, row.association_id)
