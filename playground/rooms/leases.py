"""Room leases: one process runs each room when several share the database.

With leases on (`KUBEPLAY_ROOM_LEASES`, on with `REDIS_URL`), a process takes
a room's lease before it loads the room and renews it while it runs it;
another process refuses the room until the lease runs out, and then replays
its log (docs/architecture.md, "Which process ticks").
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from playground.models import Room

LEASE_SECONDS = 30.0
#: This process, as leases name their holder.
OWNER = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


class Lease:
    """This process's claim on one room; always granted while leases are off."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.renewed = 0.0

    @staticmethod
    def enabled() -> bool:
        return settings.KUBEPLAY_ROOM_LEASES

    async def claim(self) -> bool:
        """Take or renew the lease; False when another process holds it."""
        if not self.enabled():
            return True
        self.renewed = asyncio.get_running_loop().time()
        now = timezone.now()
        free = Q(owner=OWNER) | Q(owner="") | Q(lease_until__lt=now) | Q(lease_until=None)
        updated = await Room.objects.filter(free, code=self.code).aupdate(
            owner=OWNER, lease_until=now + timedelta(seconds=LEASE_SECONDS)
        )
        return updated == 1

    async def keep(self, now: float) -> bool:
        """Renew the lease when a third of it has gone (`now`: the event loop's time)."""
        if not self.enabled() or now - self.renewed < LEASE_SECONDS / 3:
            return True
        return await self.claim()

    async def release(self) -> None:
        if self.enabled():
            await Room.objects.filter(code=self.code, owner=OWNER).aupdate(
                owner="", lease_until=None
            )
