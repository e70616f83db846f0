"""Admission of one connection's messages, decided when each arrives.

Channels hands a consumer its messages one at a time and waits for each to
be handled, so a browser whose messages queued behind a slow command could
pile up thousands in the server's queue, all run later, even after it left.
Here the consumer takes every message as it arrives: a token bucket
(`MESSAGE_BURST`, then `MESSAGES_PER_SECOND`) and a short queue per
connection (`MESSAGE_QUEUE`) decide at once; a message over either is
answered straight away with an error, never queued. The queue's one task
runs the admitted messages in order, and ends with the connection.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from django.utils.translation import gettext_noop

from playground import limits

Handler = Callable[[dict[str, Any], Any], Awaitable[None]]

# Translated where they are sent, in the viewer's language.
TOO_FAST = gettext_noop("Too many messages: slow down and try again in a second.")
TOO_MANY_WAITING = gettext_noop(
    "Too many requests are waiting for the server: wait for their replies."
)


class Inbox:
    """One connection's admitted messages, run one after the other by `handle`."""

    def __init__(self, handle: Handler) -> None:
        self.tokens = float(limits.MESSAGE_BURST)
        self.refilled = time.monotonic()
        self.queue: asyncio.Queue[tuple[dict[str, Any], Any]] = asyncio.Queue(limits.MESSAGE_QUEUE)
        self._handle = handle
        self._task: asyncio.Task | None = None
        #: Messages refused so far; many means a flood, not a browser (which waits for
        #: replies and so is refused a few at most).
        self.refused = 0

    def spend(self) -> bool:
        """Take a token for a message that just arrived; False when there is none."""
        now = time.monotonic()
        self.tokens = min(
            limits.MESSAGE_BURST, self.tokens + (now - self.refilled) * limits.MESSAGES_PER_SECOND
        )
        self.refilled = now
        if self.tokens < 1:
            self.refused += 1
            return False
        self.tokens -= 1
        return True

    def offer(self, message: dict[str, Any], request_id: Any) -> bool:
        """Queue an admitted message; False when the queue is full (nothing is queued)."""
        try:
            self.queue.put_nowait((message, request_id))
        except asyncio.QueueFull:
            self.refused += 1
            return False
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        return True

    def flooding(self) -> bool:
        """Whether the connection keeps sending far past its limits (then it is closed)."""
        return self.refused >= limits.MESSAGES_REFUSED_BEFORE_CLOSE

    async def _run(self) -> None:
        while True:
            message, request_id = await self.queue.get()
            await self._handle(message, request_id)

    def close(self) -> None:
        """Drop what is still queued: the connection is gone, nobody wants the replies."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        while not self.queue.empty():
            self.queue.get_nowait()
