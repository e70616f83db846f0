"""Frames framed once and written straight to daphne's sockets (playground/fanout.py)."""

from __future__ import annotations

import socket
import struct
from functools import partial

import pytest
from autobahn.websocket.protocol import WebSocketProtocol
from daphne.ws_protocol import WebSocketProtocol as DaphneWebSocket
from twisted.internet.tcp import Connection

from playground import fanout


def read_frame(data: bytes) -> tuple[int, str, bytes]:
    """(first byte, text, what follows) of one unmasked websocket frame (RFC 6455, 5.2)."""
    first, second = data[0], data[1]
    assert not second & 0x80  # a server never masks
    n, at = second & 0x7F, 2
    if n == 126:
        (n,), at = struct.unpack("!H", data[2:4]), 4
    elif n == 127:
        (n,), at = struct.unpack("!Q", data[2:10]), 10
    return first, data[at : at + n].decode(), data[at + n :]


@pytest.mark.parametrize("size", [5, 125, 126, 65535, 70_000])
def test_a_text_is_framed_as_one_final_text_frame(size):
    text = ("é" + "x" * size)[:size]
    first, body, rest = read_frame(fanout.framed(text))
    assert first == 0x81  # FIN, opcode 1 (text)
    assert body == text
    assert rest == b""


def test_the_same_text_is_framed_once():
    text = "".join(["frame", "-1"])  # a new object
    assert fanout.framed(text) is fanout.framed(text)
    assert fanout.framed("".join(["frame", "-2"])) is not fanout.framed(text)


class Peer:
    """A daphne websocket in the open state over one end of a socket pair."""

    def __init__(self, buffer: int | None = None) -> None:
        self.ours, self.theirs = socket.socketpair()
        for end in (self.ours, self.theirs):
            end.setblocking(False)
            if buffer:
                end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, buffer)
                end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer)
        self.protocol = DaphneWebSocket.__new__(DaphneWebSocket)
        self.protocol.state = WebSocketProtocol.STATE_OPEN
        self.protocol.send_queue = []
        self.protocol._perMessageCompress = None
        self.transport = Connection(self.ours, self.protocol)
        self.transport.connected = True
        self.transport.startWriting = lambda: None  # no reactor here: nothing flushes later
        self.protocol.transport = self.transport
        self.send = partial(lambda protocol, message: None, self.protocol)

    def received(self) -> bytes:
        chunks = []
        while True:
            try:
                chunks.append(self.theirs.recv(1 << 20))
            except BlockingIOError:
                return b"".join(chunks)


def test_frames_go_straight_into_an_idle_socket_and_queue_behind_a_busy_one(settings):
    settings.KUBEPLAY_FANOUT = "direct"
    peer = Peer(buffer=4096)
    write = fanout.direct_writer(peer.send)
    assert write("hello") is True
    first, body, rest = read_frame(peer.received())
    assert (first, body, rest) == (0x81, "hello", b"")

    big = "y" * 400_000  # more than the socket takes at once: the rest waits in the transport
    assert write(big) is True
    assert peer.transport._tempDataLen > 0
    queued = peer.transport._tempDataLen
    assert write("after") is True  # queued behind, never ahead of, what waits
    assert peer.transport._tempDataLen == queued + len(fanout.framed("after"))


def test_anything_but_an_open_daphne_socket_takes_the_asgi_path(settings):
    settings.KUBEPLAY_FANOUT = "direct"
    assert fanout.direct_writer(lambda message: None) is None  # a test communicator's send
    peer = Peer()
    write = fanout.direct_writer(peer.send)
    peer.protocol.state = WebSocketProtocol.STATE_CLOSING
    assert write("late") is False
    peer.protocol.state = WebSocketProtocol.STATE_OPEN
    peer.protocol._perMessageCompress = object()
    assert write("compressed") is False
    settings.KUBEPLAY_FANOUT = "asgi"
    assert fanout.direct_writer(peer.send) is None
