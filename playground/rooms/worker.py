"""Where a room's engine runs: a worker process of its own (the server's way), a thread, or inline.

The event loop serves every room's viewers, so no room's simulator work may
run on it: a 20,000-pod apply would stop every other room's frames for
seconds. A thread is not enough either: a CPU-bound thread holds the
interpreter lock, and the loop waits up to the switch interval for it after
every socket write. So each live room runs its `RoomEngine` in a process of
its own (playground/rooms/worker_process.py), forked from a process that
has Django and the simulator loaded (playground/zygote.py). Its memory goes
back to the system when the room unloads, and a runaway room can be stopped
by ending its process.
docs/performance.md ("Rooms never stall each other") has the measurements
behind the choice; `KUBEPLAY_ROOM_WORKER` picks `thread` or `inline` instead
(benchmarks and debugging).

A worker answers one call at a time. A call survives the cancellation of
whoever awaits it (a viewer that disconnects mid-command): the room's state
must not depend on who is still listening.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from playground.rooms.engine import RoomEngine, RoomSpec


class WorkerGone(Exception):
    """The room's worker died or was stopped (its room must be replayed)."""


class WorkTooLarge(WorkerGone):
    """The room's worker was stopped for taking more time or memory than a room may."""


class Worker:
    """Runs a room's engine; `call(method, *args)` runs one of its methods."""

    kind = "inline"

    def __init__(self, spec: RoomSpec) -> None:
        self.spec = spec
        self.engine: RoomEngine | None = None
        self._calls = asyncio.Lock()

    async def start(self) -> None:
        self.engine = RoomEngine(self.spec)

    async def call(self, method: str, *args: Any) -> Any:
        """Run `engine.method(*args)`; cancelling the caller does not cancel the call."""
        task = asyncio.ensure_future(self._serialised(method, args))
        task.add_done_callback(_retrieved)
        return await asyncio.shield(task)

    async def _serialised(self, method: str, args: tuple) -> Any:
        async with self._calls:
            return await self._run(method, args)

    async def _run(self, method: str, args: tuple) -> Any:
        return getattr(self.engine, method)(*args)

    async def close(self) -> None:
        self.engine = None

    def abandon(self) -> None:
        """Stop at once, without waiting (a test's event loop is going away)."""
        self.engine = None

    def memory(self) -> int:
        """Bytes the room holds (resident set of its worker process; 0 when shared)."""
        return 0


def _retrieved(task: asyncio.Future) -> None:
    """Mark a call's outcome as seen: its caller may have stopped waiting for it."""
    if not task.cancelled():
        task.exception()


class ThreadWorker(Worker):
    """The engine in a thread of its own (it still shares the interpreter lock)."""

    kind = "thread"

    async def start(self) -> None:
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=f"room-{self.spec.code}")
        loop = asyncio.get_running_loop()
        self.engine = await loop.run_in_executor(self._thread, RoomEngine, self.spec)

    async def _run(self, method: str, args: tuple) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, getattr(self.engine, method), *args)

    async def close(self) -> None:
        self.abandon()

    def abandon(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)
        self.engine = None
