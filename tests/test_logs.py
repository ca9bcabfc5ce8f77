"""Logs as an operator reads them: `SAMVAAD_LOG_FORMAT=json` makes every line of `samvaad serve` one JSON
object, a webhook's lines name its call, and no phone number reaches the log in either format."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from telephony.signature import sign
from tests.test_cli import ROOT

TOKEN = "log-test-auth-token"
BASE = "http://127.0.0.1:8000"
CALLER = "+919812345678"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_and_call(folder: Path, log_format: str) -> str:
    """Start `samvaad serve`, have Twilio's fallback webhook reach it for one call, stop it; its stderr."""
    port = free_port()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "SAMVAAD_LOG_FORMAT": log_format,
           "SAMVAAD_TWILIO_AUTH_TOKEN": TOKEN, "SAMVAAD_PUBLIC_BASE_URL": BASE}  # fmt: skip
    log = folder / "serve.log"
    with log.open("w") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--no-worker"],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=stderr)  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{port}/livez")
            params = [("CallSid", "CA" + "7" * 32), ("From", CALLER), ("To", "+14155550100"),
                      ("Direction", "inbound"), ("ErrorCode", "11200")]  # fmt: skip
            headers = {"X-Twilio-Signature": sign(TOKEN, f"{BASE}/twilio/voice/fallback", params)}
            answer = httpx.post(f"http://127.0.0.1:{port}/twilio/voice/fallback", data=dict(params),
                                headers=headers, timeout=10)  # fmt: skip
            assert answer.status_code == 200 and "<Response>" in answer.text
            server.send_signal(signal.SIGINT)
            assert server.wait(timeout=60) == 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    return log.read_text()


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer")


def test_json_logs_are_one_object_per_line_and_a_webhook_names_its_call(tmp_path: Path) -> None:
    text = serve_and_call(tmp_path, "json")

    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # every line is JSON
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    [fallback] = [line for line in lines if line["message"].startswith("fallback URL used")]
    assert fallback["call"] == "CA" + "7" * 32 and fallback["level"] == "WARNING"
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # the server's own lines too
    assert CALLER not in text and CALLER[1:] not in text and CALLER[3:] not in text


@pytest.mark.parametrize(
    "line", [f"sent to {CALLER}", "to whatsapp:+91 98123 45678 now", "number 9812345678"]
)
def test_a_number_logged_by_mistake_is_cut_to_its_last_four_digits(line: str) -> None:
    from app.logs import scrub

    scrubbed = scrub(line)

    assert "…5678" in scrubbed
    assert "98123" not in scrubbed.replace(" ", "")


def test_ids_and_times_are_not_taken_for_numbers() -> None:
    from app.logs import scrub

    line = "offer=3f2c9a1e-77aa-4c1b-9d00-1234567890ab at_us=1764892345123456 listener=12 took 2.5s"
    assert scrub(line) == line
