"""One frame to many websockets at the cost of one: the room's hot path under daphne.

A room sends each frame, the same text, to every viewer in this process, 16
times a second. Through the ASGI `send`, each copy costs a coroutine through
Channels and daphne, a UTF-8 encoding, autobahn framing it and formatting a
debug line whether or not it is logged, then Twisted registering the socket
for writing, writing it on the next turn of the loop and unregistering it:
about 40 µs of CPU per viewer and frame, measured (docs/performance.md, "A
class"), so 1,000 followers cost 0.64 s of CPU a second.

Frames from a server are not masked (RFC 6455, 5.1), so the framed bytes are
the same for every viewer: the text is framed once, with autobahn's
`PreparedMessage` (its API for broadcasting), and the bytes are written to
each viewer's socket at once when its send buffer is empty (Twisted's own
`writeSomeData`), else queued on its transport behind what waits there.
Only an open, uncompressed daphne websocket over plain TCP (TLS ends at the
proxy in front) is written to so; anything else (a closing socket, a test
communicator, another ASGI server, `KUBEPLAY_FANOUT=asgi`) goes through the
ASGI `send` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from autobahn.websocket.protocol import PreparedMessage, WebSocketProtocol
from daphne.ws_protocol import (  # type: ignore[import-untyped]  # daphne ships no types
    WebSocketProtocol as DaphneWebSocket,
)
from django.conf import settings
from twisted.internet.tcp import Connection

#: The last text framed and its bytes: every viewer of a room is sent the same object.
_last: tuple[str, bytes] | None = None


def framed(text: str) -> bytes:
    """`text` as one unmasked websocket text frame (framed once for all who get it)."""
    global _last
    if _last is not None and _last[0] is text:
        return _last[1]
    wire = PreparedMessage(text.encode(), False, False, True).payloadHybi
    _last = (text, wire)
    return wire


def direct_writer(send: Callable[..., Any]) -> Callable[[str], bool] | None:
    """A function that writes a text straight to the daphne websocket behind `send` (a
    connection's ASGI send) and says whether it could; None when `send` is not daphne's."""
    protocol = send.args[0] if isinstance(send, partial) and send.args else None
    if settings.KUBEPLAY_FANOUT != "direct" or not isinstance(protocol, DaphneWebSocket):
        return None
    transport = protocol.transport
    plain = isinstance(transport, Connection) and not getattr(transport, "TLS", True)

    def write(text: str) -> bool:
        if (
            protocol.state != WebSocketProtocol.STATE_OPEN
            or protocol.send_queue
            or protocol._perMessageCompress is not None
        ):
            return False
        data = framed(text)
        # Nothing waits in the transport (its private count of bytes queued since the last
        # write is 0), so these bytes may go first: straight into the socket.
        if (
            plain
            and transport.offset == len(transport.dataBuffer)
            and not getattr(transport, "_tempDataLen", 1)
        ):
            sent = transport.writeSomeData(data)
            if not isinstance(sent, int):
                return False  # the connection is lost: daphne's path sees to it
            data = data[sent:]
        if data:
            transport.write(data)
        return True

    return write
