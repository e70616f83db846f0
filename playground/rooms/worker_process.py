"""A room's engine in a worker process of its own (see playground/rooms/worker.py, "why").

The live room talks to its worker over a socket pair: each message is a
length and a pickle; a call is `(method, args)`, an answer `("ok", value)`
or `("error", exception)`. Workers are forked by the zygote
(playground/zygote.py), which this module starts on first use.
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
from pathlib import Path
from typing import Any

from playground import limits
from playground.rooms.engine import RoomEngine, RoomSpec
from playground.rooms.worker import Worker, WorkerGone, WorkTooLarge

ROOT = Path(__file__).resolve().parents[2]
_HEADER = struct.Struct("!Q")


class ProcessWorker(Worker):
    """The engine in a process of its own, called over a socket pair (length + pickle)."""

    kind = "process"
    pid: int | None = None
    #: Why the worker was stopped, when the server stopped it.
    stopped: WorkerGone | None = None

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
            raise self.stopped or WorkerGone("the room's worker was stopped")
        self._write((method, args))
        await self._writer.drain()
        try:
            return await asyncio.wait_for(self._receive(), limits.MAX_WORK_SECONDS)
        except TimeoutError:
            reason = WorkTooLarge(
                f"That took longer than a room may work at once ({limits.MAX_WORK_SECONDS:g} s)"
            )
            self.stop(reason)
            raise reason from None

    def stop(self, reason: WorkerGone) -> None:
        """End the worker now (a runaway command): its caller gets `reason`."""
        self.stopped = reason
        self.abandon()

    def _write(self, value: Any) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        self._writer.write(_HEADER.pack(len(data)) + data)

    async def _receive(self) -> Any:
        try:
            size = _HEADER.unpack(await self._reader.readexactly(_HEADER.size))[0]
            status, value = pickle.loads(await self._reader.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            raise self.stopped or WorkerGone("the room's worker stopped") from None
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

    def _start(self) -> socket.socket:
        """The running zygote's control socket, starting it first if need be."""
        if self._process is not None and self._process.poll() is None and self._control:
            return self._control
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "playground.zygote", str(theirs.fileno())],
            pass_fds=[theirs.fileno()],
            cwd=ROOT,
        )
        theirs.close()
        self._control = ours
        return ours

    def warm(self) -> None:
        """Start the zygote and wait until it can fork (blocking, for start-up)."""
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self.fork(theirs)  # a worker that finds its socket closed and ends

    def fork(self, channel: socket.socket) -> int:
        """A new worker process serving `channel`; its pid."""
        with self._lock:
            control = self._start()
            reply = b""
            try:
                socket.send_fds(control, [b"f"], [channel.fileno()])
                while len(reply) < 4:
                    chunk = control.recv(4 - len(reply))
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


# -- inside the worker process ----------------------------------------------------------


def warm_up() -> None:
    """Run a room's usual work once (the zygote does, before it forks), so the modules and
    caches the simulator loads on first use are loaded before the workers share them."""
    from playground.rooms.catalog import default_example

    spec = RoomSpec("warm-up", 0, default_example()["manifest"], [], True, 1.0, 16)
    engine = RoomEngine(spec)
    engine.snapshot()
    for line in ("kubectl get pods -o wide", "kubectl describe svc", "kubectl get svc -o yaml"):
        engine.command(line, "", "", {})
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
