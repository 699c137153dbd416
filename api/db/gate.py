"""SQLite's write lock, queued in the process: first come, first served.

SQLite has one write lock for the whole file, and a connection that finds it taken
waits in SQLite's busy handler: it sleeps and tries again, up to the busy timeout. That
wait is not a queue. Under load (issue 19: 16 users on one worker) a writer that has
waited longest sleeps through the moments the lock is free while newer writers take it,
and after ``OPVANG_SQLITE_BUSY_TIMEOUT_MS`` it gives up: a 503 for a request that only
had to wait its turn.

So within a worker, writers queue for the lock on an ``asyncio.Lock`` (which wakes its
waiters in order) before they ask SQLite for it: a writer's transaction (``BEGIN
IMMEDIATE``) and a reader's that starts writing (``take_write_lock``). The queue holds a
connection's place from then until its transaction ends (commit or rollback) or the
connection goes back to the pool. A writer waits for its turn at most as long as a
statement may run (``OPVANG_DB_STATEMENT_TIMEOUT_MS``, or the busy timeout if that is
longer), then answers 503. Other processes (a second worker, ``opvang`` commands) still
meet the lock in SQLite's busy handler, for at most the busy timeout, as before.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import MutableMapping
from typing import Any

log = logging.getLogger("opvang.db")

# The key in a pooled connection's ``info`` under which it holds its place in the queue.
HELD = "opvang_write_gate"


class WriteGate:
    def __init__(self, timeout_seconds: float) -> None:
        self.timeout = timeout_seconds
        # One lock per event loop (a command may run several loops over one engine).
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def enter(self, info: MutableMapping[Any, Any]) -> None:
        """Wait for this connection's turn (at once if it holds it already)."""
        if HELD in info:
            return
        lock = self._lock()
        try:
            async with asyncio.timeout(self.timeout):
                await lock.acquire()
        except TimeoutError:
            log.warning("waited too long for the write lock", extra={"seconds": self.timeout})
            raise ConnectionError("database busy: waited too long for the write lock") from None
        info[HELD] = lock

    @staticmethod
    def leave(info: MutableMapping[Any, Any]) -> None:
        """Give the turn to the next writer, if this connection holds it."""
        lock = info.pop(HELD, None)
        if lock is not None and lock.locked():
            lock.release()
