"""A Docker engine and the Samvaad image, for the deployment tests.

The engine is Debian's docker.io: installed with apt-get when the ``docker`` command is missing, and
``dockerd`` started (and stopped afterwards) when none answers. The tests skip, saying why, only when the
engine cannot be installed or started. The image is built on a local Debian base (scripts/docker-base), since
Docker Hub's python:3.11-slim may be out of reach; docker keeps both, so a second run only rebuilds what
changed. The tests run in the servers run only (``SAMVAAD_TEST_SERVERS=1``): the containers use its
PostgreSQL and Redis, and the image is built once, not once per back-end.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import SERVERS

ROOT = Path(__file__).resolve().parents[2]
BASE_IMAGE = os.environ.get("SAMVAAD_TEST_DOCKER_BASE", "samvaad-base:bookworm")
IMAGE = "samvaad:test"
Say = Callable[[str], None]
SUDO = [] if os.geteuid() == 0 else ["sudo", "-n"]


@pytest.fixture(scope="session")
def say(pytestconfig: pytest.Config) -> Iterator[Say]:
    """Print a progress line past pytest's capture: the first build takes minutes."""
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")

    def say(line: str) -> None:
        with capture.global_and_fixture_disabled():
            print(f"\n[{time.strftime('%H:%M:%S')}] docker: {line}", flush=True)

    yield say


def is_engine_up() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


def install_docker(say: Say) -> None:
    say("installing Debian's docker.io and docker-compose (apt-get)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "docker.io", "docker-compose"],
    ):
        done = subprocess.run([*SUDO, *command], capture_output=True, text=True, env=env, timeout=600)
        if done.returncode != 0:
            pytest.skip(f"could not install docker.io: {' '.join(command)}: {done.stderr.strip()[-400:]}")


def start_dockerd(log: Path) -> subprocess.Popen[bytes]:
    """Start dockerd; skip, quoting its log, when it does not answer within 30 seconds."""
    dockerd = shutil.which("dockerd") or "/usr/sbin/dockerd"
    with log.open("wb") as out:
        process = subprocess.Popen([*SUDO, dockerd], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if is_engine_up():
            return process
        time.sleep(0.5)
    process.terminate()
    process.wait(timeout=15)
    pytest.skip(f"dockerd did not start; the end of its log: {log.read_text(errors='replace')[-600:]}")


@pytest.fixture(scope="session")
def docker_engine(say: Say, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if not SERVERS:
        pytest.skip("the Docker tests run once, in the servers run (SAMVAAD_TEST_SERVERS=1)")
    if shutil.which("docker") is None:
        install_docker(say)
    started = None
    if not is_engine_up():
        say("starting dockerd")
        started = start_dockerd(tmp_path_factory.mktemp("dockerd") / "dockerd.log")
    yield
    if started is not None:
        started.terminate()
        started.wait(timeout=30)


def run_streamed(command: list[str], say: Say, *, keep: tuple[str, ...]) -> None:
    """Run a long command, printing the lines that start with one of ``keep``; fail with its last lines."""
    tail: list[str] = []
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as p:
        assert p.stdout is not None
        for line in p.stdout:
            tail = [*tail[-40:], line.rstrip()]
            if line.startswith(keep):
                say(re.sub(r"^\[[\d:]+\] ", "", line.rstrip())[:160])  # scripts/docker-base's own time
    assert p.returncode == 0, f"{' '.join(command)} failed:\n" + "\n".join(tail)


@pytest.fixture(scope="session")
def image(docker_engine: None, say: Say) -> str:
    """The image, built with --network host: the build's pip reaches PyPI the way this host does."""
    run_streamed([str(ROOT / "scripts" / "docker-base"), BASE_IMAGE], say, keep=("[", "base image"))
    started = time.monotonic()
    say(f"building {IMAGE} on {BASE_IMAGE}")
    build = ["docker", "build", "--network", "host", "--build-arg", f"BASE={BASE_IMAGE}", "-t", IMAGE, "."]
    run_streamed(build, say, keep=("Step ", "#", "Successfully"))
    say(f"built {IMAGE} in {time.monotonic() - started:.0f} s")
    return IMAGE


def compose_command() -> list[str]:
    """Compose v2 (the docker plugin) or v1 (Debian's docker-compose); skip when neither is installed."""
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")


@pytest.fixture(scope="module")
def compose_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docker-compose.yml and what it reads, with a samvaad.env copied from the example."""
    folder = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", folder)
    shutil.copytree(ROOT / "deploy", folder / "deploy")
    shutil.copy(ROOT / "samvaad.env.example", folder / "samvaad.env")
    return folder
