"""The dry run: which fallback step applies now, who would be offered next, and why everyone else would not.

Never a phone number: listeners appear by id and name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from routing.engine.live import LiveListener, LiveState
from routing.engine.policy import US, StepChoice, listener_steps, meets, step_at
from routing.engine.selection import RosterListener, ineligibility
from routing.engine.snapshot import Roster, load_roster
from schemas.policy import PolicySteps
from schemas.tables import Channel, Proficiency


@dataclass(frozen=True)
class StepView:
    index: int
    kind: str
    pools: list[str]
    reason: str
    seconds_left: float | None


@dataclass(frozen=True)
class CandidateView:
    listener_id: int
    name: str
    proficiency: str
    idle_seconds: float


@dataclass(frozen=True)
class ExcludedView:
    listener_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Preview:
    association_id: int
    language: str
    channel: str
    waiting: int
    step_for_new_contact: StepView
    step_for_longest_waiting: StepView | None
    longest_wait_seconds: float | None
    next_listener: CandidateView | None
    candidates: list[CandidateView] = field(default_factory=list)
    excluded: list[ExcludedView] = field(default_factory=list)
    fallback_languages: list[str] = field(default_factory=list)
    fallback_note: str = ""


def preview(
    session: Session,
    live: LiveState,
    association_id: int,
    language: str,
    now: datetime,
    channel: Channel = Channel.voice,
) -> Preview:
    """For a contact in ``language`` arriving now (and for the longest-waiting one): the step, the listener
    who would be offered next (idle longest), the others in order, and the reason for everyone left out."""
    roster = load_roster(session, association_id, now)
    kind = "voice" if channel == Channel.voice else "text"
    policy = roster.policies.policy_for(language)
    now_us = round(now.timestamp() * US)
    waiting = [c for c in live.waiting(association_id) if c.language == language and c.kind == kind]
    longest = min(waiting, key=lambda c: c.arrival_us, default=None)
    longest_wait = (now_us - longest.arrival_us) / US if longest else None
    new_step = step_at(policy, 0)
    step = step_at(policy, longest_wait) if longest_wait is not None else new_step
    lives = live.listeners(association_id)
    candidates = _candidates(roster, lives, step, kind, now_us)
    chosen = {c.listener_id for c in candidates}
    excluded = [
        ExcludedView(listener.listener_id, listener.name, _reason(roster, listener, lives, step, kind, now))
        for listener in roster.listeners.values()
        if listener.listener_id not in chosen
    ]
    return Preview(
        association_id=association_id,
        language=language,
        channel=kind,
        waiting=len(waiting),
        step_for_new_contact=_view(new_step),
        step_for_longest_waiting=_view(step) if longest else None,
        longest_wait_seconds=longest_wait,
        next_listener=candidates[0] if candidates else None,
        candidates=candidates[:10],
        excluded=sorted(excluded, key=lambda e: (e.reason, e.name)),
        fallback_languages=(others := fallback_languages(policy, language)),
        fallback_note=fallback_note(others, language, explicit=language in roster.policies.explicit),
    )


def fallback_languages(policy: PolicySteps, language: str) -> list[str]:
    """The other languages the policy's listener steps offer this caller to, in the order they appear."""
    found: list[str] = []
    for step in listener_steps(policy):
        found += [code for code in step.languages if code != language and code not in found]
    return found


def fallback_note(others: list[str], language: str, *, explicit: bool) -> str:
    """Said plainly when no step offers the caller to a listener of another language: an idle listener who
    speaks only another language is then never offered them (the default policy makes no such switch)."""
    if others:
        return f"after the same-language steps, offered to listeners of: {', '.join(others)}"
    whose = "this association's policy" if explicit else "the default policy"
    return (
        f"no step to another language: {whose} offers a {language} caller only to {language} listeners, "
        "then a callback, then the crisis line; add a listeners step with other languages (PUT "
        f"…/policies/{language}) to offer them to a bilingual listener"
    )


def _view(choice: StepChoice) -> StepView:
    return StepView(choice.index, choice.step.kind, list(choice.pools), choice.reason, choice.seconds_left)


def _candidates(
    roster: Roster, lives: dict[int, LiveListener], step: StepChoice, kind: str, now_us: int
) -> list[CandidateView]:
    found: dict[int, CandidateView] = {}
    for pool in step.pools:
        code = pool.split(":", 1)[0]
        for listener_id, live in lives.items():
            listener = roster.listeners.get(listener_id)
            blocks = roster.config.text_blocks_calls
            if listener is None or pool not in live.pools or not _has_room(live, kind, blocks):
                continue
            if live.state != "available" or listener_id in found:
                continue
            idle = (now_us - live.idle_since_us) / US
            found[listener_id] = CandidateView(
                listener_id, listener.name, listener.languages[code].value, idle
            )
    return sorted(found.values(), key=lambda c: (-c.idle_seconds, c.listener_id))


def _has_room(live: LiveListener, kind: str, text_blocks_calls: bool) -> bool:
    if kind == "voice":
        return live.texts == 0 or not text_blocks_calls
    return live.texts < live.capacity


def _reason(
    roster: Roster,
    listener: RosterListener,
    lives: dict[int, LiveListener],
    step: StepChoice,
    kind: str,
    now: datetime,
) -> str:
    why = ineligibility(listener, roster.config.today(now))
    if why is not None:
        return why
    if not _speaks_for(listener, step):
        return f"does not speak what this step needs ({', '.join(step.pools)})"
    if not listener.on_shift:
        return "off shift"
    live = lives.get(listener.listener_id)
    if live is None:
        return "not yet in the live state (next tick)"
    if live.state != "available":
        return {
            "paused": f"paused ({listener.paused_reason or 'by the listener'})",
            "offered": "being offered another contact",
            "busy": "on a call",
            "wrapup": "in wrap-up after a call",
            "offline": "off shift",
        }.get(live.state, live.state)
    if kind == "voice" and live.texts:
        return "in a text conversation (this association's texts block calls)"
    return "no text capacity left"


def _speaks_for(listener: RosterListener, step: StepChoice) -> bool:
    for pool in step.pools:
        code, level = pool.split(":", 1)
        spoken = listener.languages.get(code)
        if spoken is not None and meets(spoken, Proficiency(level)):
            return True
    return False
