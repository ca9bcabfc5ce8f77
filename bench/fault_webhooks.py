"""Webhooks while a dependency fails: Redis stopped, Redis hung, the database unreachable.

A real ``samvaad serve`` process answers signed voice and text webhooks (``probe``) while the fault lasts.
Each answer is judged as Twilio and the caller would judge it: valid TwiML (HTTP 200, an XML
``<Response>``), and useful: the call goes on (the language menu, the queue), or the caller hears where to turn
(the association's backup number, Tele-MANAS 14416, 112), or the texter reads the crisis line.

The database is cut through ``Proxy``, a TCP forwarder between the web process and PostgreSQL: a cut closes
every connection and the listening port (connection refused, as a stopped server), which SQLite, a local
file, cannot be made to do.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import httpx

from bench.many_processes import BACKUP, HELPLINE, HINDI_TEXT, SMS_NUMBER
from telephony.simulator import WebhookDriver

GOAL_MS = 300.0
CRISIS_LINE = "14416"
EMERGENCY = "112"
IN_FLIGHT = 8


class Proxy:
    """Forwards ``127.0.0.1:port`` to ``target``; ``cut`` makes the target unreachable, ``mend`` reachable."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = self._listen(0)
        self.port = int(self.listener.getsockname()[1])
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        self._accepting = threading.Thread(target=self._accept, args=(self.listener,), daemon=True)
        self._accepting.start()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        return listener

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                return
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.listener.close()
        with self.lock:
            for connection in self.open:
                with suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.open.clear()

    def mend(self) -> None:
        self.listener = self._listen(self.port)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        self.cut()


@dataclass
class Answer:
    kind: str
    ms: float
    valid: bool
    useful: bool


@dataclass
class Probe:
    """What the webhooks answered during one fault."""

    fault: str
    answers: list[Answer] = field(default_factory=list)

    def count(self, kind: str | None = None) -> list[Answer]:
        return [a for a in self.answers if kind is None or a.kind == kind]

    def share(self, attribute: str, kind: str | None = None) -> float:
        chosen = self.count(kind)
        return 100.0 * sum(getattr(a, attribute) for a in chosen) / len(chosen) if chosen else float("nan")

    def percentile(self, q: float, kind: str | None = None) -> float:
        ordered = sorted(a.ms for a in self.count(kind))
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def met(self) -> bool:
        return bool(self.answers) and all(a.valid and a.useful and a.ms <= GOAL_MS for a in self.answers)


def judge(kind: str, status: int | None, raw: bytes) -> tuple[bool, bool]:
    """(valid TwiML, useful to the caller or texter)."""
    if status != 200:
        return False, False
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return False, False
    if root.tag != "Response":
        return False, False
    if kind == "text":
        said = " ".join("".join(m.itertext()) for m in root.iter("Message"))
        return True, CRISIS_LINE in said or EMERGENCY in said
    dialled = {n.text for n in root.iter("Number")} | {d.text for d in root.iter("Dial") if d.text}
    goes_on = any(True for _ in root.iter("Gather")) or any(True for _ in root.iter("Enqueue"))
    return True, goes_on or bool(dialled & {BACKUP, CRISIS_LINE, EMERGENCY})


def requests_for(count: int) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """Voice (a new call, a menu choice, which needs Redis) and text (a new texter's first message) in turn."""
    for index in range(count):
        caller = f"+9196{index:08d}"
        call = [("CallSid", "CA" + uuid.uuid4().hex), ("From", caller), ("To", HELPLINE)]
        call += [("CallStatus", "ringing"), ("Direction", "inbound"), ("AccountSid", "AC" + "0" * 32)]
        if index % 3 == 0:
            yield "voice", "/twilio/voice/incoming", call
        elif index % 3 == 1:
            yield "voice", "/twilio/voice/menu?kind=languages&attempt=1", [*call, ("Digits", "1")]
        else:
            message = [("MessageSid", "SM" + uuid.uuid4().hex), ("From", caller), ("To", SMS_NUMBER)]
            yield "text", "/messaging/incoming", [*message, ("Body", HINDI_TEXT), ("NumMedia", "0")]


def probe(fault: str, port: int, public_base_url: str, auth_token: str, count: int) -> Probe:
    """``count`` signed webhooks, ``IN_FLIGHT`` at a time, each timed from its send to its answer."""
    result = Probe(fault)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
        driver = WebhookDriver(http, public_base_url, auth_token, timeout=10)

        def one(request: tuple[str, str, list[tuple[str, str]]]) -> Answer:
            kind, path, params = request
            started = time.perf_counter()
            record = driver.send(public_base_url + path, params)
            ms = (time.perf_counter() - started) * 1000
            return Answer(kind, ms, *judge(kind, record.status, record.raw))

        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            result.answers = list(pool.map(one, requests_for(count)))
    return result


def line(result: Probe, *, judged: bool = True) -> str:
    """``judged=False`` for information (a new process's first answers are slow), shown with no verdict."""
    voice, text = len(result.count("voice")), len(result.count("text"))
    verdict = f"goal 100% valid and useful within {GOAL_MS:.0f} ms: {'met' if result.met else 'NOT MET'}"
    return (
        f"{result.fault:<22} requests {len(result.answers)} ({voice} voice, {text} text)  "
        f"valid TwiML {result.share('valid'):5.1f}%  useful {result.share('useful'):5.1f}% "
        f"(voice {result.share('useful', 'voice'):5.1f}%, text {result.share('useful', 'text'):5.1f}%)  "
        f"p99 {result.percentile(0.99):6.1f} ms (voice {result.percentile(0.99, 'voice'):6.1f}, text "
        f"{result.percentile(0.99, 'text'):6.1f})  max {result.percentile(1.0):6.1f} ms  "
        + (verdict if judged else "information")
    )


@contextmanager
def proxied(port: int) -> Iterator[Proxy]:
    proxy = Proxy(port)
    try:
        yield proxy
    finally:
        proxy.close()
