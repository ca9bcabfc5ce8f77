"""How many listeners a language needs in an hour: Erlang C (M/M/c, callers wait as long as it takes) and
Erlang A (M/M/c+M, callers hang up after an exponentially distributed patience), both in closed form.

Erlang C: the probability of waiting is C(c, a) = B / (1 - ρ(1 - B)) with B Erlang's loss formula (by its
recursion), and P(wait <= t) = 1 - C e^{-(cμ - λ)t} (Erlang 1917; Cooper, *Introduction to Queueing
Theory*, 1981, §5.3).

Erlang A (Palm 1943; Garnett, Mandelbaum & Reiman 2002, M&SOM 4(3)): with x = cμ/θ and y = λ/θ, the
stationary probabilities beyond c servers are π_{c+j} = π_c y^j / ((x+1)(x+2)…(x+j)), whose sum is
π_c A(x, y) with A = x S(x, y) and S(a, z) = Σ_k z^k / (a(a+1)…(a+k)) (the series of the lower incomplete
gamma function). A caller finding everyone busy would be served after the virtual wait V, whose density on
V > 0 is π_c cμ exp(-cμ v + y(1 - e^{-θv})); they are served within t when V <= t and their patience
outlasts V, so

    SL(t) = P(n < c) + π_c cμ ∫_0^t e^{-(cμ+θ)v + y(1 - e^{-θv})} dv
          = P(n < c) + π_c (cμ/θ) [S(x+1, y) - e^{y(1 - e^{-θt}) - (cμ+θ)t} S(x+1, y e^{-θt})].

As patience grows (θ -> 0) this tends to Erlang C. Service level here is the share of *all* callers answered
within t (abandoning callers count as not answered), which the staffing aims at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_LISTENERS = 500
SERIES_TERMS = 100_000
PATIENT_ENOUGH = 10_000.0  # y = λ/θ: callers' mean patience in mean times between arrivals


@dataclass(frozen=True)
class Load:
    """Arrivals per second, mean handle time and mean patience in seconds (``None``: infinitely patient)."""

    arrivals_per_second: float
    handle_seconds: float
    patience_seconds: float | None = None

    @property
    def erlangs(self) -> float:
        return self.arrivals_per_second * self.handle_seconds


def erlang_b(listeners: int, erlangs: float) -> float:
    """Erlang's loss formula by its stable recursion B(k) = aB(k-1) / (k + aB(k-1))."""
    blocked = 1.0
    for k in range(1, listeners + 1):
        blocked = erlangs * blocked / (k + erlangs * blocked)
    return blocked


def erlang_c(listeners: int, erlangs: float) -> float:
    """The probability that a caller waits; 1 when the load is at or beyond the listeners' capacity."""
    if listeners <= 0 or erlangs >= listeners:
        return 1.0
    if erlangs <= 0:
        return 0.0
    blocked = erlang_b(listeners, erlangs)
    return blocked / (1 - (erlangs / listeners) * (1 - blocked))


def service_level_c(listeners: int, load: Load, target_seconds: float) -> float:
    """Erlang C: the share of callers answered within ``target_seconds``."""
    return _level_c(listeners, load, target_seconds, erlang_b(listeners, load.erlangs))


def service_level_a(listeners: int, load: Load, target_seconds: float) -> float:
    """Erlang A (M/M/c+M): the share of all callers answered within ``target_seconds``; Erlang C for callers
    of unlimited patience."""
    if load.patience_seconds is None or math.isinf(load.patience_seconds):
        return service_level_c(listeners, load, target_seconds)
    return _level_a(listeners, load, target_seconds, erlang_b(listeners, load.erlangs))


def listeners_needed(load: Load, target_seconds: float, goal: float) -> int:
    """The fewest listeners whose service level reaches ``goal`` (a share, e.g. 0.8); 0 with no arrivals.

    The search starts where it can first succeed: c listeners serve at most c/a of the callers (Erlang C
    needs c > a), so fewer than ``goal * a`` never reach the goal. Erlang's loss formula is carried from one
    head count to the next, so each step costs one service level."""
    if load.arrivals_per_second <= 0:
        return 0
    patient = load.patience_seconds is None or math.isinf(load.patience_seconds)
    level = _level_c if patient else _level_a
    a = load.erlangs
    first = max(1, math.floor(a) + 1 if patient else math.ceil(goal * a))
    blocked = erlang_b(first - 1, a)
    for listeners in range(first, MAX_LISTENERS + 1):
        blocked = a * blocked / (listeners + a * blocked)
        if level(listeners, load, target_seconds, blocked) >= goal:
            return listeners
    return MAX_LISTENERS


def _level_c(listeners: int, load: Load, target_seconds: float, blocked: float) -> float:
    if load.arrivals_per_second <= 0:
        return 1.0
    a = load.erlangs
    if listeners <= a:
        return 0.0
    waits = blocked / (1 - (a / listeners) * (1 - blocked))
    drain = listeners / load.handle_seconds - load.arrivals_per_second
    return max(0.0, 1 - waits * math.exp(-drain * target_seconds))


def _level_a(listeners: int, load: Load, target_seconds: float, blocked: float) -> float:
    """With S(x, y) = 1/x + (y/x) S(x+1, y), A(x, y) = x S(x, y) = 1 + y S(x+1, y): two series, not three."""
    if load.arrivals_per_second <= 0:
        return 1.0
    if listeners <= 0:
        return 0.0
    assert load.patience_seconds is not None
    mu, theta = 1 / load.handle_seconds, 1 / load.patience_seconds
    x, y = listeners * mu / theta, load.arrivals_per_second / theta
    if y > PATIENT_ENOUGH:
        # Patience spanning this many arrivals is Erlang C's limit, and the series would need about y terms.
        return _level_c(listeners, load, target_seconds, blocked)
    after = _series(x + 1, y)
    beyond = 1 + y * after  # A(x, y)
    at_c = blocked / (1 + blocked * (beyond - 1))
    decay = math.exp(-theta * target_seconds)
    exponent = y * (1 - decay) - (listeners * mu + theta) * target_seconds
    waited = after - math.exp(exponent) * _series(x + 1, y * decay)
    return min(1.0, max(0.0, (1 - at_c * beyond) + at_c * x * waited))


def _series(a: float, z: float) -> float:
    """S(a, z) = Σ_k z^k / (a(a+1)…(a+k)), for a > 0 and z >= 0; stops once the terms fall below 1e-10 of the
    sum and shrink (a service level needs far less)."""
    term = 1.0 / a
    total = term
    for k in range(1, SERIES_TERMS):
        term *= z / (a + k)
        total += term
        if term < total * 1e-10 and a + k > z:
            break
    return total
