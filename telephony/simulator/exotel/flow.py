"""The simulator's Exotel: an ExoPhone's flow of applets, run the way Exotel's pages describe it, against
Samvaad's real HTTP service.

The flow is the one docs/exotel.md tells an association to build:

    Passthru incoming --200--> Gather (menu-prompt) -> Passthru menu --200--> Greeting -> Connect (connect)
         |302                                              |302                   answered: talk, hang up
         v                                                 v                 not answered: Passthru unanswered
    Connect transfer  <------------------------------------+----------------------302--+  200: Greeting, hang up

What Exotel does, as simulated (each cited where it is implemented):

* Passthru, Gather, Connect and Greeting GET their URL with the call in the query (``CallSid``, ``CallFrom``,
  ``CallTo`` in national format ``0XXXXXXXXXX``, ``Direction=incoming``); a Gather's ``digits`` reach the
  next Passthru in double quotes ("2").
  https://support.exotel.com/support/solutions/articles/48283-working-with-passthru-applet
* A Passthru branches on 200 / 302; anything else, or no answer within 15 s, is recorded as an error and
  takes the 302 branch (the "on timeout" transition an association should point at the transfer).
* Connect: ``destination.numbers`` are dialled one after another, each up to ``max_ringing_duration``; the
  callee sees ``outgoing_phone_number``; ``start_call_playback`` is played to the callee on answer.
  https://support.exotel.com/support/solutions/articles/3000096873-working-with-connect-applet-dynamic-url-
* The StatusCallback is POSTed at the end of the call (``CallSid``, ``Status``, ``DateUpdated``,
  ``DialCallDuration``) and sent again, at most twice, while the answer is not a 200
  (https://developer.exotel.com/docs/references/webhooks); ``duplicate_status_callbacks`` makes every
  delivery happen twice, as when Samvaad's 200 came late.
* The call API's "connect two numbers" rings ``From`` first, then ``To``, both seeing ``CallerId``.

Time is a ``SteppedClock`` moved by the simulator: words take (words / 2.5) s, rings their answer time.
``on_idle`` (Samvaad's ``InlineJobs``) runs whenever time is about to move, at most 2 s apart.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from routing.clock import SteppedClock
from telephony.simulator.exotel.rest_api import ExotelRestApi, RestRequest

WORDS_PER_SECOND = 2.5
IDLE_EVERY = 2.0
STATUS_DELIVERIES = 3  # the first, and at most two retries
APPLETS = ("incoming", "menu-prompt", "menu", "greeting", "connect", "unanswered", "transfer", "status")


def national(number: str) -> str:
    """How Exotel writes an Indian number in its requests."""
    return "0" + number[3:] if number.startswith("+91") else number


def e164(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    if number.startswith("+"):
        return number
    return "+91" + digits[-10:] if len(digits) >= 10 else number


@dataclass
class Handset:
    """A phone: answers after ``answer_after`` seconds (None: never), talks ``talk_for`` seconds once
    bridged, and presses a key when a prompt matches one of its rules."""

    number: str
    name: str
    answer_after: float | None = 2.0
    talk_for: float = 120.0
    rules: list[tuple[str, str]] = field(default_factory=list)
    heard: list[tuple[datetime, str]] = field(default_factory=list)
    caller_ids_seen: list[str] = field(default_factory=list)
    bridged_with: list[str] = field(default_factory=list)

    def respond(self, pattern: str, press: str) -> None:
        self.rules.append((pattern, press))

    def key_for(self, text: str) -> str:
        return next((press for pattern, press in self.rules if re.search(pattern, text)), "")

    def has_heard(self, fragment: str) -> bool:
        return any(fragment in text for _, text in self.heard)

    def seen_text(self) -> str:
        return " ".join([text for _, text in self.heard] + self.caller_ids_seen)


@dataclass
class ExoCall:
    sid: str
    caller: Handset
    exophone: str
    path: list[str] = field(default_factory=list)  # applets run, in order
    outcome: str = ""  # talked, callback, transfer, failed


@dataclass(frozen=True)
class ExoError:
    call_sid: str
    applet: str
    detail: str


class ExotelSimulator:
    def __init__(
        self,
        http: httpx.Client,
        *,
        public_base_url: str,
        account_sid: str,
        api_key: str,
        api_token: str,
        clock: SteppedClock,
        on_idle: Callable[[], bool] | None = None,
    ) -> None:
        self.http = http
        self.public_base_url = public_base_url.rstrip("/")
        self.clock = clock
        self.on_idle = on_idle
        self.rest = ExotelRestApi(account_sid, api_key, api_token)
        self.flows: dict[str, dict[str, str]] = {}
        self.phones: dict[str, Handset] = {}
        self.calls: list[ExoCall] = []
        self.errors: list[ExoError] = []
        self.requests: list[tuple[str, str, int]] = []  # (applet, call sid, status)
        self.duplicate_status_callbacks = False

    def __enter__(self) -> ExotelSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rest.close()

    @property
    def rest_base_url(self) -> str:
        return self.rest.base_url

    def add_flow(self, exophone: str, urls: dict[str, str]) -> None:
        """The ExoPhone's flow, from the URLs Samvaad's API gives (``webhook_urls``)."""
        by_path = {url.rsplit("/", 1)[1]: self.local(url) for url in urls.values()}
        self.flows[exophone] = {applet: by_path[applet] for applet in APPLETS}

    def local(self, url: str) -> str:
        """A public URL as a path on the service the simulator talks to (behind the public base URL)."""
        return url[len(self.public_base_url) :] if url.startswith(self.public_base_url) else url

    def phone(self, number: str, name: str, **kwargs: Any) -> Handset:
        handset = Handset(number, name, **kwargs)
        self.phones[number] = handset
        return handset

    # ---- time ----

    def advance(self, seconds: float) -> None:
        """Let time pass, Samvaad's jobs running at least every 2 s, and place calls its jobs asked for."""
        left = seconds
        while True:
            self._idle()
            for request in self.rest.take_pending():
                self._run_rest_call(request)
            if left <= 0:
                return
            step = min(IDLE_EVERY, left)
            self.clock.advance(step)
            left -= step

    def _idle(self) -> None:
        while self.on_idle is not None and self.on_idle():
            pass

    def _say(self, handset: Handset, text: str) -> None:
        if text:
            handset.heard.append((self.clock.now(), text))
            self.advance(len(text.split()) / WORDS_PER_SECOND)

    # ---- an incoming call, applet by applet ----

    def call(self, caller: Handset, exophone: str) -> ExoCall:
        """Run a call to ``exophone`` to its end: the flow, the conversation, the status callback."""
        call = ExoCall("exo" + secrets.token_hex(16), caller, exophone)
        self.calls.append(call)
        self.advance(1)
        if self._passthru(call, "incoming") == 302:
            return self._transfer(call)
        prompt = self._get(call, "menu-prompt")
        text = str(prompt.get("gather_prompt", {}).get("text", "")) if isinstance(prompt, dict) else ""
        self._say(caller, text)
        key = caller.key_for(text)
        if self._passthru(call, "menu", digits=f'"{key}"') == 302:
            return self._transfer(call)
        self._greeting(call)
        if self._connect(call, "connect"):
            return self._end(call, "talked")
        if self._passthru(call, "unanswered", DialCallStatus="no-answer") == 302:
            return self._transfer(call)
        self._greeting(call)
        return self._end(call, "callback")

    def _params(self, call: ExoCall, **extra: str) -> dict[str, str]:
        return {
            "CallSid": call.sid,
            "CallFrom": national(call.caller.number),
            "CallTo": national(call.exophone),
            "Direction": "incoming",
            "CurrentTime": self.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
            **extra,
        }

    def _request(
        self, call: ExoCall, applet: str, method: str = "GET", **extra: str
    ) -> httpx.Response | None:
        call.path.append(applet)
        url = self.flows[call.exophone][applet]
        params = self._params(call, **extra)
        try:
            if method == "GET":
                response = self.http.get(url, params=params, timeout=15)
            else:
                response = self.http.post(url, data=params, timeout=15)
        except httpx.HTTPError as exc:
            self.errors.append(ExoError(call.sid, applet, f"no answer within 15 s: {type(exc).__name__}"))
            return None
        self.requests.append((applet, call.sid, response.status_code))
        return response

    def _passthru(self, call: ExoCall, applet: str, **extra: str) -> int:
        response = self._request(call, applet, **extra)
        if response is None or response.status_code not in (200, 302):
            status = response.status_code if response is not None else 0
            self.errors.append(ExoError(call.sid, applet, f"passthru answered {status}"))
            return 302
        return response.status_code

    def _get(self, call: ExoCall, applet: str) -> Any:
        response = self._request(call, applet)
        if response is None or response.status_code != 200:
            self.errors.append(ExoError(call.sid, applet, "no valid answer"))
            return {}
        try:
            return response.json()
        except ValueError:
            self.errors.append(ExoError(call.sid, applet, "not JSON"))
            return {}

    def _greeting(self, call: ExoCall) -> None:
        response = self._request(call, "greeting")
        if response is None or response.status_code != 200:
            self.errors.append(ExoError(call.sid, "greeting", "no text"))
            return
        self._say(call.caller, response.text)

    def _connect(self, call: ExoCall, applet: str) -> bool:
        """Dial the numbers one after another; True once one answered and the two talked."""
        answer = self._get(call, applet)
        numbers = answer.get("destination", {}).get("numbers", []) if isinstance(answer, dict) else []
        caller_id = (
            str(answer.get("outgoing_phone_number") or call.exophone) if isinstance(answer, dict) else ""
        )
        ring = float(answer.get("max_ringing_duration", 30)) if isinstance(answer, dict) else 30.0
        playback = answer.get("start_call_playback") if isinstance(answer, dict) else None
        for number in numbers:
            callee = self.phones.get(e164(str(number)))
            if callee is None:
                self.errors.append(ExoError(call.sid, applet, "dialled a number with no phone"))
                continue
            if callee.answer_after is None or callee.answer_after > ring:
                self.advance(ring)
                continue
            callee.caller_ids_seen.append(caller_id)
            self.advance(callee.answer_after)
            if isinstance(playback, dict) and playback.get("playback_to") in ("callee", "both"):
                self._say(callee, str(playback.get("value", "")))
            call.caller.bridged_with.append(callee.name)
            callee.bridged_with.append(call.caller.name)
            self.advance(min(call.caller.talk_for, callee.talk_for))
            return True
        return False

    def _transfer(self, call: ExoCall) -> ExoCall:
        talked = self._connect(call, "transfer")
        return self._end(call, "transfer" if talked else "failed")

    def _end(self, call: ExoCall, outcome: str) -> ExoCall:
        call.outcome = outcome
        self._status_callback(call, self.flows[call.exophone]["status"], {"Status": "completed"})
        return call

    def _status_callback(self, call: ExoCall, url: str, form: dict[str, str]) -> None:
        deliveries = 2 if self.duplicate_status_callbacks else 1
        for sent in range(1, STATUS_DELIVERIES + 1):
            body = {
                "CallSid": call.sid,
                "DateUpdated": self.clock.now().strftime("%Y-%m-%d %H:%M:%S"),
                **form,
            }
            try:
                response = self.http.post(url, data=body, timeout=15)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            self.requests.append(("status", call.sid, 200 if ok else 0))
            if ok and sent >= deliveries:
                break
        self.advance(0)

    # ---- calls placed through the REST API ----

    def _run_rest_call(self, request: RestRequest) -> None:
        if not request.path.endswith("/Calls/connect.json"):
            return
        first = self.phones.get(e164(request.form["From"]))
        then = self.phones.get(e164(request.form["To"]))
        caller_id = request.form["CallerId"]
        call = ExoCall(request.sid, then or Handset(request.form["To"], "unknown"), caller_id)
        talked = 0.0
        for handset in (first, then):
            if handset is None or handset.answer_after is None:
                break
            handset.caller_ids_seen.append(caller_id)
            self.advance(handset.answer_after)
        else:
            assert first is not None and then is not None
            first.bridged_with.append(then.name)
            then.bridged_with.append(first.name)
            talked = min(first.talk_for, then.talk_for)
            self.advance(talked)
        status = {"Status": "completed" if talked else "no-answer", "DialCallDuration": str(int(talked))}
        self._status_callback(call, self.local(request.form["StatusCallback"]), status)
