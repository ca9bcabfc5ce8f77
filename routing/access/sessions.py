"""Web sessions, kept in Redis under a digest of a random token (the cookie holds the token alone).

A session ends after ``idle`` without a request (measured on the caller's clock), when its person signs
out, or everywhere at once (each account's sessions are listed). Nothing here is a phone number.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis

from routing.access.accounts import Account

PREFIX = "sv:web:"


@dataclass(frozen=True)
class WebSession:
    token_hash: str
    kind: str
    account_id: int
    started_at: float


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebSessions:
    def __init__(self, client: redis.Redis, idle: timedelta) -> None:
        self.client = client
        self.idle = idle

    def start(self, account: Account, now: datetime) -> str:
        """A new session for the account; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        digest = _digest(token)
        key = f"{PREFIX}s:{digest}"
        fields: dict[
            bytes | bytearray | memoryview | str | int | float,
            bytes | bytearray | memoryview | str | int | float,
        ] = {
            "kind": account.kind,
            "id": account.account_id,
            "start": now.timestamp(),
            "seen": now.timestamp(),
        }
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key, mapping=fields)
        pipe.expire(key, self.idle)
        pipe.sadd(self._index(account.kind, account.account_id), digest)
        pipe.execute()
        return token

    def find(self, token: str, now: datetime) -> WebSession | None:
        """The live session for a cookie's token (its idle time restarts), or None."""
        digest = _digest(token)
        key = f"{PREFIX}s:{digest}"
        raw = {_text(k): _text(v) for k, v in self.client.hgetall(key).items()}
        if not raw or float(raw["seen"]) + self.idle.total_seconds() < now.timestamp():
            self.client.delete(key)
            return None
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(key, "seen", now.timestamp())
        pipe.expire(key, self.idle)
        pipe.execute()
        return WebSession(digest, raw["kind"], int(raw["id"]), float(raw["start"]))

    def end(self, token: str) -> None:
        self.client.delete(f"{PREFIX}s:{_digest(token)}")

    def end_everywhere(self, kind: str, account_id: int) -> int:
        """Sign the person out on every device; returns how many sessions ended."""
        index = self._index(kind, account_id)
        digests = [_text(d) for d in self.client.smembers(index)]
        pipe = self.client.pipeline(transaction=True)
        for digest in digests:
            pipe.delete(f"{PREFIX}s:{digest}")
        pipe.delete(index)
        return sum(int(n) for n in pipe.execute()[:-1])

    @staticmethod
    def _index(kind: str, account_id: int) -> str:
        return f"{PREFIX}u:{kind}:{account_id}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
