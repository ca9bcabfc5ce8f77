"""The Lua scripts of the live state, registered once per Redis client, and the base every part of
``LiveState`` shares: a script call is one round trip, and an answer of ``rebuild`` (the ``sv:built``
sentinel is missing: Redis lost its data) becomes ``LiveStateLostError``.

Each operation is a ``.lua`` file beside the module that runs it; ``prelude.lua`` (the key layout and the
moves the operations share) is prepended to each, except the standalone ones: the rebuild lock's, which
touches one key only, and the board's read of every listener's state, which changes nothing.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

import redis
from redis.commands.core import Script

from routing.errors import LiveStateLostError

HERE = Path(__file__).parent
OPERATIONS = (
    "enqueue",
    "claim",
    "claim_alongside",
    "free",
    "accept",
    "drop",
    "expire",
    "finish",
    "callback",
    "sync_listener",
    "restore_listener",
    "restore_contact",
)
STANDALONE = ("renew_lock", "listener_states")


def source(name: str) -> str:
    """The Lua that runs for operation ``name`` (the benchmark runs the claim's over redis.asyncio)."""
    body = (HERE / f"{name}.lua").read_text()
    if name in STANDALONE:
        return body
    return (HERE / "prelude.lua").read_text() + "\n-- ---- the operation ----\n" + body


_SOURCES = {name: source(name) for name in OPERATIONS + STANDALONE}
_registered: weakref.WeakKeyDictionary[redis.Redis, dict[str, Script]] = weakref.WeakKeyDictionary()
_registering = threading.Lock()


def scripts_for(client: redis.Redis) -> dict[str, Script]:
    """Register the scripts once per client: hashing them all costs about 90 µs, too much for every request."""
    with _registering:
        scripts = _registered.get(client)
        if scripts is None:
            scripts = {name: client.register_script(body) for name, body in _SOURCES.items()}
            _registered[client] = scripts
        return scripts


class ScriptRunner:
    """Routing's live state on one Redis connection (bytes mode; the parts decode what they read)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._scripts = scripts_for(client)

    def _run(self, name: str, args: list[Any], client: Any = None) -> Any:
        return self._scripts[name](args=args, client=client)

    @staticmethod
    def _check(answer: str) -> None:
        if answer == "rebuild":
            raise LiveStateLostError()
