"""Errors raised by telephony.

* TelephonyError: the provider refused or failed a request (code and HTTP status from the provider).
* WebhookFormError: a webhook lacked a parameter it must carry.
"""

from __future__ import annotations


class TelephonyError(Exception):
    """A provider request failed. `code` is the provider's error code (Twilio's 2xxxx), when it sent one.

    It never carries the provider's message text, which may quote a phone number; ``message`` names only the
    kind of failure when the network failed.
    """

    def __init__(self, code: int | None, status: int, message: str = "") -> None:
        self.code = code
        self.status = status
        self.message = message
        super().__init__(f"telephony request failed: status={status} code={code} {message}".rstrip())

    @property
    def is_refused_for_good(self) -> bool:
        """The provider's 4xx (an invalid or unreachable number, an opted-out recipient, a destination the
        account may not call) will not change on retry; 429 (too many requests) will, and so will a 5xx or a
        network failure."""
        return 400 <= self.status < 500 and self.status != 429


class WebhookFormError(ValueError):
    """A webhook lacked a parameter it must carry (named in the message). Answer it with TwiML anyway."""

    def __init__(self, parameter: str) -> None:
        self.parameter = parameter
        super().__init__(f"webhook parameter missing or malformed: {parameter}")
