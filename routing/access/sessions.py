"""Web sessions, kept in Redis under a digest of a random token (the cookie holds the token alone).

A session ends after ``idle`` without a request (measured on the caller's clock), when its person signs
out, or everywhere at once (each account's sessions are listed). Nothing here is a phone number.

A number may sign in to several accounts (a coordinator who is also a listener): the session starts as the
first and remembers the others (``kind:id``), so the person can switch view without a new code, and only to
an account their number proved.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
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
    others: tuple[tuple[str, int], ...] = ()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebSessions:
    def __init__(self, client: redis.Redis, idle: timedelta) -> None:
        self.client = client
        self.idle = idle

    def start(self, account: Account, now: datetime, others: Sequence[Account] = ()) -> str:
        """A new session for the account (``others``: the number's other accounts, to switch to); returns
        the token for the cookie."""
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
            "others": " ".join(f"{a.kind}:{a.account_id}" for a in others if a != account),
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
        others = tuple((kind, int(i)) for kind, i in (w.split(":") for w in raw.get("others", "").split()))
        return WebSession(digest, raw["kind"], int(raw["id"]), float(raw["start"]), others)

    def switch(
        self, token: str, current: Account, to: Account, others: Sequence[Account], now: datetime
    ) -> str:
        """End this session and start one as ``to``, another account the session's number signs in to
        (the caller checked it is in ``found.others``); the accounts left to switch to are ``others`` with
        ``current`` among them. Returns the new token."""
        self.end(token)
        return self.start(to, now, [current, *(a for a in others if a != to)])

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
