"""An association's configuration: the association itself, its helpline numbers, its language menu and its
fallback policies. Every lookup is scoped to one association, so one association's id never reaches another's.

Checks a JSON schema cannot express (a language Babel knows, a real time zone, a valid phone number, a free
keypad digit) happen here and raise InvalidConfigurationError naming the field, or ConflictError.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from sqlalchemy import func
from sqlmodel import Session, col, select

from locales.language_names import is_known_language
from routing.configuration.audit import Actor, apply_changes, commit_changes, flush_changes, record_change
from routing.errors import ConflictError, InvalidConfigurationError, InvalidPhoneNumberError, NotFoundError
from routing.phones import to_e164
from schemas.api import (
    AssociationCreate,
    AssociationUpdate,
    LanguageCreate,
    LanguageUpdate,
    NumberCreate,
    NumberUpdate,
)
from schemas.policy import ListenerStep, PolicySteps, default_policy
from schemas.tables import Association, AssociationLanguage, Channel, FallbackPolicy, HelplineNumber

# Checks shared by every configuration module


def canonical_code(code: str) -> str:
    """BCP-47 casing (``hi``, ``hi-IN``, ``sr-Latn-RS``), so ``HI`` and ``hi`` are one language everywhere."""
    first, *rest = code.replace("_", "-").split("-")
    tags = [first.lower()]
    for tag in rest:
        tags.append(tag.upper() if len(tag) == 2 else tag.title() if len(tag) == 4 else tag.lower())
    return "-".join(tags)


def check_language(code: str, field: str, location: str = "body") -> str:
    """The canonical code, if Babel knows the language."""
    if not is_known_language(code):
        raise InvalidConfigurationError(f"unknown language code {code!r}", field=field, location=location)
    return canonical_code(code)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_time_zone(name: str, field: str = "timezone") -> str:
    if name not in _time_zones():
        raise InvalidConfigurationError(f"unknown IANA time zone {name!r}", field=field)
    return name


def check_number(raw: str, field: str) -> str:
    """E.164, so the same number written two ways is one number."""
    try:
        return to_e164(raw)
    except InvalidPhoneNumberError as exc:
        raise InvalidConfigurationError("not a valid phone number", field=field) from exc


def _dump(data: Any) -> dict[str, Any]:
    return data.model_dump(mode="python", exclude_unset=True)


# Associations


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


def create_association(session: Session, data: AssociationCreate, actor: Actor) -> Association:
    fields = _checked_association_fields(data.model_dump(mode="python"))
    row = Association(**fields, created_at=actor.at)
    session.add(row)
    flush_changes(session)
    record_change(
        session, actor, action="create", entity="association", entity_id=row.id, association_id=row.id,
        changes=fields,
    )  # fmt: skip
    commit_changes(session)
    return row


def update_association(
    session: Session, row: Association, data: AssociationUpdate, actor: Actor
) -> Association:
    changed = apply_changes(row, _checked_association_fields(_dump(data)))
    if changed:
        record_change(
            session, actor, action="update", entity="association", entity_id=row.id, association_id=row.id,
            changes=changed,
        )  # fmt: skip
        commit_changes(session)
    return row


def delete_association(session: Session, row: Association, actor: Actor) -> None:
    record_change(
        session, actor, action="delete", entity="association", entity_id=row.id, association_id=row.id,
        changes={"name": row.name},
    )  # fmt: skip
    session.delete(row)
    commit_changes(session)


# Helpline numbers


def list_numbers(session: Session, association_id: int) -> list[HelplineNumber]:
    query = select(HelplineNumber).where(HelplineNumber.association_id == association_id)
    return list(session.exec(query.order_by(col(HelplineNumber.id))).all())


def get_number(session: Session, association_id: int, number_id: int) -> HelplineNumber:
    row = session.get(HelplineNumber, number_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("helpline number not found")
    return row


def _ensure_number_free(
    session: Session, association_id: int, number: str, channel: Channel, keep_id: int | None = None
) -> None:
    """A helpline number selects its association, so it belongs to one association only; within it, the
    same number may take calls and texts, once per channel."""
    for existing in session.exec(select(HelplineNumber).where(HelplineNumber.number == number)).all():
        if existing.id == keep_id:
            continue
        if existing.association_id != association_id:
            raise ConflictError("this helpline number is already in use")
        if existing.channel == channel:
            raise ConflictError(f"this helpline number is already in use for {channel.value}")


def add_number(session: Session, association_id: int, data: NumberCreate, actor: Actor) -> HelplineNumber:
    number = check_number(data.number, "number")
    _ensure_number_free(session, association_id, number, data.channel)
    row = HelplineNumber(association_id=association_id, number=number, channel=data.channel, label=data.label)
    session.add(row)
    flush_changes(session)
    record_change(
        session, actor, action="create", entity="helpline_number", entity_id=row.id,
        association_id=association_id, changes={"number": number, "channel": data.channel, "label": data.label},
    )  # fmt: skip
    commit_changes(session)
    return row


def update_number(session: Session, row: HelplineNumber, data: NumberUpdate, actor: Actor) -> HelplineNumber:
    fields = _dump(data)
    if "number" in fields:
        fields["number"] = check_number(fields["number"], "number")
    if "number" in fields or "channel" in fields:
        number, channel = fields.get("number", row.number), Channel(fields.get("channel", row.channel))
        _ensure_number_free(session, row.association_id, number, channel, keep_id=row.id)
    changed = apply_changes(row, fields)
    if changed:
        record_change(
            session, actor, action="update", entity="helpline_number", entity_id=row.id,
            association_id=row.association_id, changes=changed,
        )  # fmt: skip
        commit_changes(session)
    return row


def delete_number(session: Session, row: HelplineNumber, actor: Actor) -> None:
    record_change(
        session, actor, action="delete", entity="helpline_number", entity_id=row.id,
        association_id=row.association_id, changes={"number": row.number},
    )  # fmt: skip
    session.delete(row)
    commit_changes(session)


# The language menu


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
    session.add(row)
    flush_changes(session)
    record_change(
        session, actor, action="create", entity="language", entity_id=row.code, association_id=association_id,
        changes=fields,
    )  # fmt: skip
    commit_changes(session)
    return row


def update_language(
    session: Session, row: AssociationLanguage, data: LanguageUpdate, actor: Actor
) -> AssociationLanguage:
    fields = data.model_dump(mode="json", exclude_unset=True)
    if "digit" in fields:
        _ensure_digit_free(session, row.association_id, fields["digit"], row.code)
    changed = apply_changes(row, fields)
    if changed:
        record_change(
            session, actor, action="update", entity="language", entity_id=row.code,
            association_id=row.association_id, changes=changed,
        )  # fmt: skip
        commit_changes(session)
    return row


def delete_language(session: Session, row: AssociationLanguage, actor: Actor) -> None:
    record_change(
        session, actor, action="delete", entity="language", entity_id=row.code,
        association_id=row.association_id, changes={"digit": row.digit},
    )  # fmt: skip
    session.delete(row)
    commit_changes(session)


# Fallback policies


def get_policy(session: Session, association_id: int, language: str) -> FallbackPolicy | None:
    query = select(FallbackPolicy).where(
        FallbackPolicy.association_id == association_id, FallbackPolicy.language == canonical_code(language)
    )
    return session.exec(query).first()


def list_policies(session: Session, association_id: int) -> list[FallbackPolicy]:
    query = select(FallbackPolicy).where(FallbackPolicy.association_id == association_id)
    return list(session.exec(query.order_by(col(FallbackPolicy.language))))


def effective_steps(
    session: Session, association_id: int, language: str
) -> tuple[PolicySteps, FallbackPolicy | None]:
    """The association's policy for the language, or the default when it has set none."""
    row = get_policy(session, association_id, language)
    if row is None:
        return default_policy(canonical_code(language)), None
    return PolicySteps.model_validate({"steps": row.steps}), row


def _checked_policy(steps: PolicySteps) -> PolicySteps:
    for i, step in enumerate(steps.steps):
        if isinstance(step, ListenerStep):
            step.languages = [check_language(code, f"steps.{i}.languages") for code in step.languages]
    return steps


def set_policy(
    session: Session, association_id: int, language: str, steps: PolicySteps, actor: Actor
) -> FallbackPolicy:
    language = check_language(language, "language", location="path")
    dumped = _checked_policy(steps).model_dump(mode="json")["steps"]
    row = get_policy(session, association_id, language)
    action = "update" if row else "create"
    if row is None:
        row = FallbackPolicy(
            association_id=association_id, language=language, steps=dumped, updated_at=actor.at
        )
        session.add(row)
    else:
        row.steps = dumped
        row.updated_at = actor.at
    record_change(
        session, actor, action=action, entity="fallback_policy", entity_id=language,
        association_id=association_id, changes={"steps": dumped},
    )  # fmt: skip
    commit_changes(session)
    return row


def delete_policy(session: Session, association_id: int, language: str, actor: Actor) -> None:
    row = get_policy(session, association_id, language)
    if row is None:
        raise NotFoundError(f"no fallback policy set for {language!r}")
    record_change(
        session, actor, action="delete", entity="fallback_policy", entity_id=language,
        association_id=association_id, changes={},
    )  # fmt: skip
    session.delete(row)
    commit_changes(session)
