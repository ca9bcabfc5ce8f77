"""Helpline numbers: the number called or written to selects its association, so a number belongs to one
association only; within it, the same number may take calls and texts, once per channel."""

from __future__ import annotations

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, create_audited, delete_audited, update_audited
from routing.configuration.checks import check_number, set_fields
from routing.configuration.providers import check_provider
from routing.errors import ConflictError, NotFoundError
from schemas.api import NumberCreate, NumberUpdate
from schemas.tables import Channel, HelplineNumber


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
    check_provider(session, association_id, data.provider)
    row = HelplineNumber(
        association_id=association_id,
        number=number,
        channel=data.channel,
        label=data.label,
        provider=data.provider,
    )
    changes = {"number": number, "channel": data.channel, "label": data.label, "provider": data.provider}
    create_audited(session, actor, row, "helpline_number", changes)
    return row


def update_number(session: Session, row: HelplineNumber, data: NumberUpdate, actor: Actor) -> HelplineNumber:
    fields = set_fields(data)
    if "number" in fields:
        fields["number"] = check_number(fields["number"], "number")
    if "number" in fields or "channel" in fields:
        number, channel = fields.get("number", row.number), Channel(fields.get("channel", row.channel))
        _ensure_number_free(session, row.association_id, number, channel, keep_id=row.id)
    if fields.get("provider") is not None:
        check_provider(session, row.association_id, fields["provider"])
    update_audited(session, actor, row, fields, _subject(row))
    return row


def delete_number(session: Session, row: HelplineNumber, actor: Actor) -> None:
    delete_audited(session, actor, row, _subject(row), {"number": row.number})


def _subject(row: HelplineNumber) -> Subject:
    return Subject("helpline_number", row.id, row.association_id)
