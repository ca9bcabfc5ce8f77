"""Hypothesis stateful tests of the live state's invariants, against the real Redis.

Random arrivals, claims, frees, accepts, declines, misses, expiries, ends, pauses and shift changes; after
every step: each listener is in exactly one state and in exactly the pools that state allows; no listener
holds two live offers or calls; and every offer made was within the contact's current policy step, to an
eligible listener, not across an exclusion, never to a listener who declined that contact within the cool-down,
longest-idle first (claims) or first-come-first-served within a priority and language (frees).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.services import Services
from routing.engine.live import PRIORITIES, ContactRecord, ListenerRecord, LiveState, QueueQuery, pool_key
from routing.engine.offers import DECLINE_COOLDOWN_SECONDS
from routing.engine.policy import US, arrival_windows, speaker_pools, step_at
from routing.engine.presence import score_range
from routing.engine.snapshot import PolicyBook
from routing.errors import LiveStateLostError
from schemas.policy import PolicySteps
from schemas.tables import Proficiency

N, F, C = Proficiency.native, Proficiency.fluent, Proficiency.conversational
ASSOCIATION = 7
RING = 20 * US
COOL = DECLINE_COOLDOWN_SECONDS * US
ROSTER: dict[int, dict[str, Proficiency]] = {
    1: {"ta": N},
    2: {"ta": C, "hi": N},
    3: {"mr": F, "hi": F},
    4: {"mr": N},  # unverified: never joins a pool
    5: {"hi": N, "ta": F},
    6: {"mr": C},
}
INELIGIBLE = {4}
POLICIES = PolicyBook(
    ASSOCIATION,
    {
        "mr": PolicySteps.model_validate(
            {
                "steps": [
                    {"kind": "listeners", "languages": ["mr"], "min_proficiency": "fluent", "seconds": 60},
                    {
                        "kind": "listeners",
                        "languages": ["mr", "hi"],
                        "min_proficiency": "fluent",
                        "seconds": 60,
                    },
                    {"kind": "callback"},
                ]
            }
        )
    },
)
LANGUAGES = ("ta", "mr", "hi")
TOGETHER = 3  # listeners rung at once for one contact (a caller in danger)


def pools_of(listener_id: int) -> tuple[str, ...]:
    return () if listener_id in INELIGIBLE else speaker_pools(ROSTER[listener_id])


@dataclass
class Contact:
    contact_id: str
    language: str
    priority: str
    kind: str
    arrival: int
    skip: frozenset[int] = field(default_factory=frozenset)


class LiveMachine(RuleBasedStateMachine):
    def __init__(self, client: object) -> None:
        super().__init__()
        self.live = LiveState(client)  # type: ignore[arg-type]
        self.live.client.flushdb()
        self.live.mark_built("test")
        self.now = 1_800_000_000 * US
        self.contacts: dict[str, Contact] = {}
        self.on_shift = {i: True for i in ROSTER}
        self.paused = {i: False for i in ROSTER}
        self.text_blocks_calls = False
        self.cooling: dict[tuple[str, int], int] = {}  # (contact, listener) -> end of the decline's cool-down
        self.accepted: dict[str, int] = {}  # contact -> offers of it accepted
        self._sync(list(ROSTER))
        self._ids = 0

    def _new_id(self, kind: str) -> str:
        """Deterministic ids, so hypothesis can replay a failing run exactly."""
        self._ids += 1
        return f"{kind}{self._ids:06d}"

    def _sync(self, ids: list[int]) -> None:
        self.live.sync_listeners(
            [
                ListenerRecord(i, ASSOCIATION, pools_of(i), self.on_shift[i], self.paused[i], 2, 3)
                for i in ids
            ],
            self.now,
        )

    def _step_admits(self, contact: Contact, listener_id: int) -> bool:
        choice = step_at(POLICIES.policy_for(contact.language), (self.now - contact.arrival) / US)
        return bool(set(choice.pools) & set(pools_of(listener_id)))

    def _eligible(self, contact: Contact, listener_id: int) -> bool:
        return (
            self._step_admits(contact, listener_id)
            and listener_id not in contact.skip
            and not self._cooling(contact, listener_id)
        )

    def _cooling(self, contact: Contact, listener_id: int) -> bool:
        return self.cooling.get((contact.contact_id, listener_id), 0) > self.now

    def _waiting(self) -> list[Contact]:
        return [
            self.contacts[c.contact_id]
            for c in self.live.waiting(ASSOCIATION)
            if c.contact_id in self.contacts
        ]

    # ---- rules ----

    @rule(seconds=st.sampled_from([0, 1, 5, 30, 61]))
    def advance(self, seconds: int) -> None:
        self.now += seconds * US

    @rule(
        language=st.sampled_from(LANGUAGES),
        priority=st.sampled_from(PRIORITIES),
        kind=st.sampled_from(["voice", "voice", "text"]),
        skip=st.frozensets(st.sampled_from(sorted(ROSTER)), max_size=2),
    )
    def arrive(self, language: str, priority: str, kind: str, skip: frozenset[int]) -> None:
        self.now += 1  # arrivals are distinct in time
        contact = Contact(self._new_id("c"), language, priority, kind, self.now, skip)
        assert self.live.enqueue(contact.contact_id, ASSOCIATION, kind, language, priority, self.now, skip)
        self.contacts[contact.contact_id] = contact

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data())
    def claim(self, data: st.DataObject) -> None:
        waiting = self._waiting()
        if not waiting:
            return
        contact = data.draw(st.sampled_from(waiting))
        choice = step_at(POLICIES.policy_for(contact.language), (self.now - contact.arrival) / US)
        candidates = self._candidates(contact, choice.pools)
        offer_id = self._new_id("o")
        got = self.live.claim(
            contact.contact_id, choice.pools, self.now, self.now + RING, offer_id, choice.index
        )
        if not candidates:
            assert got is None
            return
        expected = min(candidates, key=lambda i: (candidates[i], i))
        assert got == expected
        self._check_offer(offer_id, contact, got)

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data())
    def claim_alongside(self, data: st.DataObject) -> None:
        """A contact already offered rings one more listener (a caller in danger is offered to several at
        once): the longest-idle eligible one, never a listener already reserved, never past ``TOGETHER``."""
        offered = [
            self.contacts[cid]
            for cid in sorted(self.contacts)
            if (live := self.live.contact(cid)) is not None and live.state == "offered"
        ]
        if not offered:
            return
        contact = data.draw(st.sampled_from(offered))
        choice = step_at(POLICIES.policy_for(contact.language), (self.now - contact.arrival) / US)
        candidates = self._candidates(contact, choice.pools)
        ringing = len(self._ring_of(contact.contact_id))
        offer_id = self._new_id("o")
        got = self.live.claim_alongside(
            contact.contact_id, choice.pools, self.now, self.now + RING, offer_id, choice.index, TOGETHER
        )
        if not candidates or ringing >= TOGETHER:
            assert got is None
            return
        assert got == min(candidates, key=lambda i: (candidates[i], i))
        self._check_offer(offer_id, contact, got)

    def _candidates(self, contact: Contact, pools: tuple[str, ...]) -> dict[int, int]:
        """Who may win a claim: eligible and available (listener -> idle since); the longest idle wins,
        ties to the lowest id."""
        return {
            listener_id: idle
            for suffix in pools
            for listener_id, idle in self.live.pool_members(ASSOCIATION, contact.kind, suffix).items()
            if listener_id not in contact.skip and not self._cooling(contact, listener_id)
        }

    def _ring_of(self, contact_id: str) -> list[str]:
        """The contact's live offers."""
        found = []
        for offer_id in self._offers():
            offer = self.live.offer(offer_id)
            if offer is not None and offer.contact_id == contact_id:
                found.append(offer_id)
        return found

    @rule(listener_id=st.sampled_from(sorted(ROSTER)))
    def free(self, listener_id: int) -> None:
        """A listener frees up (or is poked while free): the contact chosen must be the right one."""
        before = self.live.listener(listener_id)
        assert before is not None
        waiting = self._waiting()
        queries = []
        pools = set(pools_of(listener_id))
        for language in sorted(set(POLICIES.explicit) | set(ROSTER[listener_id])):
            windows = arrival_windows(POLICIES.policy_for(language), pools, self.now)
            if windows and pools:
                scored = tuple(score_range(w) for w in windows)
                queries += [QueueQuery(kind, language, scored) for kind in ("voice", "text")]
        offer_id = self._new_id("o")
        release = "wrapup" if before.state == "wrapup" else ""
        freed = self.live.free_listener(listener_id, self.now, self.now + RING, offer_id, queries, release)
        if freed.contact_id is None:
            if before.state in ("available", "paused", "offline") or release:
                after = self.live.listener(listener_id)
                assert after is not None
                if after.state == "available":
                    assert not [
                        c for c in waiting if self._eligible(c, listener_id) and self._has_room(after, c.kind)
                    ]
            return
        contact = self.contacts[freed.contact_id]
        self._check_offer(offer_id, contact, listener_id)
        others = [c for c in waiting if c.contact_id != contact.contact_id and self._eligible(c, listener_id)]
        others = [c for c in others if self._has_room(before, c.kind)]
        if contact.priority == "normal":
            assert not [c for c in others if c.priority == "crisis"], "a crisis contact was passed over"
        same = [
            c
            for c in others
            if (c.language, c.kind, c.priority) == (contact.language, contact.kind, contact.priority)
        ]
        assert all(c.arrival > contact.arrival for c in same), "first come, first served within a priority"

    def _has_room(self, listener: object, kind: str) -> bool:
        texts, capacity = listener.texts, listener.capacity  # type: ignore[attr-defined]
        if kind == "voice":
            return texts == 0 or not self.text_blocks_calls  # a text is interruptible by a call, by default
        return texts < capacity

    @rule(blocks=st.booleans())
    def text_policy(self, blocks: bool) -> None:
        """The association changes whether a text conversation blocks calls; the tick's sync applies it."""
        self.text_blocks_calls = blocks
        self.live.set_text_blocks_calls(ASSOCIATION, blocks)
        self._sync(list(ROSTER))

    def _offers(self) -> list[str]:
        return [v.decode() for v in self.live.client.zrange("sv:deadlines", 0, -1)]

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data(), action=st.sampled_from(["accept", "decline", "miss"]))
    def answer(self, data: st.DataObject, action: str) -> None:
        offers = self._offers()
        if not offers:
            return
        offer_id = data.draw(st.sampled_from(offers))
        offer = self.live.offer(offer_id)
        if action == "accept":
            others = [o for o in self._ring_of(offer.contact_id) if o != offer_id] if offer else []
            accepted = self.live.accept(offer_id, self.now)
            if accepted.ok and offer is not None:
                self.accepted[offer.contact_id] = self.accepted.get(offer.contact_id, 0) + 1
                assert sorted(t.offer_id for t in accepted.taken) == sorted(others)
        elif action == "decline":
            dropped = self.live.drop_offer(offer_id, self.now, "declined", self.now + COOL)
            if dropped is not None and offer is not None:
                self.cooling[(offer.contact_id, offer.listener_id)] = self.now + COOL
        else:
            self.live.drop_offer(offer_id, self.now, "missed")

    @rule()
    def expire(self) -> None:
        for dropped in self.live.expire_due(self.now):
            assert dropped.listener_id in ROSTER

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data(), wrap=st.sampled_from([0, 10 * US]))
    def finish(self, data: st.DataObject, wrap: int) -> None:
        contact_id = data.draw(st.sampled_from(sorted(self.contacts)))
        self.live.finish(contact_id, self.now, self.now + wrap)
        del self.contacts[contact_id]

    @rule(listener_id=st.sampled_from(sorted(ROSTER)), paused=st.booleans(), on_shift=st.booleans())
    def roster_change(self, listener_id: int, paused: bool, on_shift: bool) -> None:
        self.paused[listener_id], self.on_shift[listener_id] = paused, on_shift
        self._sync([listener_id])

    @rule()
    def sync_roster(self) -> None:
        """The tick's roster sync: every listener at once, engaged ones finish what they are doing."""
        self._sync(list(ROSTER))

    @rule(sync_first=st.booleans())
    def flush_and_rebuild(self, sync_first: bool) -> None:
        """Redis loses everything; the database (here: what the live state said just before) is restored.
        A roster sync that runs before the rebuild (a tick that lost the rebuild race) must be refused,
        and must not leave anything the rebuild keeps."""
        contacts, listeners = self._database()
        self.live.client.flushdb()
        self.cooling.clear()  # cool-downs live in Redis only: a rebuild forgets them
        self.live.set_text_blocks_calls(ASSOCIATION, self.text_blocks_calls)  # as the next sync does
        if sync_first:
            with suppress(LiveStateLostError):  # refused, or else it must leave nothing the rebuild keeps
                self._sync(list(ROSTER))
        for record, state, call, texts, offer_id, wrap in listeners:
            self.live.restore_listener(record, self.now, state, call, texts, offer_id, wrap)
        for contact in contacts:
            self.live.restore_contact(contact, self.now)
        self.live.mark_built("test")

    def _database(
        self,
    ) -> tuple[list[ContactRecord], list[tuple[ListenerRecord, str, str, int, str, int]]]:
        """What the database knows: every contact's state and offer, and each listener's call or wrap-up."""
        contacts = []
        for model in self.contacts.values():
            live = self.live.contact(model.contact_id)
            if live is None:
                continue
            offer = self.live.offer(live.offer_id) if live.offer_id else None
            contacts.append(
                ContactRecord(
                    model.contact_id,
                    ASSOCIATION,
                    model.kind,
                    model.language,
                    model.priority,
                    model.arrival,
                    live.callback,
                    live.state,
                    live.listener_id,
                    live.offer_id,
                    offer.deadline_us if offer else 0,
                    offer.step if offer else 0,
                    tuple(sorted(model.skip)),
                )
            )
        listeners = []
        named = {record.offer_id for record in contacts if record.offer_id}
        for listener_id, live_l in sorted(self.live.listeners(ASSOCIATION).items()):
            record = ListenerRecord(
                listener_id, ASSOCIATION, pools_of(listener_id), live_l.on_shift, live_l.paused, 2, 3
            )
            state = live_l.state if live_l.state in ("offered", "busy", "wrapup") else "free"
            if state == "offered" and live_l.offer_id not in named:
                state = "free"  # an offer rung alongside the contact's own: the database names only that one
            listeners.append(
                (record, state, live_l.call_contact, live_l.texts, live_l.offer_id, live_l.wrap_until_us)
            )
        return contacts, listeners

    @precondition(lambda self: bool(self.contacts))
    @rule(data=st.data())
    def callback(self, data: st.DataObject) -> None:
        self.live.request_callback(data.draw(st.sampled_from(sorted(self.contacts))))

    # ---- checks ----

    def _check_offer(self, offer_id: str, contact: Contact, listener_id: int) -> None:
        assert listener_id not in INELIGIBLE, "offered to an ineligible listener"
        assert listener_id not in contact.skip, "offered across an exclusion"
        assert not self._cooling(contact, listener_id), "offered again within the decline's cool-down"
        assert self._step_admits(contact, listener_id), "offered outside the current policy step"
        offer = self.live.offer(offer_id)
        assert offer is not None and (offer.contact_id, offer.listener_id) == (
            contact.contact_id,
            listener_id,
        )

    @invariant()
    def one_state_and_the_right_pools(self) -> None:
        listeners = self.live.listeners(ASSOCIATION)
        assert set(listeners) == set(ROSTER), "a listener was lost"
        for listener_id, live in listeners.items():
            assert live.state in {"available", "paused", "offline", "offered", "busy", "wrapup"}
            for kind in ("voice", "text"):
                room = self._has_room(live, kind)
                for code, own in ROSTER[listener_id].items():
                    for level in (N, F, C):  # one physical pool per language: their own level
                        key = pool_key(ASSOCIATION, kind, f"{code}:{level.value}")
                        member = self.live.client.zscore(key, listener_id) is not None
                        eligible = listener_id not in INELIGIBLE
                        should = live.state == "available" and room and eligible and level == own
                        assert member == should, (listener_id, live.state, kind, code, level)

    @invariant()
    def one_accepted_offer_per_contact(self) -> None:
        """A contact is taken by one listener at most; a connected contact has no offer left ringing, an
        offered one rings at most ``TOGETHER`` listeners and names one of its own offers."""
        assert all(n == 1 for n in self.accepted.values()), self.accepted
        for contact_id in self.contacts:
            contact = self.live.contact(contact_id)
            ring = self._ring_of(contact_id)
            if contact is None or contact.state != "offered":
                assert ring == [], (contact_id, contact, ring)
                continue
            assert 1 <= len(ring) <= TOGETHER, ring
            assert contact.offer_id in ring
            assert contact.listener_id == self.live.offer(contact.offer_id).listener_id  # type: ignore[union-attr]

    @invariant()
    def at_most_one_offer_or_call(self) -> None:
        holders: dict[int, int] = {}
        for offer_id in self._offers():
            offer = self.live.offer(offer_id)
            assert offer is not None
            holders[offer.listener_id] = holders.get(offer.listener_id, 0) + 1
        for contact_id in self.contacts:
            contact = self.live.contact(contact_id)
            if contact is not None and contact.state == "connected" and contact.kind == "voice":
                assert contact.listener_id is not None
                holders[contact.listener_id] = holders.get(contact.listener_id, 0) + 1
        assert all(n == 1 for n in holders.values()), holders
        for contact_id in self.contacts:
            contact = self.live.contact(contact_id)
            if contact is not None and contact.state == "connected" and contact.kind == "voice":
                assert contact.listener_id is not None
                busy = self.live.listener(contact.listener_id)
                assert busy is not None and (busy.state, busy.call_contact) == ("busy", contact_id)
        for listener_id, live in self.live.listeners(ASSOCIATION).items():
            assert (live.state == "offered") == (listener_id in holders and bool(live.offer_id))
            if live.state == "busy":
                assert holders.get(listener_id) == 1


@pytest.mark.parametrize("examples", [60])
def test_live_state_invariants(services: Services, examples: int) -> None:
    run_state_machine_as_test(
        lambda: LiveMachine(services.redis),
        settings=settings(
            max_examples=examples,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_a_sync_between_a_flush_and_the_rebuild_keeps_a_call(services: Services) -> None:
    """The machine's steps for the case a reviewer found by hand: a listener in a call, Redis flushed, the
    roster synced before the rebuild. The invariants must still hold."""
    machine = LiveMachine(services.redis)
    machine.arrive("ta", "normal", "voice", frozenset())
    [contact] = machine.contacts.values()
    assert machine.live.claim(
        contact.contact_id, ["ta:conversational"], machine.now, machine.now + RING, "o1", 0
    )
    assert machine.live.accept("o1", machine.now).ok
    machine.flush_and_rebuild(sync_first=True)
    machine.one_state_and_the_right_pools()
    machine.at_most_one_offer_or_call()
    machine.teardown()
