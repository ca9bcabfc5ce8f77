"""`samvaad seed-demo` and `samvaad create-api-key` as an operator runs them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.demo.seed import DEMO_NAME, seed_demo
from app.services import Services
from routing.clock import SteppedClock
from tests.api.conftest import bearer

API = "/api/v1"
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # a Wednesday, 11:30 in Kolkata


@pytest.fixture(autouse=True)
def stepped_clock(services: Services) -> Iterator[SteppedClock]:
    """The seeded shifts start from this week's Monday and the training dates count from today: both on
    the test's clock, never the wall clock."""
    saved = services.clock
    services.clock = SteppedClock(NOW)
    yield services.clock
    services.clock = saved


def test_seed_demo_makes_a_working_association_once(client: TestClient, services: Services) -> None:
    first = seed_demo(services)
    second = seed_demo(services)
    assert first.created and not second.created and first.association_id == second.association_id
    assert first.api_key and first.key_file.read_text().strip() == first.api_key

    admin = bearer(first.api_key)
    base = f"{API}/associations/{first.association_id}"
    assert [a["name"] for a in client.get(f"{API}/associations", headers=admin).json()] == [DEMO_NAME]
    assert [(row["code"], row["digit"]) for row in client.get(f"{base}/languages", headers=admin).json()] == [
        ("hi", 1), ("ta", 2), ("bn", 3), ("en", 4),
    ]  # fmt: skip
    listeners = client.get(f"{base}/listeners", headers=admin).json()
    assert len(listeners) == 8
    assert any(not row["registration_verified"] for row in listeners)
    assert len(client.get(f"{base}/numbers", headers=admin).json()) == 2
    assert client.get(f"{base}/policies/ta", headers=admin).json()["is_default"] is False

    now = client.get(f"{base}/on-shift", headers=admin).json()
    by_language = {row["code"]: row["listeners"] for row in now["languages"]}
    assert by_language["hi"] and by_language["en"]


def test_seed_demo_covers_every_hour_of_the_week_in_hindi_and_english(
    client: TestClient, services: Services
) -> None:
    result = seed_demo(services)
    admin = bearer(result.api_key or "")
    base = f"{API}/associations/{result.association_id}"
    lapsed = set()
    today = NOW.date()
    next_monday = today + timedelta(days=7 - today.weekday())
    for day in range(7):
        for hour in range(0, 24, 3):
            at = f"{next_monday + timedelta(days=day)}T{hour:02d}:30:00"
            found = client.get(f"{base}/on-shift", params={"at": at}, headers=admin).json()["languages"]
            by_language = {row["code"]: row["listeners"] for row in found}
            assert by_language["hi"] and by_language["en"], at
            lapsed |= {p["name"] for row in found for p in row["listeners"] if not p["training_valid"]}
    assert lapsed == {"Dr. Sourav Banerjee"}


@pytest.fixture
def command_env(services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads its settings from the environment, as in production."""
    settings = services.settings
    monkeypatch.setenv("SAMVAAD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAMVAAD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("SAMVAAD_PHONE_HASH_SECRET", settings.phone_hash_secret or "")
    monkeypatch.setenv("SAMVAAD_ENCRYPTION_KEY", settings.encryption_key or "")
    monkeypatch.setenv("SAMVAAD_TWILIO_AUTH_TOKEN", settings.twilio_auth_token or "")
    if settings.redis_url:
        monkeypatch.setenv("SAMVAAD_REDIS_URL", settings.redis_url)


@pytest.mark.usefixtures("command_env")
def test_create_api_key_prints_a_key_that_works(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["create-api-key", "--role", "platform", "--name", "ops"]) == 0
    key = capsys.readouterr().out.strip()
    made = client.post(f"{API}/associations", json={"name": "From the CLI"}, headers=bearer(key))
    assert made.status_code == 201
    assert (
        main(
            [
                "create-api-key",
                "--role",
                "coordinator",
                "--association",
                str(made.json()["id"]),
                "--name",
                "c",
            ]
        )
        == 0
    )
    coordinator = bearer(capsys.readouterr().out.strip())
    assert client.get(f"{API}/associations/{made.json()['id']}", headers=coordinator).status_code == 200
    assert main(["create-api-key", "--role", "admin", "--name", "nowhere"]) == 1
    assert "association" in capsys.readouterr().err


@pytest.mark.usefixtures("command_env")
def test_seed_demo_command_says_so_the_second_time(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["seed-demo"]) == 0
    first = capsys.readouterr().out
    assert (tmp_path / "demo-api-key.txt").read_text().strip() in first
    assert main(["seed-demo"]) == 0
    assert "demo association exists" in capsys.readouterr().out
