"""Open occurrences and who is asked to take them. An occurrence opens when its listener says NO or leaves
the reminder unanswered past the deadline (``open_occurrence``, through ``handover.give_up``, audited); the
coordinators are told, and eligible listeners (they speak a language the shift covers, are active and
verified, and are not on shift then) are invited: all together, or one every ``invite_turn_minutes`` in
turn. The first YES takes it (``answers``); the other invitees are then told it is filled.

``*_due`` plan what to send for the worker's tick; ``prepare_*`` claim and compose one message each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from locales import messages
from locales.dates import short_moment
from locales.language_names import spoken_name
from routing.configuration.audit import Actor
from routing.engine.records import aware
from routing.phones import PhoneVault
from routing.roster.addresses import address
from routing.roster.calendar import get_shift
from routing.roster.handover import give_up
from routing.roster.listeners import list_listeners, spoken_languages
from routing.roster.notices import ACTOR, RosterMessage, RosterOptions, audit, claim, notices_about
from routing.roster.reminders import Due, find_slot, say, shift_languages
from routing.roster.timetable import Slot, occurrences_between
from schemas.tables import (
    Association,
    ConfirmationStatus,
    Listener,
    OpenShift,
    Role,
    RosterNotice,
    ShiftConfirmation,
    StaffMember,
)


@dataclass(frozen=True)
class Send:
    """One message about an open shift to one person (a listener, or a staff member for ``open``)."""

    kind: str  # invitation, filled (to listeners); open, took (to coordinators: who took it)
    open_shift_id: int
    recipient_id: int

    @property
    def key(self) -> str:
        """The claim key of its ``roster_notices`` row."""
        return f"{self.kind}:{self.open_shift_id}:{self.recipient_id}"


def open_occurrence(
    session: Session, slot: Slot, confirmation: ShiftConfirmation, status: ConfirmationStatus, now: datetime
) -> OpenShift | None:
    """Mark the occurrence declined or unanswered and open it (once: an occurrence given up already, in the
    app, stays the open shift it is)."""
    confirmation.status, confirmation.answered_at = status, now
    shift = slot.shift
    assert shift.id is not None
    epoch = round(slot.occurrence.start.timestamp())
    existing = session.exec(
        select(OpenShift).where(OpenShift.shift_id == shift.id, OpenShift.starts_at_epoch == epoch)
    ).first()
    if existing is None and slot.occurrence.start > now:
        existing = give_up(
            session, shift.association_id, shift.listener_id, shift.id, epoch, Actor(ACTOR, now)
        )
        session.flush()
    confirmation.open_shift_id = existing.id if existing is not None else None
    session.add(confirmation)
    audit(session, shift.association_id, status.value, "shift", shift.id, now,
          starts_at=slot.occurrence.start, listener_id=shift.listener_id, open_shift_id=confirmation.open_shift_id)  # fmt: skip
    return existing


def _start(row: OpenShift) -> datetime:
    return datetime.fromtimestamp(row.starts_at_epoch, UTC)


def eligible_listeners(session: Session, row: OpenShift) -> list[Listener]:
    """Active, verified listeners speaking a language the shift covers, not on shift then, not the one who
    gave it up; in the directory's order."""
    wanted = set(shift_languages(session, row.association_id, row.given_up_by))
    start = _start(row)
    end = start + timedelta(minutes=row.duration_minutes)
    busy = {slot.shift.listener_id for slot in occurrences_between(session, row.association_id, start, end)}
    candidates = [
        listener
        for listener in list_listeners(session, row.association_id)
        if listener.active and listener.registration_verified and listener.id != row.given_up_by
        and listener.id not in busy
    ]  # fmt: skip
    spoken = spoken_languages(session, [c.id for c in candidates if c.id is not None])
    return [c for c in candidates if wanted & {s.code for s in spoken.get(c.id or 0, [])}]


def open_shifts(session: Session, association_id: int, now: datetime) -> list[OpenShift]:
    """Open shifts that have not begun, taken or not (a taken one still owes "filled" notices)."""
    query = select(OpenShift).where(
        OpenShift.association_id == association_id, OpenShift.starts_at_epoch > now.timestamp()
    )
    return list(session.exec(query.order_by(col(OpenShift.starts_at_epoch), col(OpenShift.id))).all())


def coordinators(session: Session, association_id: int) -> list[StaffMember]:
    query = select(StaffMember).where(
        StaffMember.association_id == association_id,
        StaffMember.active == True,  # noqa: E712
        StaffMember.role == Role.coordinator,
    )
    return list(session.exec(query.order_by(col(StaffMember.id))).all())


def sends_due(session: Session, association: Association, now: datetime) -> list[Send]:
    """For every open shift of the association: coordinators not told yet, invitations due (all eligible at
    once, or the next one in turn); once it is taken, "filled" notices to the invitees who did not answer, and
    the coordinators told who took it."""
    assert association.id is not None
    due: list[Send] = []
    for row in open_shifts(session, association.id, now):
        assert row.id is not None
        notices = notices_about(session, row.id)
        sent = {n.key for n in notices}
        invited = [n for n in notices if n.kind == "invitation"]
        if row.taken_by is not None:  # an invitee who answered was told at once, in the reply
            wanted = [Send("filled", row.id, n.listener_id) for n in invited
                      if n.listener_id is not None and n.listener_id != row.taken_by and n.answer == ""]  # fmt: skip
            wanted += [
                Send("took", row.id, staff.id) for staff in coordinators(session, association.id) if staff.id
            ]
        else:
            wanted = [
                Send("open", row.id, staff.id) for staff in coordinators(session, association.id) if staff.id
            ]
            wanted += [
                Send("invitation", row.id, i) for i in _next_invitees(session, association, row, invited, now)
            ]
        due += [send for send in wanted if send.key not in sent]
    return due


def _next_invitees(session: Session, association: Association, row: OpenShift, invited: list[RosterNotice],
                   now: datetime) -> list[int]:  # fmt: skip
    asked = {n.listener_id for n in invited}
    fresh = [listener.id for listener in eligible_listeners(session, row) if listener.id not in asked]
    if association.invite_turn_minutes <= 0:
        return [i for i in fresh if i is not None]
    turn = timedelta(minutes=association.invite_turn_minutes)
    waiting = [n for n in invited if n.answer == "" and (aware(n.sent_at) or now) + turn > now]
    return [i for i in fresh[:1] if i is not None] if not waiting else []


def describe_open(session: Session, row: OpenShift, locale: str) -> dict[str, str]:
    shift = get_shift(session, row.association_id, row.shift_id)
    codes = shift_languages(session, row.association_id, row.given_up_by)
    return {
        "when": short_moment(_start(row), shift.timezone, locale),
        "languages": ", ".join(spoken_name(code, locale) for code in codes),
    }


def prepare_send(
    session: Session, vault: PhoneVault, options: RosterOptions, send: Send, now: datetime
) -> RosterMessage | None:
    """The message, claimed; None when it went already or is no longer owed."""
    row = session.get(OpenShift, send.open_shift_id)
    if row is None or _start(row) <= now:
        return None
    if send.kind in ("open", "took"):
        return _coordinator_notice(session, vault, options, row, send, now)
    listener = session.get(Listener, send.recipient_id)
    if listener is None or not listener.active:
        return None
    if send.kind == "invitation" and (
        row.taken_by is not None or listener not in eligible_listeners(session, row)
    ):
        return None
    locale = listener.prompt_language
    text = messages.SHIFT_INVITATION if send.kind == "invitation" else messages.SHIFT_FILLED
    body = say(locale, text, **describe_open(session, row, locale))
    message = address(session, vault, row.association_id, listener.phone_encrypted, listener.text_channel, body,
                      options, asks_in=locale if send.kind == "invitation" else None)  # fmt: skip
    if message is None or not claim(session, row.association_id, send.key, send.kind, now, listener_id=listener.id,
                                    open_shift_id=row.id, shift_id=row.shift_id,
                                    starts_at_epoch=row.starts_at_epoch):  # fmt: skip
        return None
    audit(session, row.association_id, "invite" if send.kind == "invitation" else "filled", "open_shift", row.id,
          now, listener_id=listener.id)  # fmt: skip
    return message


def _coordinator_notice(session: Session, vault: PhoneVault, options: RosterOptions, row: OpenShift,
                        send: Send, now: datetime) -> RosterMessage | None:  # fmt: skip
    """``open``: who will not come, while nobody has taken it; ``took``: who took it."""
    staff = session.get(StaffMember, send.recipient_id)
    opening = send.kind == "open"
    if opening != (row.taken_by is None):
        return None
    about = session.get(Listener, row.given_up_by if opening else row.taken_by)
    if staff is None or not staff.active or about is None:
        return None
    locale = staff.app_language
    text = messages.COORDINATOR_SHIFT_OPEN if opening else messages.COORDINATOR_SHIFT_TAKEN
    body = say(locale, text, listener=about.name, **describe_open(session, row, locale))
    message = address(
        session, vault, row.association_id, staff.phone_encrypted, staff.code_channel, body, options
    )
    if message is None or not claim(session, row.association_id, send.key, send.kind, now, staff_id=staff.id,
                                    open_shift_id=row.id):  # fmt: skip
        return None
    audit(
        session, row.association_id, "notify", "open_shift", row.id, now, staff_id=staff.id, about=send.kind
    )
    return message


def expire_confirmation(session: Session, due: Due, now: datetime, confirm_by: timedelta) -> OpenShift | None:
    """At the deadline, a reminder still unanswered opens the occurrence; an answered one is left alone."""
    row = session.exec(
        select(ShiftConfirmation).where(
            ShiftConfirmation.shift_id == due.shift_id,
            ShiftConfirmation.starts_at_epoch == due.starts_at_epoch,
        )
    ).first()
    if row is None or row.status != ConfirmationStatus.pending:
        return None
    slot = find_slot(session, due.shift_id, due.starts_at_epoch)
    if slot is None or now < slot.occurrence.start - confirm_by or slot.occurrence.start <= now:
        return None
    return open_occurrence(session, slot, row, ConfirmationStatus.unanswered, now)
