"""The embedded default and the migrated schema work as a fresh install would use them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app.services import Services
from routing.errors import InvalidPhoneNumberError
from routing.phones import PhoneVault, mask, to_e164
from schemas.settings import Settings, SettingsError, load_settings


def test_models_and_migrations_agree(services: Services) -> None:
    with services.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_redis_is_real(services: Services) -> None:
    services.redis.set("probe", "1", px=1000)
    assert services.redis.get("probe") == b"1"
    assert services.redis.info()["redis_version"]


def test_development_secrets_are_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings(data_dir=tmp_path)
    second = load_settings(data_dir=tmp_path)
    assert first.phone_hash_secret and first.encryption_key and first.twilio_auth_token
    assert (first.phone_hash_secret, first.encryption_key) == (
        second.phone_hash_secret,
        second.encryption_key,
    )
    assert (tmp_path / "dev-secrets.json").stat().st_mode & 0o077 == 0


def test_embedded_default_uses_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'samvaad.db').resolve()}"
    assert settings.redis_url is None


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({}, "SAMVAAD_TWILIO_AUTH_TOKEN"),
        (
            {"twilio_auth_token": "t", "phone_hash_secret": "short", "encryption_key": "x"},
            "SAMVAAD_PHONE_HASH_SECRET",
        ),
        (
            {"twilio_auth_token": "t", "phone_hash_secret": "s" * 40, "encryption_key": "nope"},
            "SAMVAAD_ENCRYPTION_KEY",
        ),
    ],
)
def test_production_refuses_missing_or_malformed_secrets(tmp_path: Path, overrides: dict, named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(env="production", data_dir=tmp_path, **overrides)


def test_production_refuses_an_unknown_environment_name(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SAMVAAD_ENV"):
        load_settings(env="staging", data_dir=tmp_path)


def test_phone_numbers_are_normalised_hashed_and_encrypted(settings: Settings) -> None:
    vault = PhoneVault(settings.phone_hash_secret or "", settings.encryption_key or "")
    number = to_e164("098765 43210")
    assert number == "+919876543210"
    token = vault.encrypt(number)
    assert number.encode() not in token
    assert vault.decrypt(token) == number
    key = vault.caller_key
    assert key(1, number) == key(1, "+919876543210") != key(1, "+919876543211")
    assert mask(number) == "…3210"
    with pytest.raises(InvalidPhoneNumberError):
        to_e164("12345")
