"""`manage.py purge_rooms`: delete rooms nobody has opened for a while (the retention policy).

Run it once a day (README, "Operations"). A room counts as touched when it
was opened or left (its log replayed or unloaded), and at least hourly while
it is open; rooms some server process runs now are never deleted.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from playground.models import Room, RoomEvent

BATCH = 500


class Command(BaseCommand):
    help = "Delete rooms untouched for KUBEPLAY_RETENTION_DAYS days (or --days), with their logs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=float,
            default=None,
            help="Age in days (default: KUBEPLAY_RETENTION_DAYS, "
            f"{settings.KUBEPLAY_RETENTION_DAYS:g}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.KUBEPLAY_RETENTION_DAYS if days is None else days
        if days <= 0:
            raise CommandError("--days must be above 0.")
        now = timezone.now()
        stale = Room.objects.filter(touched__lt=now - timedelta(days=days)).exclude(
            Q(lease_until__gt=now) & ~Q(owner="")
        )
        rooms = events = 0
        while True:
            batch = list(stale.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not batch or dry_run:
                rooms = stale.count() if dry_run else rooms
                events = RoomEvent.objects.filter(room__in=stale).count() if dry_run else events
                break
            events += RoomEvent.objects.filter(room_id__in=batch).delete()[0]
            rooms += Room.objects.filter(pk__in=batch).delete()[0]
        verb = "Would delete" if dry_run else "Deleted"
        plural = "s" * (days != 1)
        self.stdout.write(
            f"{verb} {rooms} room{'s' * (rooms != 1)} untouched for {days:g} day{plural} "
            f"({events} log entr{'ies' if events != 1 else 'y'})."
        )
