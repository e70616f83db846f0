"""Stopping every room of this process at once: tests, and between event loops.

The log keeps every room: the next viewer of one replays it.
"""

from __future__ import annotations

import asyncio
import contextlib

from playground.rooms import keeper, registry


async def reset() -> None:
    """Stop and forget every room of this process."""
    current = asyncio.get_running_loop()
    for live in registry.running():
        live.closed = True
        if live.loop is current:
            await live.stop()
    forget_all()


def forget_all() -> None:
    """Forget every room without waiting for its tasks (their event loop may be gone)."""
    for live in registry.running():
        live.closed = True
        for handle in (live.ticker, live.unloader):
            with contextlib.suppress(Exception):
                if handle is not None and not live.loop.is_closed():
                    handle.cancel()
        live.worker.abandon()
    registry.clear()
    keeper.stop()
