"""Exotel's REST API, as much as Samvaad uses: a call connecting two numbers (the listener first, then the
caller: a callback) and an SMS under India's DLT rules.

Basic authentication with the account's API key and token, at ``https://<subdomain>`` (``api.in.exotel.com``
for the Mumbai cluster, ``api.exotel.com`` for Singapore; https://developer.exotel.com/docs/voice-v1/overview),
or at ``base_url`` (the simulator's). Errors come back as ``{"RestException": {"Status", "Code", "Message"}}``
and become ``TelephonyError`` (never with Exotel's message, which may quote a number).
"""

from __future__ import annotations

from typing import Any

import httpx

from telephony.errors import TelephonyError

TIMEOUT_SECONDS = 10.0


class ExotelClient:
    def __init__(
        self, account_sid: str, api_key: str, api_token: str, *, subdomain: str, base_url: str = ""
    ) -> None:
        root = base_url.rstrip("/") if base_url else f"https://{subdomain}"
        self._root = f"{root}/v1/Accounts/{account_sid}"
        self._client = httpx.Client(auth=(api_key, api_token), timeout=TIMEOUT_SECONDS)

    def close(self) -> None:
        self._client.close()

    def connect_numbers(
        self, *, first: str, then: str, caller_id: str, status_callback: str, timeout: int
    ) -> str:
        """Ring ``first``; once they answer, ring ``then`` and bridge them; both see ``caller_id``
        (https://developer.exotel.com/docs/voice-v1/api-reference/connect-to-flow, "Connect Two Numbers").
        Returns the call's Sid."""
        form = {
            "From": first,
            "To": then,
            "CallerId": caller_id,
            "CallType": "trans",
            "TimeOut": str(timeout),
            "StatusCallback": status_callback,
            "StatusCallbackEvents[0]": "terminal",
        }
        return str(self._post("/Calls/connect.json", form)["Call"]["Sid"])

    def send_sms(
        self, *, sender: str, to: str, body: str, dlt_entity_id: str, dlt_template_id: str = ""
    ) -> str:
        """An SMS to an Indian number needs the sender's DLT entity id, and the body must match a template
        registered on DLT (https://developer.exotel.com/docs/sms-api/api-reference/send-sms)."""
        form = {
            "From": sender,
            "To": to,
            "Body": body,
            "DltEntityId": dlt_entity_id,
            "SmsType": "transactional",
        }
        if dlt_template_id:
            form["DltTemplateId"] = dlt_template_id
        if any(ord(c) > 127 for c in body):
            form["EncodingType"] = "unicode"
        return str(self._post("/Sms/send.json", form)["SMSMessage"]["Sid"])

    def _post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        try:
            response = self._client.post(self._root + path, data=form)
        except httpx.HTTPError as exc:
            raise TelephonyError(code=None, status=503, message=type(exc).__name__) from exc
        if response.status_code >= 400:
            raise TelephonyError(code=_code(response), status=response.status_code)
        data: dict[str, Any] = response.json()
        return data


def _code(response: httpx.Response) -> int | None:
    try:
        code = response.json().get("RestException", {}).get("Code")
    except ValueError:
        return None
    return int(code) if isinstance(code, int) or (isinstance(code, str) and code.isdigit()) else None
