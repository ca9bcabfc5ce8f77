"""The live board: per language, who waits (calls, texts, crisis, callbacks kept) and for how long, and the
listeners who speak it by state. Counts only: never a contact's id, hash or words, never a phone number.

The coordinators' board, a listener's "waiting in my languages" and ``GET …/board`` all read this, so the
three can never disagree. It reads Redis in two pipelined round trips and one script call (every listener's state in one reply),
and the database in two queries (and three reads per listener being offered a contact, to flag callers in
danger being rung).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlmodel import Session, col, select

from routing.engine.live import LiveContact, LiveListener, LiveState, to_us
from routing.engine.policy import US
from schemas.tables import AssociationLanguage, Listener, ListenerLanguage

LISTENER_STATES = ("available", "offered", "busy", "wrapup", "paused", "offline")


@dataclass(frozen=True)
class LanguageBoard:
    code: str
    calls_waiting: int = 0
    texts_waiting: int = 0
    crisis_waiting: int = 0
    crisis_ringing: int = 0  # callers in danger whose offers are ringing (not waiting, not yet answered)
    callbacks_pending: int = 0
    longest_wait_seconds: int = 0
    listeners: dict[str, int] = field(default_factory=dict)  # state -> how many speak the language

    @property
    def waiting(self) -> int:
        return self.calls_waiting + self.texts_waiting

    def count(self, state: str) -> int:
        return self.listeners.get(state, 0)


@dataclass(frozen=True)
class Board:
    association_id: int
    at: datetime
    languages: list[LanguageBoard]

    def fingerprint(self) -> str:
        """What a viewer would see change (waits in whole seconds), to push an update only when it does."""
        return repr([(b.code, b.calls_waiting, b.texts_waiting, b.crisis_waiting, b.crisis_ringing,
                      b.callbacks_pending,
                      b.longest_wait_seconds, sorted(b.listeners.items())) for b in self.languages])  # fmt: skip


def read_board(
    session: Session, live: LiveState, association_id: int, now: datetime, only: set[str] | None = None
) -> Board:
    """The board now; ``only`` keeps those languages (a listener's own)."""
    waiting = live.waiting(association_id)
    states = live.listener_states(association_id)
    speakers = _speakers(session, association_id)
    codes = _menu(session, association_id) + sorted({c.language for c in waiting} | set(speakers))
    shown = [code for i, code in enumerate(codes) if code not in codes[:i] and (only is None or code in only)]
    contacts: dict[str, list[LiveContact]] = defaultdict(list)
    for contact in waiting:
        contacts[contact.language].append(contact)
    now_us = to_us(now)
    ringing = crisis_being_rung(live, states)
    boards = [
        replace(
            _language(code, contacts[code], speakers.get(code, []), states, now_us),
            crisis_ringing=sum(1 for language in ringing.values() if language == code),
        )
        for code in shown
    ]
    return Board(association_id, now, boards)


def crisis_being_rung(live: LiveState, states: dict[int, str]) -> dict[str, str]:
    """Callers in danger whose offers ring now (contact -> language), found through the listeners offered:
    the board flags them though they no longer wait in a queue."""
    found: dict[str, str] = {}
    for listener_id, state in states.items():
        contact = offered_contact(live, live.listener(listener_id)) if state == "offered" else None
        if contact is not None and contact.priority == "crisis":
            found[contact.contact_id] = contact.language
    return found


def is_rung_for_crisis(live: LiveState, listener_id: int) -> bool:
    """Whether the listener's phone rings now for a caller in danger (their page says it is urgent)."""
    contact = offered_contact(live, live.listener(listener_id))
    return contact is not None and contact.priority == "crisis"


def offered_contact(live: LiveState, listener: LiveListener | None) -> LiveContact | None:
    """The contact a listener's ringing offer is for, if any."""
    if listener is None or listener.state != "offered" or not listener.offer_id:
        return None
    offer = live.offer(listener.offer_id)
    return live.contact(offer.contact_id) if offer is not None else None


def _language(
    code: str, waiting: list[LiveContact], speakers: list[int], states: dict[int, str], now_us: int
) -> LanguageBoard:
    oldest = min((c.arrival_us for c in waiting), default=now_us)
    seen = Counter(_state_of(states.get(listener_id)) for listener_id in speakers)
    return LanguageBoard(
        code=code,
        calls_waiting=sum(1 for c in waiting if c.kind == "voice"),
        texts_waiting=sum(1 for c in waiting if c.kind == "text"),
        crisis_waiting=sum(1 for c in waiting if c.priority == "crisis"),
        callbacks_pending=sum(1 for c in waiting if c.callback),
        longest_wait_seconds=max(0, (now_us - oldest) // US),
        listeners={state: seen[state] for state in LISTENER_STATES},
    )


def _state_of(state: str | None) -> str:
    """A listener the live state does not know yet (no shift synced) is offline."""
    return state if state in LISTENER_STATES else "offline"


def _menu(session: Session, association_id: int) -> list[str]:
    query = select(AssociationLanguage.code).where(AssociationLanguage.association_id == association_id)
    return list(session.exec(query.order_by(col(AssociationLanguage.position))).all())


def _speakers(session: Session, association_id: int) -> dict[str, list[int]]:
    """Active listeners by language they speak, in one query."""
    query = (
        select(ListenerLanguage.code, ListenerLanguage.listener_id)
        .join(Listener, col(Listener.id) == col(ListenerLanguage.listener_id))
        .where(Listener.association_id == association_id, Listener.active == True)  # noqa: E712
    )
    found: dict[str, list[int]] = defaultdict(list)
    for code, listener_id in session.exec(query).all():
        found[code].append(listener_id)
    return found
