"""Lesson rooms over the websocket: checks tick live, "show me", reset, progress kept."""

from __future__ import annotations

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from playground import lessons, rooms
from playground.models import RoomEvent
from tests.web.sockets import eventually, open_socket, receive

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def stop_live_rooms():
    yield
    await rooms.reset()


@pytest_asyncio.fixture
async def room():
    room = await sync_to_async(lessons.create_lesson_room)("services-endpoints")
    room.playing = False
    await room.asave(update_fields=["playing"])
    return room


@pytest_asyncio.fixture
async def socket(room):
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    yield socket
    await socket.disconnect()


async def request(socket, message, reply):
    """Send `message` and return the reply of type `reply` that carries its id."""
    await socket.send_json_to(message)
    return await eventually(
        lambda: receive(socket, reply), lambda m: m.get("id") == message["id"], timeout=10
    )


async def log_of(room):
    return [op async for op in RoomEvent.objects.filter(room=room).values_list("op", flat=True)]


async def live_room(room):
    """The room running in this process (reads run in its worker: module-level functions)."""
    await rooms.open_room(room.code)
    return rooms.loaded(room.code)


def kubia_pods(cluster):
    return cluster.running_pods("app=kubia")


def kubia_service_found(cluster):
    return cluster.observe("kubectl get svc kubia").exit_code


def everything(cluster):
    return cluster.seq, cluster.now, cluster.observe("kubectl get all").stdout


async def test_a_viewer_is_told_the_current_step_when_joining(socket):
    message = await receive(socket, "lesson")
    assert message == {
        "type": "lesson",
        "lesson": "services-endpoints",
        "steps": 4,
        "step": 0,
        "checks": {"selector": False, "target-port": False},
        "finished": False,
    }


async def test_checks_tick_as_the_learner_types(socket):
    await receive(socket, "lesson")
    line = "kubectl expose rc kubia --port=80 --target-port=8080"
    await socket.send_json_to({"type": "command", "id": 1, "line": line})
    assert (await receive(socket, "result"))["exitCode"] == 0
    moved = await eventually(lambda: receive(socket, "lesson"), lambda m: m["step"] == 1)
    assert moved["checks"] == {"curled": False}


async def test_show_me_runs_the_solution_as_commands_everyone_sees(room, socket):
    await receive(socket, "lesson")
    other = await open_socket(room.code)
    await receive(other, "snapshot")
    reply = await request(socket, {"type": "lesson", "id": 7, "action": "show", "step": 0}, "shown")
    assert reply["id"] == 7
    assert [r["line"] for r in reply["results"]] == ["kubectl apply -f -"]
    assert reply["results"][0]["stdout"] == "service/kubia created\n"
    frame = await eventually(lambda: receive(other, "frame"), lambda f: f.get("commands"))
    assert frame["commands"][0]["line"] == "kubectl apply -f -"
    await eventually(lambda: receive(other, "lesson"), lambda m: m["step"] == 1)
    ops = await log_of(room)
    assert ops[-1] == {"op": "lesson", "lesson": "services-endpoints", "step": 1}
    await other.disconnect()


async def test_placeholders_in_the_solution_are_filled_from_the_room(socket):
    await receive(socket, "lesson")
    await request(socket, {"type": "lesson", "id": 1, "action": "show", "step": 0}, "shown")
    reply = await request(socket, {"type": "lesson", "id": 2, "action": "show", "step": 1}, "shown")
    lines = [r["line"] for r in reply["results"]]
    assert lines[0] == "kubectl get pods"
    assert lines[1].startswith("kubectl exec kubia-")
    assert "{pod" not in lines[1]
    assert "You've hit kubia-" in reply["results"][1]["stdout"]


async def test_a_stale_step_is_refused(socket):
    await receive(socket, "lesson")
    reply = await request(socket, {"type": "lesson", "id": 3, "action": "show", "step": 2}, "error")
    assert reply["message"] == "That step is not the current one any more."


async def test_a_room_without_a_lesson_says_so():
    room = await sync_to_async(rooms.create_room)(lessons.lesson("nodeport").manifests)
    socket = await open_socket(room[0].code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "lesson", "id": 1, "action": "state"})
    assert (await receive(socket, "error"))["message"] == "This room runs no lesson."
    await socket.disconnect()


async def test_reset_returns_the_room_to_the_steps_start_for_everyone(room, socket):
    await receive(socket, "lesson")
    await request(socket, {"type": "lesson", "id": 1, "action": "show", "step": 0}, "shown")
    live = await live_room(room)
    pods_at_start = await live.read(kubia_pods)
    epoch = live.epoch
    for line in (f"kubectl delete pod {pods_at_start[0]}", "kubectl delete svc kubia"):
        await socket.send_json_to({"type": "command", "id": 2, "line": line})
        await receive(socket, "result")
    assert await live.read(kubia_pods) != pods_at_start
    reply = await request(
        socket, {"type": "lesson", "id": 3, "action": "reset", "step": 1}, "lesson"
    )
    assert reply["step"] == 1
    assert reply["id"] == 3
    snapshot = await receive(socket, "snapshot")
    assert snapshot["epoch"] != epoch
    assert await live.read(kubia_pods) == pods_at_start
    assert await live.worker.call("lesson_seen") == []  # the step saw nothing yet
    assert await live.read(kubia_service_found) == 0
    ops = await log_of(room)
    note = ops.index({"op": "lesson", "lesson": "services-endpoints", "step": 1})
    assert ops[-1] == {"op": "rewind", "to": note + 1}
    # Everyone's terminal says the lesson went back, to after its one command ("show me").
    frame = await receive(socket, "frame")
    while "notes" not in frame:
        frame = await receive(socket, "frame")
    assert frame["notes"] == [{"who": {"role": "lesson"}, "what": "rewind", "detail": "1"}]


async def test_progress_and_the_reset_survive_a_reload(room, socket):
    await receive(socket, "lesson")
    await request(socket, {"type": "lesson", "id": 1, "action": "show", "step": 0}, "shown")
    await socket.send_json_to({"type": "command", "id": 2, "line": "kubectl delete svc kubia"})
    await receive(socket, "result")
    await request(socket, {"type": "lesson", "id": 3, "action": "reset", "step": 1}, "lesson")
    live = await live_room(room)
    before = await live.read(everything)
    await socket.disconnect()
    await rooms.reset()  # the process forgets the room: the next viewer replays the log
    again = await open_socket(room.code)
    await receive(again, "snapshot")
    assert (await receive(again, "lesson"))["step"] == 1
    live = await live_room(room)
    assert await live.read(everything) == before
    summary = await lessons.aprogress_summary(room)
    assert summary == {
        "lesson": "services-endpoints",
        "title": "Services and Endpoints",
        "step": 1,
        "steps": 4,
        "done": 1,
        "finished": False,
    }
    await again.disconnect()


async def test_what_a_step_saw_is_rebuilt_after_a_restart(room, socket):
    """`ran` evidence comes back from the replayed log: a curl before the restart counts."""
    await receive(socket, "lesson")
    for step in (0, 1):
        await request(
            socket, {"type": "lesson", "id": step, "action": "show", "step": step}, "shown"
        )
    live = await live_room(room)
    pod = (await live.read(kubia_pods))[0]
    await socket.send_json_to(
        {"type": "command", "id": 5, "line": f"kubectl exec {pod} -- curl -s http://kubia"}
    )
    await receive(socket, "result")
    seen = await live.worker.call("lesson_seen")
    await socket.disconnect()
    await rooms.reset()
    again = await open_socket(room.code)
    await receive(again, "snapshot")
    assert (await receive(again, "lesson"))["step"] == 2
    live = await live_room(room)
    assert await live.worker.call("lesson_seen") == seen
    await again.disconnect()
