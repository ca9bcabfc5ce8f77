"""Errors raised by routing. ``app/`` maps them to HTTP answers or TwiML in one place.

* RoutingError
  + InvalidPhoneNumberError
  + NotFoundError
  + ConflictError
  + InvalidConfigurationError
  + NoListenerAvailableError
  + LiveStateLostError
  + TooManyAttemptsError
"""

from __future__ import annotations

from typing import Any


class RoutingError(Exception):
    """Base of routing's errors; keyword details travel with it for logs and API messages."""

    message = "routing error"

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.details = details
        super().__init__(message or self.message)


class InvalidPhoneNumberError(RoutingError):
    message = "not a valid phone number"


class NotFoundError(RoutingError):
    message = "not found"


class ConflictError(RoutingError):
    message = "conflicts with existing data"


class InvalidConfigurationError(RoutingError):
    message = "invalid configuration"


class NoListenerAvailableError(RoutingError):
    message = "no listener available"


class LiveStateLostError(RoutingError):
    """Redis lost the live state (flushed or restarted): it must be rebuilt from the database."""

    message = "live routing state lost; rebuilding"


class TooManyAttemptsError(RoutingError):
    """Sign-in codes asked for or tried too often, for one number or from one address."""

    message = "too many attempts: wait a few minutes and try again"
