"""The roster's automation as the worker's tick sees it: what falls due in the next few minutes, over every
association. Pure reads; the jobs it leads to claim their messages themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from routing.roster.invitations import Send, sends_due
from routing.roster.no_show import NoShow, no_shows_due
from routing.roster.reminders import Due, deadlines_due, reminders_due
from schemas.tables import Association, Shift


@dataclass
class RosterPlan:
    reminders: list[Due] = field(default_factory=list)
    deadlines: list[Due] = field(default_factory=list)
    sends: list[Send] = field(default_factory=list)
    no_shows: list[NoShow] = field(default_factory=list)


def plan_roster(session: Session, now: datetime, lead: timedelta) -> RosterPlan:
    plan = RosterPlan()
    for association in session.exec(select(Association).order_by(col(Association.id))).all():
        plan.reminders += reminders_due(session, association, now, lead)
        plan.deadlines += deadlines_due(session, association, now, lead)
        plan.sends += sends_due(session, association, now)
        plan.no_shows += no_shows_due(session, association, now)
    return plan


def confirm_by(session: Session, shift_id: int) -> timedelta:
    """The association's deadline before a shift's start for answering its reminder."""
    association = session.get(Association, _association_of(session, shift_id))
    return timedelta(minutes=association.confirm_by_minutes if association is not None else 30)


def _association_of(session: Session, shift_id: int) -> int:
    shift = session.get(Shift, shift_id)
    return shift.association_id if shift is not None else 0
