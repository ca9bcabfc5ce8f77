"""The roster's automation as the worker's tick sees it: what falls due in the next few minutes, over every
association. Pure reads; the jobs it leads to claim their messages themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from routing.roster.reminders import Due, deadlines_due, reminders_due
from schemas.tables import Association


@dataclass
class RosterPlan:
    reminders: list[Due] = field(default_factory=list)
    deadlines: list[Due] = field(default_factory=list)


def plan_roster(session: Session, now: datetime, lead: timedelta) -> RosterPlan:
    plan = RosterPlan()
    for association in session.exec(select(Association).order_by(col(Association.id))).all():
        plan.reminders += reminders_due(session, association, now, lead)
        plan.deadlines += deadlines_due(session, association, now, lead)
    return plan
