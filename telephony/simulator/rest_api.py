"""The fake REST API: Twilio's 2010-04-01 Calls, Messages and Queues resources, served on 127.0.0.1.

Samvaad's workers reach it through RestClient(base_url=...), from any thread or process. Handlers only change
state and schedule events under the simulator lock; the calls they start run when the test runs the simulator.
Bad requests get Twilio's JSON error body {code, message, more_info, status}.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from telephony.simulator.messaging import ContentTemplate
from telephony.simulator.model import API_VERSION, SimCall, SimQueue

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.messaging import SimMessage

Form = dict[str, list[str]]


class RestError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }


def not_found(what: str) -> RestError:
    return RestError(404, 20404, f"The requested resource {what} was not found")


@dataclass
class InjectedFailure:
    path_contains: str
    status: int
    code: int
    message: str


class RestApi:
    """The resources, independent of HTTP (so the routing table reads like Twilio's API reference)."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.failures: list[InjectedFailure] = []
        self.requests: list[tuple[str, str, Form]] = []

    def handle(self, method: str, path: str, form: Form) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, form))
        for failure in self.failures:
            if failure.path_contains in path:
                self.failures.remove(failure)
                raise RestError(failure.status, failure.code, failure.message)
        prefix = f"/{API_VERSION}/Accounts/{self.sim.account_sid}"
        if not path.startswith(prefix + "/"):
            raise not_found(path)
        resource = path[len(prefix) :]
        for pattern, verb, handler in self._routes():
            match = re.fullmatch(pattern, resource)
            if match and verb == method:
                return handler(form, *match.groups())
        raise RestError(404, 20404, f"{method} {resource} is not supported by the simulator")

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            (r"/Calls\.json", "POST", self.create_call),
            (r"/Calls/(CA[0-9a-f]{32})\.json", "GET", self.fetch_call),
            (r"/Calls/(CA[0-9a-f]{32})\.json", "POST", self.update_call),
            (r"/Messages\.json", "POST", self.create_message),
            (r"/Queues\.json", "GET", self.list_queues),
            (r"/Queues\.json", "POST", self.create_queue),
            (r"/Queues/(QU[0-9a-f]{32})\.json", "GET", self.fetch_queue),
            (r"/Queues/(QU[0-9a-f]{32})/Members\.json", "GET", self.list_members),
            (r"/Queues/(QU[0-9a-f]{32})/Members/(CA[0-9a-f]{32}|Front)\.json", "GET", self.fetch_member),
            (r"/Queues/(QU[0-9a-f]{32})/Members/(CA[0-9a-f]{32}|Front)\.json", "POST", self.dequeue_member),
        ]

    # --- calls --------------------------------------------------------------------------------------
    def create_call(self, form: Form) -> tuple[int, dict[str, Any]]:
        to, from_ = _first(form, "To"), _first(form, "From")
        if not to:
            raise RestError(400, 21201, "No 'To' number is specified")
        if not from_:
            raise RestError(400, 21213, "No 'From' number is specified")
        if not re.fullmatch(r"\+[1-9]\d{7,14}", to):
            raise RestError(
                400, 21211, f"Invalid 'To' Phone Number: {to}"
            )  # Twilio repeats the number in full
        if to in self.sim.refused_numbers:
            raise RestError(400, 21215, f"Account not authorized to call {to}")
        if from_ not in self.sim.numbers:
            raise RestError(400, 21210, f"The source phone number provided, {from_}, is not yet verified")
        if not _first(form, "Url") and not _first(form, "Twiml"):
            raise RestError(400, 21205, "Url parameter is required")
        if not _first(form, "Url"):
            raise RestError(400, 21205, "The simulator needs Url (inline Twiml is not simulated)")
        timeout = _first(form, "Timeout") or "60"
        if not timeout.isdigit() or not 1 <= int(timeout) <= 600:
            raise RestError(400, 21216, "Timeout must be between 1 and 600 seconds")
        call = self.sim.place_outbound_call(form)
        return 201, self._call_json(call)

    def _call(self, sid: str) -> SimCall:
        call = self.sim.get_call(sid)
        if call is None:
            raise not_found(f"/Calls/{sid}.json")
        return call

    def fetch_call(self, form: Form, sid: str) -> tuple[int, dict[str, Any]]:
        return 200, self._call_json(self._call(sid))

    def update_call(self, form: Form, sid: str) -> tuple[int, dict[str, Any]]:
        call = self._call(sid)
        status, url = _first(form, "Status"), _first(form, "Url")
        if call.is_over:
            raise RestError(400, 21220, "Call is not in-progress. Cannot redirect.")
        if status in ("completed", "canceled"):
            final = "canceled" if call.answered_at is None else "completed"
            self.sim.hang_up_call(call, by="api", status=final)
        elif status:
            raise RestError(400, 21218, f"Invalid Status: {status}")
        elif url:
            self.sim.redirect_call(call, url, _first(form, "Method") or "POST")
        elif _first(form, "Twiml"):
            raise RestError(400, 21205, "Inline Twiml is not simulated: use Url")
        return 200, self._call_json(call)

    def _call_json(self, call: SimCall) -> dict[str, Any]:
        base = f"/{API_VERSION}/Accounts/{self.sim.account_sid}/Calls/{call.sid}"
        return {
            "sid": call.sid,
            "account_sid": call.account_sid,
            "api_version": API_VERSION,
            "to": call.to,
            "to_formatted": call.to,
            "from": call.from_,
            "from_formatted": call.from_,
            "status": call.status,
            "direction": call.direction,
            "parent_call_sid": call.parent.sid if call.parent else None,
            "date_created": self._date(call.created_at),
            "date_updated": self._date(self.sim.clock.seconds),
            "start_time": self._date(call.answered_at),
            "end_time": self._date(call.ended_at),
            "duration": str(call.duration(self.sim.clock.seconds)) if call.is_over else None,
            "answered_by": call.answered_by,
            "caller_name": None,
            "forwarded_from": None,
            "group_sid": None,
            "phone_number_sid": None,
            "price": None,
            "price_unit": "USD",
            "queue_time": "0",
            "trunk_sid": None,
            "uri": base + ".json",
            "subresource_uris": {"notifications": base + "/Notifications.json"},
        }

    def _date(self, seconds: float | None) -> str | None:
        if seconds is None:
            return None
        moment = self.sim.clock.start.timestamp() + seconds
        return format_datetime(datetime.fromtimestamp(moment, UTC), usegmt=True)

    # --- messages -----------------------------------------------------------------------------------
    def create_message(self, form: Form) -> tuple[int, dict[str, Any]]:
        to, from_, body = _first(form, "To"), _first(form, "From"), _first(form, "Body")
        media = form.get("MediaUrl", [])
        content = self._content(form)
        if not to:
            raise RestError(400, 21604, "A 'To' phone number is required.")
        if not from_:
            raise RestError(400, 21603, "A 'From' phone number is required.")
        if not body and not media and content is None:
            raise RestError(400, 21602, "Message body is required.")
        if from_.removeprefix("whatsapp:") not in self.sim.numbers:
            raise RestError(
                400, 21606, f"The From phone number {from_} is not a valid, SMS-capable phone number"
            )
        if from_.startswith("whatsapp:") != to.startswith("whatsapp:"):
            raise RestError(400, 63007, "Twilio could not find a Channel with the specified From address")
        if len(body) > 1600:
            raise RestError(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        message = self.sim.messaging.send(
            from_, to, body, media, _first(form, "StatusCallback") or None, content
        )
        return 201, self._message_json(message)

    def _content(self, form: Form) -> tuple[str, ContentTemplate, dict[str, str]] | None:
        sid = _first(form, "ContentSid")
        if not sid:
            return None
        template = self.sim.messaging.templates.get(sid)
        if template is None:
            raise RestError(400, 21655, "The ContentSid is Invalid.")
        try:
            variables = json.loads(_first(form, "ContentVariables") or "{}")
        except ValueError:
            raise RestError(400, 21656, "The ContentVariables Parameter is invalid.") from None
        if not isinstance(variables, dict):
            raise RestError(400, 21656, "The ContentVariables Parameter is invalid.")
        return sid, template, {str(k): str(v) for k, v in variables.items()}

    def _message_json(self, message: SimMessage) -> dict[str, Any]:
        return {
            "sid": message.sid,
            "account_sid": self.sim.account_sid,
            "api_version": API_VERSION,
            "to": message.to,
            "from": message.from_,
            "body": message.body,
            "status": message.status,
            "direction": message.direction,
            "num_segments": "1",
            "num_media": str(len(message.media_urls)),
            "date_created": self._date(message.at),
            "date_updated": self._date(message.at),
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "messaging_service_sid": None,
            "price": None,
            "price_unit": "USD",
            "uri": f"/{API_VERSION}/Accounts/{self.sim.account_sid}/Messages/{message.sid}.json",
            "subresource_uris": {},
        }

    # --- queues -------------------------------------------------------------------------------------
    def _queue(self, sid: str) -> SimQueue:
        queue = self.sim.find_queue_by_sid(sid)
        if queue is None:
            raise not_found(f"/Queues/{sid}.json")
        return queue

    def list_queues(self, form: Form) -> tuple[int, dict[str, Any]]:
        queues = [self._queue_json(q) for q in self.sim.queues.values()]
        return 200, self._page("queues", queues)

    def create_queue(self, form: Form) -> tuple[int, dict[str, Any]]:
        name = _first(form, "FriendlyName")
        if not name or len(name) > 64:
            raise RestError(400, 20001, "FriendlyName is required and at most 64 characters")
        if self.sim.find_queue(name) is not None:
            raise RestError(400, 22003, f"A queue with friendly name {name} already exists")
        max_size = int(_first(form, "MaxSize") or "1000")
        if not 1 <= max_size <= 5000:
            raise RestError(400, 20001, "MaxSize must be between 1 and 5000")
        return 201, self._queue_json(self.sim.get_or_create_queue(name, max_size))

    def fetch_queue(self, form: Form, sid: str) -> tuple[int, dict[str, Any]]:
        return 200, self._queue_json(self._queue(sid))

    def _queue_json(self, queue: SimQueue) -> dict[str, Any]:
        return {
            "sid": queue.sid,
            "account_sid": self.sim.account_sid,
            "friendly_name": queue.name,
            "current_size": len(queue.members),
            "max_size": queue.max_size,
            "average_wait_time": queue.average_wait(self.sim.clock.seconds),
            "date_created": self._date(queue.created_at),
            "date_updated": self._date(self.sim.clock.seconds),
            "uri": f"/{API_VERSION}/Accounts/{self.sim.account_sid}/Queues/{queue.sid}.json",
        }

    def list_members(self, form: Form, sid: str) -> tuple[int, dict[str, Any]]:
        queue = self._queue(sid)
        return 200, self._page("queue_members", [self._member_json(queue, m) for m in queue.members])

    def _member(self, queue: SimQueue, which: str) -> SimCall:
        members = queue.members if which == "Front" else [m for m in queue.members if m.sid == which]
        if not members:
            raise not_found(f"/Queues/{queue.sid}/Members/{which}.json")
        return members[0]

    def fetch_member(self, form: Form, sid: str, which: str) -> tuple[int, dict[str, Any]]:
        queue = self._queue(sid)
        return 200, self._member_json(queue, self._member(queue, which))

    def dequeue_member(self, form: Form, sid: str, which: str) -> tuple[int, dict[str, Any]]:
        queue = self._queue(sid)
        url = _first(form, "Url")
        if not url:
            raise RestError(400, 20001, "Url is required")
        member = self._member(queue, which)
        snapshot = self._member_json(queue, member)
        self.sim.dequeue_to_url(member, url, _first(form, "Method") or "POST")
        return 200, snapshot

    def _member_json(self, queue: SimQueue, call: SimCall) -> dict[str, Any]:
        now = self.sim.clock.seconds
        return {
            "call_sid": call.sid,
            "queue_sid": queue.sid,
            "position": queue.position(call),
            "wait_time": int(call.queue_wait(now)),
            "date_enqueued": self._date(call.enqueued_at),
            "uri": f"{self._queue_json(queue)['uri'][:-5]}/Members/{call.sid}.json",
        }

    def _page(self, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            key: items,
            "end": max(0, len(items) - 1),
            "first_page_uri": None,
            "next_page_uri": None,
            "page": 0,
            "page_size": max(50, len(items)),
            "previous_page_uri": None,
            "start": 0,
            "uri": None,
        }


def _first(form: Form, name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # the default logs every request line to stderr

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        parts = urlsplit(self.path)
        form = parse_qs(raw, keep_blank_values=True) if method == "POST" else parse_qs(parts.query)
        try:
            if not self._authorised(api.sim.account_sid, api.sim.auth_token):
                raise RestError(401, 20003, "Authenticate")
            with api.sim.lock:
                status, body = api.handle(method, parts.path, form)
        except RestError as error:
            status, body = error.status, error.body()
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _authorised(self, account_sid: str, token: str) -> bool:
        expected = "Basic " + base64.b64encode(f"{account_sid}:{token}".encode()).decode()
        return self.headers.get("Authorization") == expected


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: RestApi


class RestApiServer:
    def __init__(self, sim: Simulator) -> None:
        self.api = RestApi(sim)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self.api
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="sim-rest-api",
            daemon=True,
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
