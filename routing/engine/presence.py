"""Listeners coming and going: freed after a wrap-up (``listener_freed``, ``end_wrapup``), pausing and back
(``pause_listener``, ``set_available``), shifts starting and ending (``sync_roster``), and the periodic
``tick`` that keeps all of it honest. A freed listener is offered the contact they should take next in the
same script call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from routing import transaction
from routing.engine import records
from routing.engine.live import KINDS, ListenerRecord, LiveState, QueueQuery, Window, kind_of, new_id, to_us
from routing.engine.offers import Offer, dispatch, record_dropped, record_offer
from routing.engine.policy import ArrivalWindow, arrival_windows
from routing.engine.recovery import ensure_live, listener_record, with_rebuild
from routing.engine.snapshot import (
    PolicyBook,
    Roster,
    association_ids,
    load_config,
    load_listener,
    load_policies,
    load_roster,
    paused_before_this_shift,
)
from routing.errors import NotFoundError


def listener_freed(
    session: Session,
    live: LiveState,
    listener_id: int,
    now: datetime,
    *,
    release: str = "",
    paused: bool | None = None,
    on_shift: bool | None = None,
    wrap_until_us: int | None = None,
) -> Offer | None:
    """The listener is free (wrap-up over, back from a pause, a conversation ended): offer them, in one
    script call, the contact they should take next: crisis first, then the waiting contact whose language is
    hardest to serve, then the longest waiting; a contact only when its current step admits this listener.
    ``release`` names the engaged state being left (``wrapup``); ``paused``/``on_shift`` change those flags;
    ``wrap_until_us`` frees them only from the wrap-up ending then."""
    listener = load_listener(session, listener_id, now)
    config = load_config(session, listener.association_id)
    policies = load_policies(session, listener.association_id)
    roster_pools = Roster(config, policies, {}, ()).eligible_pools(listener, now)
    queries = freed_queries(policies, listener.languages.keys(), set(roster_pools), to_us(now))
    offer_id = new_id()
    deadline = now + timedelta(seconds=config.ring_seconds)
    freed = with_rebuild(
        session,
        live,
        now,
        lambda: live.free_listener(
            listener_id,
            to_us(now),
            to_us(deadline),
            offer_id,
            queries,
            release,
            paused,
            on_shift,
            wrap_until_us,
        ),
    )
    if freed.contact_id is None or freed.step is None:
        return None
    recorded = record_offer(session, live, freed.contact_id, listener_id, offer_id, now, deadline)
    if not recorded:
        return None
    contact = records.get_contact(session, freed.contact_id)
    return Offer(
        offer_id,
        freed.contact_id,
        listener_id,
        listener.association_id,
        kind_of(contact.channel),
        contact.language,
        deadline,
        freed.step,
    )


def end_wrapup(
    session: Session, live: LiveState, listener_id: int, wrap_until_us: int, now: datetime
) -> Offer | None:
    """The wrap-up that began when a call ended is over: free the listener now and offer them the next
    contact, rather than at the next tick. Safe to run twice, late, or after the tick got there first: only
    a listener still in that same wrap-up, and only once it is due, is freed."""
    if to_us(now) < wrap_until_us:
        return None
    return listener_freed(session, live, listener_id, now, release="wrapup", wrap_until_us=wrap_until_us)


def freed_queries(
    policies: PolicyBook, spoken: object, listener_pools: set[str], now_us: int
) -> list[QueueQuery]:
    """The queues a freed listener may serve, with the arrival windows where the contact's current step
    admits them. A queue in a language without its own policy can only want its own speakers, so the
    candidates are the listener's languages plus every language with an explicit policy."""
    if not listener_pools:
        return []
    languages = sorted(set(policies.explicit) | set(spoken))  # type: ignore[call-overload]
    queries = []
    for language in languages:
        windows = arrival_windows(policies.policy_for(language), listener_pools, now_us)
        if windows:
            scored = tuple(score_range(w) for w in windows)
            queries += [QueueQuery(kind, language, scored) for kind in KINDS]
    return queries


def score_range(window: ArrivalWindow) -> Window:
    lowest = "-inf" if window.lowest_us is None else f"({window.lowest_us}"
    highest = "+inf" if window.highest_us is None else str(window.highest_us)
    return Window(lowest, highest, window.step)


def pause_listener(
    session: Session, live: LiveState, listener_id: int, now: datetime, reason: str = "listener"
) -> str:
    """The listener (or a coordinator) pauses: no new offers; a call in progress finishes. Returns the state."""
    records.set_pause(session, listener_id, True, reason, now)
    freed = with_rebuild(
        session, live, now, lambda: live.free_listener(listener_id, to_us(now), 0, "", [], paused=True)
    )
    transaction.undo_unless_committed(
        session, lambda: live.free_listener(listener_id, to_us(now), 0, "", [], paused=False)
    )
    return freed.state


def set_available(session: Session, live: LiveState, listener_id: int, now: datetime) -> Offer | None:
    """The listener is ready again (un-pauses, missed-offer count reset): offered the next contact at once
    if one is waiting for them. Off shift, they stay offline until their shift starts."""
    records.set_pause(session, listener_id, False, "", now)
    return listener_freed(session, live, listener_id, now, paused=False)


def end_pauses_at_shift_start(
    session: Session, live: LiveState, association_id: int, now: datetime
) -> list[Offer]:
    """An automatic pause (offers missed in a row) ends when the listener's next shift starts: audited, so
    the coordinator sees it, and the listener may be offered the next contact at once."""
    offers = []
    for listener_id in paused_before_this_shift(session, association_id, now, records.AUTOMATIC_PAUSE):
        records.record_presence_change(session, listener_id, False, "", "routing: shift started", now)
        offer = set_available(session, live, listener_id, now)
        if offer is not None:
            offers.append(offer)
    return offers


def sync_roster(session: Session, live: LiveState, association_id: int, now: datetime) -> dict[int, str]:
    """Align the live state with the roster: who is on shift now, eligible (verified, trained), paused, and
    which pools they join. Off-shift listeners get no new offers but finish what they are doing."""
    roster = load_roster(session, association_id, now)
    live.set_text_blocks_calls(association_id, roster.config.text_blocks_calls)
    return with_rebuild(session, live, now, lambda: _sync(live, roster, association_id, now))


def _sync(live: LiveState, roster: Roster, association_id: int, now: datetime) -> dict[int, str]:
    known = set(live.listeners(association_id))
    listener_records = [listener_record(roster, listener_id, now) for listener_id in roster.listeners]
    gone = known - set(roster.listeners)
    listener_records += [ListenerRecord(i, association_id, (), False, False, 0, 3) for i in sorted(gone)]
    return live.sync_listeners(listener_records, to_us(now))


@dataclass(frozen=True)
class TickReport:
    rebuilt: bool
    expired: int
    released: int
    offers: tuple[Offer, ...]


def tick(session: Session, live: LiveState, now: datetime, association_id: int | None = None) -> TickReport:
    """The whole tick in one session (what a test or a single association needs): ``tick_live``, then
    ``tick_association`` for each association. The worker runs the same parts, one transaction each."""
    report = tick_live(session, live, now)
    ids = [association_id] if association_id is not None else association_ids(session)
    offers = [offer for one in ids for offer in tick_association(session, live, one, now)]
    return TickReport(report.rebuilt, report.expired, report.released, report.offers + tuple(offers))


def tick_live(session: Session, live: LiveState, now: datetime) -> TickReport:
    """The live state's own part of the tick; safe to run twice or concurrently: rebuild if Redis lost its
    state, expire unanswered offers, end due wrap-ups (offering the next contact)."""
    rebuilt = ensure_live(session, live, now)
    expired = with_rebuild(session, live, now, lambda: live.expire_due(to_us(now)))
    record_dropped(session, expired, now)
    offers: list[Offer] = []
    released = 0
    for listener_id in live.due_wrapups(to_us(now)):
        released += 1
        try:
            offer = listener_freed(session, live, listener_id, now, release="wrapup")
        except NotFoundError:
            live.forget_wrapup(listener_id)
            continue
        if offer is not None:
            offers.append(offer)
    return TickReport(rebuilt, len(expired), released, tuple(offers))


def tick_association(session: Session, live: LiveState, association_id: int, now: datetime) -> list[Offer]:
    """One association's part of the tick: apply shift starts and ends, and dispatch. A transaction of its
    own in the worker, so one association that fails does not undo the others."""
    offers = end_pauses_at_shift_start(session, live, association_id, now)
    sync_roster(session, live, association_id, now)
    return offers + dispatch(session, live, association_id, now)
