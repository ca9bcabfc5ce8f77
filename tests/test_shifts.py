"""Shift recurrence: what a coordinator sees when they ask who is on shift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.engine.shift_rules import ShiftRule, is_on_shift, occurrences, validate_shift
from routing.errors import InvalidConfigurationError
from schemas.policy import PolicySteps, default_policy

MONDAY_9_IST = datetime(2026, 11, 23, 9, 0)  # a Monday


def weekly(byday: str = "MO,WE,FR") -> ShiftRule:
    return ShiftRule(1, MONDAY_9_IST, timedelta(hours=3), "Asia/Kolkata", f"FREQ=WEEKLY;BYDAY={byday}")


def test_weekly_shift_covers_its_local_hours_only() -> None:
    rule = weekly()
    wednesday_10_ist = datetime(2026, 11, 25, 4, 30, tzinfo=UTC)
    tuesday_10_ist = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)
    assert is_on_shift(rule, wednesday_10_ist)
    assert not is_on_shift(rule, tuesday_10_ist)
    assert not is_on_shift(rule, datetime(2026, 11, 25, 6, 30, tzinfo=UTC))  # 12:00 IST, shift over


def test_a_week_of_occurrences() -> None:
    start = datetime(2026, 11, 23, tzinfo=UTC)
    found = occurrences(weekly(), start, start + timedelta(days=7))
    assert [o.start.astimezone(UTC).hour for o in found] == [3, 3, 3]
    assert [o.start.weekday() for o in found] == [0, 2, 4]


def test_one_off_shift_across_midnight() -> None:
    rule = ShiftRule(2, datetime(2026, 11, 25, 22, 0), timedelta(hours=4), "Asia/Kolkata")
    assert is_on_shift(rule, datetime(2026, 11, 25, 20, 0, tzinfo=UTC))  # 01:30 IST next day
    assert not is_on_shift(rule, datetime(2026, 11, 26, 20, 0, tzinfo=UTC))


def test_daylight_saving_keeps_local_wall_clock() -> None:
    rule = ShiftRule(3, datetime(2026, 3, 1, 9, 0), timedelta(hours=1), "Europe/London", "FREQ=DAILY")
    assert is_on_shift(rule, datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # GMT
    assert is_on_shift(rule, datetime(2026, 4, 2, 8, 30, tzinfo=UTC))  # BST: 09:30 local


@pytest.mark.parametrize(
    "rule",
    [
        ShiftRule(1, MONDAY_9_IST, timedelta(hours=1), "Mars/Olympus"),
        ShiftRule(1, MONDAY_9_IST, timedelta(hours=25)),
        ShiftRule(1, MONDAY_9_IST, timedelta(hours=1), rrule="FREQ=SOMETIMES"),
        ShiftRule(1, MONDAY_9_IST, timedelta(hours=1), rrule="FREQ=DAILY\nEXDATE:20260101"),
    ],
)
def test_invalid_shifts_are_refused_with_the_field_named(rule: ShiftRule) -> None:
    with pytest.raises(InvalidConfigurationError) as info:
        validate_shift(rule)
    assert info.value.details["field"] in {"timezone", "duration_minutes", "rrule"}


@given(
    hours=st.integers(min_value=1, max_value=12),
    offset_minutes=st.integers(min_value=0, max_value=7 * 24 * 60),
)
def test_on_shift_exactly_when_an_occurrence_covers_the_time(hours: int, offset_minutes: int) -> None:
    rule = ShiftRule(1, MONDAY_9_IST, timedelta(hours=hours), "Asia/Kolkata", "FREQ=DAILY")
    at = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(minutes=offset_minutes)
    local = at.astimezone(ZoneInfo("Asia/Kolkata"))
    since_nine = (local - local.replace(hour=9, minute=0, second=0, microsecond=0)) % timedelta(days=1)
    expected = since_nine < timedelta(hours=hours) and at >= MONDAY_9_IST.replace(
        tzinfo=ZoneInfo("Asia/Kolkata")
    )
    assert is_on_shift(rule, at) == expected


def test_policy_validation() -> None:
    assert [s.kind for s in default_policy("ta").steps] == [
        "listeners",
        "listeners",
        "callback",
        "crisis_line",
    ]
    with pytest.raises(ValueError, match="cannot follow"):
        PolicySteps.model_validate(
            {
                "steps": [
                    {"kind": "listeners", "languages": ["ta"], "seconds": 60},
                    {"kind": "callback"},
                    {"kind": "listeners", "languages": ["en"], "seconds": 60},
                ]
            }
        )
    with pytest.raises(ValueError, match="first step"):
        PolicySteps.model_validate({"steps": [{"kind": "crisis_line"}]})
