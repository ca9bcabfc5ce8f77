"""Nobody unanswered: with Redis or the database down or silent, every voice webhook still answers valid
TwiML at once: a short apology in the association's languages, its backup numbers, then the crisis line."""

from __future__ import annotations

import dataclasses
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlmodel import Session

from app.main import create_app
from app.services import Services, build_services
from locales import messages
from routing.voice.helplines import load_helpline
from schemas.settings import Settings
from telephony.simulator import WebhookDriver
from telephony.simulator.asgi_server import serve
from tests.voice.conftest import BACKUP, HELPLINE, make_association, words
from tests.voice.test_webhooks import call_params


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers: a Redis or PostgreSQL that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def post(services: Services, path: str, params: dict[str, str]) -> tuple[int | None, str, bytes]:
    with (
        serve(create_app(services=services)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as http,
    ):
        driver = WebhookDriver(
            http, services.settings.public_base_url, services.settings.twilio_auth_token or ""
        )
        answer = driver.send(services.settings.public_base_url + path, list(params.items()))
    return answer.status, answer.body, answer.raw


@pytest.fixture
def degraded_services() -> Iterator[Callable[..., Services]]:
    """Services with something broken; afterwards their own Redis clients let go of the test run's server
    (a client left connected would keep the embedded server from shutting down at the end of the run)."""
    made: list[Services] = []

    def build(settings: Settings, **broken: str) -> Services:
        made.append(build_services(settings.model_copy(update={"voice_deadline_ms": 250, **broken})))
        return dataclasses.replace(made[-1])

    yield build
    for services in made:
        services.request_pool.shutdown(wait=False)
        for client in (services.redis, services.request_redis, services.text_request_redis):
            if client is not None:
                client.connection_pool.disconnect()


def assert_degraded(raw: bytes, languages: tuple[str, ...], backups: tuple[str, ...]) -> None:
    root = ET.fromstring(raw)
    said = [say.text for say in root.iter("Say")]
    for code in languages:
        assert words(messages.FALLBACK_TRANSFER, code) in said
    dialled = [number.text for number in root.iter("Number")] + [d.text for d in root.iter("Dial") if d.text]
    assert dialled == [*backups, "14416"]


@pytest.mark.parametrize("redis_down", ["closed", "silent"])
def test_redis_down_or_silent_the_caller_gets_backup_numbers_and_the_crisis_line(
    services: Services, black_hole: int, degraded_services: Callable[..., Services], redis_down: str
) -> None:
    with Session(services.engine) as session:
        make_association(session, services.vault)
    port = closed_port() if redis_down == "closed" else black_hole
    broken = degraded_services(services.settings, redis_url=f"redis://127.0.0.1:{port}/0")
    broken.engine = services.engine
    broken.request_engine = services.engine

    status, _, raw = post(
        broken, "/twilio/voice/menu?kind=languages&attempt=1", call_params("CA" + "8" * 32, Digits="1")
    )

    assert status == 200
    assert_degraded(raw, ("hi", "en", "ta"), (BACKUP,))


def test_database_silent_the_caller_still_gets_an_answer_in_the_fallback_languages(
    services: Services, black_hole: int, degraded_services: Callable[..., Services]
) -> None:
    broken = degraded_services(
        services.settings, database_url=f"postgresql+psycopg://samvaad@127.0.0.1:{black_hole}/gone"
    )
    broken.redis = services.redis

    status, _, raw = post(broken, "/twilio/voice/incoming", call_params("CA" + "9" * 32))

    assert status == 200
    assert_degraded(raw, ("hi", "en"), ())


def test_the_fallback_url_answers_from_memory_with_redis_and_the_database_down(
    services: Services, black_hole: int, degraded_services: Callable[..., Services]
) -> None:
    with Session(services.engine) as session:
        make_association(session, services.vault)
        config = load_helpline(session, HELPLINE)
    broken = degraded_services(
        services.settings,
        database_url=f"postgresql+psycopg://samvaad@127.0.0.1:{black_hole}/gone",
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
    )
    broken.helplines.put(HELPLINE, config)  # what an earlier call left in the cache

    status, _, raw = post(broken, "/twilio/voice/fallback", call_params("CA" + "a" * 32, ErrorCode="11200"))

    assert status == 200
    assert_degraded(raw, ("hi", "en", "ta"), (BACKUP,))
