"""The roster's pure rules as properties: which reminder is due, and which channel a message takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.roster.addresses import choose_channel
from routing.roster.reminders import reminder_for
from schemas.tables import Channel

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
LEAD = timedelta(minutes=2)
hours_lists = st.lists(st.integers(min_value=1, max_value=168), min_size=1, max_size=4, unique=True)
offsets = st.integers(min_value=-3 * 3600, max_value=200 * 3600)


@given(hours=hours_lists, offset=offsets)
def test_at_most_the_latest_due_reminder_and_never_after_the_start(hours: list[int], offset: int) -> None:
    start = NOW + timedelta(seconds=offset)
    chosen = reminder_for(start, hours, NOW, LEAD)
    if start <= NOW:
        assert chosen is None
        return
    due = [h for h in hours if start - timedelta(hours=h) <= NOW + LEAD]
    assert chosen == (min(due) if due else None)


@given(hours=hours_lists, offset=st.integers(min_value=1, max_value=200 * 3600))
def test_as_time_passes_the_reminder_chosen_only_moves_to_a_later_one(hours: list[int], offset: int) -> None:
    start = NOW + timedelta(seconds=offset)
    seen = [reminder_for(start, hours, NOW + timedelta(minutes=m), LEAD) for m in range(0, offset // 60, 7)]
    chosen = [h for h in seen if h is not None]
    assert chosen == sorted(chosen, reverse=True)  # 24 then 1, never back to 24


@given(
    country=st.sampled_from(["+91", "+44", "+1"]),
    preferred=st.sampled_from(list(Channel)),
    available=st.sets(st.sampled_from([Channel.sms, Channel.whatsapp])),
    replies=st.booleans(),
)
def test_a_question_goes_where_an_answer_can_come_back(
    country: str, preferred: Channel, available: set[Channel], replies: bool
) -> None:
    channel = choose_channel(country + "9812000001", preferred, available, replies)
    assert (channel is None) == (not available)
    assert channel is None or channel in available
    if country == "+91" and not replies and Channel.whatsapp in available:
        assert channel == Channel.whatsapp  # no two-way SMS in India
    if preferred == Channel.sms and country != "+91" and Channel.sms in available:
        assert channel == Channel.sms
