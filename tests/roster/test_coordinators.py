"""What coordinators are told besides open shifts: a daily coverage digest in their language (the gaps
``routing.reports`` gives the API and the board), and a no-show, once, when a shift starts with its
listener offline."""

from __future__ import annotations

from datetime import timedelta

from routing.reports import find_coverage_gaps
from schemas.tables import Association, ListenerPresence
from tests.roster.conftest import Roster, roster_messages
from tests.text.conftest import NOW

HOUR = timedelta(hours=1)


def test_the_daily_digest_lists_the_coverage_gaps_in_the_coordinators_language_once_a_day(
    roster: Roster,
) -> None:
    roster.line.configure(digest_hour=11)  # NOW is 11:30 in Kolkata
    roster.listener("Meena", ("ta",), starts=NOW + 2 * HOUR, minutes=180)
    coordinator = roster.coordinator("Dr Iyer", app_language="ta")
    english = roster.coordinator("Dr Shah")
    roster.settle()
    with roster.line.session() as session:
        association = session.get(Association, roster.line.association_id)
        assert association is not None
        gaps = find_coverage_gaps(session, association, roster.clock.now(), days=14)
    [digest] = roster_messages(coordinator)
    assert digest.body.startswith("அடுத்த 14 நாட்களின் நிலை:") and f"{len(gaps)} " in digest.body
    [plain] = roster_messages(english)
    assert plain.body.startswith(f"Coverage for the next 14 days: {len(gaps)} hours with too few listeners.")
    assert "ta " in plain.body and "hi " in plain.body
    roster.run_until(NOW + timedelta(minutes=25))
    assert len(roster_messages(coordinator)) == 1  # once a day
    roster.jump(NOW + 24 * HOUR)
    assert len(roster_messages(coordinator)) == 2


def test_a_shift_that_starts_with_its_listener_offline_is_told_to_the_coordinator_once(
    roster: Roster,
) -> None:
    start = NOW + HOUR
    _, absent_id = roster.listener("Absent", ("ta",), starts=start)
    roster.listener("Present", ("ta",), starts=start)
    with roster.line.session() as session:
        session.add(ListenerPresence(listener_id=absent_id, paused=True, paused_reason="offline",
                                     paused_since=NOW - HOUR))  # fmt: skip
        session.commit()
    coordinator = roster.coordinator("Dr Rao")
    roster.jump(start + timedelta(minutes=5))
    before = [m.body for m in roster_messages(coordinator)]
    roster.run_until(start + timedelta(minutes=15))
    told = [m.body for m in roster_messages(coordinator)][len(before) :]
    assert told == ["Absent's shift started at Wed 25 Nov, 12:30, but they have not come online."]
    roster.run_until(start + timedelta(minutes=40))
    assert [m.body for m in roster_messages(coordinator)][len(before) :] == told
    assert len(roster.audit("no-show")) == 1
