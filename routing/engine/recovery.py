"""Recovering the live state after Redis lost its data: the database is the truth. Every service call runs
``with_rebuild``; the tick runs ``ensure_live``, which also catches a Redis restarted from an old snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlmodel import Session

from routing.engine import records
from routing.engine.live import ContactRecord, ListenerRecord, LiveState, kind_of, to_us
from routing.engine.selection import Exclusion, excluded_ids
from routing.engine.snapshot import Roster, RoutingConfig, association_ids, load_roster
from routing.errors import LiveStateLostError
from schemas.tables import Channel, Contact, ContactStatus

T = TypeVar("T")


def with_rebuild(session: Session, live: LiveState, now: datetime, operation: Callable[[], T]) -> T:
    """Run a live-state operation; if Redis lost its data, rebuild from the database and run it once more."""
    try:
        return operation()
    except LiveStateLostError:
        rebuild(session, live, now)
        return operation()


def ensure_live(session: Session, live: LiveState, now: datetime) -> bool:
    """Rebuild the live state if Redis lost it (flushed: no sentinel) or restarted from an old snapshot (the
    sentinel names another server run). Returns whether it rebuilt."""
    built_for = live.built_for()
    run_id = live.server_run_id()
    if built_for is not None and built_for == run_id:
        return False
    if built_for is None:
        return rebuild(session, live, now)
    if not live.begin_rebuild():
        # another process is replacing the old snapshot: acting on it meanwhile would undo the database
        if not live.wait_for_build(run_id):
            raise LiveStateLostError()
        return False
    live.wipe()
    return _rebuild_locked(session, live, now)


def rebuild(session: Session, live: LiveState, now: datetime) -> bool:
    """Recreate the live state from the database: waiting contacts in their original order, offers still
    within their deadline, calls in progress, wrap-ups, and every listener from the roster. Only one process
    rebuilds; the others wait for it."""
    if live.is_built():
        return False
    if not live.begin_rebuild():
        live.wait_for_build()  # bounded: if it does not come, the operation is refused (LiveStateLostError)
        return False
    return _rebuild_locked(session, live, now)


def _rebuild_locked(session: Session, live: LiveState, now: datetime) -> bool:
    for association_id in association_ids(session):
        _rebuild_association(session, live, association_id, now)
        live.renew_rebuild()  # a long rebuild keeps its lock: no second rebuild runs at the same time
    live.mark_built(live.server_run_id())
    return True


def _rebuild_association(session: Session, live: LiveState, association_id: int, now: datetime) -> None:
    roster = load_roster(session, association_id, now)
    now_us = to_us(now)
    offered: dict[int, str] = {}
    calls: dict[int, str] = {}
    texts: dict[int, int] = {}
    for contact in records.active_contacts(session, association_id):
        kept = _contact_record(roster, contact, now_us)
        if kept.state == "waiting" and contact.status == ContactStatus.offered:
            records.record_back_in_queue(session, contact.id)
        if kept.state == "offered" and kept.listener_id is not None:
            offered[kept.listener_id] = kept.offer_id
        if kept.state == "connected" and kept.listener_id is not None:
            if kept.kind == "voice":
                calls[kept.listener_id] = contact.id
            else:
                texts[kept.listener_id] = texts.get(kept.listener_id, 0) + 1
        live.restore_contact(kept, now_us)
    wrapups = _wrapups(session, roster.config, association_id, now)
    for listener_id in roster.listeners:
        record = listener_record(roster, listener_id, now)
        state, wrap = "free", 0
        if listener_id in offered:
            state = "offered"
        elif listener_id in calls:
            state = "busy"
        elif listener_id in wrapups:
            state, wrap = "wrapup", wrapups[listener_id]
        live.restore_listener(
            record,
            now_us,
            state,
            calls.get(listener_id, ""),
            texts.get(listener_id, 0),
            offered.get(listener_id, ""),
            wrap,
        )


def _contact_record(roster: Roster, contact: Contact, now_us: int) -> ContactRecord:
    exclusion = Exclusion(contact.exclude_institution, contact.exclude_city)
    skip = tuple(sorted(excluded_ids(roster.listeners.values(), exclusion)))
    state = "waiting"
    if contact.status == ContactStatus.connected:
        state = "connected"
    elif contact.status == ContactStatus.offered and (contact.offer_deadline_us or 0) > now_us:
        state = "offered"
    return ContactRecord(
        contact_id=contact.id,
        association_id=contact.association_id,
        kind=kind_of(contact.channel),
        language=contact.language,
        priority=contact.priority.value,
        arrival_us=contact.arrival_us,
        callback=contact.callback_requested,
        state=state,
        listener_id=contact.listener_id if state in ("offered", "connected") else None,
        offer_id=(contact.offer_id or "") if state == "offered" else "",
        deadline_us=(contact.offer_deadline_us or 0) if state == "offered" else 0,
        skip=skip,
    )


def _wrapups(session: Session, config: RoutingConfig, association_id: int, now: datetime) -> dict[int, int]:
    found: dict[int, int] = {}
    since = now - timedelta(seconds=config.wrapup_max_seconds)
    for contact in records.recent_call_ends(session, association_id, since):
        start, end = records.aware(contact.connected_at), records.aware(contact.ended_at)
        if contact.listener_id is None or start is None or end is None or contact.channel != Channel.voice:
            continue
        until = end + timedelta(seconds=config.wrapup_seconds((end - start).total_seconds()))
        if until > now:
            found[contact.listener_id] = max(found.get(contact.listener_id, 0), to_us(until))
    return found


def listener_record(roster: Roster, listener_id: int, now: datetime) -> ListenerRecord:
    listener = roster.listeners[listener_id]
    return ListenerRecord(
        listener_id=listener_id,
        association_id=listener.association_id,
        pools=roster.eligible_pools(listener, now),
        on_shift=listener.on_shift,
        paused=listener.paused,
        capacity=listener.text_capacity,
        misses_before_pause=roster.config.missed_offers_before_pause,
    )
