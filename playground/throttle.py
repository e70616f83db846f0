"""Per-client counters over Django's cache: room creation, and looking up rooms that do not exist.

A client is its address (the proxy's `X-Forwarded-For` once daphne runs with
`--proxy-headers`); IPv6 clients count per /64, as one machine usually holds
a whole /64. Counts live in the cache (`CACHES`: this process's memory, or
Redis with `REDIS_URL`, so every process counts together) in fixed windows.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Budget:
    """At most `settings.<setting>` events per `seconds` for one client."""

    name: str
    setting: str
    seconds: int

    @property
    def count(self) -> int:
        return getattr(settings, self.setting)

    def _key(self, client: str) -> str:
        return f"throttle:{self.name}:{client}"

    def exhausted(self, client: str) -> bool:
        """Whether the client has used this window's budget (counting nothing)."""
        return (cache.get(self._key(client)) or 0) >= self.count

    def spend(self, client: str) -> bool:
        """Count one event; False when it is over the budget."""
        key = self._key(client)
        if cache.add(key, 1, self.seconds):
            return self.count >= 1
        try:
            return cache.incr(key) <= self.count
        except ValueError:  # the window ended between add and incr
            cache.add(key, 1, self.seconds)
            return True

    async def aexhausted(self, client: str) -> bool:
        return (await cache.aget(self._key(client)) or 0) >= self.count

    async def aspend(self, client: str) -> bool:
        key = self._key(client)
        if await cache.aadd(key, 1, self.seconds):
            return self.count >= 1
        try:
            return await cache.aincr(key) <= self.count
        except ValueError:
            await cache.aadd(key, 1, self.seconds)
            return True


ROOMS_PER_MINUTE = Budget("rooms-minute", "KUBEPLAY_ROOMS_PER_MINUTE", 60)
ROOMS_PER_DAY = Budget("rooms-day", "KUBEPLAY_ROOMS_PER_DAY", 24 * 3600)
#: Room codes that found no room: past this, every room lookup of the client is refused
#: for the rest of the window, so guessing codes costs a minute per handful.
ROOM_MISSES = Budget("room-misses", "KUBEPLAY_ROOM_MISSES_PER_MINUTE", 60)


def client_of(address: str | None) -> str:
    """The key a client is counted under: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"
    return str(ip)


def may_create_room(address: str | None) -> str | None:
    """Count a room creation; the message for the learner when it is one too many."""
    client = client_of(address)
    if not ROOMS_PER_MINUTE.spend(client):
        return _(
            "%(count)s rooms were created from your network in the last minute, the most it "
            "may: wait a minute before creating another."
        ) % {"count": ROOMS_PER_MINUTE.count}
    if not ROOMS_PER_DAY.spend(client):
        return _(
            "%(count)s rooms were created from your network today, the most it may: reuse "
            "one of them, or come back tomorrow."
        ) % {"count": ROOMS_PER_DAY.count}
    return None


def misses_message() -> str:
    return _(
        "Too many links to rooms that do not exist came from your computer: wait a minute, "
        "then check the link you were given."
    )
