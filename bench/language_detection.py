"""Accuracy, asking rate and speed of the language detector, each against its goal.

Run from the repository root: `python -m bench.language_detection [extra.tsv ...]`.

* the shared development set (`bench/data/langid-dev.tsv`), beside py3langid;
* the held-out set (`bench/data/langid-heldout.tsv`): romanized messages from sources distinct
  from the training data, including romanized Marathi and Tamil, which the development set lacks;
* the unseen set (`bench/data/langid-unseen.tsv`): romanized messages from files that neither the
  word lists nor the other two sets use, collected in round 3 and not looked at while choosing
  any setting before it was first measured;
* a k-fold cross-validation of the romanized models over their own training words
  (`bench/language_detection_folds.py`);
* time per message (mean, p99, max) over both sets, five passes pooled, with the word cache
  emptied before each pass, beside the machine's load average; and the time a fresh process
  takes to import the detector and load its models (`warm_up()`).

For each language and script: accuracy (an unsure answer counts as wrong), how often the detector
asks instead of answering, and what it took the language for.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bench.language_detection_folds import FOLDS, cross_validate
from routing.language_detection import detect_language
from routing.language_detection.romanized import load_models

DATA = Path(__file__).resolve().parent / "data"
SETS = {
    "development set": DATA / "langid-dev.tsv",
    "held-out set": DATA / "langid-heldout.tsv",
    "unseen set": DATA / "langid-unseen.tsv",
}
NATIVE_GOAL, NATIVE_FLOOR = 0.97, 0.93
ENGLISH_GOAL, HINDI_LATIN_GOAL, OTHER_LATIN_GOAL = 0.95, 0.85, 0.75
ASK_GOAL = 0.10  # ask on fewer than this share of messages
P99_GOAL_US = 1000.0
UNSURE = "und"


@dataclass(frozen=True)
class Row:
    lang: str
    script: str
    text: str


@dataclass
class Run:
    name: str
    answers: list[str]
    seconds: list[float]


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(r["lang"], r["script"], r["text"]) for r in reader]


def run(name: str, detect: Callable[[str], str], rows: list[Row], passes: int = 5) -> Run:
    """Time every message `passes` times and pool the timings, so that p99 rests on thousands.

    The romanized word cache is emptied before each pass, so every pass pays for unseen words.
    """
    for warm_up in ("load the models", "मुझे", "আমি"):  # load every model outside the timing
        detect(warm_up)
    answers: list[str] = []
    seconds: list[float] = []
    for _ in range(passes):
        load_models().forget()
        answers = []
        for row in rows:
            start = time.perf_counter()
            answers.append(detect(row.text))
            seconds.append(time.perf_counter() - start)
    return Run(name, answers, seconds)


def samvaad(text: str) -> str:
    return detect_language(text).language or UNSURE


def baseline() -> Callable[[str], str]:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return lambda text: identifier.classify(text)[0]


def groups_of(rows: list[Row], answers: list[str]) -> dict[tuple[str, str], Counter[str]]:
    """For each (script, language): how often each answer was given."""
    groups: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row, answer in zip(rows, answers, strict=True):
        groups[(row.script, row.lang)][answer] += 1
    return dict(sorted(groups.items()))


def print_groups(groups: dict[tuple[str, str], Counter[str]], baseline: dict | None = None) -> None:
    extra = f"{'py3langid':>10}" if baseline else ""
    print(f"  {'group':<12}{'n':>4}{'accuracy':>10}{'asks':>7}{extra}   taken for")
    for key, answers in groups.items():
        n = sum(answers.values())
        wrong = ", ".join(f"{a} {c}" for a, c in answers.most_common() if a not in (key[1], UNSURE))
        other = f"{_share(baseline[key], key[1]):>10.1%}" if baseline else ""
        print(
            f"  {key[1] + ' ' + key[0]:<12}{n:>4}{_share(answers, key[1]):>10.1%}"
            f"{_share(answers, UNSURE):>7.1%}{other}   {wrong or '-'}"
        )


def print_confusions(groups: dict[tuple[str, str], Counter[str]], top: int = 8) -> None:
    pairs = Counter({(key[1], key[0], a): c for key, answers in groups.items() for a, c in answers.items()})
    shown = [f"{t}->{a} ({s}) {c}" for (t, s, a), c in pairs.most_common() if a not in (t, UNSURE)][:top]
    print("  largest confusions:", "; ".join(shown) or "none")


def print_goals(groups: dict[tuple[str, str], Counter[str]]) -> None:
    """Each goal the set can speak to, with the measured figure and whether it is met."""
    accuracy = {key: _share(answers, key[1]) for key, answers in groups.items()}
    native = [a for (script, _), a in accuracy.items() if script == "native"]
    checks: list[tuple[str, float, float, bool]] = []
    if native:
        checks.append(("native script, mean of languages", statistics.fmean(native), NATIVE_GOAL, True))
        checks.append(("native script, worst language", min(native), NATIVE_FLOOR, True))
    for (script, lang), a in accuracy.items():
        if script == "latin":
            goal = ENGLISH_GOAL if lang == "en" else HINDI_LATIN_GOAL if lang == "hi" else OTHER_LATIN_GOAL
            checks.append((f"{lang} latin", a, goal, True))
    total = sum(sum(answers.values()) for answers in groups.values())
    asked = sum(answers[UNSURE] for answers in groups.values()) / total
    checks.append(("asks (share of all messages)", asked, ASK_GOAL, False))
    for label, value, goal, at_least in checks:
        met = value >= goal if at_least else value < goal
        sign = ">=" if at_least else "<"
        print(f"  goal {label:<34} {value:6.1%} {sign} {goal:.0%}   {'met' if met else 'NOT MET'}")
    wrong = sum(c for key, answers in groups.items() for a, c in answers.items() if a not in (key[1], UNSURE))
    print(f"  answered in the wrong language (no goal)  {wrong / total:6.1%}: what asking would spare")


def print_cross_validation() -> None:
    print(f"\n{FOLDS}-fold cross-validation of the romanized models (synthetic messages of held-back words)")
    scores = cross_validate()
    for code, score in scores.items():
        print(
            f"  {code} latin {score.total:>5}  accuracy {score.right / score.total:6.1%}"
            f"  asks {score.asked / score.total:6.1%}"
        )
    mean = statistics.fmean(s.right / s.total for s in scores.values())
    print(f"  mean accuracy {mean:.1%} (no goal: every word here is new to the models, unlike real messages)")


def print_speed(runs: list[Run]) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\ntime per message (both sets, 5 passes pooled, word cache emptied; load average {load})")
    for r in runs:
        micros = sorted(s * 1e6 for s in r.seconds)
        p99 = micros[int(0.99 * (len(micros) - 1))]
        mean = statistics.fmean(micros)
        verdict = f"   goal p99 < {P99_GOAL_US:.0f} us: {'met' if p99 < P99_GOAL_US else 'NOT MET'}"
        print(
            f"  {r.name:<10} mean {mean:8.1f} us   p99 {p99:8.1f} us   max {micros[-1]:8.1f} us"
            + (verdict if r.name == "samvaad" else "")
        )
    if len(runs) == 2:
        ratio = statistics.fmean(runs[0].seconds) / statistics.fmean(runs[1].seconds)
        print(f"  {runs[0].name} / {runs[1].name} mean time: {ratio:.2f}x")


def print_load_time(repeats: int = 3) -> None:
    """Import and warm_up() in fresh processes: what a worker's start-up and a test session pay."""
    code = "import time; t = time.perf_counter(); from routing.language_detection import warm_up; warm_up(); print(time.perf_counter() - t)"
    seconds = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True).stdout)
        for _ in range(repeats)
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nload time (fresh process, import + warm_up()): best {min(seconds):.2f} s of {repeats}, load average {load}"
    )


def _share(answers: Counter[str], answer: str) -> float:
    return answers[answer] / max(sum(answers.values()), 1)


def main() -> None:
    sets = dict(SETS) | {Path(p).name: Path(p) for p in sys.argv[1:]}
    everything: list[Row] = []
    for name, path in sets.items():
        rows = read_rows(path)
        everything += rows
        mine = groups_of(rows, [samvaad(row.text) for row in rows])
        theirs = (
            groups_of(rows, [baseline_detect(row.text) for row in rows])
            if name == "development set"
            else None
        )
        print(f"\n{name}: {path.name} ({len(rows)} messages)")
        print_groups(mine, theirs)
        print_confusions(mine)
        print_goals(mine)
    print_cross_validation()
    print_speed([run("samvaad", samvaad, everything), run("py3langid", baseline_detect, everything)])
    print_load_time()


baseline_detect = baseline()

if __name__ == "__main__":
    main()
