"""Room leases: one process runs each room when several share the database.

With leases on (`KUBEPLAY_ROOM_LEASES`, on with `REDIS_URL`), a process takes
a room's lease before it loads the room, naming itself by its bus address
(playground/rooms/bus.py), and renews it every second while it runs it.
Other processes pass their viewers' requests to that address; when it dies,
the lease runs out (`KUBEPLAY_LEASE_SECONDS`) and another process takes the
room over by replaying its log (docs/architecture.md, "Which process ticks").
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from playground.models import Room
from playground.rooms.errors import NoSuchRoom


class Lease:
    """This process's claim on one room (`owner`: its address); always granted while leases
    are off."""

    def __init__(self, code: str, owner: str = "") -> None:
        self.code = code
        self.owner = owner
        self.renewed = 0.0

    @staticmethod
    def seconds() -> float:
        return settings.KUBEPLAY_LEASE_SECONDS

    @staticmethod
    def enabled() -> bool:
        return settings.KUBEPLAY_ROOM_LEASES

    async def claim(self) -> bool:
        """Take or renew the lease; False when another process holds it."""
        if not self.enabled():
            return True
        self.renewed = asyncio.get_running_loop().time()
        now = timezone.now()
        me = self.owner
        free = Q(owner=me) | Q(owner="") | Q(lease_until__lt=now) | Q(lease_until=None)
        updated = await Room.objects.filter(free, code=self.code).aupdate(
            owner=me, lease_until=now + timedelta(seconds=self.seconds())
        )
        return updated == 1

    async def keep(self, now: float) -> bool:
        """Renew the lease when a third of it has gone (`now`: the event loop's time)."""
        if not self.enabled() or now - self.renewed < self.seconds() / 3:
            return True
        return await self.claim()

    @staticmethod
    async def holder(code: str, me: str) -> str | None:
        """The address of the process whose valid lease runs room `code`, or None (free, or
        held by `me`). Raises NoSuchRoom."""
        room = await Room.objects.filter(code=code).values("owner", "lease_until").afirst()
        if room is None:
            raise NoSuchRoom(
                _("There is no room %(code)r. Create one from the home page.") % {"code": code}
            )
        leased = room["lease_until"] is not None and room["lease_until"] > timezone.now()
        return room["owner"] if room["owner"] and room["owner"] != me and leased else None

    async def release(self) -> None:
        if self.enabled():
            await Room.objects.filter(code=self.code, owner=self.owner).aupdate(
                owner="", lease_until=None
            )
