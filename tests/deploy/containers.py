"""Running the image's commands in containers and waiting for their answers, for the deployment tests."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def docker_run(
    image: str, env: list[str], *command: str, name: str | None = None, network: str = "host"
) -> str:
    """Run a command of the image (env holds its --env and other options): detached when named, else to
    its end."""
    detach = ["--detach", "--name", name] if name else ["--rm"]
    args = ["docker", "run", *detach, "--network", network, *env, image, *command]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def wait_for(url: str, status: int, container: str, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    answer = None
    while time.monotonic() < deadline:
        try:
            answer = httpx.get(url, timeout=2)
            if answer.status_code == status:
                return answer
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True).stderr
    seen = answer and f"{answer.status_code} {answer.text}"
    pytest.fail(f"{url} did not answer {status} in {seconds:.0f} s (last: {seen}); logs:\n{logs[-2000:]}")
