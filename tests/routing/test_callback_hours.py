"""The association's callback hours, in its own time zone: a callback is never placed outside them, and the
next callback time is the moment they (re)open, for windows within a day and across midnight alike."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.engine.policy import is_within_callback_hours, next_callback_time
from routing.voice.callbacks import hours_at, next_opening
from routing.voice.helplines import HelplineConfig
from schemas.tables import Association

STEADY_ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "UTC"]  # no daylight saving
DST_ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe"]  # Lord Howe moves by 30 minutes
moments = st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31), timezones=st.just(UTC))
clock_times = st.times().map(lambda t: t.replace(microsecond=0))
ONE_US = timedelta(microseconds=1)


def _association(start: time, end: time, zone: str = "Asia/Kolkata") -> Association:
    return Association(name="Doctors for Doctors", timezone=zone, callback_start=start, callback_end=end)


@given(start=clock_times, end=clock_times, at=moments, zone=st.sampled_from(STEADY_ZONES + DST_ZONES))
def test_a_window_and_its_complement_split_every_moment(
    start: time, end: time, at: datetime, zone: str
) -> None:
    """[start, end) and [end, start) cover the clock exactly once, whichever of them crosses midnight."""
    window, complement = _association(start, end, zone), _association(end, start, zone)
    if start == end:
        assert is_within_callback_hours(window, at)  # equal times: no restriction
    else:
        assert is_within_callback_hours(window, at) != is_within_callback_hours(complement, at)


def test_a_window_across_midnight_in_kolkata() -> None:
    night = _association(time(20, 0), time(2, 0))  # 20:00 to 02:00 IST (UTC+5:30)
    inside = [datetime(2026, 11, 25, 14, 30, tzinfo=UTC), datetime(2026, 11, 25, 20, 29, tzinfo=UTC)]
    outside = [datetime(2026, 11, 25, 20, 30, tzinfo=UTC), datetime(2026, 11, 25, 14, 29, tzinfo=UTC)]
    assert all(is_within_callback_hours(night, at) for at in inside)
    assert not any(is_within_callback_hours(night, at) for at in outside)
    at_3am = datetime(2026, 11, 25, 21, 30, tzinfo=UTC)  # 03:00 IST on the 26th
    assert next_callback_time(night, at_3am) == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)  # 20:00 IST


@given(start=clock_times, end=clock_times, at=moments, zone=st.sampled_from(STEADY_ZONES + DST_ZONES))
def test_the_next_callback_time_is_within_the_hours_and_not_before_now(
    start: time, end: time, at: datetime, zone: str
) -> None:
    association = _association(start, end, zone)
    found = next_callback_time(association, at)
    assert found >= at
    assert is_within_callback_hours(association, found)
    assert (found == at) == is_within_callback_hours(association, at)
    if found > at:
        assert not is_within_callback_hours(association, found - ONE_US)  # the moment the window opens
        assert found - at <= timedelta(days=2, hours=1)  # two days when a whole window falls in a gap


@given(
    start=clock_times, end=clock_times, at=moments, share=st.floats(0, 1), zone=st.sampled_from(STEADY_ZONES)
)
def test_nothing_between_now_and_the_next_callback_time_is_within(
    start: time, end: time, at: datetime, share: float, zone: str
) -> None:
    """Where the clock never goes back (in the hour repeated in autumn, a window ending inside it reopens by
    the wall clock; the next start is then a later, still permitted, answer)."""
    association = _association(start, end, zone)
    found = next_callback_time(association, at)
    between = at + (found - at) * share
    if at < between < found:
        assert not is_within_callback_hours(association, between)


def test_a_start_in_a_daylight_saving_gap_opens_when_the_clocks_jump() -> None:
    london = _association(time(1, 30), time(5, 0), "Europe/London")  # 01:30 did not exist on 29 March 2026
    found = next_callback_time(london, datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert found == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 BST, the first moment after 01:30


def test_a_window_wholly_in_a_daylight_saving_gap_waits_for_the_next_day() -> None:
    london = _association(time(1, 10), time(1, 50), "Europe/London")
    found = next_callback_time(london, datetime(2026, 3, 28, 2, 0, tzinfo=UTC))
    assert found == datetime(2026, 3, 30, 0, 10, tzinfo=UTC)  # 01:10 BST on the 30th


@given(start=clock_times, end=clock_times, at=moments, zone=st.sampled_from(STEADY_ZONES + DST_ZONES))
def test_the_call_flow_reads_the_hours_as_routing_does(
    start: time, end: time, at: datetime, zone: str
) -> None:
    """What a caller is told and when their callback is placed follow the one reading of the hours: equal
    start and end times are open all day (they used to be read as closed for good)."""
    config = HelplineConfig(
        association_id=1, number="+14155550100", name="Doctors for Doctors", default_language="hi",
        languages=(), timezone=zone, callback_start=start, callback_end=end,
    )  # fmt: skip
    assert hours_at(config, at).open_now == is_within_callback_hours(config, at)
    assert next_opening(config, at) == next_callback_time(config, at)
    if start == end:
        assert hours_at(config, at).open_now and next_opening(config, at) == at
