"""What one process holds for its whole life: settings, the database engine, Redis, secrets and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field

import redis
from sqlalchemy.engine import Engine

from routing.clock import Clock, SystemClock
from routing.connections import open_redis
from routing.phones import PhoneVault
from schemas.database import make_engine
from schemas.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    redis: redis.Redis
    vault: PhoneVault
    clock: Clock = field(default_factory=SystemClock)


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    return Services(
        settings=settings,
        engine=make_engine(settings.resolved_database_url),
        redis=open_redis(settings),
        vault=PhoneVault(settings.phone_hash_secret or "", settings.encryption_key or ""),
        clock=clock or SystemClock(),
    )
