"""Sending a sign-in code. The job carries the account's id and the code encrypted (never a phone number,
never the code in clear in the queue); it looks the number up, decrypts both, and sends through telephony.
A second run sends the same code again, which is harmless: the code is still the one that works."""

from __future__ import annotations

import logging

from rq import Queue, Retry

from routing import access
from routing.text import Outgoing
from telephony.errors import TelephonyError
from telephony.rest import RestClient
from workers.scope import QUEUE_NAME, job_scope

logger = logging.getLogger(__name__)

# The person is looking at the code form: retry soon, and not for long (the code lasts 10 minutes).
RETRY = Retry(max=2, interval=[2, 20])


def enqueue_signin_code(connection: object, kind: str, account_id: int, sealed_code: bytes) -> None:
    Queue(QUEUE_NAME, connection=connection).enqueue(  # type: ignore[arg-type]
        send_signin_code, kind, account_id, sealed_code, retry=RETRY
    )


def send_signin_code(kind: str, account_id: int, sealed_code: bytes) -> None:
    with job_scope() as scope:
        code = scope.vault.decrypt(sealed_code)
        message = access.code_message(scope.session, scope.vault, kind, account_id, code)
        settings = scope.settings
    if message is None:
        logger.warning(
            "sign-in code not sent: no account or no number to send from kind=%s id=%d", kind, account_id
        )
        return
    _send(
        settings.twilio_account_sid, settings.twilio_auth_token or "", settings.twilio_api_base_url, message
    )


def _send(account_sid: str, token: str, base_url: str, message: Outgoing) -> None:
    client = RestClient(account_sid, token, base_url=base_url)
    try:
        client.send_message(message.to, message.from_, message.body)
    except TelephonyError as exc:
        raise TelephonyError(exc.code, exc.status) from None  # Twilio's text may quote the number
    finally:
        client.close()
