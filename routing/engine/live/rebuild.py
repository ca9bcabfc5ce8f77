"""The sentinel and the rebuild: ``sv:built`` names the Redis run the state was built on, and one process
at a time rebuilds it from the database under a lock that only its holder can renew or release."""

from __future__ import annotations

import time

from routing.engine.live.keys import BUILT, PREFIX, REBUILDING, new_id, text_of
from routing.engine.live.scripts import ScriptRunner

REBUILD_LOCK_SECONDS = 30


class RebuildMoves(ScriptRunner):
    build_wait_seconds: float = 5.0
    _rebuild_token: str = ""

    def is_built(self) -> bool:
        return bool(self.client.exists(BUILT))

    def built_for(self) -> str | None:
        """The Redis run id the live state was built on: a different one means Redis restarted."""
        value = self.client.get(BUILT)
        return text_of(value) if value is not None else None

    def server_run_id(self) -> str:
        return str(self.client.info("server")["run_id"])

    def begin_rebuild(self, seconds: int = REBUILD_LOCK_SECONDS) -> bool:
        """Only one process rebuilds at a time; the others wait for the sentinel. The lock holds a token of
        this LiveState's, so only the rebuilder can renew it (``renew_rebuild``) while the work goes on."""
        token = new_id()
        if not self.client.set(REBUILDING, token.encode(), nx=True, ex=seconds):
            return False
        self._rebuild_token = token
        return True

    def renew_rebuild(self, seconds: int = REBUILD_LOCK_SECONDS) -> bool:
        """Keep the rebuild lock for another ``seconds``: a long rebuild must not expire it and let a second
        process rebuild at the same time. False if the lock is not ours (any more)."""
        if not self._rebuild_token:
            return False
        return bool(self._scripts["renew_lock"](keys=[REBUILDING], args=[self._rebuild_token, seconds]))

    def wipe(self) -> None:
        """Forget every routing key (a stale snapshot after a restart): the database is the truth."""
        keys = [
            key for key in self.client.scan_iter(match=PREFIX + "*", count=1000) if key != REBUILDING.encode()
        ]
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])

    def wait_for_build(self, run_id: str | None = None, pause_seconds: float = 0.05) -> bool:
        """Wait (at most ``build_wait_seconds``) for another process's rebuild: the sentinel set, and naming
        ``run_id`` when given (a stale snapshot's sentinel names an older run). False if it did not come."""
        deadline = time.monotonic() + self.build_wait_seconds
        while True:
            built_for = self.built_for()
            if built_for is not None and (run_id is None or built_for == run_id):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause_seconds)

    def mark_built(self, run_id: str) -> None:
        """Set the sentinel and release our rebuild lock (never another process's)."""
        self.client.set(BUILT, run_id.encode())
        if self._rebuild_token:
            self._scripts["renew_lock"](keys=[REBUILDING], args=[self._rebuild_token, 0])
            self._rebuild_token = ""
