"""Property tests of the pure decisions: policy steps and their arrival windows, eligibility, hardness."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from routing.engine.policy import US, arrival_windows, meets, speaker_pools, step_at
from routing.engine.selection import (
    Exclusion,
    QueueLoad,
    RosterListener,
    hardest_first,
    hardness,
    ineligibility,
    is_excluded,
)
from schemas.policy import CallbackStep, CrisisLineStep, ListenerStep, PolicySteps
from schemas.tables import Proficiency

LANGS = ["ta", "hi", "mr", "en"]
levels = st.sampled_from(list(Proficiency))
listener_steps = st.builds(
    ListenerStep,
    languages=st.lists(st.sampled_from(LANGS), min_size=1, max_size=3, unique=True),
    min_proficiency=levels,
    seconds=st.integers(5, 600),
)
policies = st.builds(
    lambda steps, terminal: PolicySteps(steps=[*steps, *terminal]),
    st.lists(listener_steps, min_size=1, max_size=4),
    st.sampled_from([[], [CallbackStep()], [CallbackStep(), CrisisLineStep()], [CrisisLineStep()]]),
)
speakers = st.dictionaries(st.sampled_from(LANGS), levels, min_size=1, max_size=3)
NOW = 1_800_000_000 * US


def _in(window_lowest: int | None, window_highest: int | None, arrival: int) -> bool:
    return (window_lowest is None or arrival > window_lowest) and (
        window_highest is None or arrival <= window_highest
    )


@given(policy=policies, languages=speakers, waited_ms=st.integers(-5_000, 4_000_000))
def test_arrival_windows_admit_exactly_the_contacts_whose_current_step_admits_the_listener(
    policy: PolicySteps, languages: dict[str, Proficiency], waited_ms: int
) -> None:
    """What the freeing script searches (windows) agrees with what dispatch decides (step_at)."""
    pools = set(speaker_pools(languages))
    arrival = NOW - waited_ms * 1000
    choice = step_at(policy, waited_ms / 1000)
    admitted = bool(pools & set(choice.pools))
    matching = [w for w in arrival_windows(policy, pools, NOW) if _in(w.lowest_us, w.highest_us, arrival)]
    assert len(matching) <= 1
    assert bool(matching) == admitted
    if matching:
        assert matching[0].step == choice.index


@given(policy=policies, a=st.floats(0, 5000), b=st.floats(0, 5000))
def test_steps_only_move_forward_with_the_wait(policy: PolicySteps, a: float, b: float) -> None:
    early, late = sorted((a, b))
    assert step_at(policy, early).index <= step_at(policy, late).index


@given(languages=speakers, language=st.sampled_from(LANGS), required=levels)
def test_a_listener_is_in_a_pool_exactly_when_they_meet_its_level(
    languages: dict[str, Proficiency], language: str, required: Proficiency
) -> None:
    joined = f"{language}:{required.value}" in speaker_pools(languages)
    assert joined == (language in languages and meets(languages[language], required))


def _listener(**values: object) -> RosterListener:
    base: dict[str, object] = {
        "listener_id": 1,
        "association_id": 1,
        "name": "A",
        "languages": {"ta": Proficiency.native},
        "registration_verified": True,
        "training_valid_until": date(2026, 12, 31),
        "active": True,
    }
    return RosterListener(**{**base, **values})  # type: ignore[arg-type]


@given(verified=st.booleans(), active=st.booleans(), days=st.one_of(st.none(), st.integers(-400, 400)))
def test_only_verified_active_and_trained_listeners_are_eligible(
    verified: bool, active: bool, days: int | None
) -> None:
    today = date(2026, 11, 25)
    until = None if days is None else today + timedelta(days=days)
    listener = _listener(registration_verified=verified, active=active, training_valid_until=until)
    eligible = ineligibility(listener, today) is None
    assert eligible == (verified and active and until is not None and until >= today)


@given(
    institution=st.sampled_from(["", "AIIMS", "aiims ", "CMC"]),
    city=st.sampled_from(["", "Pune", "pune"]),
    asked=st.builds(Exclusion, st.sampled_from(["", "AIIMS", "CMC"]), st.sampled_from(["", "Pune", "Delhi"])),
    declined=st.lists(st.sampled_from(["AIIMS", "CMC", "KEM"]), max_size=2),
)
def test_exclusions_hold_in_both_directions_and_blank_matches_nothing(
    institution: str, city: str, asked: Exclusion, declined: list[str]
) -> None:
    listener = _listener(institution=institution, city=city, declined_institutions=tuple(declined))
    same = lambda x, y: bool(x.strip()) and x.strip().lower() == y.strip().lower()  # noqa: E731
    expected = (
        same(asked.institution, institution)
        or same(asked.city, city)
        or any(same(asked.institution, d) for d in declined)
    )
    assert is_excluded(listener, asked) == expected


@given(
    st.lists(
        st.tuples(st.sampled_from(LANGS), st.integers(0, 20), st.integers(0, 20)), unique_by=lambda t: t[0]
    )
)
def test_hardest_language_first(loads: list[tuple[str, int, int]]) -> None:
    order = hardest_first(QueueLoad(lang, free, waiting) for lang, free, waiting in loads)
    by_language = {lang: hardness(free, waiting) for lang, free, waiting in loads}
    assert set(order) == {lang for lang, _, waiting in loads if waiting}
    assert [by_language[lang] for lang in order] == sorted(by_language[lang] for lang in order)
