"""Work done once for a room however many ask for it meanwhile (a class arriving at once)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def once(table: dict[str, asyncio.Future], code: str, make: Callable[[], Awaitable[T]]) -> T:
    """`make()` for room `code`, once however many ask meanwhile: they all get its result
    (`table` holds what is under way)."""
    loop = asyncio.get_running_loop()
    pending = table.get(code)
    if pending is not None and pending.get_loop() is loop:
        return await asyncio.shield(pending)
    future = loop.create_future()
    table[code] = future
    try:
        made = await make()
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # mark retrieved: waiters, if any, re-raise it
        raise
    finally:
        if table.get(code) is future:
            del table[code]
    future.set_result(made)
    return made
