"""One-time sign-in codes: six digits, valid ``CODE_MINUTES``, ``MAX_TRIES`` tries, kept only as a keyed
digest under a keyed name of the number, and limited per number and per address.

Times come from the caller's clock (kept in the record), so a test can step past an expiry; Redis's own
expiry only cleans up. Every try is counted with one atomic increment before the code is compared, so
concurrent guesses cannot share a try.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

import redis

from routing.errors import TooManyAttemptsError
from routing.phones import PhoneVault

CODE_MINUTES = 10
MAX_TRIES = 5
CODES_PER_NUMBER_PER_HOUR = 5
CODES_PER_ADDRESS_PER_HOUR = 20
PREFIX = "sv:web:"


class SignInCodes:
    def __init__(self, client: redis.Redis, vault: PhoneVault) -> None:
        self.client = client
        self.vault = vault

    def issue(self, number: str, address: str, now: datetime) -> str:
        """A fresh code for the number (replacing any earlier one), or TooManyAttemptsError."""
        key = self.vault.signin_key(number)
        self._count(f"n:{key}", CODES_PER_NUMBER_PER_HOUR, now)
        self._count(f"ip:{self.vault.signin_key(address)}", CODES_PER_ADDRESS_PER_HOUR, now)
        code = f"{secrets.randbelow(10**6):06d}"
        expires = now + timedelta(minutes=CODE_MINUTES)
        record = f"{PREFIX}code:{key}"
        pipe = self.client.pipeline(transaction=True)
        pipe.delete(record)
        pipe.hset(record, mapping={"h": self.vault.code_digest(key, code), "exp": expires.timestamp()})
        pipe.expire(record, timedelta(minutes=CODE_MINUTES + 1))
        pipe.execute()
        return code

    def verify(self, number: str, code: str, now: datetime) -> bool:
        """True once for the right code in time; the code is used up by success or by its last try."""
        key = self.vault.signin_key(number)
        record = f"{PREFIX}code:{key}"
        tries = int(self.client.hincrby(record, "tries", 1))
        stored = {_text(k): _text(v) for k, v in self.client.hgetall(record).items()}
        if "h" not in stored or float(stored["exp"]) < now.timestamp() or tries > MAX_TRIES:
            self.client.delete(record)
            return False
        if not hmac.compare_digest(stored["h"], self.vault.code_digest(key, code.strip())):
            return False
        self.client.delete(record)
        return True

    def hold(self, browser: str, number: str, now: datetime) -> None:
        """Remember, for the code form, which number this browser asked for: encrypted, for the code's life."""
        record = f"{PREFIX}pending:{self.vault.signin_key(browser)}"
        self.client.set(record, self.vault.encrypt(number), ex=timedelta(minutes=CODE_MINUTES))

    def held(self, browser: str) -> str | None:
        raw = self.client.get(f"{PREFIX}pending:{self.vault.signin_key(browser)}")
        return self.vault.decrypt(raw) if isinstance(raw, bytes) else None

    def release(self, browser: str) -> None:
        self.client.delete(f"{PREFIX}pending:{self.vault.signin_key(browser)}")

    def _count(self, name: str, limit: int, now: datetime) -> None:
        """A fixed one-hour window per name; past the limit nothing is sent until the next hour."""
        window = int(now.timestamp() // 3600)
        counter = f"{PREFIX}rate:{name}:{window}"
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(counter)
        pipe.expire(counter, 7200)
        count = int(pipe.execute()[0])
        if count > limit:
            raise TooManyAttemptsError()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
