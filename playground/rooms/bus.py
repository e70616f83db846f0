"""Messages between the server's processes, through the channel layer (Redis with `REDIS_URL`).

Each process has one channel of its own (its address, which a room's lease
names when the process owns the room) and one task reading it. Over it go:

- requests to a room's owner from a process whose viewers asked (`request`,
  answered with `bus.reply`): commands, streams, the clock, inspectors,
  snapshots, and how many viewers each process has (presence);
- what a room publishes to every process that has viewers of it (`publish`
  to the room's group, one message per frame, not one per viewer): each
  process fans it out to its own viewers (playground/rooms/view.py).

One process (no `REDIS_URL`) needs none of it: its views talk to its rooms
directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from playground.rooms.errors import RoomGone

logger = logging.getLogger(__name__)

#: The channel layer the bus uses when the settings name one (`CHANNEL_LAYERS`).
BUS_LAYER = "bus"
#: How long a request waits for its reply before the viewer is told (seconds). Generous:
#: a command may run as long as the room's largest work.
REQUEST_SECONDS = 60.0

Handler = Callable[[dict[str, Any]], Awaitable[Any]]
#: What each message type means to this process (set by the registry).
HANDLERS: dict[str, Handler] = {}


def on(kind: str, handler: Handler) -> None:
    """Handle messages of `type` `kind` (a request's answer is the handler's return value)."""
    HANDLERS[kind] = handler


class RequestFailed(RoomGone):
    """The other process did not answer in time, or failed: the viewer reconnects (and so
    finds the room's owner afresh)."""


class Bus:
    """This process's end of the bus, on one event loop."""

    def __init__(self) -> None:
        # The bus's own layer when the server has one (several processes), so that no
        # consumer's channel stands in its way; else the default (one process, in memory).
        layer = get_channel_layer(BUS_LAYER if BUS_LAYER in settings.CHANNEL_LAYERS else "default")
        if layer is None:
            raise RuntimeError("the bus needs a channel layer (settings.CHANNEL_LAYERS)")
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.address = ""
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        #: Where each waiting request went, so those to a dead process can be given up.
        self._sent_to: dict[int, str] = {}
        self._reader: asyncio.Task | None = None
        self._ready = asyncio.Lock()
        #: When each process last answered a request of this one (the event loop's time).
        self._answered_at: dict[str, float] = {}

    async def start(self) -> str:
        """This process's address (its channel), reading it from the first call on."""
        async with self._ready:
            if not self.address:
                # The default prefix: channels_redis reads every channel of a process
                # through one queue per prefix, which its consumers' channels already use.
                self.address = await self.layer.new_channel()
                self._reader = self.loop.create_task(self._read(), name="bus-reader")
        return self.address

    async def request(
        self,
        to: str,
        message: dict[str, Any],
        timeout: float = REQUEST_SECONDS,
        alive: Callable[[], Awaitable[bool]] | None = None,
    ):
        """Send `message` to the process at `to` and return its handler's answer; after each
        `timeout` without one, wait again while `alive()` says that process still works (up
        to `REQUEST_SECONDS`): the same request, never sent twice."""
        await self.start()
        number = next(self._ids)
        answer = self.loop.create_future()
        self._waiting[number], self._sent_to[number] = answer, to
        waited = 0.0
        try:
            await self.layer.send(to, {**message, "reply_to": self.address, "request": number})
            while True:
                try:
                    return await asyncio.wait_for(asyncio.shield(answer), timeout)
                except TimeoutError:
                    waited += timeout
                    if alive is None or waited >= REQUEST_SECONDS or not await alive():
                        raise RequestFailed("the server running this room did not answer") from None
        finally:
            self._waiting.pop(number, None)
            self._sent_to.pop(number, None)

    def last_answer(self, address: str) -> float:
        """When the process at `address` last answered this one (0: never): a sign of life
        as good as a heartbeat, and the one that comes first while it serves many requests."""
        return self._answered_at.get(address, 0.0)

    def give_up(self, to: str) -> None:
        """Fail every request still waiting for the process at `to` (it is dead)."""
        for number, address in list(self._sent_to.items()):
            answer = self._waiting.get(number)
            if address == to and answer is not None and not answer.done():
                answer.set_exception(RequestFailed("the server running this room stopped"))

    async def send(self, to: str, message: dict[str, Any]) -> None:
        await self.start()
        await self.layer.send(to, message)

    async def publish(self, group: str, message: dict[str, Any]) -> None:
        """One message to every process that joined `group`."""
        await self.layer.group_send(group, message)

    async def join(self, group: str) -> None:
        await self.layer.group_add(group, await self.start())

    async def leave(self, group: str) -> None:
        if self.address:
            await self.layer.group_discard(group, self.address)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.address)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis went away for a moment: try again
                logger.exception("bus: could not read this process's channel")
                await asyncio.sleep(0.5)
                continue
            if message.get("type") == "bus.reply":
                self._answered(message)
            elif "reply_to" in message:
                task = self.loop.create_task(self._answer(message))
                task.add_done_callback(_quiet)
            else:
                handler = HANDLERS.get(message.get("type", ""))
                if handler is not None:
                    # In order: a room's frames must reach its viewers in sequence.
                    try:
                        await handler(message)
                    except Exception:
                        logger.exception("bus: %s failed", message.get("type"))

    def _answered(self, message: dict[str, Any]) -> None:
        number = int(message.get("request") or 0)
        if number in self._sent_to:
            self._answered_at[self._sent_to[number]] = self.loop.time()
        answer = self._waiting.get(number)
        if answer is None or answer.done():
            return
        if "error" in message:
            answer.set_exception(_error(message))
        else:
            answer.set_result(message.get("value"))

    async def _answer(self, message: dict[str, Any]) -> None:
        reply: dict[str, Any] = {"type": "bus.reply", "request": message["request"]}
        handler = HANDLERS.get(message.get("type", ""))
        try:
            if handler is None:
                raise RequestFailed(f"no handler for {message.get('type')!r}")
            reply["value"] = await handler(message)
        except Exception as exc:  # noqa: BLE001 - the asking process raises it again
            reply["error"], reply["kind"] = str(exc), _kind(exc)
        await self.layer.send(message["reply_to"], reply)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def _kind(exc: Exception) -> str:
    """How an error crosses the bus: what the learner may read, or that a room moved."""
    if isinstance(exc, RoomGone):
        return "gone"
    if isinstance(exc, ValueError):
        return "refused"
    return "failed"


def _error(message: dict[str, Any]) -> Exception:
    kind, text = message.get("kind"), message.get("error", "")
    if kind == "gone":
        return RoomGone(text)
    if kind == "refused":
        return ValueError(text)
    return RequestFailed(text)


def _quiet(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("bus: answering failed", exc_info=task.exception())


_buses: dict[asyncio.AbstractEventLoop, Bus] = {}


def bus() -> Bus:
    """This process's bus on the running event loop."""
    loop = asyncio.get_running_loop()
    found = _buses.get(loop)
    if found is None:
        for old in [old for old in _buses if old.is_closed()]:
            del _buses[old]
        found = _buses[loop] = Bus()
    return found
