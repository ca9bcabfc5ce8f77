"""The simulator's fake Exotel REST API on 127.0.0.1:<free port>: ``Calls/connect.json`` (connect two
numbers: https://developer.exotel.com/docs/voice-v1/api-reference/connect-to-flow) and ``Sms/send.json``
(https://developer.exotel.com/docs/sms-api/api-reference/send-sms), behind HTTP basic authentication with
the account's API key and token. Errors answer ``{"RestException": {"Status", "Code", "Message"}}``.

Requests are only recorded here (from any thread); the simulator places the calls when it next runs.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class RestRequest:
    path: str
    form: dict[str, str]
    sid: str


class ExotelRestApi:
    def __init__(self, account_sid: str, api_key: str, api_token: str) -> None:
        self.account_sid = account_sid
        self._auth = "Basic " + base64.b64encode(f"{api_key}:{api_token}".encode()).decode()
        self._lock = threading.Lock()
        self.requests: list[RestRequest] = []
        self._pending: list[RestRequest] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.api = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="exotel-rest", daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def take_pending(self) -> list[RestRequest]:
        with self._lock:
            pending, self._pending = self._pending, []
        return pending

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def handle(self, path: str, authorization: str, body: str) -> tuple[int, dict[str, object]]:
        if authorization != self._auth:
            return 401, _error(401, "Authentication failed. Invalid API Key or Token.")
        prefix = f"/v1/Accounts/{self.account_sid}"
        form = dict(parse_qsl(body, keep_blank_values=True))
        if path == prefix + "/Calls/connect.json":
            missing = [name for name in ("From", "To", "CallerId") if not form.get(name)]
            if missing:
                return 400, _error(400, f"missing {missing[0]}")
            return self._record(path, form, "Call", form)
        if path == prefix + "/Sms/send.json":
            if not form.get("DltEntityId") and form.get("To", "").startswith(("+91", "0")):
                return 400, _error(400, "DltEntityId is mandatory for India")
            return self._record(path, form, "SMSMessage", form)
        return 404, _error(404, "Resource not found")

    def _record(
        self, path: str, form: dict[str, str], kind: str, echo: dict[str, str]
    ) -> tuple[int, dict[str, object]]:
        request = RestRequest(path, form, secrets.token_hex(16))
        with self._lock:
            self.requests.append(request)
            self._pending.append(request)
        return 200, {kind: {"Sid": request.sid, "Status": "queued", "To": echo.get("To", "")}}


def _error(status: int, message: str) -> dict[str, object]:
    return {"RestException": {"Status": status, "Code": status, "Message": message}}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        status, payload = self.server.api.handle(self.path, self.headers.get("Authorization", ""), body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: ExotelRestApi
