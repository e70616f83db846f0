"""With REDIS_URL, daphne processes share room groups through a real Redis server.

Two separate Python processes load the project's settings with REDIS_URL set: one
joins a room's group, the other sends the group `room.closed` (what a room that
breaks down sends its viewers, whichever process they are connected to).

The listener waits on its channel with channels_redis's blocking reads (BZPOPMIN,
5 s each). Redis is stopped (SIGSTOP) across the end of the first one, as a busy
machine delays it: its empty answer comes late, and a read timeout no longer than
the blocking read ("Timeout reading from 127.0.0.1:PORT", redis-py's default of
5 s) would fail here every time, where before it failed only under load.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.servers import Redis

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import asyncio, json, django
django.setup()
from channels.layers import get_channel_layer
from playground.rooms import group_name
layer = get_channel_layer()
"""

LISTENER = (
    SETUP
    + """
async def main():
    print(type(layer).__name__, flush=True)
    channel = await layer.new_channel()
    await layer.group_add(group_name("abcd2345"), channel)
    print("joined", flush=True)
    message = await asyncio.wait_for(layer.receive(channel), 20)
    print(json.dumps(message), flush=True)
asyncio.run(main())
"""
)

SENDER = (
    SETUP
    + """
asyncio.run(layer.group_send(group_name("abcd2345"), {"type": "room.closed"}))
"""
)


@pytest.fixture
def redis():
    """A redis-server of the test's own on a free loopback port (`./dev test` installs it)."""
    server = Redis()
    try:
        yield server
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        server.close()


def test_room_groups_reach_another_process_through_redis_that_stalls(redis):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "playground.settings", "REDIS_URL": redis.url}
    listener = subprocess.Popen(
        [sys.executable, "-c", LISTENER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert listener.stdout.readline().strip() == "RedisChannelLayer"
        assert listener.stdout.readline().strip() == "joined"
        # The listener's first blocking read began just now and ends in 5 s: Redis answers
        # it about 3 s late.
        time.sleep(3)
        os.kill(redis.process.pid, signal.SIGSTOP)
        time.sleep(5)
        os.kill(redis.process.pid, signal.SIGCONT)
        assert listener.poll() is None, "the listener gave up while Redis was slow"
        subprocess.run([sys.executable, "-c", SENDER], cwd=ROOT, env=env, check=True, timeout=30)
        out, _ = listener.communicate(timeout=30)
    finally:
        listener.kill()
    assert out.strip() == '{"type": "room.closed"}'
    assert listener.returncode == 0
