"""Twilio's REST API, in the few calls Samvaad makes.

These run in RQ jobs, never on a webhook's request path, and time out quickly so a slow provider cannot hold a
worker. The base URL is configurable so the simulator's REST API (or any Twilio-compatible fake) can stand in.
Twilio's errors become `TelephonyError` here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import certifi
import httpx
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from telephony.errors import TelephonyError

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_CALL_EVENTS = ("initiated", "ringing", "answered", "completed")


@cache
def _tls() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle takes tens of milliseconds, and a job that sends
    one message would spend most of its time on it."""
    return ssl.create_default_context(cafile=certifi.where())


class HttpxTransport(HttpClient):
    """twilio's HttpClient over httpx: one pooled, thread-safe client with a hard timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__(logger, is_async=False, timeout=timeout)
        self._client = httpx.Client(timeout=timeout, verify=_tls())

    def request(  # type: ignore[override]
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        response = self._client.request(
            method.upper(),
            uri,
            params=params,  # type: ignore[arg-type]
            data=data,  # type: ignore[arg-type]
            headers=headers,
            auth=auth,
            timeout=timeout or self.timeout,
            follow_redirects=allow_redirects,
        )
        return Response(response.status_code, response.text, response.headers)

    def close(self) -> None:
        self._client.close()


@dataclass(frozen=True)
class QueueMember:
    call_sid: str
    position: int
    wait_seconds: int


@dataclass(frozen=True)
class QueueInfo:
    sid: str
    friendly_name: str
    current_size: int
    max_size: int


def _translated(action: Callable[[], T]) -> T:
    """Run a twilio call; its failures become TelephonyError (status 0 when the network failed)."""
    try:
        return action()
    except TwilioRestException as exc:
        # Twilio's message text often repeats the phone number ("The 'To' number +91… is not valid"), and RQ
        # logs and stores a failed job's exception: keep only the code and status, and drop the chained cause.
        raise TelephonyError(code=exc.code, status=exc.status) from None
    except (TwilioException, httpx.HTTPError) as exc:
        raise TelephonyError(code=None, status=0, message=type(exc).__name__) from None


class RestClient:
    """Places calls, sends messages and moves queued calls, through Twilio's REST API."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        base_url: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._transport = HttpxTransport(timeout)
        self._client = Client(account_sid, auth_token, http_client=self._transport, environment={})
        if base_url:
            self._client.api.base_url = base_url.rstrip("/")

    def close(self) -> None:
        self._transport.close()

    def place_call(
        self,
        to: str,
        from_: str,
        url: str,
        status_callback: str | None = None,
        status_callback_event: Sequence[str] = DEFAULT_CALL_EVENTS,
        timeout: int = 30,
        machine_detection: str | None = None,
    ) -> str:
        """Ring `to`; when it answers Twilio fetches `url`. Returns the new call's sid."""
        extra = {"machine_detection": machine_detection} if machine_detection else {}
        call = _translated(
            lambda: self._client.calls.create(
                to=to,
                from_=from_,
                url=url,
                status_callback=status_callback,
                status_callback_event=list(status_callback_event) if status_callback else None,
                timeout=timeout,
                **extra,
            )
        )
        return str(call.sid)

    def send_message(self, to: str, from_: str, body: str, status_callback: str | None = None) -> str:
        """Send an SMS, or a WhatsApp message when both addresses carry the `whatsapp:` prefix."""
        message = _translated(
            lambda: self._client.messages.create(
                to=to, from_=from_, body=body, status_callback=status_callback
            )
        )
        return str(message.sid)

    def send_content(self, to: str, from_: str, content_sid: str, variables: dict[str, str]) -> str:
        """Send a content template (WhatsApp quick replies): Twilio fills its ``{{1}}``… from ``variables``."""
        message = _translated(
            lambda: self._client.messages.create(
                to=to, from_=from_, content_sid=content_sid, content_variables=json.dumps(variables)
            )
        )
        return str(message.sid)

    def redirect_call(self, call_sid: str, url: str) -> None:
        """Make a live call leave whatever it is doing and run the TwiML at `url`."""
        _translated(lambda: self._client.calls(call_sid).update(url=url, method="POST"))

    def end_call(self, call_sid: str) -> None:
        """End a call or stop it ringing ('completed' ends an answered call, 'canceled' a ringing one)."""
        status = _translated(lambda: self._client.calls(call_sid).fetch().status)
        final = "canceled" if status in ("queued", "ringing") else "completed"
        _translated(lambda: self._client.calls(call_sid).update(status=final))

    def get_call_status(self, call_sid: str) -> str:
        return str(_translated(lambda: self._client.calls(call_sid).fetch().status))

    def dequeue_member(self, queue_sid: str, call_sid: str, url: str) -> None:
        """Take a call out of a queue (its sid, or "Front") and run the TwiML at `url` on it."""
        _translated(lambda: self._client.queues(queue_sid).members(call_sid).update(url=url, method="POST"))

    def find_queue(self, friendly_name: str) -> QueueInfo | None:
        """The queue with this name, or None. Enqueue creates queues on first use, so it may not exist yet."""
        queues = _translated(lambda: self._client.queues.list())
        for queue in queues:
            if queue.friendly_name == friendly_name:
                return QueueInfo(queue.sid, queue.friendly_name, queue.current_size, queue.max_size)
        return None

    def create_queue(self, friendly_name: str, max_size: int | None = None) -> QueueInfo:
        queue = _translated(
            lambda: self._client.queues.create(friendly_name=friendly_name, max_size=max_size)
        )
        return QueueInfo(queue.sid, queue.friendly_name, queue.current_size or 0, queue.max_size)

    def list_queue_members(self, queue_sid: str) -> list[QueueMember]:
        """Members front first."""
        members = _translated(lambda: self._client.queues(queue_sid).members.list())
        return sorted(
            (QueueMember(m.call_sid, int(m.position), int(m.wait_time or 0)) for m in members),
            key=lambda m: m.position,
        )
