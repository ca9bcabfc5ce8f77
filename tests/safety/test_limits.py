"""The per-caller limits, counted in the real Redis: a window admits exactly its limit, whatever the order of
callers, and the next window starts afresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import Services
from routing.safety.limits import WINDOW_SECONDS, count_contact, forget_caller, recently_limited

HOUR_START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    callers=st.lists(st.sampled_from(["a" * 64, "b" * 64, "c" * 64]), min_size=1, max_size=40),
    limit=st.integers(min_value=1, max_value=8),
    kind=st.sampled_from(["call", "text"]),
)
def test_each_caller_is_admitted_exactly_up_to_the_limit_in_a_window(
    services: Services, callers: list[str], limit: int, kind: str
) -> None:
    services.redis.flushdb()
    offsets = iter(range(len(callers)))
    admitted: dict[str, int] = {}
    for caller in callers:
        at = HOUR_START + timedelta(seconds=next(offsets) % WINDOW_SECONDS[kind])
        if not count_contact(services.redis, 7, kind, caller, limit, at).exceeded:
            admitted[caller] = admitted.get(caller, 0) + 1
    for caller in set(callers):
        assert admitted.get(caller, 0) == min(limit, callers.count(caller))
    refused = {line.caller for line in recently_limited(services.redis, 7, HOUR_START)}
    assert refused == {c[:10] for c in set(callers) if callers.count(c) > limit}


def test_the_next_window_starts_afresh_and_erasure_forgets_the_caller(services: Services) -> None:
    caller = "d" * 64
    first = [count_contact(services.redis, 3, "call", caller, 2, HOUR_START).count for _ in range(3)]
    later = count_contact(services.redis, 3, "call", caller, 2, HOUR_START + timedelta(hours=1))

    assert first == [1, 2, 3] and later.count == 1 and not later.exceeded
    assert forget_caller(services.redis, 3, caller) == 3  # two counters and the board's line
    assert recently_limited(services.redis, 3, HOUR_START) == []
