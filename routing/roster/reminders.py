"""Shift reminders: before each occurrence (by default 24 hours and 1 hour before; ``reminder_hours`` per
association) the listener is asked, in their language, to confirm or decline; an answer not given
``confirm_by_minutes`` before the start counts as no answer, and the occurrence opens (``invitations``).

The planning is pure over the roster (``reminders_due``, ``deadlines_due``): it says which reminder falls
due when, and the worker hands each to RQ's scheduler at that moment under an id of its own. Sending claims
the reminder first (``notices.claim``), so each goes out once however often it is planned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from locales import messages, translator_for
from locales.dates import short_moment
from locales.language_names import spoken_name
from routing.configuration.languages import list_languages
from routing.engine.records import aware
from routing.phones import PhoneVault
from routing.roster.addresses import address
from routing.roster.listeners import spoken_languages
from routing.roster.notices import RosterMessage, RosterOptions, audit, claim
from routing.roster.timetable import Slot, occurrences_between
from schemas.database import insert_new
from schemas.tables import Association, ConfirmationStatus, Listener, RosterNotice, Shift, ShiftConfirmation

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Due:
    """Something to do for one occurrence at ``at``: a reminder (``hours`` before), or its deadline."""

    shift_id: int
    starts_at_epoch: int
    at: datetime
    hours: int = 0


def epoch_of(moment: datetime) -> int:
    return round(moment.timestamp())


def reminder_for(start: datetime, hours: list[int], now: datetime, lead: timedelta) -> int | None:
    """Which reminder to send for an occurrence starting at ``start``, if one falls due before ``now + lead``:
    the latest due, so that a shift planned late (or a worker that was down) gets one reminder, not several."""
    due = [h for h in hours if h > 0 and start - h * HOUR <= now + lead]
    return min(due) if due and start > now else None


def reminders_due(session: Session, association: Association, now: datetime, lead: timedelta) -> list[Due]:
    hours = sorted(set(association.reminder_hours or []))
    if not hours or association.id is None:
        return []
    found, sent = [], sent_reminders(session, association.id, now)
    for slot in occurrences_between(session, association.id, now, now + max(hours) * HOUR + lead):
        start = slot.occurrence.start
        chosen = reminder_for(start, hours, now, lead)
        if chosen is not None and slot.shift.id is not None:
            due = Due(slot.shift.id, epoch_of(start), max(now, start - chosen * HOUR), chosen)
            if reminder_key(due) not in sent:
                found.append(due)
    return found


def reminder_key(due: Due) -> str:
    return f"reminder:{due.shift_id}:{due.starts_at_epoch}:{due.hours}"


def sent_reminders(session: Session, association_id: int, now: datetime) -> set[str]:
    """The keys of reminders already sent for occurrences still to come: planned no more."""
    query = select(RosterNotice.key).where(
        RosterNotice.association_id == association_id,
        RosterNotice.kind == "reminder",
        col(RosterNotice.starts_at_epoch) > now.timestamp(),
    )
    return set(session.exec(query).all())


def deadlines_due(session: Session, association: Association, now: datetime, lead: timedelta) -> list[Due]:
    """Pending confirmations whose deadline (``confirm_by_minutes`` before the start) comes before ``now + lead``."""
    before = timedelta(minutes=association.confirm_by_minutes)
    query = select(ShiftConfirmation).where(
        ShiftConfirmation.association_id == association.id,
        ShiftConfirmation.status == ConfirmationStatus.pending,
        ShiftConfirmation.starts_at_epoch > now.timestamp(),
        ShiftConfirmation.starts_at_epoch <= (now + lead + before).timestamp(),
    )
    return [
        Due(row.shift_id, row.starts_at_epoch, max(now, _start(row.starts_at_epoch) - before))
        for row in session.exec(query.order_by(col(ShiftConfirmation.starts_at_epoch))).all()
    ]


def _start(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def find_slot(session: Session, shift_id: int, starts_at_epoch: int) -> Slot | None:
    """The occurrence, if the shift still has it (not moved, deleted or given up)."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        return None
    start = _start(starts_at_epoch)
    slots = occurrences_between(session, shift.association_id, start - HOUR, start + HOUR, shift.listener_id)
    return next(
        (s for s in slots if s.shift.id == shift_id and epoch_of(s.occurrence.start) == starts_at_epoch), None
    )


def get_confirmation(session: Session, shift_id: int, starts_at_epoch: int) -> ShiftConfirmation | None:
    return session.exec(
        select(ShiftConfirmation).where(
            ShiftConfirmation.shift_id == shift_id, ShiftConfirmation.starts_at_epoch == starts_at_epoch
        )
    ).first()


def ensure_confirmation(session: Session, slot: Slot) -> ShiftConfirmation:
    shift = slot.shift
    assert shift.id is not None
    epoch = epoch_of(slot.occurrence.start)
    insert_new(session, ShiftConfirmation, association_id=shift.association_id, shift_id=shift.id,
               listener_id=shift.listener_id, starts_at_epoch=epoch, status=ConfirmationStatus.pending)  # fmt: skip
    row = get_confirmation(session, shift.id, epoch)
    assert row is not None
    return row


def _answered_since(confirmation: ShiftConfirmation, moment: datetime) -> bool:
    answered = aware(confirmation.answered_at)  # SQLite gives it back naive
    return confirmation.status == ConfirmationStatus.confirmed and answered is not None and answered >= moment


def shift_languages(session: Session, association_id: int, listener_id: int) -> list[str]:
    """The languages of the menu the listener speaks: what their shift covers."""
    spoken = {row.code for row in spoken_languages(session, [listener_id]).get(listener_id, [])}
    return [row.code for row in list_languages(session, association_id) if row.code in spoken]


def describe_slot(
    session: Session, slot: Slot, locale: str, listener_id: int | None = None
) -> dict[str, str]:
    """The ``when`` and ``languages`` of a message about the occurrence, in the reader's language."""
    codes = shift_languages(session, slot.shift.association_id, listener_id or slot.shift.listener_id)
    return {
        "when": short_moment(slot.occurrence.start, slot.shift.timezone, locale),
        "languages": ", ".join(spoken_name(code, locale) for code in codes),
    }


def say(locale: str, message: str, **values: str) -> str:
    return translator_for(locale).gettext(message) % values


def prepare_reminder(
    session: Session, vault: PhoneVault, options: RosterOptions, due: Due, now: datetime
) -> RosterMessage | None:
    """The reminder to send now, claimed; None when it went already, the occurrence is gone, has begun, or
    was declined, or the listener cannot be reached."""
    slot = find_slot(session, due.shift_id, due.starts_at_epoch)
    if slot is None or slot.occurrence.start <= now:
        return None
    listener = session.get(Listener, slot.shift.listener_id)
    if listener is None or not listener.active:
        return None
    confirmation = get_confirmation(session, due.shift_id, due.starts_at_epoch)
    if confirmation is not None and confirmation.status not in (
        ConfirmationStatus.pending,
        ConfirmationStatus.confirmed,
    ):
        return None
    if confirmation is not None and _answered_since(confirmation, slot.occurrence.start - due.hours * HOUR):
        return None  # they said YES after this reminder fell due: they know
    locale = listener.prompt_language
    body = say(locale, messages.SHIFT_REMINDER, **describe_slot(session, slot, locale))
    message = address(session, vault, listener.association_id, listener.phone_encrypted,
                      listener.text_channel, body, options, asks_in=locale)  # fmt: skip
    if message is None or not claim(session, listener.association_id, reminder_key(due), "reminder", now,
                                    listener_id=listener.id, shift_id=due.shift_id,
                                    starts_at_epoch=due.starts_at_epoch):  # fmt: skip
        return None
    ensure_confirmation(session, slot)  # only a listener who was asked can leave it unanswered
    audit(session, listener.association_id, "remind", "shift", due.shift_id, now,
          starts_at=slot.occurrence.start, hours=due.hours, listener_id=listener.id)  # fmt: skip
    return message
