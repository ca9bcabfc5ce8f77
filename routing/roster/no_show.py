"""No-shows: a shift that started ``no_show_minutes`` ago while its listener is still offline (paused since
before it began: they never became available). Each coordinator is told once per occurrence; a listener who
came and was paused later (missed offers, a break) is not a no-show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from locales import messages
from locales.dates import short_moment
from routing.engine.records import aware
from routing.phones import PhoneVault
from routing.roster.addresses import address
from routing.roster.invitations import coordinators
from routing.roster.notices import RosterMessage, RosterOptions, audit, claim
from routing.roster.reminders import epoch_of, find_slot, say
from routing.roster.timetable import occurrences_between
from schemas.tables import Association, Listener, ListenerPresence, RosterNotice, StaffMember

WINDOW = timedelta(hours=1)  # a worker down longer than this does not tell of old no-shows


@dataclass(frozen=True)
class NoShow:
    shift_id: int
    starts_at_epoch: int
    staff_id: int

    @property
    def key(self) -> str:
        return f"no-show:{self.shift_id}:{self.starts_at_epoch}:{self.staff_id}"


def is_no_show(presence: ListenerPresence | None, start: datetime) -> bool:
    since = aware(presence.paused_since) if presence is not None else None
    return presence is not None and presence.paused and since is not None and since <= start


def no_shows_due(session: Session, association: Association, now: datetime) -> list[NoShow]:
    assert association.id is not None
    late = timedelta(minutes=association.no_show_minutes)
    staff = [s.id for s in coordinators(session, association.id) if s.id is not None]
    sent = set(session.exec(select(RosterNotice.key).where(
        RosterNotice.association_id == association.id, RosterNotice.kind == "no-show",
        col(RosterNotice.starts_at_epoch) >= (now - late - WINDOW).timestamp())).all())  # fmt: skip
    due = []
    for slot in occurrences_between(session, association.id, now - late - WINDOW, now):
        start = slot.occurrence.start
        if (
            not now - late - WINDOW <= start <= now - late
            or slot.occurrence.end <= now
            or slot.shift.id is None
        ):
            continue
        if is_no_show(session.get(ListenerPresence, slot.shift.listener_id), start):
            due += [NoShow(slot.shift.id, epoch_of(start), s) for s in staff]
    return [n for n in due if n.key not in sent]


def prepare_no_show(
    session: Session, vault: PhoneVault, options: RosterOptions, due: NoShow, now: datetime
) -> RosterMessage | None:
    slot = find_slot(session, due.shift_id, due.starts_at_epoch)
    staff = session.get(StaffMember, due.staff_id)
    if slot is None or staff is None or not staff.active:
        return None
    listener = session.get(Listener, slot.shift.listener_id)
    if listener is None or not is_no_show(session.get(ListenerPresence, listener.id), slot.occurrence.start):
        return None
    locale = staff.app_language
    when = short_moment(slot.occurrence.start, slot.shift.timezone, locale)
    body = say(locale, messages.NO_SHOW, listener=listener.name, when=when)
    message = address(
        session, vault, staff.association_id, staff.phone_encrypted, staff.code_channel, body, options
    )
    if message is None or not claim(session, staff.association_id, due.key, "no-show", now, staff_id=staff.id,
                                    shift_id=due.shift_id, starts_at_epoch=due.starts_at_epoch):  # fmt: skip
        return None
    audit(session, staff.association_id, "no-show", "shift", due.shift_id, now,
          starts_at=slot.occurrence.start, listener_id=listener.id, staff_id=staff.id)  # fmt: skip
    return message
