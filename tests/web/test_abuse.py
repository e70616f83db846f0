"""What one visitor may not do to others: flood a socket, queue work, mint rooms, guess codes."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.test import Client

from playground import limits, rooms
from playground.models import Room, RoomEvent
from tests.fixtures.rooms import make_room, manifest
from tests.web.sockets import open_socket, receive

SLOW = manifest("kubia").replace("replicas: 3", "replicas: 3000")
#: Four Deployments of 3,000 pods: about a second's work (three times the ceiling below).
SLOWER = "\n---\n".join(
    SLOW.replace("name: kubia", f"name: kubia-{i}").replace("app: kubia", f"app: kubia-{i}")
    for i in range(4)
)


@pytest_asyncio.fixture(autouse=True)
async def stop_live_rooms():
    yield
    await rooms.reset()


async def next_output(socket, timeout=10.0):
    """The next thing the consumer sent: a message (dict) or the close code (int)."""
    output = await socket.receive_output(timeout)
    if output["type"] == "websocket.close":
        return output.get("code")
    return json.loads(output["text"])


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_messages_over_the_limit_are_answered_at_once_and_never_queued():
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "command", "id": "slow", "line": "kubectl apply -f -",
                               "stdin": SLOW})  # fmt: skip
    await asyncio.sleep(0.05)  # it runs: what follows waits in the queue, or is refused
    for i in range(30):
        await socket.send_json_to({"type": "ping", "id": i})
    refused, pongs, result_at = [], [], None
    for n in range(60):
        message = await next_output(socket, 30)
        if message["type"] == "error":
            refused.append(message["id"])
        elif message["type"] == "pong":
            pongs.append(message["id"])
        elif message["type"] == "result":
            result_at = n
        if result_at is not None and len(pongs) + len(refused) == 30:
            break
    # The queue holds MESSAGE_QUEUE; the rest were refused before the slow command ended.
    assert len(pongs) == limits.MESSAGE_QUEUE
    assert len(refused) == 30 - limits.MESSAGE_QUEUE
    assert refused == list(range(limits.MESSAGE_QUEUE, 30))
    assert result_at >= len(refused)  # every refusal came before the result
    await socket.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_what_a_viewer_queued_is_dropped_when_it_leaves():
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "command", "id": 0, "line": "kubectl apply -f -",
                               "stdin": SLOW})  # fmt: skip
    await asyncio.sleep(0.05)
    for i in range(1, 6):
        line = f"kubectl label pod -l app=kubia queued={i} --overwrite"
        await socket.send_json_to({"type": "command", "id": i, "line": line})
    await socket.disconnect()
    live = rooms.loaded(room.code)
    await asyncio.sleep(0.2)
    async with live.lock:  # the command that was running has finished and is logged
        pass
    lines = await sync_to_async(list)(
        RoomEvent.objects.filter(room=room, op__op="run").values_list("op__line", flat=True)
    )
    assert lines == ["kubectl apply -f -"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_flood_is_cut_off():
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    for i in range(limits.MESSAGES_REFUSED_BEFORE_CLOSE + 100):
        await socket.send_json_to({"type": "ping", "id": i})
    while isinstance(output := await next_output(socket), dict):
        pass
    assert output == 4008
    # The room goes on for everyone else.
    other = await open_socket(room.code)
    await other.send_json_to({"type": "ping", "id": "x"})
    assert (await receive(other, "pong"))["id"] == "x"
    await other.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [70 * 1024, 1024 * 1024 + 10], ids=["over 64 KiB", "over 1 MiB"])
async def test_an_oversized_message_is_answered_with_its_id(size):
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "command", "id": 42, "line": "x", "stdin": "y" * size})
    reply = await receive(socket, "error")
    assert reply["id"] == 42
    assert "too large" in reply["message"]
    await socket.disconnect()


# -- HTTP --------------------------------------------------------------------------------

pytestmark_http = pytest.mark.django_db(transaction=True)


@pytestmark_http
def test_one_client_may_create_only_so_many_rooms_a_minute(client, settings):
    settings.KUBEPLAY_ROOMS_PER_MINUTE = 2
    for _ in range(2):
        assert client.post("/rooms/", {"manifests": manifest("kubia")}).status_code == 302
    refused = client.post("/rooms/", {"manifests": manifest("kubia")})
    assert refused.status_code == 200
    assert "2 rooms were created from your network in the last minute" in refused.content.decode()
    assert Room.objects.count() == 2
    # Another client is not affected.
    other = client.post("/rooms/", {"manifests": manifest("kubia")}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


@pytestmark_http
def test_guessing_room_codes_is_throttled(client, settings):
    settings.KUBEPLAY_ROOM_MISSES_PER_MINUTE = 3
    room = make_room()
    assert client.get(f"/rooms/{room.code}/").status_code == 200
    for guess in ("aaaa", "bbbb", "cccc"):
        assert client.get(f"/rooms/{guess}/").status_code == 404
    # Now even a real room is refused to this client for the rest of the minute.
    blocked = client.get(f"/rooms/{room.code}/")
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert client.get(f"/rooms/{room.code}/export.yaml").status_code == 429
    assert Client(REMOTE_ADDR="10.9.9.9").get(f"/rooms/{room.code}/").status_code == 200


@pytestmark_http
def test_room_codes_have_at_least_96_bits_and_old_codes_still_work(client):
    room = make_room()
    assert re.fullmatch(r"[a-z2-7]{24}", room.code)  # 120 random bits, base32
    assert len({make_room().code for _ in range(20)}) == 20
    old = Room.objects.create(code="0a1b2c3d", seed=1, manifests=manifest("kubia"))
    assert client.get(f"/rooms/{old.code}/").status_code == 200


@pytestmark_http
@pytest.mark.parametrize(
    ("proxy_header", "trusted", "status"),
    [
        pytest.param(False, False, 403, id="neither: CSRF verification fails"),
        pytest.param(True, False, 302, id="the proxy's TLS header"),
        pytest.param(False, True, 302, id="a trusted origin"),
    ],
)
def test_forms_post_through_a_tls_proxy(settings, proxy_header, trusted, status):
    settings.ALLOWED_HOSTS = ["kubeplay.example.com"]
    if proxy_header:
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if trusted:
        settings.CSRF_TRUSTED_ORIGINS = ["https://kubeplay.example.com"]
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="kubeplay.example.com")
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_ORIGIN": "https://kubeplay.example.com"}
    browser.get("/", **proxied)
    token = browser.cookies["csrftoken"].value
    form = {"manifests": manifest("kubia"), "csrfmiddlewaretoken": token}
    assert browser.post("/rooms/", form, **proxied).status_code == status


@pytestmark_http
def test_every_page_has_the_content_security_policy(client):
    room = make_room()
    for url in ("/", f"/rooms/{room.code}/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe" not in policy


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_work_longer_than_a_room_may_do_stops_its_worker_and_changes_nothing(monkeypatch):
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    # Only the apply is to outlast the ceiling, not the room's loading on a busy machine.
    monkeypatch.setattr(limits, "MAX_WORK_SECONDS", 0.3)
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl apply -f -", "stdin": SLOWER}
    )
    reply = await receive(socket, "error", timeout=30)
    assert reply["id"] == 1
    assert "longer than a room may work at once (0.3 s)" in reply["message"]
    assert "reloaded without it" in reply["message"]
    assert not await RoomEvent.objects.filter(room=room).aexists()  # never logged
    # The room comes back from its log for the next viewer.
    monkeypatch.setattr(limits, "MAX_WORK_SECONDS", 60.0)
    again = await open_socket(room.code)
    snapshot = await receive(again, "snapshot", timeout=30)
    assert len([p for p in snapshot["topology"]["pods"] if p["namespace"] == "default"]) == 3
    await again.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_room_whose_worker_outgrows_its_memory_is_reloaded(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROOM_MEMORY_MB", 1)  # any worker holds more
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    while isinstance(output := await next_output(socket, 10), dict):
        if output["type"] == "error":
            assert "more memory than a room may hold (1 MiB)" in output["message"]
    assert output == 4000
