"""The room log under faults and abuse: idempotent appends, refused manifests without their
payload, no rows for an idle clock, and replay exact through all of it."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.db import IntegrityError

from playground import rooms
from playground.models import RoomEvent
from playground.rooms.log import RoomLog, logged_op
from tests.fixtures.rooms import manifest
from tests.web.sockets import open_socket, receive, snapshot_and_time

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

REFUSED = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: NodePort\n"
    "  ports:\n  - port: 80\n    nodePort: 80\n# " + "padding " * 2000 + "\n"
)


@pytest_asyncio.fixture(autouse=True)
async def stop_live_rooms():
    yield
    await rooms.reset()


async def ops_of(room) -> list[dict]:
    return await sync_to_async(list)(
        RoomEvent.objects.filter(room=room).values_list("op", flat=True)
    )


async def test_an_append_whose_success_was_not_seen_is_not_written_twice(room):
    log = RoomLog(room.pk, 0)
    entry = {"op": "run", "line": "kubectl get pods"}
    await log.write([entry])
    retry = RoomLog(room.pk, 0)  # the same write again, as after a lost acknowledgement
    await retry.write([entry])
    assert await ops_of(room) == [entry]
    other = RoomLog(room.pk, 0)  # a different entry at a taken index is another writer's
    with pytest.raises(IntegrityError):
        await other.write([{"op": "run", "line": "kubectl delete pod -l app=kubia"}])


async def test_a_viewer_leaving_mid_command_leaves_the_log_and_the_room_whole(room):
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    live = rooms.loaded(room.code)
    # Cancel the command's caller at every point of its way through the room.
    for delay in (0, 0.001, 0.005, 0.02, 0.05):
        call = asyncio.ensure_future(
            live.run_command("kubectl scale deployment kubia --replicas=4", by="gone")
        )
        await asyncio.sleep(delay)
        call.cancel()
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    assert (await receive(socket, "result"))["exitCode"] == 0
    assert rooms.loaded(room.code) is live
    assert not live.closed
    ops = await ops_of(room)
    assert [op["line"] for op in ops if op["op"] == "run"].count("kubectl get pods") == 1
    expected = await live.read(snapshot_and_time)
    await socket.disconnect()
    await rooms.reset()
    await rooms.open_room(room.code)
    replayed = await rooms.loaded(room.code).read(snapshot_and_time)
    assert replayed == expected


async def test_refused_manifests_are_logged_without_them():
    assert logged_op("kubectl apply -f -", "x", 1, changed=False) == {
        "op": "run",
        "line": "kubectl apply -f -",
        "refused": True,
    }
    # Applied, or refused after changing something, or another command: kept whole.
    assert logged_op("kubectl apply -f -", "x", 0, changed=True)["stdin"] == "x"
    assert logged_op("kubectl apply -f -", "x", 1, changed=True)["stdin"] == "x"
    assert logged_op("kubectl exec -i p -- sh", "x", 1, changed=False)["stdin"] == "x"


async def test_a_refused_apply_costs_the_log_a_line_and_replay_stays_exact(room):
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    lines = [("kubectl apply -f -", REFUSED), ("kubectl scale deploy kubia --replicas=5", "")]
    lines += [("kubectl apply -f -", manifest("kubia").replace("replicas: 3", "replicas: 2"))]
    for i, (line, stdin) in enumerate(lines):
        await socket.send_json_to({"type": "command", "id": i, "line": line, "stdin": stdin})
        await receive(socket, "result")
    ops = await ops_of(room)
    assert ops[0] == {
        "op": "run",
        "line": "kubectl apply -f -",
        "refused": True,
        "by": {"role": "viewer", "number": 1},
        "at": 0.0,
    }
    assert sum(len(str(op)) for op in ops) < len(REFUSED)
    assert "stdin" in ops[2]  # an accepted apply keeps its manifests
    live = rooms.loaded(room.code)
    expected = await live.read(snapshot_and_time)
    await socket.disconnect()
    await rooms.reset()
    await rooms.open_room(room.code)
    assert await rooms.loaded(room.code).read(snapshot_and_time) == expected


async def test_an_idle_playing_clock_adds_no_rows(room, settings):
    settings.KUBEPLAY_FLUSH_SECONDS = 0.05
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "clock", "action": "speed", "speed": 10})
    await socket.send_json_to({"type": "clock", "action": "play"})
    while (await receive(socket, "frame"))["time"] < 3:  # many flush intervals
        pass
    rows = len(await ops_of(room))
    await asyncio.sleep(0.3)
    assert len(await ops_of(room)) == rows
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    await receive(socket, "result")
    ops = await ops_of(room)
    # The time that passed is written with the next command, in one row before it.
    assert [op["op"] for op in ops[rows:]] == ["ticks", "run"]
    await socket.disconnect()
