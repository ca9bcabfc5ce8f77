"""Open shifts: a listener gives up one occurrence of a shift (it stops counting as worked at once, for the
engine too), and another listener takes it, which makes it a one-off shift of their own. Both are audited;
the coordinators' board lists what is open and tells them of each shift given up (``given_up_since``: also
what a message to the coordinators would say)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, create_audited, update_audited
from routing.errors import InvalidConfigurationError, NotFoundError
from routing.roster.calendar import create_shift, expand, get_shift
from schemas.api import ShiftCreate
from schemas.tables import Listener, OpenShift, Shift


@dataclass(frozen=True)
class OpenSlot:
    open_id: int
    start: datetime
    end: datetime
    given_up_by: int
    timezone: str


@dataclass(frozen=True)
class GiveUp:
    """A shift a listener gave up: who, which occurrence, when they gave it up, and whether it is taken."""

    open_id: int
    listener_id: int
    listener_name: str
    start: datetime
    end: datetime
    given_up_at: datetime
    taken: bool


def given_up_since(session: Session, association_id: int, since: datetime) -> list[GiveUp]:
    """Shifts given up at or after ``since``, newest first, in one query: the coordinators' notice."""
    query = (
        select(OpenShift, Listener.name)
        .join(Listener, col(Listener.id) == col(OpenShift.given_up_by))
        .where(OpenShift.association_id == association_id, col(OpenShift.created_at) >= since)
        .order_by(col(OpenShift.created_at).desc(), col(OpenShift.id).desc())
    )
    found = []
    for row, name in session.exec(query).all():
        assert row.id is not None
        start = datetime.fromtimestamp(row.starts_at_epoch, UTC)
        found.append(GiveUp(row.id, row.given_up_by, name, start, start + timedelta(minutes=row.duration_minutes),
                            row.created_at, row.taken_by is not None))  # fmt: skip
    return found


def give_up(
    session: Session, association_id: int, listener_id: int, shift_id: int, start_epoch: int, actor: Actor
) -> OpenShift:
    """Only the listener's own future occurrence; another's, or one that does not exist, is not found."""
    row = get_shift(session, association_id, shift_id)
    start = datetime.fromtimestamp(start_epoch, UTC)
    occurs = [
        o
        for o in expand(row, start, start + timedelta(seconds=1))
        if round(o.start.timestamp()) == start_epoch
    ]
    if row.listener_id != listener_id or not occurs:
        raise NotFoundError("shift not found")
    if start <= actor.at:
        raise InvalidConfigurationError("a shift that has begun cannot be given up", field="shift")
    opened = OpenShift(association_id=association_id, shift_id=shift_id, starts_at_epoch=start_epoch,
                       duration_minutes=row.duration_minutes, given_up_by=listener_id, created_at=actor.at)  # fmt: skip
    create_audited(session, actor, opened, "open_shift", {"shift_id": shift_id, "starts_at": start})
    return opened


def list_open(session: Session, association_id: int, now: datetime) -> list[OpenSlot]:
    """Open shifts not taken yet that have not begun, soonest first (with their shift's zone, in one query)."""
    query = (
        select(OpenShift, Shift.timezone)
        .join(Shift, col(Shift.id) == col(OpenShift.shift_id))
        .where(
            OpenShift.association_id == association_id,
            col(OpenShift.taken_by).is_(None),
            OpenShift.starts_at_epoch > now.timestamp(),
        )
    )
    found = []
    for row, timezone in session.exec(query.order_by(col(OpenShift.starts_at_epoch))).all():
        assert row.id is not None
        start = datetime.fromtimestamp(row.starts_at_epoch, UTC)
        found.append(OpenSlot(row.id, start, start + timedelta(minutes=row.duration_minutes), row.given_up_by,
                              timezone))  # fmt: skip
    return found


def take(session: Session, association_id: int, listener_id: int, open_id: int, actor: Actor) -> OpenShift:
    row = session.get(OpenShift, open_id)
    if row is None or row.association_id != association_id:
        raise NotFoundError("open shift not found")
    if row.taken_by is not None or row.starts_at_epoch <= actor.at.timestamp():
        raise InvalidConfigurationError("this shift is no longer open", field="shift")
    original = get_shift(session, association_id, row.shift_id)
    start = datetime.fromtimestamp(row.starts_at_epoch, UTC)
    data = ShiftCreate(listener_id=listener_id, starts_at=start, duration_minutes=row.duration_minutes,
                       timezone=original.timezone, rrule=None, note="taken open shift")  # fmt: skip
    shift = create_shift(session, association_id, data, actor)
    update_audited(session, actor, row, {"taken_by": listener_id, "taken_shift_id": shift.id},
                   Subject("open_shift", row.id, association_id))  # fmt: skip
    return row
