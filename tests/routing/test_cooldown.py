"""A decline is not answered by ringing the same listener again: per listener and contact, no new offer of
that contact within the cool-down, whatever the claims, frees, declines and time in between (property, against
the real Redis); and declines count towards the automatic pause as missed offers do."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import Services
from routing.engine.live import ListenerRecord, LiveState, QueueQuery, Window
from routing.engine.offers import DECLINE_COOLDOWN_SECONDS
from routing.engine.policy import US

ASSOCIATION = 9
COOL = DECLINE_COOLDOWN_SECONDS * US
RING = 20 * US
POOLS = ("mr:native", "mr:fluent", "mr:conversational")
START = 1_800_000_000 * US
Step = tuple[str, int, int]  # (action, contact or listener index, seconds to wait first)
steps = st.lists(
    st.tuples(
        st.sampled_from(["claim", "free", "decline", "miss"]),
        st.integers(0, 2),
        st.sampled_from([0, 5, 61, 299, 301]),
    ),
    max_size=30,
)


def _setup(live: LiveState, listeners: int, contacts: int) -> list[str]:
    live.client.flushdb()
    live.mark_built("test")
    live.sync_listeners(
        [ListenerRecord(i, ASSOCIATION, POOLS, True, False, 2, 99) for i in range(1, listeners + 1)], START
    )
    ids = [f"c{n}" for n in range(contacts)]
    for n, contact_id in enumerate(ids):
        live.enqueue(contact_id, ASSOCIATION, "voice", "mr", "normal", START + n, set())
    return ids


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(listeners=st.integers(1, 3), contacts=st.integers(1, 3), plan=steps)
def test_no_listener_is_offered_a_contact_they_declined_within_the_cool_down(
    services: Services, listeners: int, contacts: int, plan: list[Step]
) -> None:
    live = LiveState(services.redis)
    ids = _setup(live, listeners, contacts)
    now = START
    declined: dict[tuple[str, int], int] = {}
    offers: dict[str, tuple[str, int]] = {}
    for made, (action, index, wait) in enumerate(plan):
        now += wait * US
        offer_id = f"o{made}"
        got: tuple[str, int] | None = None
        if action == "claim":
            contact_id = ids[index % len(ids)]
            listener_id = live.claim(contact_id, ["mr:fluent"], now, now + RING, offer_id, 0)
            got = (contact_id, listener_id) if listener_id is not None else None
        elif action == "free":
            listener_id = index % listeners + 1
            query = QueueQuery("voice", "mr", (Window("-inf", "+inf", 0),))
            freed = live.free_listener(listener_id, now, now + RING, offer_id, [query])
            got = (freed.contact_id, listener_id) if freed.contact_id is not None else None
        elif offers:
            offer_id = sorted(offers)[index % len(offers)]
            contact_id, listener_id = offers.pop(offer_id)
            if action == "decline":
                live.drop_offer(offer_id, now, "declined", now + COOL)
                declined[(contact_id, listener_id)] = now + COOL
            else:
                live.drop_offer(offer_id, now, "missed")
        if got is not None:
            assert declined.get(got, 0) <= now, f"{got} offered again within the cool-down"
            offers[offer_id] = got
    live.client.flushdb()


def test_declines_count_towards_the_automatic_pause(services: Services) -> None:
    live = LiveState(services.redis)
    live.client.flushdb()
    live.mark_built("test")
    live.sync_listeners([ListenerRecord(1, ASSOCIATION, POOLS, True, False, 2, 3)], START)
    for n in range(3):
        live.enqueue(f"c{n}", ASSOCIATION, "voice", "mr", "normal", START + n, set())
        assert live.claim(f"c{n}", ["mr:fluent"], START + 10, START + RING, f"o{n}", 0) == 1
        dropped = live.drop_offer(f"o{n}", START + 10, "declined", START + COOL)
        assert dropped is not None and dropped.paused == (n == 2)
    found = live.listener(1)
    assert found is not None and found.state == "paused"
    live.client.flushdb()
