"""Shifts in local wall-clock time: one-off or recurring by an RFC 5545 RRULE (python-dateutil's rrule).

Wall-clock times are resolved in the shift's IANA time zone at each occurrence, so a 09:00 shift stays at 09:00
local time across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from routing.errors import InvalidConfigurationError
from schemas.tables import Shift

MAX_SHIFT = timedelta(hours=24)


@dataclass(frozen=True)
class ShiftRule:
    """A shift as routing sees it: local start, length, zone and an optional recurrence."""

    listener_id: int
    starts_at: datetime  # naive, local to ``timezone``
    duration: timedelta
    timezone: str = "Asia/Kolkata"
    rrule: str | None = None
    shift_id: int | None = None
    given_up: frozenset[int] = frozenset()  # occurrence starts (epoch seconds) handed back as open shifts


@dataclass(frozen=True, order=True)
class Occurrence:
    start: datetime  # aware
    end: datetime  # aware
    listener_id: int
    shift_id: int | None = None

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidConfigurationError(f"unknown time zone {name!r}", field="timezone") from exc


def parse_rrule(text: str, starts_at: datetime) -> rrule:
    """Accept ``FREQ=WEEKLY;BYDAY=MO,WE`` with or without the ``RRULE:`` prefix; refuse anything else."""
    body = text.strip().removeprefix("RRULE:")
    if not body or "\n" in body:
        raise InvalidConfigurationError("rrule must be a single RRULE line", field="rrule")
    try:
        rule = rrulestr(body, dtstart=starts_at.replace(tzinfo=None))
    except (ValueError, TypeError) as exc:
        raise InvalidConfigurationError(f"invalid rrule: {exc}", field="rrule") from exc
    if not isinstance(rule, rrule):
        raise InvalidConfigurationError("rrule must be a single RRULE line", field="rrule")
    return rule


def validate_shift(rule: ShiftRule) -> None:
    zone(rule.timezone)
    if not timedelta(minutes=5) <= rule.duration <= MAX_SHIFT:
        raise InvalidConfigurationError("a shift lasts from 5 minutes to 24 hours", field="duration_minutes")
    if rule.rrule:
        parse_rrule(rule.rrule, rule.starts_at)


def occurrences(rule: ShiftRule, window_start: datetime, window_end: datetime) -> list[Occurrence]:
    """Every occurrence that overlaps [window_start, window_end) (aware datetimes)."""
    tz = zone(rule.timezone)
    local_from = (window_start - rule.duration).astimezone(tz).replace(tzinfo=None)
    local_to = window_end.astimezone(tz).replace(tzinfo=None)
    if rule.rrule:
        starts = parse_rrule(rule.rrule, rule.starts_at).between(local_from, local_to, inc=True)
    else:
        starts = [rule.starts_at] if local_from <= rule.starts_at <= local_to else []
    found = []
    for local_start in starts:
        start = local_start.replace(tzinfo=tz)
        if round(start.timestamp()) in rule.given_up:
            continue
        end = start + rule.duration
        if start < window_end and end > window_start:
            found.append(Occurrence(start, end, rule.listener_id, rule.shift_id))
    return sorted(found)


def is_on_shift(rule: ShiftRule, at: datetime) -> bool:
    return any(o.covers(at) for o in occurrences(rule, at, at + timedelta(microseconds=1)))


def local_start(row: Shift) -> datetime:
    """The naive wall-clock start in the shift's zone (a naive value is taken as already local)."""
    if row.starts_at.tzinfo is None:
        return row.starts_at
    return row.starts_at.astimezone(zone(row.timezone)).replace(tzinfo=None)


def to_rule(row: Shift, given_up: frozenset[int] = frozenset()) -> ShiftRule:
    """``given_up``: starts (epoch seconds) of occurrences the listener gave up, which they no longer work."""
    return ShiftRule(
        given_up=given_up,
        listener_id=row.listener_id,
        starts_at=local_start(row),
        duration=timedelta(minutes=row.duration_minutes),
        timezone=row.timezone,
        rrule=row.rrule,
        shift_id=row.id,
    )
