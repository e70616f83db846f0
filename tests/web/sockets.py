"""Websocket helpers for web tests: the room socket through the full ASGI stack."""

from __future__ import annotations

import asyncio

from channels.testing import WebsocketCommunicator

from playground.asgi import application

OUR_ORIGIN = b"http://localhost:8000"


def communicator(code, query="", origin=OUR_ORIGIN, cookies: dict[str, str] | None = None):
    path = f"/ws/rooms/{code}/" + (f"?{query}" if query else "")
    headers = [(b"origin", origin)]
    if cookies:
        headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def receive(socket, type_, timeout=10.0):
    """The next message of `type_`; others are kept for later calls (frames may come first)."""
    held = socket.__dict__.setdefault("held", [])
    for i, message in enumerate(held):
        if message["type"] == type_:
            return held.pop(i)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        message = await socket.receive_json_from(timeout=max(0.01, deadline - loop.time()))
        if message["type"] == type_:
            return message
        if message["type"] != "frame" or set(message) - {"type", "epoch", "seq", "time", "at"}:
            held.append(message)  # not just the time ticking by


async def eventually(read, holds=bool, timeout=5.0):
    """Wait until `holds(read())` (`read` may be async); fail after `timeout` seconds."""
    async with asyncio.timeout(timeout):
        while True:
            value = read()
            if asyncio.iscoroutine(value):
                value = await value
            if holds(value):
                return value
            await asyncio.sleep(0.02)


async def open_socket(code, query="", cookies: dict[str, str] | None = None):
    """A connected socket past its `hello` (kept as `socket.hello`)."""
    socket = communicator(code, query, cookies=cookies)
    connected, _ = await socket.connect()
    assert connected
    hello = await socket.receive_json_from(timeout=15)  # after a takeover, if need be
    assert hello["type"] == "hello"
    socket.hello = hello
    return socket


# Reads of a room's cluster, run in its worker process (so they travel by name).


def snapshot_and_time(cluster):
    return cluster.snapshot(), cluster.now


def events_and_generator(cluster):
    return cluster.seq, cluster.state.rng.getstate()


def cluster_snapshot(cluster):
    return cluster.snapshot()


async def default_pod(live):
    """A pod of the default namespace, as viewers know it."""
    topology = await live.viewers_topology()
    return next(p for p in topology["pods"] if p["namespace"] == "default")
