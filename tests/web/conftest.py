from __future__ import annotations

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.core.cache import cache

from playground import rooms
from playground.rooms.worker_process import ZYGOTE
from tests.fixtures.rooms import make_room


@pytest.fixture(scope="session", autouse=True)
def room_workers_ready():
    """The process room workers fork from has loaded before the first test opens a room."""
    ZYGOTE.warm()


@pytest.fixture(autouse=True)
def fresh_counters():
    """Per-client counters (room creation, unknown rooms) start at zero in each test."""
    cache.clear()


@pytest.fixture(autouse=True)
def forget_live_rooms():
    """Each test starts with no live room (live rooms belong to one event loop)."""
    rooms.forget_all()
    yield
    rooms.forget_all()


@pytest.fixture
def fast_flush(settings):
    """Ticks reach the log within 50 ms instead of a second."""
    settings.KUBEPLAY_FLUSH_SECONDS = 0.05


@pytest_asyncio.fixture
async def live_rooms_stopped():
    """Async tests: every live room's tasks are stopped on the test's own event loop."""
    yield
    await rooms.reset()


@pytest_asyncio.fixture
async def room():
    """A room of the kubia example (a test file may define its own `room`)."""
    return await sync_to_async(make_room)("kubia")
