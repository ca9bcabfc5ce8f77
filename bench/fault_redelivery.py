"""Every webhook delivered 1–6 times, concurrently and out of order: one side effect each?

``Redeliver`` stands between the simulator and the web process: each webhook (voice, status callback, text)
is sent 1 to 6 times: the simulator's own copy, and copies from other threads at the same moment or up to
1.5 s later (after the call's next webhooks: out of order). The simulator carries on with its own copy's
answer, as Twilio uses one answer. Then ``bench.many_processes``'s calls and texts run through it and its
invariants are checked: each contact created once, each caller bridged once, no listener offered a contact
twice or rung for no offer, each text relayed once.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from sqlmodel import Session, func, select

from bench.fault_rig import Rig
from bench.many_processes import HINDI_TEXT, drive, violations

MAX_COPIES = 6
LATE_SECONDS = 1.5


class Redeliver(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, seed: int = 12) -> None:
        self.inner = inner
        self.rng = random.Random(seed)
        self.pool = ThreadPoolExecutor(16, thread_name_prefix="redeliver")
        self.copies: Counter[int] = Counter()  # deliveries per webhook -> how many webhooks
        self.failed = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        with self._lock:
            copies = self.rng.randint(1, MAX_COPIES)
            delays = [self.rng.choice((0.0, self.rng.uniform(0, LATE_SECONDS))) for _ in range(copies - 1)]
            self.copies[copies] += 1
        for delay in delays:
            copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            self.pool.submit(self._deliver_copy, copy, delay)
        return self.inner.handle_request(request)

    def _deliver_copy(self, request: httpx.Request, delay: float) -> None:
        time.sleep(delay)
        try:
            response = self.inner.handle_request(request)
            response.read()
            response.close()
        except httpx.HTTPError:
            with self._lock:
                self.failed += 1

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.inner.close()


@dataclass
class Effects:
    webhooks: int
    deliveries: int
    contacts: int
    expected_contacts: int
    offers: int
    rings: int
    relayed: int
    texts: int
    broken: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not self.broken and self.contacts == self.expected_contacts and self.offers == self.rings

    def line(self) -> str:
        return (
            f"{'redelivered 1-6x':<22} {self.webhooks} webhooks sent {self.deliveries} times: contacts "
            f"{self.contacts} (for {self.expected_contacts} calls and texts), offers {self.offers} "
            f"(listeners rung {self.rings}), relayed {self.relayed} (of {self.texts} texts), broken "
            f"invariants {len(self.broken)}  goal one side effect each: {'met' if self.met else 'NOT MET'}"
        )


def measure_redelivery(rig: Rig, redeliver: Redeliver, calls: int, texts: int, listeners: int) -> Effects:
    from schemas.tables import Contact, VoiceOffer

    traffic = drive(rig.group, calls, texts, listeners)
    time.sleep(LATE_SECONDS + 1)  # the late copies arrive
    redeliver.pool.submit(lambda: None).result()
    broken = violations(rig.services, rig.group, traffic)
    with Session(rig.services.engine) as session:
        contacts = session.exec(select(func.count()).select_from(Contact)).one()
        offers = session.exec(select(func.count()).select_from(VoiceOffer)).one()
    rings = sum(len(phone.caller_ids_seen) for phone in traffic.listeners)
    relayed = sum(m.body.endswith(HINDI_TEXT) for phone in traffic.listeners for m in phone.inbox)
    webhooks = sum(redeliver.copies.values())
    deliveries = sum(n * k for n, k in redeliver.copies.items())
    if redeliver.failed:
        broken.append(f"{redeliver.failed} copies got no answer")
    return Effects(webhooks, deliveries, contacts, calls + texts, offers, rings, relayed, texts, broken)
