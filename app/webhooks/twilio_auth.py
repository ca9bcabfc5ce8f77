"""Every Twilio webhook, voice and messaging alike, is signed: check X-Twilio-Signature before anything else, against the public URL.

The URL Twilio signed is ``SAMVAAD_PUBLIC_BASE_URL`` + path + the raw query as sent: behind a proxy the
request's own URL differs (scheme, host, port). Every parameter counts, repeated names and untrimmed values
included (the body is read as the raw form pairs Twilio sent). An unsigned or forged request gets 403 and
changes nothing.

A body over ``MAX_BODY_BYTES`` is refused with 413 before the signature is checked, without reading the
rest. Like the 403 it carries no TwiML, on voice webhooks too: a body that size was not sent by Twilio,
whose bodies are small, so no caller is waiting on the answer; and were Twilio ever to receive a non-2xx
answer, it would play the number's Fallback URL (error 11200), never a TwiML body sent with the error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request

from app.logs import note_about
from app.services import Services
from telephony.signature import is_signed

logger = logging.getLogger(__name__)

# Twilio's own bodies are a few kilobytes: an SMS Body is at most 1600 characters (under 20 kB even when
# every character is four UTF-8 bytes, percent-encoded), the other parameters a few hundred bytes more.
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class TwilioHook:
    """A signed webhook: its parameters (last value of each name), its query, and the process's services."""

    services: Services
    params: dict[str, str]
    query: dict[str, str]
    path: str

    def param(self, name: str) -> str:
        return self.params.get(name, "")


async def signed_twilio_request(request: Request) -> TwilioHook:
    """The check itself. Async, and reading the services straight from the app: a sync dependency would
    cost a thread hop on every webhook."""
    services: Services = request.app.state.services
    pairs = parse_qsl((await capped_body(request)).decode("utf-8", "replace"), keep_blank_values=True)
    query = request.scope.get("query_string", b"").decode("latin-1")  # as sent: re-encoding breaks it
    path_and_query = request.url.path + ("?" + query if query else "")
    settings = services.settings
    signature = request.headers.get("X-Twilio-Signature")
    if not is_signed(
        settings.twilio_auth_token or "", settings.public_base_url, path_and_query, pairs, signature
    ):
        logger.warning("webhook refused: bad signature path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    params = dict(pairs)
    note_about(call=params.get("CallSid", ""), message=params.get("MessageSid", ""))
    return TwilioHook(services, params, dict(request.query_params), request.url.path)


async def capped_body(request: Request) -> bytes:
    """The body, refused past ``MAX_BODY_BYTES`` before more is read (and long before it is hashed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large(request)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large(request)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(request: Request) -> HTTPException:
    logger.warning("webhook refused: body over %d bytes path=%s", MAX_BODY_BYTES, request.url.path)
    return HTTPException(status_code=413, detail=f"webhook body over {MAX_BODY_BYTES} bytes")


SignedHook = Annotated[TwilioHook, Depends(signed_twilio_request)]
