"""The coordinators' daily coverage digest: at the association's ``digest_hour`` (local), each coordinator
gets, in their language, the coverage gaps of the next 14 days exactly as ``find_coverage_gaps`` returns
them to the API and the board, with the hours of a language run together ("ta Thu 26 Nov, 09:00-12:00").
Once a day each: the message is claimed under ``digest:<association>:<local date>:<staff>``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from locales import messages
from locales.dates import short_moment
from routing.engine.shift_rules import zone
from routing.phones import PhoneVault
from routing.reports.coverage import CoverageGap, find_coverage_gaps
from routing.roster.addresses import address
from routing.roster.invitations import coordinators
from routing.roster.notices import RosterMessage, RosterOptions, audit, claim
from routing.roster.reminders import say
from schemas.tables import Association, RosterNotice, StaffMember

DAYS = 14
LISTED = 8  # runs named in the message; the count covers them all


@dataclass(frozen=True)
class Digest:
    association_id: int
    staff_id: int
    local_date: str

    @property
    def key(self) -> str:
        return f"digest:{self.association_id}:{self.local_date}:{self.staff_id}"


def digests_due(session: Session, now: datetime) -> list[Digest]:
    due = []
    for association in session.exec(select(Association).order_by(col(Association.id))).all():
        local = now.astimezone(zone(association.timezone))
        if association.id is None or local.hour != association.digest_hour:
            continue
        sent = set(session.exec(select(RosterNotice.key).where(
            RosterNotice.association_id == association.id, RosterNotice.kind == "digest")).all())  # fmt: skip
        for staff in coordinators(session, association.id):
            digest = Digest(association.id, staff.id or 0, local.date().isoformat())
            if digest.key not in sent:
                due.append(digest)
    return due


def runs(gaps: list[CoverageGap]) -> list[tuple[str, datetime, datetime]]:
    """Consecutive gap hours of one language as one run, in order of start."""
    merged: list[tuple[str, datetime, datetime]] = []
    for gap in sorted(gaps, key=lambda g: (g.language, g.start)):
        if merged and merged[-1][0] == gap.language and merged[-1][2] == gap.start:
            merged[-1] = (gap.language, merged[-1][1], gap.end)
        else:
            merged.append((gap.language, gap.start, gap.end))
    return sorted(merged, key=lambda run: (run[1], run[0]))


def prepare_digest(
    session: Session, vault: PhoneVault, options: RosterOptions, digest: Digest, now: datetime
) -> RosterMessage | None:
    association = session.get(Association, digest.association_id)
    staff = session.get(StaffMember, digest.staff_id)
    if association is None or staff is None or not staff.active:
        return None
    gaps = find_coverage_gaps(session, association, now, days=DAYS)
    locale = staff.app_language
    body = say(locale, messages.COVERAGE_DIGEST_NONE, days=str(DAYS)) if not gaps else say(
        locale, messages.COVERAGE_DIGEST, days=str(DAYS), count=str(len(gaps)), gaps=_listed(gaps, association, locale))  # fmt: skip
    message = address(
        session, vault, association.id or 0, staff.phone_encrypted, staff.code_channel, body, options
    )
    if message is None or not claim(
        session, digest.association_id, digest.key, "digest", now, staff_id=staff.id
    ):
        return None
    audit(session, digest.association_id, "digest", "staff", staff.id, now, gaps=len(gaps))
    return message


def _listed(gaps: list[CoverageGap], association: Association, locale: str) -> str:
    named = [
        f"{code} {short_moment(start, association.timezone, locale)}-{end.astimezone(zone(association.timezone)):%H:%M}"
        for code, start, end in runs(gaps)
    ]
    return "; ".join(named[:LISTED]) + (" …" if len(named) > LISTED else "")
