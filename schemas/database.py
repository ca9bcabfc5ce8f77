"""The database engine: SQLite on the embedded default, PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str, *, sqlite_busy_seconds: float = 30.0, **kwargs: Any) -> Engine:
    """An engine with SQLite made safe for several threads and enforcing foreign keys. On SQLite a writer
    waits at most ``sqlite_busy_seconds`` for another's write lock."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": sqlite_busy_seconds}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_engine(url, **kwargs)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def insert_for(session: Session) -> Any:
    """The session's dialect's ``insert``, the one with ``on_conflict_do_nothing`` / ``_do_update``."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_new(session: Session, table: type[Any], **values: Any) -> bool:
    """Insert a row unless its unique key exists already (``INSERT … ON CONFLICT DO NOTHING`` on SQLite and
    PostgreSQL alike), inside the caller's transaction: True if this insert made the row. A concurrent
    insert of the same key waits for the other transaction and then finds it taken, so a claim needs no
    commit of its own."""
    key = table.__table__.primary_key.columns
    statement = insert_for(session)(table).values(**values).on_conflict_do_nothing().returning(*key)
    return session.execute(statement).first() is not None  # rowcount is not reliable here on PostgreSQL


def try_lock(session: Session, key: str) -> bool:
    """On PostgreSQL, take a lock on ``key`` held until the transaction ends, without waiting: False while
    another transaction holds it. A claim takes it before its insert, so a concurrent repeat of a webhook
    answers at once instead of waiting on the first delivery's uncommitted row (past the request path's
    statement timeout). SQLite lets one writer at a time anyway: always True there."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    taken = session.execute(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
    return bool(taken.scalar())
