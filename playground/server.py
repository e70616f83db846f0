"""The production server: daphne, with a hand on each websocket's transport.

`python -m playground.server [daphne's options] playground.asgi:application`
is daphne with two changes, through daphne's own extension point (its
command line's `server_class`):

- each connection's socket is read at most `READ_BYTES` at a time, so a
  client flooding messages is parsed a slice at a time and the event loop
  serves every other room in between (daphne's transport reads 64 KiB at
  once: two thousand small websocket messages parsed in one go);
- the application may end a connection at once (`scope["extensions"]
  ["kubeplay.connection"].abort()`), dropping what the client still sends
  unread, where a websocket close waits for the client's reply while its
  flood is parsed. The room consumer does so for a flood
  (playground/arrivals.py).

`manage.py serve` runs it; plain `daphne` runs the same application without
them (a flood then costs the event loop more; docs/performance.md).
"""

from __future__ import annotations

from daphne.cli import (  # type: ignore[import-untyped]  # daphne ships no types
    CommandLineInterface,
)
from daphne.server import Server  # type: ignore[import-untyped]  # daphne ships no types

#: The most one read takes from a connection's socket (Twisted's default is 64 KiB).
READ_BYTES = 4096


class Connection:
    """What the application may do to its own connection's transport."""

    def __init__(self, protocol) -> None:
        self._protocol = protocol

    def abort(self) -> None:
        """Drop the connection now: nothing more is read from it."""
        transport = getattr(self._protocol, "transport", None)
        if transport is not None:
            transport.abortConnection()


class KubeplayServer(Server):
    def create_application(self, protocol, scope):
        transport = getattr(protocol, "transport", None)
        if transport is not None and hasattr(transport, "bufferSize"):
            transport.bufferSize = READ_BYTES
        scope.setdefault("extensions", {})["kubeplay.connection"] = Connection(protocol)
        return super().create_application(protocol, scope)


class KubeplayCommandLine(CommandLineInterface):
    server_class = KubeplayServer


if __name__ == "__main__":
    KubeplayCommandLine.entrypoint()
