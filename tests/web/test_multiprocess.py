"""Two real daphne processes and a real redis-server share a room; its owner is killed.

Viewers on either process see the same room live; a command from a viewer on
the process that does not run the room goes to the owner and is acknowledged
once logged. Then the owner dies (SIGKILL, mid-stream): the other process
takes the room over from the log within 5 s, a follower there is resynced by
sequence number (the new owner's snapshot, then its frames one after another),
and no acknowledged command is lost.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import pytest

from tests.fixtures.rooms import manifest
from tests.fixtures.servers import Daphne, Redis, create_room, server_env
from tests.fixtures.wsclient import Closed, WebSocket


@pytest.fixture
def two_processes(tmp_path):
    redis = Redis()
    database = tmp_path / "db.sqlite3"
    env = server_env(database, REDIS_URL=redis.url, KUBEPLAY_ROOMS_PER_MINUTE="1000")
    servers = []
    try:
        servers.append(Daphne(env))
        servers.append(Daphne(env))
        yield servers, database
    finally:
        for server in servers:
            server.close()
        redis.close()


async def join(
    port: int, code: str, patience: float = 30, cookie: str = ""
) -> tuple[WebSocket, dict]:
    """Connect as a browser does (with its `cookie`), again after a close (4000: the room is
    moving); the socket and its snapshot (its `hello` kept as `socket.hello`)."""
    deadline = time.monotonic() + patience
    while True:
        socket = await WebSocket.connect(port, f"/ws/rooms/{code}/", cookie=cookie)
        try:
            socket.hello = await socket.receive(30)
            assert socket.hello["type"] == "hello"
            while (message := await socket.receive(30))["type"] != "snapshot":
                pass
            return socket, message
        except Closed as closed:
            socket.close()
            if closed.code != 4000 or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.25)


async def command(socket: WebSocket, number: int, line: str, timeout: float = 90) -> dict:
    """Send a command; its `result`, or the `error` that answered it."""
    socket.send({"type": "command", "id": number, "line": line})
    deadline = time.monotonic() + timeout
    while True:
        message = await socket.receive(max(0.1, deadline - time.monotonic()))
        if message.get("id") == number and message["type"] in ("result", "error"):
            return message


def logged_lines(database) -> list[str]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT op FROM playground_roomevent ORDER BY room_id, `index`")
        return [op["line"] for (text,) in rows if (op := json.loads(text))["op"] == "run"]


class Heard:
    """What a follower's browser hears: frames must follow each other by `seq` within an
    epoch; a snapshot starts an epoch afresh (the new owner's, after a takeover)."""

    def __init__(self, snapshot: dict) -> None:
        self.epoch, self.seq = snapshot["epoch"], snapshot["seq"]
        self.gaps = 0
        self.killed_at: float | None = None
        self.new_epoch_at: float | None = None
        self.frames_after = 0

    async def read(self, socket: WebSocket) -> None:
        while True:
            message = await socket.receive(60)
            if message["type"] == "snapshot":
                if message["epoch"] != self.epoch and self.killed_at is not None:
                    self.new_epoch_at = self.new_epoch_at or time.monotonic()
                self.epoch, self.seq = message["epoch"], message["seq"]
            elif message["type"] == "frame":
                if message["epoch"] != self.epoch or message["seq"] != self.seq + 1:
                    self.gaps += 1  # a browser would resync here
                self.epoch, self.seq = message["epoch"], message["seq"]
                if self.new_epoch_at is not None:
                    self.frames_after += 1


def label(n: int) -> str:
    return f"kubectl label pod -l app=kubia step={n} --overwrite"


def test_a_room_shared_by_two_processes_survives_its_owner_dying(two_processes):
    (first, second), database = two_processes
    code, presenter = create_room(first.url, manifest("kubia"))

    async def scenario() -> tuple[list[str], float]:
        # A follower on the first process (which opens the room: it runs it), the presenter
        # on the second, served through the owner: the class is the owner's, one for both.
        near, _ = await join(first.port, code)
        far, snapshot = await join(second.port, code, cookie=presenter)
        assert (near.hello["role"], near.hello["number"]) == ("follower", 1)
        assert far.hello["role"] == "presenter"
        assert len([p for p in snapshot["topology"]["pods"] if p["namespace"] == "default"]) == 3

        # The follower may not change the room; the presenter's command is acknowledged and
        # its frame, naming who ran it, reaches the follower on the other process.
        refused = await command(near, 100, "kubectl delete svc kubia")
        assert refused["type"] == "error"
        assert "presenter" in refused["message"]
        reply = await command(far, 0, label(0))
        assert reply["type"] == "result", reply
        assert reply["exitCode"] == 0
        while "commands" not in (frame := await near.receive()):
            pass
        assert frame["commands"][0]["line"] == label(0)
        assert frame["commands"][0]["who"] == {"role": "presenter", "number": 0}
        # The presenter's view goes to followers on the owner's process too.
        far.send({"type": "view", "tab": "traffic", "selected": None, "pointer": "dns",
                  "zoom": 2, "scroll": [0, 0.5]})  # fmt: skip
        while "view" not in (frame := await near.receive()):
            pass
        assert frame["view"]["pointer"] == "dns"

        # A follower on the process that lives, as a browser: frames in `seq` order, and
        # after the owner's death a snapshot of the new owner's epoch, then its frames.
        watcher, snapshot = await join(second.port, code)
        heard = Heard(snapshot)
        reading = asyncio.create_task(heard.read(watcher))
        reply = await command(far, 1000, "kubectl get pods")  # a frame to start from
        assert reply["type"] == "result"

        acked, killed_at, first_after = [label(0)], None, None
        number = 1
        while len(acked) < 16 and number < 200:
            if number == 8 and killed_at is None:
                first.kill()  # the owner dies mid-stream
                killed_at = time.monotonic()
                heard.killed_at = killed_at
            try:
                reply = await command(far, number, label(number))
            except (Closed, ConnectionError, asyncio.IncompleteReadError, TimeoutError):
                far.close()
                await asyncio.sleep(0.2)
                far, _ = await join(second.port, code, cookie=presenter)  # it reconnects
                number += 1
                continue
            if reply["type"] == "result" and reply["exitCode"] == 0:
                acked.append(label(number))
                if killed_at is not None and first_after is None:
                    first_after = time.monotonic() - killed_at
            number += 1
        far.close()
        reading.cancel()
        watcher.close()
        return acked, first_after, heard

    acked, first_after, heard = asyncio.run(scenario())
    assert len(acked) == 16
    # The follower was resynced by sequence number: the new owner's snapshot (a new epoch)
    # within 5 s of the kill, then its frames one after another, none missed.
    assert heard.new_epoch_at is not None, "the follower never heard from the new owner"
    assert heard.new_epoch_at - heard.killed_at < 5
    assert heard.frames_after > 0
    assert heard.gaps == 0
    # The presenter's commands are acknowledged again soon after (reconnecting if need be).
    assert first_after is not None
    assert first_after < 5
    lines = logged_lines(database)
    # Every acknowledged command is in the log, in the order acknowledged.
    positions = [lines.index(line) for line in acked]
    assert positions == sorted(positions)
