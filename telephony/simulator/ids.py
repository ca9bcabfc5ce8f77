"""Twilio-shaped identifiers: a two-letter prefix and 32 hex digits (CA..., QU..., SM...)."""

from __future__ import annotations

import random
import threading


class SidFactory:
    """Makes sids from a seeded generator, so a test run is reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        with self._lock:
            return prefix + f"{self._random.getrandbits(128):032x}"
