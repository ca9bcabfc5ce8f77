"""Phone numbers: validated as E.164, recognised by a keyed hash, stored only encrypted, shown masked.

A number in clear text lives only in memory, for as long as a call or message needs it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken

from routing.errors import InvalidPhoneNumberError


def to_e164(raw: str, default_region: str = "IN") -> str:
    """``+91 98765 43210`` or ``098765 43210`` becomes ``+919876543210``; anything else is refused."""
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumberError(raw_length=len(raw)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumberError(raw_length=len(raw))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_e164(raw: str) -> bool:
    try:
        return to_e164(raw) == raw
    except InvalidPhoneNumberError:
        return False


def mask(number: str) -> str:
    """For logs and screens: only the last four digits."""
    digits = [c for c in number if c.isdigit()]
    return "…" + "".join(digits[-4:]) if digits else "…"


@dataclass(frozen=True)
class PhoneVault:
    """Keyed hashing and encryption of numbers, built from the two secrets in Settings."""

    hash_secret: str
    encryption_key: str

    def caller_key(self, association_id: int, number: str) -> str:
        """How one association recognises a caller: a different hash in every association, and never equal to
        any listener's, so rows cannot be joined across roles or associations by anyone with the database."""
        return self._keyed(f"caller:{association_id}:{number}")

    def listener_key(self, association_id: int, number: str) -> str:
        """How one association recognises its listener's phone (``listeners.phone_hash``)."""
        return self._keyed(f"listener:{association_id}:{number}")

    def staff_key(self, association_id: int, number: str) -> str:
        """How one association recognises a coordinator's or admin's phone (``staff.phone_hash``)."""
        return self._keyed(f"staff:{association_id}:{number}")

    def signin_key(self, number: str) -> str:
        """The name a sign-in code and its rate limit are kept under in Redis: never the number."""
        return self._keyed(f"signin:{number}")

    def code_digest(self, signin_key: str, code: str) -> str:
        """A one-time code as it is stored: a six-digit code is guessable from a plain hash, not from this."""
        return self._keyed(f"code:{signin_key}:{code}")

    def webhook_key(self, token: str) -> str:
        """How a provider account is found from the secret token in its webhook URLs (Exotel signs nothing)."""
        return self._keyed(f"webhook:{token}")

    def _keyed(self, message: str) -> str:
        """Nobody without the secret can reverse it or compute it."""
        return hmac.new(self.hash_secret.encode(), message.encode(), hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> bytes:
        return Fernet(self.encryption_key.encode()).encrypt(number.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return Fernet(self.encryption_key.encode()).decrypt(token).decode()
        except InvalidToken as exc:
            raise InvalidPhoneNumberError(raw_length=0) from exc
