"""The REST client as jobs use it: built from the worker's settings (``twilio_api_base_url`` can point at
the simulator), closed after the job's sends, and Twilio's refusals re-raised with their code and status
only: Twilio's text may quote the number, and RQ stores and logs a failed job's exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from schemas.settings import Settings
from telephony.errors import TelephonyError
from telephony.rest import RestClient


@contextmanager
def rest_client(settings: Settings) -> Iterator[RestClient]:
    client = RestClient(
        settings.twilio_account_sid, settings.twilio_auth_token or "", base_url=settings.twilio_api_base_url
    )
    try:
        yield client
    except TelephonyError as exc:
        raise TelephonyError(exc.code, exc.status) from None
    finally:
        client.close()
