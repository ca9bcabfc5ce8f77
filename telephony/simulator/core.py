"""The Simulator: a small Twilio for end-to-end tests. See the package docstring for how to use it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from telephony.simulator.clock import DEFAULT_START, VirtualClock
from telephony.simulator.dialing import parse_events, run_inbound, run_outbound
from telephony.simulator.ids import SidFactory
from telephony.simulator.messaging import Messaging
from telephony.simulator.model import SimCall, SimQueue, TwilioNumber
from telephony.simulator.phones import Phone, PhoneBook
from telephony.simulator.scheduler import Process, Scheduler, SimLock
from telephony.simulator.switchboard import SimError, Switchboard
from telephony.simulator.voice import Fetch
from telephony.simulator.webhooks import WebhookDriver, WebhookRequest

logger = logging.getLogger(__name__)


class SimulationTimeout(AssertionError):
    """run_until gave up; the message describes every call, queue and phone."""


class SimulatorCrash(RuntimeError):
    """The simulator itself failed while running a call leg (a bug here, not in Samvaad)."""


class Simulator(Switchboard):
    """A simulated Twilio account: numbers, phones, calls, queues, messages, and a REST API. Running the
    simulation (virtual time, the scheduler, ``run_until``) lives here; the calls, queues and bridges the
    interpreter and the REST API change live in ``Switchboard``."""

    def __init__(
        self,
        webhook_client: httpx.Client,
        *,
        public_base_url: str,
        auth_token: str = "simulated-auth-token",
        account_sid: str = "AC" + "5" * 32,
        start: datetime = DEFAULT_START,
        seed: int = 0,
        play_seconds: float = 10.0,
        words_per_second: float = 2.5,
        pace: float | None = None,
        on_idle: Callable[[], bool] | None = None,
        idle_every: float = 2.0,
        timeout: float = 10.0,
    ) -> None:
        self.lock = SimLock()
        self.clock = VirtualClock(start)
        self.scheduler = Scheduler(self.clock, self.lock)
        self.sids = SidFactory(seed)
        self.driver = WebhookDriver(webhook_client, public_base_url, auth_token)
        self.auth_token = auth_token
        self.account_sid = account_sid
        self.play_seconds = play_seconds
        self.words_per_second = words_per_second
        self.pace = pace
        self.on_idle = on_idle
        self.idle_every = idle_every
        self.timeout = timeout
        self.numbers: dict[str, TwilioNumber] = {}
        self.refused_numbers: set[str] = set()  # calls to these fail for good, as Twilio's 21215 does
        self.phonebook = PhoneBook()
        self.calls: list[SimCall] = []
        self.queues: dict[str, SimQueue] = {}
        self.errors: list[SimError] = []
        self.messaging = Messaging(self)
        self._crashes: list[tuple[str, BaseException]] = []
        self._rest: Any = None
        self._pace_origin: tuple[float, float] | None = None
        self._idle_settled = False  # on_idle found nothing to do, and nothing has happened since

    # --- setting up ---------------------------------------------------------------------------------
    def add_number(
        self,
        number: str,
        voice_url: str | None = None,
        *,
        voice_fallback_url: str | None = None,
        status_callback: str | None = None,
        sms_url: str | None = None,
        sms_fallback_url: str | None = None,
    ) -> TwilioNumber:
        """A number on the account (the helpline), with its webhooks (paths or full public URLs)."""
        config = TwilioNumber(
            number,
            voice_url=voice_url,
            voice_fallback_url=voice_fallback_url,
            status_callback=status_callback,
            sms_url=sms_url,
            sms_fallback_url=sms_fallback_url,
        )
        self.numbers[number] = config
        return config

    def refuse_calls_to(self, number: str) -> None:
        """From now on the REST API refuses calls to ``number`` with a 400, as Twilio does for a destination
        the account may not call (geographic permissions): a refusal no retry changes."""
        self.refused_numbers.add(number)

    def phone(
        self,
        number: str,
        name: str | None = None,
        *,
        answer_after: float | None = 2.0,
        voicemail_after: float | None = None,
        busy: bool = False,
    ) -> Phone:
        """A handset. answer_after=None: it rings until the test calls answer() or the caller gives up."""
        phone = Phone(
            self,
            number,
            name or f"phone-{number[-4:]}",
            answer_after=answer_after,
            voicemail_after=voicemail_after,
            busy=busy,
        )
        self.phonebook.add(phone)
        return phone

    def start_rest_api(self) -> str:
        """Serve the fake REST API on 127.0.0.1 (a free port); returns the base URL for RestClient."""
        from telephony.simulator.rest_api import RestApiServer

        if self._rest is None:
            self._rest = RestApiServer(self)
            self._rest.start()
        return str(self._rest.base_url)

    @property
    def rest_base_url(self) -> str:
        return self.start_rest_api()

    def fail_next_rest_request(
        self,
        path_contains: str,
        *,
        status: int = 503,
        code: int = 20503,
        message: str = "Service Unavailable",
    ) -> None:
        """Make the next REST request whose path contains `path_contains` fail with Twilio's error JSON."""
        from telephony.simulator.rest_api import InjectedFailure

        self.start_rest_api()
        self._rest.api.failures.append(InjectedFailure(path_contains, status, code, message))

    @property
    def rest_requests(self) -> list[tuple[str, str, dict[str, list[str]]]]:
        """(method, path, form) of every REST request Samvaad made."""
        return list(self._rest.api.requests) if self._rest is not None else []

    def close(self) -> None:
        if self._rest is not None:
            self._rest.stop()
            self._rest = None

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- running ------------------------------------------------------------------------------------
    def run_until(
        self, predicate: Callable[[], bool], *, timeout: float | None = None, within: float = 3600.0
    ) -> None:
        """Run the simulation until `predicate()` holds.

        Virtual time jumps from event to event but never more than `within` seconds past now; after that
        (or when nothing is scheduled) it waits in real time, up to `timeout` seconds (default: the
        simulator's `timeout`), for the REST API to bring news from another thread or process, or for
        `on_idle` to find work. Raises SimulationTimeout with a description of the state.
        """
        timeout = self.timeout if timeout is None else timeout
        real_deadline = time.monotonic() + timeout
        virtual_deadline = self.clock.seconds + within
        self._idle_settled = False  # the test may have queued work since the last step
        while True:
            self._raise_crash()
            with self.lock:
                if predicate():
                    return
            if self._step(self._reachable(virtual_deadline)):
                continue
            if time.monotonic() >= real_deadline:
                raise SimulationTimeout(f"condition not met after {timeout}s real time\n{self.describe()}")
            self.scheduler.wait_for_news(0.01)
            self._idle_settled = False  # ask on_idle again: another thread may have queued work

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass, running everything due in that time (and `on_idle`, as
        `run_until` does). Pacing continues from the new time: a jump is not caught up in real time."""
        before = self.clock.seconds
        target = before + seconds
        self._idle_settled = False
        while True:
            self._raise_crash()
            if not self._step(target):
                break
        with self.lock:
            self.clock.move_to(target)
        if self._pace_origin is not None:
            real0, virtual0 = self._pace_origin
            self._pace_origin = (real0, virtual0 + self.clock.seconds - before)

    def settle(self) -> None:
        """Run what is due now, without letting time pass."""
        self.advance(0.0)

    def _step(self, limit: float) -> bool:
        """Make one step of progress without passing `limit` (virtual seconds); False when there is none.

        Without `on_idle`, a step is the next event due. With it, every event due now runs first; then,
        before the clock moves, `on_idle` runs (outside the lock: its jobs call the REST API from this
        thread) until it finds nothing to do; then the clock moves to the next event, but by at most
        `idle_every` seconds, so periodic work sees time pass even when no call is in progress."""
        with self.lock:
            if self.on_idle is None:
                event = self.scheduler.pop(limit)
            else:
                event = self.scheduler.pop(min(limit, self.clock.seconds))
            if event is not None:
                self._idle_settled = False
                event.action()
                return True
        if self.on_idle is None:
            return False
        if not self._idle_settled:
            self._idle_settled = not self.on_idle()
            return True
        with self.lock:
            now = self.clock.seconds
            target = min(limit, now + self.idle_every)
            event = self.scheduler.pop(target)
            if event is not None:
                self._idle_settled = False
                event.action()
                return True
            if target - now < 1e-6:
                return False
            self.clock.move_to(target)
            self._idle_settled = False
            return True

    def _reachable(self, virtual_deadline: float) -> float:
        if self.pace is None:
            return virtual_deadline
        now = time.monotonic()
        if self._pace_origin is None:
            self._pace_origin = (now, self.clock.seconds)
        real0, virtual0 = self._pace_origin
        return min(virtual_deadline, virtual0 + (now - real0) * self.pace)

    def _raise_crash(self) -> None:
        if self._crashes:
            name, exc = self._crashes.pop(0)
            raise SimulatorCrash(f"call leg {name} crashed: {exc!r}") from exc

    def _on_crash(self, process: Process, exc: BaseException) -> None:
        logger.exception("simulated call leg crashed leg=%s", process.name, exc_info=exc)
        self._crashes.append((process.name, exc))

    # --- starting call legs ---------------------------------------------------------------------
    def start_inbound_call(self, phone: Phone, to: str) -> SimCall:
        number = self.numbers.get(to)
        if number is None:
            raise ValueError("that number is not on the simulated account")
        with self.lock:
            call = self.new_call("inbound", phone.number, to)
            call.phone = phone
            call.fallback_url = number.voice_fallback_url
            if number.status_callback:
                call.status_callback = self.absolute(number.status_callback)
            phone.calls.append(call)
            phone.active = call
            call.process.start(run_inbound(self, call, number))
        return call

    def place_outbound_call(self, form: dict[str, list[str]]) -> SimCall:
        """Calls.json: the REST API validated `form`; ring the phone and run Url when it answers."""

        def first(name: str, default: str = "") -> str:
            return form.get(name, [default])[0]

        with self.lock:
            call = self.new_call("outbound-api", first("From"), first("To"))
            call.status_callback = first("StatusCallback") or None
            call.status_callback_method = first("StatusCallbackMethod", "POST")
            events = " ".join(form.get("StatusCallbackEvent", []))
            call.status_callback_events = parse_events(events) if events else frozenset({"completed"})
            call.fallback_url = first("FallbackUrl") or None
            fetch = Fetch(first("Url"), first("Method", "POST"))
            detect = first("MachineDetection") in ("Enable", "DetectMessageEnd")
            timeout = float(first("Timeout", "60"))
            call.process.start(run_outbound(self, call, fetch, timeout, detect))
        return call

    # --- what tests look at -------------------------------------------------------------------------
    @property
    def requests(self) -> list[WebhookRequest]:
        return self.driver.requests

    def requests_to(self, path: str) -> list[WebhookRequest]:
        """Webhook requests whose path (without query) is `path`."""
        return [r for r in self.driver.requests if r.path.split("?")[0] == path]

    def get_call(self, sid: str) -> SimCall | None:
        return next((call for call in self.calls if call.sid == sid), None)

    def find_queue(self, name: str) -> SimQueue | None:
        return self.queues.get(name)

    def find_queue_by_sid(self, sid: str) -> SimQueue | None:
        return next((q for q in self.queues.values() if q.sid == sid), None)

    def assert_no_errors(self) -> None:
        if self.errors:
            raise AssertionError("Twilio would have reported errors:\n" + "\n".join(map(str, self.errors)))

    def describe(self) -> str:
        lines = [f"t={self.clock.seconds:.1f}s"]
        for call in self.calls:
            where = f" queue={call.queue.name}" if call.queue else ""
            where += " bridged" if call.is_bridged else ""
            lines.append(f"  call {call.sid} {call.direction} {call.status}{where} doc={call.doc_url}")
        for queue in self.queues.values():
            lines.append(f"  queue {queue.name} members={[m.sid for m in queue.members]}")
        for phone in self.phonebook.phones.values():
            last = phone.transcript[-1].text if phone.transcript else ""
            lines.append(
                f"  {phone.name} ringing={phone.is_ringing} on_call={phone.is_on_call} last={last!r}"
            )
        lines += [f"  error {e}" for e in self.errors[-5:]]
        return "\n".join(lines)
