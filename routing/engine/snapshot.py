"""The one module that reads routing's inputs from the database and turns rows into routing's own types:
listeners (languages, eligibility, on shift now), fallback policies, and the association's routing settings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from routing.engine.policy import speaker_pools
from routing.engine.selection import RosterListener, ineligibility
from routing.engine.shift_rules import is_on_shift, occurrences, to_rule, zone
from routing.errors import NotFoundError
from schemas.policy import PolicySteps, default_policy
from schemas.tables import (
    Association,
    AssociationLanguage,
    FallbackPolicy,
    Listener,
    ListenerLanguage,
    ListenerPresence,
    OpenShift,
    RoutingSettings,
    Shift,
)


@dataclass(frozen=True)
class RoutingConfig:
    """The association's routing knobs (defaults when it has no ``routing_settings`` row)."""

    association_id: int
    timezone: str = "Asia/Kolkata"
    ring_seconds: int = 20
    text_capacity: int = 3
    wrapup_base_seconds: int = 30
    wrapup_factor: float = 0.25
    wrapup_max_seconds: int = 900
    missed_offers_before_pause: int = 3
    text_blocks_calls: bool = False
    crisis_ring_together: int = 3  # listeners rung at once for a caller in danger

    def wrapup_seconds(self, call_seconds: float) -> float:
        """A cool-down that grows with the call: base + factor × length, capped."""
        grown = self.wrapup_base_seconds + self.wrapup_factor * max(0.0, call_seconds)
        return float(min(self.wrapup_max_seconds, max(0.0, grown)))

    def today(self, at: datetime) -> date:
        return at.astimezone(zone(self.timezone)).date()


@dataclass(frozen=True)
class PolicyBook:
    """The association's explicit policies; a language without one gets ``default_policy``."""

    association_id: int
    explicit: dict[str, PolicySteps] = field(default_factory=dict)

    def policy_for(self, language: str) -> PolicySteps:
        return self.explicit.get(language) or default_policy(language)


@dataclass(frozen=True)
class Roster:
    config: RoutingConfig
    policies: PolicyBook
    listeners: dict[int, RosterListener]
    languages: tuple[str, ...]  # the association's configured languages

    def eligible_pools(self, listener: RosterListener, at: datetime) -> tuple[str, ...]:
        """The pools the listener joins when available: none if they may not be offered anything today."""
        if ineligibility(listener, self.config.today(at)) is not None:
            return ()
        return speaker_pools(listener.languages)


def load_config(session: Session, association_id: int) -> RoutingConfig:
    association = session.get(Association, association_id)
    if association is None:
        raise NotFoundError("no such association", association_id=association_id)
    settings = session.get(RoutingSettings, association_id) or RoutingSettings(association_id=association_id)
    return RoutingConfig(
        association_id=association_id,
        timezone=association.timezone,
        ring_seconds=association.ring_seconds,
        text_capacity=association.max_text_conversations,
        wrapup_base_seconds=settings.wrapup_base_seconds,
        wrapup_factor=settings.wrapup_factor,
        wrapup_max_seconds=settings.wrapup_max_seconds,
        missed_offers_before_pause=settings.missed_offers_before_pause,
        text_blocks_calls=settings.text_blocks_calls,
        crisis_ring_together=association.crisis_ring_together,
    )


def load_policies(session: Session, association_id: int) -> PolicyBook:
    rows = session.exec(select(FallbackPolicy).where(FallbackPolicy.association_id == association_id)).all()
    return PolicyBook(
        association_id, {row.language: PolicySteps.model_validate({"steps": row.steps}) for row in rows}
    )


def load_roster(session: Session, association_id: int, at: datetime) -> Roster:
    """Everyone on the association's roster, with whether they are on shift ``at``."""
    config = load_config(session, association_id)
    listeners = session.exec(select(Listener).where(Listener.association_id == association_id)).all()
    ids = [row.id for row in listeners if row.id is not None]
    on_shift = _on_shift_ids(session, association_id, at)
    languages = _languages_of(session, ids)
    presence = _presence_of(session, ids)
    built = {
        row.id: _to_roster_listener(
            row, languages.get(row.id, {}), row.id in on_shift, presence.get(row.id), config
        )
        for row in listeners
        if row.id is not None
    }
    codes = session.exec(
        select(AssociationLanguage.code)
        .where(AssociationLanguage.association_id == association_id)
        .order_by(col(AssociationLanguage.position))
    ).all()
    return Roster(config, load_policies(session, association_id), built, tuple(codes))


def load_listener(session: Session, listener_id: int, at: datetime) -> RosterListener:
    """One listener, without evaluating everyone's shifts: for the paths that must be quick."""
    row = session.get(Listener, listener_id)
    if row is None or row.id is None:
        raise NotFoundError("no such listener", listener_id=listener_id)
    config = load_config(session, row.association_id)
    shifts = session.exec(select(Shift).where(Shift.listener_id == listener_id)).all()
    given_up = given_up_starts(session, [shift.id for shift in shifts if shift.id is not None])
    on = any(is_on_shift(to_rule(shift, given_up.get(shift.id or 0, frozenset())), at) for shift in shifts)
    languages = _languages_of(session, [row.id]).get(row.id, {})
    presence = session.get(ListenerPresence, row.id)
    return _to_roster_listener(row, languages, on, presence, config)


def association_ids(session: Session) -> list[int]:
    return [
        i for i in session.exec(select(Association.id).order_by(col(Association.id))).all() if i is not None
    ]


def paused_before_this_shift(session: Session, association_id: int, at: datetime, reason: str) -> list[int]:
    """Listeners paused for ``reason`` before the shift they are on at ``at`` began: a new shift is a fresh
    start, so yesterday's missed calls do not keep them off today's."""
    paused = session.exec(
        select(ListenerPresence)
        .join(Listener, col(Listener.id) == col(ListenerPresence.listener_id))
        .where(Listener.association_id == association_id, col(ListenerPresence.paused))
        .where(ListenerPresence.paused_reason == reason)
    ).all()
    found = []
    for presence in paused:
        since = presence.paused_since
        shifts = session.exec(select(Shift).where(Shift.listener_id == presence.listener_id)).all()
        starts = [
            o.start
            for shift in shifts
            for o in occurrences(to_rule(shift), at, at + timedelta(microseconds=1))
            if o.covers(at)
        ]
        if since is None or any(start > _aware(since) for start in starts):
            found.append(presence.listener_id)
    return found


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _on_shift_ids(session: Session, association_id: int, at: datetime) -> set[int]:
    shifts = session.exec(select(Shift).where(Shift.association_id == association_id)).all()
    given_up = given_up_starts(session, [shift.id for shift in shifts if shift.id is not None])
    return {
        shift.listener_id
        for shift in shifts
        if is_on_shift(to_rule(shift, given_up.get(shift.id or 0, frozenset())), at)
    }


def given_up_starts(session: Session, shift_ids: list[int]) -> dict[int, frozenset[int]]:
    """Per shift, the starts of occurrences its listener gave up (open shifts): nobody works them."""
    if not shift_ids:
        return {}
    rows = session.exec(select(OpenShift).where(col(OpenShift.shift_id).in_(shift_ids))).all()
    found: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        found[row.shift_id].add(row.starts_at_epoch)
    return {shift_id: frozenset(starts) for shift_id, starts in found.items()}


def _languages_of(session: Session, ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = defaultdict(dict)
    if ids:
        rows = session.exec(select(ListenerLanguage).where(col(ListenerLanguage.listener_id).in_(ids))).all()
        for row in rows:
            found[row.listener_id][row.code] = row.proficiency
    return found


def _presence_of(session: Session, ids: list[int]) -> dict[int, ListenerPresence]:
    if not ids:
        return {}
    rows = session.exec(select(ListenerPresence).where(col(ListenerPresence.listener_id).in_(ids))).all()
    return {row.listener_id: row for row in rows}


def _to_roster_listener(
    row: Listener,
    languages: dict,
    on_shift: bool,
    presence: ListenerPresence | None,
    config: RoutingConfig,
) -> RosterListener:
    assert row.id is not None
    return RosterListener(
        listener_id=row.id,
        association_id=row.association_id,
        name=row.name,
        languages=dict(languages),
        registration_verified=row.registration_verified,
        training_valid_until=row.training_valid_until,
        active=row.active,
        institution=row.institution,
        city=row.city,
        declined_institutions=tuple(row.declined_institutions or ()),
        text_capacity=row.max_text_conversations
        if row.max_text_conversations is not None
        else config.text_capacity,
        on_shift=on_shift,
        paused=bool(presence and presence.paused),
        paused_reason=presence.paused_reason if presence else "",
    )
