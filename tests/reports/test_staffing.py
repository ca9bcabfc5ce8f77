"""Erlang C and Erlang A: the published worked examples, an independent numerical solution of the M/M/c+M
queue, and the properties a coordinator relies on (more calls never need fewer listeners, another listener
never lowers the service level, very patient callers make Erlang A into Erlang C)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.reports.staffing import (
    Load,
    erlang_c,
    listeners_needed,
    service_level_a,
    service_level_c,
)

# Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example" (callcentrehelper.com):
# 100 calls a half hour, 180 s handle time (10 erlangs), 80% within 20 s: with 11 agents a call waits
# 68.21% of the time, and 14 agents (before shrinkage) reach the target.
HELPER = Load(200 / 3600, 180)


def test_call_centre_helper_worked_example() -> None:
    assert erlang_c(11, 10) == pytest.approx(0.6821, abs=5e-5)
    assert listeners_needed(HELPER, 20, 0.8) == 14
    assert service_level_c(13, HELPER, 20) < 0.8 <= service_level_c(14, HELPER, 20)


def test_westbay_worked_example() -> None:
    """Westbay Engineers, "The Erlang-C Formula" (erlang.com): 360 calls a half hour of 4 minutes (48 erlangs),
    55 agents: probability of waiting 0.2387 and an average speed of answer of 8.18 s."""
    assert erlang_c(55, 48) == pytest.approx(0.2387, abs=5e-5)
    assert erlang_c(55, 48) * 240 / (55 - 48) == pytest.approx(8.18, abs=5e-3)


def test_overloaded_listeners_answer_nobody_in_erlang_c() -> None:
    assert service_level_c(10, HELPER, 20) == 0.0 and erlang_c(9, 10) == 1.0


def expm(matrix: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring a Taylor series: enough for a small generator."""
    norm = max(1.0, float(np.abs(matrix).sum(axis=1).max()))
    squarings = max(0, math.ceil(math.log2(norm)) + 4)
    scaled = matrix / 2**squarings
    result, term = np.eye(len(matrix)), np.eye(len(matrix))
    for k in range(1, 30):
        term = term @ scaled / k
        result = result + term
    for _ in range(squarings):
        result = result @ result
    return result


def numerical_service_level(listeners: int, load: Load, target: float, depth: int = 60) -> float:
    """M/M/c+M solved without the closed form: the stationary birth-death distribution (truncated), and for a
    caller finding j others queued, the chance of reaching a listener within ``target`` before hanging up,
    from the tagged caller's own Markov chain (j ahead ... 0 ahead, then served or abandoned)."""
    lam, mu = load.arrivals_per_second, 1 / load.handle_seconds
    assert load.patience_seconds is not None
    theta = 1 / load.patience_seconds
    weights = [1.0]
    for n in range(1, listeners + depth):
        weights.append(weights[-1] * lam / (min(n, listeners) * mu + max(0, n - listeners) * theta))
    pi = np.array(weights) / sum(weights)
    states = depth + 2  # ahead = depth-1 .. 0, then served, abandoned
    served, gone = depth, depth + 1
    generator = np.zeros((states, states))
    for ahead in range(depth):
        moving = listeners * mu + ahead * theta
        generator[ahead, ahead - 1 if ahead else served] += moving
        generator[ahead, gone] += theta
        generator[ahead, ahead] -= moving + theta
    reach = expm(generator * target)[:, served]
    level = pi[:listeners].sum()
    for queued in range(depth - listeners if depth > listeners else depth):
        if listeners + queued < len(pi):
            level += pi[listeners + queued] * reach[queued]
    return float(level)


@pytest.mark.parametrize(
    ("listeners", "load", "target"),
    [
        (2, Load(1.5 / 3600 * 60, 600, 120), 60),
        (5, Load(20 / 3600, 660, 150), 60),
        (3, Load(10 / 3600, 900, 40), 20),
        (12, Load(200 / 3600, 180, 90), 20),
    ],
)
def test_erlang_a_agrees_with_a_numerical_solution(listeners: int, load: Load, target: float) -> None:
    assert service_level_a(listeners, load, target) == pytest.approx(
        numerical_service_level(listeners, load, target), abs=1e-6
    )


loads = st.builds(
    Load,
    arrivals_per_second=st.floats(0.0001, 0.05),  # up to 180 calls an hour in one language
    handle_seconds=st.floats(30, 3600),
    patience_seconds=st.one_of(st.none(), st.floats(5, 3600)),
)


@settings(max_examples=200, deadline=None)
@given(load=loads, more=st.floats(1.0, 3.0), target=st.floats(5, 300), goal=st.floats(0.5, 0.95))
def test_more_calls_never_need_fewer_listeners(load: Load, more: float, target: float, goal: float) -> None:
    busier = Load(load.arrivals_per_second * more, load.handle_seconds, load.patience_seconds)
    assert listeners_needed(load, target, goal) <= listeners_needed(busier, target, goal)


@settings(max_examples=200, deadline=None)
@given(load=loads, listeners=st.integers(1, 60), target=st.floats(5, 300))
def test_another_listener_never_lowers_the_service_level(load: Load, listeners: int, target: float) -> None:
    for level in (service_level_a, service_level_c):
        low, high = level(listeners, load, target), level(listeners + 1, load, target)
        assert 0.0 <= low <= high + 1e-9 and high <= 1.0  # 1e-9: the series stop at 1e-10 of their sum


@settings(max_examples=200, deadline=None)
@given(load=loads, listeners=st.integers(1, 60), target=st.floats(5, 300))
def test_erlang_a_becomes_erlang_c_as_patience_grows(load: Load, listeners: int, target: float) -> None:
    patient = [Load(load.arrivals_per_second, load.handle_seconds, p) for p in (1e6, 1e8, 1e10)]
    erlang_c_level = service_level_c(listeners, load, target)
    gaps = [abs(service_level_a(listeners, p, target) - erlang_c_level) for p in patient]
    assert gaps[-1] < 1e-4 and gaps[0] >= gaps[-1] - 1e-9


@settings(max_examples=100, deadline=None)
@given(load=loads, target=st.floats(5, 300), goal=st.floats(0.5, 0.95))
def test_the_figure_reaches_the_goal_and_one_fewer_does_not(load: Load, target: float, goal: float) -> None:
    needed = listeners_needed(load, target, goal)
    assert service_level_a(needed, load, target) >= goal
    assert needed == 1 or service_level_a(needed - 1, load, target) < goal
