"""Every Twilio webhook, voice and messaging alike, is signed: check X-Twilio-Signature before anything else, against the public URL.

The URL Twilio signed is ``SAMVAAD_PUBLIC_BASE_URL`` + path + the raw query as sent: behind a proxy the
request's own URL differs (scheme, host, port). Every parameter counts, repeated names and untrimmed values
included (the body is read as the raw form pairs Twilio sent). An unsigned or forged request gets 403 and
changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request

from app.services import Services
from telephony.signature import is_signed

logger = logging.getLogger(__name__)


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
    pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    query = request.scope.get("query_string", b"").decode("latin-1")  # as sent: re-encoding breaks it
    path_and_query = request.url.path + ("?" + query if query else "")
    settings = services.settings
    signature = request.headers.get("X-Twilio-Signature")
    if not is_signed(
        settings.twilio_auth_token or "", settings.public_base_url, path_and_query, pairs, signature
    ):
        logger.warning("webhook refused: bad signature path=%s", request.url.path)
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return TwilioHook(services, dict(pairs), dict(request.query_params), request.url.path)


SignedHook = Annotated[TwilioHook, Depends(signed_twilio_request)]
