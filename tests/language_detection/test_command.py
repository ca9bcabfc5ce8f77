"""The line-by-line command: one code per message, "und" when unsure."""

import subprocess
import sys
from pathlib import Path

from routing.language_detection import detect_lines

MESSAGES = ["Tamil", "मुझे मदद चाहिए, मैं बहुत परेशान हूँ", "", "mujhe baat karni hai", "I need to talk to someone"]
CODES = ["ta", "hi", "und", "hi", "en"]


def test_detect_lines_answers_one_code_per_line() -> None:
    assert list(detect_lines(line + "\n" for line in MESSAGES)) == CODES


def test_module_entry_reads_stdin_and_prints_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "routing.language_detection"],
        input="\n".join(MESSAGES) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
        check=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == CODES
