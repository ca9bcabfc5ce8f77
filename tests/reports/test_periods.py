"""Local periods are reckoned in the database: for any zone (half-hour offsets, daylight saving, a
half-hour daylight-saving change) and any moment of a range, the SQL puts a contact in the local hour or day
that the calendar says, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session

from app.services import Services
from routing.engine.live.keys import to_us
from routing.reports import Period, ReportRange

ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "Europe/London", "America/New_York", "Australia/Lord_Howe"]


def local_floor(moment: datetime, zone: str, period: Period) -> datetime:
    local = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    floor = local.replace(minute=0, second=0, microsecond=0)
    return floor.replace(hour=0) if period is Period.day else floor


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    period=st.sampled_from(list(Period)),
    start=st.datetimes(datetime(2024, 1, 1), datetime(2027, 1, 1), timezones=st.just(UTC)),
    days=st.integers(1, 400),
    offsets=st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=20),
)
def test_the_database_finds_the_local_period(
    services: Services, zone: str, period: Period, start: datetime, days: int, offsets: list[float]
) -> None:
    window = ReportRange(start, start + timedelta(days=days), zone, period)
    slot, params = window.slot_sql("c.arrival_us")
    moments = [start + (window.end - start) * f for f in offsets]
    with Session(services.engine) as session:
        for moment in moments:
            query = text(f"SELECT {slot} FROM (SELECT CAST(:at AS BIGINT) AS arrival_us) c")
            found = session.connection().execute(query, {**params, "at": to_us(moment)}).scalar_one()
            assert window.slot_start(found).replace(tzinfo=None) == local_floor(moment, zone, period)
            assert window.slot_at_us(to_us(moment)) == found
