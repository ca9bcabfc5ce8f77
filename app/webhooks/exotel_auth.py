"""Exotel's requests, recognised: Exotel signs nothing (no signature header, no shared-secret HMAC; its
webhooks are plain GETs and POSTs, https://developer.exotel.com/docs/advanced-config/webhooks-setup). What it
does offer is to call exactly the URL the association pasted into the flow, over HTTPS. So each account's
URLs carry a secret token (``/exotel/<token>/voice/...``, 32 random characters), found by its keyed hash:
a request with an unknown token gets 403 and changes nothing. An operator should also allow only Exotel's
published IP ranges at the proxy (their IP whitelisting page lists them).

The parameters are the query (Passthru, Gather, Connect send GETs) and the form (status callbacks POST).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from app.logs import note_about
from app.services import Services
from app.webhooks.twilio_auth import capped_body
from routing.configuration import providers

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExotelHook:
    """A request whose token names one association's Exotel account."""

    services: Services
    params: dict[str, str]
    path: str
    association_id: int

    def param(self, name: str) -> str:
        return self.params.get(name, "")


async def exotel_request(request: Request, token: str) -> ExotelHook:
    services: Services = request.app.state.services
    body = (await capped_body(request)).decode("utf-8", "replace")
    params = dict(request.query_params)
    if body and "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        params.update(dict(parse_qsl(body, keep_blank_values=True)))
    with Session(services.fast_engine) as session:
        account = providers.find_by_webhook_token(session, services.vault, token)
    if account is None:
        logger.warning(
            "exotel webhook refused: unknown token path_kind=%s", request.url.path.rsplit("/", 1)[-1]
        )
        raise HTTPException(status_code=403, detail="unknown webhook token")
    note_about(call=params.get("CallSid", ""), message=params.get("SmsSid", ""))
    return ExotelHook(services, params, request.url.path, account.association_id)


ExotelDep = Annotated[ExotelHook, Depends(exotel_request)]
