"""A listener's availability as people change it (the listener in the app, a coordinator mending an
automatic pause): the engine's own pause and resume, with an audit entry like any other change."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from routing.configuration.audit import Actor, Subject, record_change
from routing.engine import Offer, pause_listener, set_available
from routing.engine.live import LiveState
from routing.roster.listeners import get_listener
from schemas.tables import ListenerPresence

PAUSE_REASONS = ("break", "offline")


def paused_reason(session: Session, listener_id: int) -> str:
    """Why the listener is paused (``break``, ``offline``, ``missed_offers``…), or empty when they are not."""
    presence = session.get(ListenerPresence, listener_id)
    return presence.paused_reason if presence is not None and presence.paused else ""


def paused_reasons(session: Session, listener_ids: Sequence[int]) -> dict[int, str]:
    """``paused_reason`` for many listeners in one query (a page of 500 listeners asked 500 times)."""
    query = select(ListenerPresence).where(col(ListenerPresence.listener_id).in_(listener_ids))
    found = {row.listener_id: row.paused_reason for row in session.exec(query).all() if row.paused}
    return {i: found.get(i, "") for i in listener_ids}


def take_break(
    session: Session, live: LiveState, association_id: int, listener_id: int, reason: str, actor: Actor
) -> str:
    """No new offers from now; a call in progress finishes. Returns the live state."""
    get_listener(session, association_id, listener_id)
    _audit(session, actor, association_id, listener_id, {"paused": [False, True], "reason": reason})
    return pause_listener(session, live, listener_id, actor.at, reason=reason)


def come_back(
    session: Session, live: LiveState, association_id: int, listener_id: int, actor: Actor
) -> Offer | None:
    """Available again at once (on shift): the next waiting contact for them may be offered right away."""
    get_listener(session, association_id, listener_id)
    before = paused_reason(session, listener_id)
    _audit(session, actor, association_id, listener_id, {"paused": [True, False], "reason": [before, ""]})
    return set_available(session, live, listener_id, actor.at)


def _audit(session: Session, actor: Actor, association_id: int, listener_id: int, changes: dict) -> None:
    record_change(session, actor, "update", Subject("availability", listener_id, association_id), changes)
