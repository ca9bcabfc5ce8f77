"""Report periods in the association's local time, reckoned inside the database.

Contacts carry their arrival as integer microseconds since the epoch. A local hour or day is
``(arrival_us + offset_us) / period_us`` in integer arithmetic, which SQLite and PostgreSQL compute alike;
the offset is a ``CASE`` over the zone's transitions within the range, so a daylight-saving zone (or a
half-hour one such as Asia/Kolkata) gets its own wall-clock hours, not UTC's.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from routing.engine.live.keys import from_us, to_us
from routing.errors import InvalidConfigurationError

HOUR_US = 3_600_000_000
MAX_RANGE = timedelta(days=400)
EPOCH = datetime(1970, 1, 1)


class Period(StrEnum):
    hour = "hour"
    day = "day"

    @property
    def microseconds(self) -> int:
        return PERIOD_US[self.value]


PERIOD_US = {"hour": HOUR_US, "day": 24 * HOUR_US}  # by value: an enum member's lookup costs ~10 µs


@dataclass(frozen=True)
class ReportRange:
    """``[start, end)`` as aware moments, cut into local periods of ``timezone``."""

    start: datetime
    end: datetime
    timezone: str
    period: Period = Period.day

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidConfigurationError("must be after from", field="to", location="query")
        if self.end - self.start > MAX_RANGE:
            raise InvalidConfigurationError("a report spans at most 400 days", field="to", location="query")

    @cached_property
    def period_us(self) -> int:
        """The period's length, looked up once: a year by hour asks for it some 50,000 times."""
        return self.period.microseconds

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def pieces(self) -> list[tuple[int | None, int]]:
        return self.offsets()

    def offset_at(self, at_us: int) -> int:
        """The zone's offset at a moment of the range, from the pieces (no zone lookup per call)."""
        return self.pieces[bisect_right(self.changes, at_us)][1]

    @cached_property
    def changes(self) -> list[int]:
        """The moments the offset changes within the range, in order."""
        return [until for until, _ in self.pieces if until is not None]

    def period_end_us(self, at_us: int) -> int:
        """Where the local period holding ``at_us`` ends, or the zone's next change of offset if sooner."""
        offset = self.offset_at(at_us)
        size = self.period_us
        end = ((at_us + offset) // size + 1) * size - offset
        later = bisect_right(self.changes, at_us)
        return min(end, self.changes[later]) if later < len(self.changes) else end

    def slot_at_us(self, at_us: int) -> int:
        return (at_us + self.offset_at(at_us)) // self.period_us

    def offsets(self) -> list[tuple[int | None, int]]:
        """(until_us, offset_us) pieces covering the range, the last one open-ended."""
        pieces: list[tuple[int | None, int]] = []
        start_us, end_us = to_us(self.start), to_us(self.end)
        current = _offset_us(self.zone, start_us)
        day = 24 * HOUR_US
        for probe in range(start_us + day, end_us + day, day):
            at = min(probe, end_us)
            if _offset_us(self.zone, at) != current:
                change = _first_change(self.zone, at - day, at, current)
                pieces.append((change, current))
                current = _offset_us(self.zone, change)
        pieces.append((None, current))
        return pieces

    def slot_sql(self, column: str) -> tuple[str, dict[str, int]]:
        """The SQL expression numbering ``column``'s local period, and its parameters."""
        params = {"period_us": self.period_us}
        pieces = self.pieces
        cases = []
        for index, (until, offset) in enumerate(pieces):
            params[f"offset_{index}"] = offset
            if until is None:
                cases.append(f"ELSE CAST(:offset_{index} AS BIGINT)")
            else:
                params[f"until_{index}"] = until
                cases.append(f"WHEN {column} < :until_{index} THEN CAST(:offset_{index} AS BIGINT)")
        offset_sql = f"CASE {' '.join(cases)} END" if len(pieces) > 1 else "CAST(:offset_0 AS BIGINT)"
        return f"(({column} + {offset_sql}) / CAST(:period_us AS BIGINT))", params

    def slot_of(self, moment: datetime) -> int:
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        return (to_us(local.replace(tzinfo=UTC))) // self.period_us

    def slot_start(self, slot: int) -> datetime:
        """The local wall-clock start of a numbered period, as an aware moment in the zone."""
        local = EPOCH + timedelta(microseconds=slot * self.period_us)
        return local.replace(tzinfo=self.zone)

    def slots(self) -> range:
        return range(self.slot_of(self.start), self.slot_of(self.end - timedelta(microseconds=1)) + 1)


def _offset_us(zone: ZoneInfo, at_us: int) -> int:
    offset = from_us(at_us).astimezone(zone).utcoffset()
    return round(offset.total_seconds() * 1_000_000) if offset is not None else 0


def _first_change(zone: ZoneInfo, low: int, high: int, before: int) -> int:
    """The first microsecond in (low, high] whose offset differs from ``before`` (transitions fall on whole
    seconds, so the search stops at a second)."""
    while high - low > 1_000_000:
        middle = (low + high) // 2
        if _offset_us(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high - high % 1_000_000
