"""Listeners as a coordinator manages them: who they are, which languages they speak, how to reach them.

The phone number is normalised to E.164 and then kept only encrypted, beside its keyed hash (to find
duplicates) and its last four digits (to show). The clear number never leaves this module's function calls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from routing.configuration.audit import (
    Actor,
    Subject,
    apply_changes,
    create_audited,
    delete_audited,
    flush_changes,
    record_update,
)
from routing.configuration.checks import check_language, check_number
from routing.errors import ConflictError, InvalidConfigurationError, NotFoundError
from routing.phones import PhoneVault
from schemas.api import ListenerCreate, ListenerUpdate, SpokenLanguage
from schemas.tables import Listener, ListenerLanguage, Proficiency


def list_listeners(session: Session, association_id: int) -> list[Listener]:
    query = select(Listener).where(Listener.association_id == association_id).order_by(col(Listener.id))
    return list(session.exec(query).all())


def get_listener(session: Session, association_id: int, listener_id: int) -> Listener:
    row = session.get(Listener, listener_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("listener not found")
    return row


def spoken_languages(session: Session, listener_ids: Sequence[int]) -> dict[int, list[ListenerLanguage]]:
    """Languages per listener, strongest first, in one query for a whole list."""
    found: dict[int, list[ListenerLanguage]] = defaultdict(list)
    if not listener_ids:
        return found
    rows = session.exec(select(ListenerLanguage).where(col(ListenerLanguage.listener_id).in_(listener_ids)))
    strength = list(Proficiency)
    for row in sorted(rows, key=lambda r: (strength.index(r.proficiency), r.code)):
        found[row.listener_id].append(row)
    return found


def _checked_languages(languages: list[SpokenLanguage]) -> list[SpokenLanguage]:
    checked: list[SpokenLanguage] = []
    for i, language in enumerate(languages):
        code = check_language(language.code, f"languages.{i}.code")
        if code in {c.code for c in checked}:
            raise InvalidConfigurationError(f"language {code!r} listed twice", field=f"languages.{i}.code")
        checked.append(language.model_copy(update={"code": code}))
    return checked


def _ensure_phone_free(session: Session, association_id: int, phone_hash: str, keep_id: int | None) -> None:
    query = select(Listener).where(
        Listener.association_id == association_id, Listener.phone_hash == phone_hash
    )
    existing = session.exec(query).first()
    if existing is not None and existing.id != keep_id:
        raise ConflictError("another listener of this association has this phone number")


def _phone_fields(vault: PhoneVault, association_id: int, raw: str) -> tuple[dict[str, Any], str]:
    number = check_number(raw, "phone")
    phone_hash = vault.listener_key(association_id, number)
    fields = {"phone_encrypted": vault.encrypt(number), "phone_hash": phone_hash}
    fields["phone_last4"] = number[-4:]
    return fields, number


def _replace_languages(session: Session, listener_id: int, languages: list[SpokenLanguage]) -> None:
    for old in session.exec(select(ListenerLanguage).where(ListenerLanguage.listener_id == listener_id)):
        session.delete(old)
    flush_changes(session)
    for language in languages:
        session.add(
            ListenerLanguage(listener_id=listener_id, code=language.code, proficiency=language.proficiency)
        )


def _language_summary(languages: list[SpokenLanguage]) -> list[str]:
    return [f"{language.code}:{language.proficiency.value}" for language in languages]


def create_listener(
    session: Session, vault: PhoneVault, association_id: int, data: ListenerCreate, actor: Actor
) -> Listener:
    languages = _checked_languages(data.languages)
    phone, number = _phone_fields(vault, association_id, data.phone)
    _ensure_phone_free(session, association_id, phone["phone_hash"], keep_id=None)
    fields = data.model_dump(mode="python", exclude={"phone", "languages"})
    fields["prompt_language"] = check_language(data.prompt_language, "prompt_language")
    fields["app_language"] = check_language(data.app_language, "app_language") if data.app_language else ""
    row = Listener(association_id=association_id, **fields, **phone, created_at=actor.at)
    changes = {**fields, "phone": number, "languages": _language_summary(languages)}
    create_audited(session, actor, row, "listener", changes)
    assert row.id is not None
    _replace_languages(session, row.id, languages)
    flush_changes(session)
    return row


def update_listener(
    session: Session, vault: PhoneVault, row: Listener, data: ListenerUpdate, actor: Actor
) -> Listener:
    fields = data.model_dump(mode="python", exclude_unset=True)
    languages = fields.pop("languages", None)
    raw_phone = fields.pop("phone", None)
    if "prompt_language" in fields:
        fields["prompt_language"] = check_language(fields["prompt_language"], "prompt_language")
    if fields.get("app_language"):
        fields["app_language"] = check_language(fields["app_language"], "app_language")
    changed: dict[str, Any] = {}
    if raw_phone is not None:
        phone, number = _phone_fields(vault, row.association_id, raw_phone)
        if phone["phone_hash"] != row.phone_hash:
            _ensure_phone_free(session, row.association_id, phone["phone_hash"], keep_id=row.id)
            changed["phone"] = ["…" + row.phone_last4, number]
            fields.update(phone)
    if languages is not None and data.languages is not None:
        assert row.id is not None
        checked = _checked_languages(data.languages)
        _replace_languages(session, row.id, checked)
        changed["languages"] = _language_summary(checked)
    changed.update(
        {
            k: v
            for k, v in apply_changes(row, fields).items()
            if k not in ("phone_encrypted", "phone_hash", "phone_last4")
        }
    )
    record_update(session, actor, _subject(row), changed)
    return row


def delete_listener(session: Session, row: Listener, actor: Actor) -> None:
    delete_audited(session, actor, row, _subject(row), {"name": row.name})


def _subject(row: Listener) -> Subject:
    return Subject("listener", row.id, row.association_id)
