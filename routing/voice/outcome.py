"""What a voice step returns: the decision to render, and the work it leaves for jobs (offers to ring,
callers to bring over, wrap-ups to end on time)."""

from __future__ import annotations

from dataclasses import dataclass, field

from routing import engine
from routing.voice import decisions


@dataclass(frozen=True)
class Outcome:
    """A decision, and the offers the step made (to be rung by a job)."""

    decision: decisions.Decision
    offers: tuple[engine.Offer, ...] = ()
    jobs: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (job name, id) to enqueue
    ended: tuple[engine.Ended, ...] = ()  # calls that ended: their listener's wrap-up end is scheduled


def voice_offers(
    *found: engine.Offer | list[engine.Offer] | tuple[engine.Offer, ...] | None,
) -> tuple[engine.Offer, ...]:
    out: list[engine.Offer] = []
    for item in found:
        if item is None:
            continue
        if isinstance(item, engine.Offer):
            out.append(item)
        else:
            out.extend(item)
    return tuple(o for o in out if o.kind == "voice")


def settled(decision: decisions.Decision, ended: engine.Ended | None) -> Outcome:
    if ended is None:
        return Outcome(decision)
    return Outcome(decision, voice_offers(ended.next_offer), ended=(ended,))
