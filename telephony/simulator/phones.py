"""Simulated handsets: they ring, answer (or not), press keys, hang up, and remember what they heard.

A phone's own number is known only to the simulator. Everything a person on it could perceive (speech,
audio, the caller ID shown when it rings, messages and their sender) goes into its transcript, so a test can
check that a caller's number never reached a listener and the other way round.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.messaging import SimMessage
    from telephony.simulator.model import SimCall


@dataclass(frozen=True)
class Heard:
    """One thing a phone's user perceived. kind: say, play, ring, bridged, unbridged, message, notice."""

    at: float
    kind: str
    text: str
    language: str | None = None
    voice: str | None = None
    call_sid: str | None = None
    by_machine: bool = False


@dataclass
class BridgeRecord:
    other: Phone | None
    call_sid: str
    started_at: float
    ended_at: float | None = None


@dataclass
class _KeyRule:
    pattern: re.Pattern[str]
    digits: str
    once: bool
    used: bool = False


class Phone:
    """A handset on the simulated network. Create with `Simulator.phone(...)`."""

    def __init__(
        self,
        sim: Simulator,
        number: str,
        name: str,
        *,
        answer_after: float | None = 2.0,
        voicemail_after: float | None = None,
        busy: bool = False,
    ) -> None:
        self._sim = sim
        self.number = number
        self.name = name
        self.answer_after = answer_after
        self.voicemail_after = voicemail_after
        self.voicemail_seconds = 20.0
        self.busy = busy
        self.transcript: list[Heard] = []
        self.bridges: list[BridgeRecord] = []
        self.inbox: list[SimMessage] = []
        self.calls: list[SimCall] = []
        self.ringing: list[SimCall] = []
        self.active: SimCall | None = None
        self._keys: deque[str] = deque()
        self._rules: list[_KeyRule] = []

    def __repr__(self) -> str:
        return f"Phone({self.name})"

    # --- what the user does -------------------------------------------------------------------------
    def call(self, to: str) -> SimCall:
        """Dial one of the account's numbers; Twilio requests its Voice URL."""
        return self._sim.start_inbound_call(self, to)

    def press(self, digits: str) -> None:
        """Press keys now. Kept until a <Gather> on this phone's call reads them (type-ahead)."""
        with self._sim.lock:
            self._keys.extend(digits)
            call = self.active
            if call is not None and call.process.is_listening:
                call.process.wake("key")

    def respond(self, when: str, press: str, *, once: bool = True) -> None:
        """Press `press` in a <Gather> after hearing speech matching `when` (a regex, case-insensitive)."""
        self._rules.append(_KeyRule(re.compile(when, re.IGNORECASE), press, once))

    def answer(self) -> None:
        """Pick up the call ringing now (for phones created with answer_after=None)."""
        with self._sim.lock:
            for call in self.ringing:
                call.process.wake("answer")

    def decline(self) -> None:
        """Reject the ringing call: the caller gets busy."""
        with self._sim.lock:
            for call in self.ringing:
                call.process.wake("decline")

    def hang_up(self, after: float = 0.0) -> None:
        """Hang up the current call (or stop calling), now or after `after` simulated seconds."""
        self._sim.hang_up(self, after)

    def send_message(self, to: str, body: str, *, whatsapp: bool = False) -> list[SimMessage]:
        """Text one of the account's numbers; returns the replies Samvaad's TwiML sent back."""
        return self._sim.messaging.receive(self, to, body, whatsapp=whatsapp)

    def tap(self, message: SimMessage, title: str) -> list[SimMessage]:
        """Tap the quick-reply button ``title`` of a WhatsApp template message in the inbox."""
        return self._sim.messaging.tap(self, message, title)

    # --- what the simulator does to it --------------------------------------------------------------
    def hear(self, heard: Heard) -> None:
        self.transcript.append(heard)

    def take_key(self) -> str | None:
        return self._keys.popleft() if self._keys else None

    def has_keys(self) -> bool:
        return bool(self._keys)

    def react_to(self, texts: list[str]) -> None:
        """Queue the keys of the first rule matching speech heard since the last menu."""
        for rule in self._rules:
            if rule.used:
                continue
            if any(rule.pattern.search(text) for text in texts):
                self._keys.extend(rule.digits)
                rule.used = rule.once
                return

    # --- what a test looks at -----------------------------------------------------------------------
    @property
    def is_ringing(self) -> bool:
        return bool(self.ringing)

    @property
    def is_on_call(self) -> bool:
        return self.active is not None

    @property
    def is_bridged(self) -> bool:
        return bool(self.bridges) and self.bridges[-1].ended_at is None

    @property
    def bridged_with(self) -> list[Phone | None]:
        return [record.other for record in self.bridges]

    def speech(self) -> list[str]:
        """Everything said to this phone, in order."""
        return [h.text for h in self.transcript if h.kind == "say"]

    def spoken(self) -> list[Heard]:
        return [h for h in self.transcript if h.kind == "say"]

    def has_heard(self, fragment: str) -> bool:
        """True once any speech heard contained `fragment` (case-insensitive)."""
        needle = fragment.lower()
        return any(needle in text.lower() for text in self.speech())

    @property
    def caller_ids_seen(self) -> list[str]:
        return [h.text for h in self.transcript if h.kind == "ring"]

    def seen_text(self) -> str:
        """All this phone's user could perceive, as one string, for 'never saw that number' assertions."""
        parts = [h.text for h in self.transcript]
        parts += [f"{m.from_} {m.body} {' '.join(m.media_urls)}" for m in self.inbox]
        return "\n".join(parts)


@dataclass
class PhoneBook:
    phones: dict[str, Phone] = field(default_factory=dict)

    def add(self, phone: Phone) -> None:
        if phone.number in self.phones:
            raise ValueError(f"a phone with number ...{phone.number[-4:]} already exists")
        self.phones[phone.number] = phone

    def get(self, address: str) -> Phone | None:
        return self.phones.get(address.removeprefix("whatsapp:"))
