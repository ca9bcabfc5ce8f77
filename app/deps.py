"""FastAPI dependencies: each request gets what the process's Services hold, and a database session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import redis
from fastapi import Depends, Request
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.services import Services
from routing.clock import Clock
from routing.errors import ConflictError
from routing.phones import PhoneVault
from schemas.settings import Settings


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_session(request: Request) -> Iterator[Session]:
    with Session(get_services(request).engine, expire_on_commit=False) as session:
        yield session


def commit(session: Session) -> None:
    """The API handler's one commit: what routing flushed, together. A unique key lost to a concurrent writer
    is a conflict the client can read, never a 500."""
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise ConflictError("conflicts with existing configuration") from exc


ServicesDep = Annotated[Services, Depends(get_services)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_settings(services: ServicesDep) -> Settings:
    return services.settings


def get_redis(services: ServicesDep) -> redis.Redis:
    return services.redis


def get_vault(services: ServicesDep) -> PhoneVault:
    return services.vault


def get_clock(services: ServicesDep) -> Clock:
    return services.clock


SettingsDep = Annotated[Settings, Depends(get_settings)]
RedisDep = Annotated[redis.Redis, Depends(get_redis)]
VaultDep = Annotated[PhoneVault, Depends(get_vault)]
ClockDep = Annotated[Clock, Depends(get_clock)]
