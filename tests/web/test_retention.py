"""`manage.py purge_rooms`: rooms untouched for the retention period go, with their logs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from playground.models import Room, RoomEvent
from tests.fixtures.rooms import make_room

pytestmark = pytest.mark.django_db


def aged(days: float, *, leased: bool = False) -> Room:
    room = make_room()
    RoomEvent.objects.create(room=room, index=0, op={"op": "run", "line": "kubectl get pods"})
    now = timezone.now()
    room.touched = now - timedelta(days=days)
    if leased:
        room.owner, room.lease_until = "another-server", now + timedelta(seconds=30)
    room.save()
    return room


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_rooms", *args, stdout=out)
    return out.getvalue()


def test_rooms_untouched_for_the_retention_period_are_deleted_with_their_logs(settings):
    settings.KUBEPLAY_RETENTION_DAYS = 30
    old, recent, running = aged(31), aged(29), aged(40, leased=True)
    assert purge() == "Deleted 1 room untouched for 30 days (1 log entry).\n"
    assert set(Room.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not RoomEvent.objects.filter(room_id=old.pk).exists()
    assert RoomEvent.objects.filter(room=recent).count() == 1


def test_days_on_the_command_line_and_a_dry_run():
    aged(10)
    aged(3)
    assert purge("--days", "7", "--dry-run") == (
        "Would delete 1 room untouched for 7 days (1 log entry).\n"
    )
    assert Room.objects.count() == 2
    assert purge("--days", "1") == "Deleted 2 rooms untouched for 1 day (2 log entries).\n"
    assert not Room.objects.exists()


def test_a_period_of_zero_days_is_refused():
    with pytest.raises(CommandError, match="above 0"):
        call_command("purge_rooms", "--days", "0")
