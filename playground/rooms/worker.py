"""Where a room's engine runs: a worker process of its own (the server's way), a thread, or inline.

The event loop serves every room's viewers, so no room's simulator work may
run on it: a 20,000-pod apply would stop every other room's frames for
seconds. A thread is not enough either: a CPU-bound thread holds the
interpreter lock, and the loop waits up to the switch interval for it after
every socket write. So each live room runs its `RoomEngine` in a process of
its own, forked from a process that has Django and the simulator loaded
(playground/zygote.py). Its memory goes back to the system when the
room unloads, and a runaway room can be stopped by ending its process.
docs/performance.md ("Rooms never stall each other") has the measurements
behind the choice; `KUBEPLAY_ROOM_WORKER` picks `thread` or `inline` instead
(benchmarks and debugging).

A worker answers one call at a time. A call survives the cancellation of
whoever awaits it (a viewer that disconnects mid-command): the room's state
must not depend on who is still listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from playground.rooms.engine import RoomEngine, RoomSpec

ROOT = Path(__file__).resolve().parents[2]
_HEADER = struct.Struct("!Q")


class WorkerGone(Exception):
    """The room's worker died or was stopped (its room must be replayed)."""


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


class ProcessWorker(Worker):
    """The engine in a process of its own, called over a socket pair (length + pickle)."""

    kind = "process"
    pid: int | None = None

    async def start(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.pid = await asyncio.to_thread(ZYGOTE.fork, theirs)
        finally:
            theirs.close()
        self._reader, self._writer = await asyncio.open_connection(sock=ours)
        try:
            self._write(self.spec)
            await self._receive()  # the engine is built (the log replayed), or why not
        except BaseException:
            await self.close()
            raise

    async def _run(self, method: str, args: tuple) -> Any:
        if self.pid is None:
            raise WorkerGone("the room's worker was stopped")
        self._write((method, args))
        await self._writer.drain()
        return await self._receive()

    def _write(self, value: Any) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._writer.write(_HEADER.pack(len(data)) + data)

    async def _receive(self) -> Any:
        try:
            size = _HEADER.unpack(await self._reader.readexactly(_HEADER.size))[0]
            status, value = pickle.loads(await self._reader.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            raise WorkerGone("the room's worker stopped") from None
        if status == "error":
            raise value
        return value

    async def close(self) -> None:
        """Close the worker's socket (it ends), and end it if it is busy."""
        writer = getattr(self, "_writer", None)
        if writer is not None:
            writer.close()
        pid, self.pid = self.pid, None
        if pid is not None:
            await asyncio.to_thread(_stop, pid)

    def abandon(self) -> None:
        pid, self.pid = self.pid, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def memory(self) -> int:
        """The worker's own memory: pages no other process shares (what its exit frees)."""
        if self.pid is None:
            return 0
        try:
            rollup = Path(f"/proc/{self.pid}/smaps_rollup").read_text()
        except OSError:
            return 0
        kib = sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Private_")
        )
        return kib * 1024


def _stop(pid: int, grace: float = 1.0) -> None:
    """Wait a moment for a worker to end by itself (its socket closed), then kill it."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Zygote:
    """This server's zygote (playground/zygote.py), started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the zygote if it is not running (blocking: it loads Django and the
        simulator in the background, a second or two)."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "playground.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            cwd=ROOT,
        )
        theirs.close()
        self._control = ours

    def warm(self) -> None:
        """Start the zygote and wait until it can fork (blocking, for start-up)."""
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.fork(theirs)  # a worker that finds its socket closed and ends

    def fork(self, channel: socket.socket) -> int:
        """A new worker process serving `channel`; its pid."""
        with self._lock:
            self._start()
            reply = b""
            try:
                socket.send_fds(self._control, [b"f"], [channel.fileno()])
                while len(reply) < 4:
                    chunk = self._control.recv(4 - len(reply))
                    if not chunk:
                        break
                    reply += chunk
            except OSError:
                pass
            if len(reply) < 4:
                self._process = None  # the next room starts a new one
                raise WorkerGone("the room workers' zygote stopped")
            return struct.unpack("!I", reply)[0]


ZYGOTE = Zygote()


WORKERS: dict[str, type[Worker]] = {
    "process": ProcessWorker,
    "thread": ThreadWorker,
    "inline": Worker,
}


# -- inside the worker process ----------------------------------------------------------


def warm_up() -> None:
    """Run a room's usual work once (the zygote does, before it forks), so the modules and
    caches the simulator loads on first use are loaded before the workers share them."""
    from playground.rooms.catalog import default_example

    spec = RoomSpec("warm-up", 0, default_example()["manifest"], [], True, 1.0, 16)
    engine = RoomEngine(spec)
    engine.snapshot()
    for line in ("kubectl get pods -o wide", "kubectl describe svc", "kubectl get svc -o yaml"):
        engine.command(line, "", "")
    engine.tick()
    engine.export_yaml()


def serve(channel: socket.socket) -> None:
    """A worker's life: read its room's spec, build the engine (replaying the log), then
    answer calls until the socket closes."""
    stream = channel.makefile("rwb")
    spec = _read(stream)
    if spec is None:
        return
    try:
        engine: Any = RoomEngine(spec)
        _answer(stream, "ok", None)
    except Exception as exc:  # noqa: BLE001 - the live room reports it
        _answer(stream, "error", _portable(exc))
        return
    while (call := _read(stream)) is not None:
        method, args = call
        try:
            _answer(stream, "ok", getattr(engine, method)(*args))
        except Exception as exc:  # noqa: BLE001 - raised again in the server
            _answer(stream, "error", _portable(exc))


def _read(stream) -> Any:
    """The next message from the server; None once it closed the room (or died)."""
    try:
        head = stream.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return None
        return pickle.loads(stream.read(_HEADER.unpack(head)[0]))
    except (OSError, EOFError):
        return None


def _answer(stream, status: str, value: Any) -> None:
    data = pickle.dumps((status, value), pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _portable(exc: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
