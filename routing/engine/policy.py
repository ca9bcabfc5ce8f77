"""Which fallback step applies to a contact after a wait, which listener pools that step means, and when the
association may call a caller back.

Pure decisions over ``schemas.policy.PolicySteps``. Steps are time-based: a contact moves through the listener
steps as it waits; after the last listener step it sits at the terminal steps (callback, crisis line), where
it may still be offered to anyone a listener step of its policy would have accepted (the union of their pools),
so a caller who waits on, or whose callback is due, is served by the first such listener free.

A pool is named ``<language>:<level>``; a listener joins the pool of every level they meet (a native speaker is
in ``ta:native``, ``ta:fluent`` and ``ta:conversational``), so a step asking for "fluent or better" reads one
pool per language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from routing.engine.shift_rules import zone
from schemas.policy import ListenerStep, PolicyStep, PolicySteps
from schemas.tables import Proficiency

LEVELS: tuple[Proficiency, ...] = (Proficiency.native, Proficiency.fluent, Proficiency.conversational)
US = 1_000_000


def meets(proficiency: Proficiency, required: Proficiency) -> bool:
    return LEVELS.index(proficiency) <= LEVELS.index(required)


def speaker_pools(languages: Mapping[str, Proficiency]) -> tuple[str, ...]:
    """Every pool a listener with these languages joins when available."""
    return tuple(
        f"{code}:{level.value}"
        for code, proficiency in sorted(languages.items())
        for level in LEVELS
        if meets(proficiency, level)
    )


def step_pools(step: ListenerStep) -> tuple[str, ...]:
    return tuple(f"{code}:{step.min_proficiency.value}" for code in dict.fromkeys(step.languages))


@dataclass(frozen=True)
class StepChoice:
    """The step a contact is at: its index, the step, the pools it may be offered to, and why."""

    index: int
    step: PolicyStep
    pools: tuple[str, ...]
    reason: str
    seconds_left: float | None  # until the next step; None at the terminal steps


def listener_steps(policy: PolicySteps) -> list[ListenerStep]:
    return [s for s in policy.steps if isinstance(s, ListenerStep)]


def terminal_pools(policy: PolicySteps) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for s in listener_steps(policy) for p in step_pools(s)))


def step_at(policy: PolicySteps, waited_seconds: float) -> StepChoice:
    """The step that applies after waiting this long (a negative wait counts as none)."""
    elapsed = 0.0
    waited = max(0.0, waited_seconds)
    for index, step in enumerate(policy.steps):
        if not isinstance(step, ListenerStep):
            return StepChoice(
                index, step, terminal_pools(policy), f"waited {waited:.0f}s: {step.kind} step", None
            )
        if waited < elapsed + step.seconds:
            reason = (
                f"waited {waited:.0f}s: {'/'.join(step.languages)} listeners, "
                f"{step.min_proficiency.value} or better, for {elapsed + step.seconds - waited:.0f}s more"
            )
            return StepChoice(index, step, step_pools(step), reason, elapsed + step.seconds - waited)
        elapsed += step.seconds
    last = len(policy.steps) - 1
    final = listener_steps(policy)[-1]
    return StepChoice(
        last, final, terminal_pools(policy), f"waited {waited:.0f}s: every step passed, widest pools", None
    )


@dataclass(frozen=True)
class ArrivalWindow:
    """Contacts that arrived in this range (µs; ``lowest`` exclusive, None = unbounded) are at ``step``."""

    lowest_us: int | None
    highest_us: int | None
    step: int


def arrival_windows(policy: PolicySteps, listener_pools: set[str], now_us: int) -> list[ArrivalWindow]:
    """For a freed listener: the arrival ranges in which a contact's current step admits them.

    A contact that arrived at ``a`` has waited ``now - a``; step ``i`` spans waits [start_i, end_i), so it
    covers arrivals in (now - end_i, now - start_i]. The first step also takes arrivals "from the future"
    (clock skew between processes), the terminal steps everything older than the last listener step."""
    windows: list[ArrivalWindow] = []
    elapsed = 0
    terminal_index: int | None = None
    for index, step in enumerate(policy.steps):
        if not isinstance(step, ListenerStep):
            terminal_index = index
            break
        start, end = elapsed * US, (elapsed + step.seconds) * US
        if listener_pools & set(step_pools(step)):
            highest = None if index == 0 else now_us - start
            windows.append(ArrivalWindow(now_us - end, highest, index))
        elapsed += step.seconds
    if listener_pools & set(terminal_pools(policy)):
        index = terminal_index if terminal_index is not None else len(policy.steps) - 1
        windows.append(ArrivalWindow(None, now_us - elapsed * US, index))
    return _nonempty(windows)


def _nonempty(windows: list[ArrivalWindow]) -> list[ArrivalWindow]:
    return [w for w in windows if w.lowest_us is None or w.highest_us is None or w.lowest_us < w.highest_us]


class CallbackHours(Protocol):
    """An association's callback window (``schemas.tables.Association`` has these): wall-clock times in its
    time zone. ``callback_start`` after ``callback_end`` is a window across midnight (20:00 to 02:00); equal
    times mean no restriction."""

    @property
    def timezone(self) -> str: ...
    @property
    def callback_start(self) -> time: ...
    @property
    def callback_end(self) -> time: ...


def is_within_callback_hours(association: CallbackHours, at: datetime) -> bool:
    """Whether a callback may be placed at ``at``: local time in [start, end), the association's zone.
    A distressed doctor is not rung at 3 a.m. because they asked for a callback at midnight."""
    start, end = association.callback_start, association.callback_end
    if start == end:
        return True
    local = at.astimezone(UTC).astimezone(zone(association.timezone)).time()  # via UTC: a gap's time is real
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_callback_time(association: CallbackHours, at: datetime) -> datetime:
    """``at`` itself when within the callback hours, else the moment the window next opens (in UTC). A start
    that falls in a daylight-saving gap opens the window when the clocks jump past it."""
    if is_within_callback_hours(association, at):
        return at
    tz = zone(association.timezone)
    day = at.astimezone(tz).date()
    for offset in range(3):
        start = datetime.combine(day + timedelta(days=offset), association.callback_start, tzinfo=tz)
        if start > at and is_within_callback_hours(association, start):
            earliest = start.replace(fold=1).astimezone(UTC)  # in UTC: same-zone arithmetic ignores fold
            return _opening(association, max(at.astimezone(UTC), earliest), start.astimezone(UTC))
    raise ValueError(f"no callback window within two days of {at.isoformat()}")  # not with a real zone


def _opening(association: CallbackHours, outside: datetime, inside: datetime) -> datetime:
    """The first instant after ``outside`` that is within the hours, ``inside`` being within (both UTC).
    Equal to ``inside`` unless its wall-clock time does not exist (a gap: ``fold=1`` reads it earlier)."""
    while inside - outside > timedelta(microseconds=1):
        middle = outside + (inside - outside) / 2
        if is_within_callback_hours(association, middle):
            inside = middle
        else:
            outside = middle
    return inside
