"""Requests to Samvaad, made exactly as Twilio makes them: form-encoded, signed, to the public URL.

The driver only knows Samvaad through an `httpx.Client` (a real server's base URL, or a FastAPI TestClient)
and the public base URL Samvaad is configured with; it signs `public base + path + raw query` with
RequestValidator.compute_signature, the same string Samvaad must rebuild to check it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlencode, urljoin

import httpx

from telephony.signature import sign
from telephony.simulator.documents import (
    HTTP_CONNECTION_FAILURE,
    HTTP_RETRIEVAL_FAILURE,
    Document,
    DocumentError,
    parse_twiml,
)

Params = Sequence[tuple[str, str]]


@dataclass
class WebhookRequest:
    """One request the simulator made to Samvaad, kept so tests can look at what was sent."""

    at: float
    method: str
    url: str
    params: list[tuple[str, str]]
    status: int | None = None
    body: str = ""
    signature: str = ""
    content_type: str = ""
    raw: bytes = b""
    error: str | None = field(default=None)

    @property
    def path(self) -> str:
        return httpx.URL(self.url).raw_path.decode()

    def param(self, name: str) -> str | None:
        """The (last) value of a parameter, or None."""
        values = [value for key, value in self.params if key == name]
        return values[-1] if values else None


class WebhookDriver:
    def __init__(
        self,
        client: httpx.Client,
        public_base_url: str,
        auth_token: str,
        *,
        timeout: float = 15.0,
    ) -> None:
        self.client = client
        self.public_base_url = public_base_url.rstrip("/")
        self.auth_token = auth_token
        self.timeout = timeout
        self.requests: list[WebhookRequest] = []

    def absolute(self, url: str, base: str | None = None) -> str:
        """Resolve a TwiML URL as Twilio does: relative to the current document, else to the public base."""
        return urljoin(base or self.public_base_url + "/", url.strip())

    def send(self, url: str, params: Params, method: str = "POST", at: float = 0.0) -> WebhookRequest:
        """Make one signed request. Transport failures are recorded on the request, not raised."""
        url = urldefrag(url)[0]  # connection-override fragments never reach the server
        record = WebhookRequest(at=at, method=method.upper(), url=url, params=list(params))
        self.requests.append(record)
        if not url.startswith(self.public_base_url + "/") and url != self.public_base_url:
            record.error = "not under the public base URL"
            return record
        target = url[len(self.public_base_url) :] or "/"
        headers = {"User-Agent": "TwilioProxy/1.1", "I-Twilio-Idempotency-Token": str(uuid.uuid4())}
        try:
            if record.method == "GET":
                separator = "&" if "?" in url else "?"
                query = separator + urlencode(record.params) if record.params else ""
                record.url = url + query
                record.signature = sign(self.auth_token, record.url, [])
                headers["X-Twilio-Signature"] = record.signature
                response = self.client.get(target + query, headers=headers, timeout=self.timeout)
            else:
                record.signature = sign(self.auth_token, url, record.params)
                headers["X-Twilio-Signature"] = record.signature
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                response = self.client.post(
                    target, content=urlencode(record.params), headers=headers, timeout=self.timeout
                )
        except httpx.TimeoutException as exc:
            record.error = f"timeout: {type(exc).__name__}"
            return record
        except httpx.HTTPError as exc:
            record.error = f"transport: {type(exc).__name__}"
            return record
        record.status = response.status_code
        record.body = response.text
        record.raw = response.content
        record.content_type = response.headers.get("content-type", "")
        return record

    def fetch(
        self, url: str, params: Params, method: str, allowed: frozenset[str], at: float = 0.0
    ) -> Document:
        """GET or POST `url` and read the answer as TwiML; DocumentError with Twilio's code if it is not."""
        record = self.send(url, params, method, at)
        if record.status is None:
            code = (
                HTTP_CONNECTION_FAILURE
                if (record.error or "").startswith("timeout")
                else HTTP_RETRIEVAL_FAILURE
            )
            raise DocumentError(code, record.url, record.error or "no response")
        if not 200 <= record.status < 300:
            raise DocumentError(HTTP_RETRIEVAL_FAILURE, record.url, f"HTTP {record.status}")
        return parse_twiml(record.url, record.raw, record.content_type, allowed)
