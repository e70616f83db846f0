import asyncio
import pytest
from asgiref.sync import sync_to_async
from playground import rooms
from playground.models import RoomEvent
from tests.fixtures.rooms import make_room
from tests.web.test_consumers import open_socket, receive

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_scratch(fast_flush):
    room = await sync_to_async(make_room)("kubia", playing=True)
    socket = await open_socket(room.code)
    snap = await receive(socket, "snapshot")
    await asyncio.sleep(0.5)
    for i, line in enumerate(["kubectl scale deployment kubia --replicas=5"]):
        await socket.send_json_to({"type": "command", "id": i, "line": line})
        await receive(socket, "result")
    live = rooms.loaded(room.code)
    pods = await live.read(lambda c: sorted(p["name"] for p in c.snapshot()["pods"]))
    name = [p for p in pods if p.startswith("kubia")][0]
    for i, line in enumerate([f"kubectl delete pod {name}", "kubectl label pods -l app=kubia tier=web"]):
        await socket.send_json_to({"type": "command", "id": i, "line": line})
        r = await receive(socket, "result")
        print(r)
    expected = await live.read(lambda c: sorted(p["name"] for p in c.snapshot()["pods"]))
    ops = await sync_to_async(list)(RoomEvent.objects.filter(room=room).values_list("op", flat=True))
    print(ops)
    await socket.disconnect()
    await rooms.reset()
    replayed = await rooms.open_room(room.code)
    got = await replayed.read(lambda c: sorted(p["name"] for p in c.snapshot()["pods"]))
    assert got == expected
