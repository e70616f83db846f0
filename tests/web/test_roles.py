"""Roles over the websocket: the presenter's capability, followers, the floor, follow-along.

Every message is checked on the server: these tests send what a follower's page would
never send, over a raw websocket, and check that it gets an error and changes nothing.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from playground import lessons, rooms
from playground.models import RoomEvent
from tests.fixtures.rooms import make_room
from tests.web.sockets import eventually, open_socket, receive

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_rooms_stopped"),
]

FOLLOWER_A = {rooms.roles.PARTICIPANT_COOKIE: "a" * 24}
FOLLOWER_B = {rooms.roles.PARTICIPANT_COOKIE: "b" * 24}


@pytest_asyncio.fixture
async def room():
    return await sync_to_async(make_room)("kubia", presented=True)


@pytest_asyncio.fixture
async def presenter(room):
    socket = await open_socket(room.code, cookies=room.presenter_cookies)
    await receive(socket, "snapshot")
    yield socket
    await socket.disconnect()


async def follower(room, cookies=FOLLOWER_A):
    socket = await open_socket(room.code, cookies=cookies)
    await receive(socket, "snapshot")
    return socket


async def log_of(room) -> list[dict]:
    return await sync_to_async(list)(
        RoomEvent.objects.filter(room=room).order_by("index").values_list("op", flat=True)
    )


async def state_of(live) -> tuple:
    """What a forged message must not change: the cluster (its export), the clock, the
    streams (read from the room's engine, in its worker)."""
    return (
        await live.export_yaml(),
        await live.worker.call("clock"),
        (await live.worker.call("head"))[2],
    )


def services(cluster):
    return cluster.run("kubectl get svc").stdout


async def quiet_frames(socket, seconds=0.4) -> list[dict]:
    """Every message with more than the time in it that arrives within `seconds` (a
    communicator's receive with a timeout would end the connection when it runs out)."""
    seen = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if await socket.receive_nothing(timeout=0.02, interval=0.01):
            continue
        message = await socket.receive_json_from()
        if set(message) - {"type", "epoch", "seq", "time", "at"}:
            seen.append(message)
    return seen


async def test_the_presenter_cookie_makes_the_presenter_and_everyone_else_follows(room, presenter):
    assert presenter.hello["role"] == "presenter"
    first, second = await follower(room), await follower(room, FOLLOWER_B)
    assert (first.hello["role"], first.hello["number"]) == ("follower", 1)
    assert (second.hello["role"], second.hello["number"]) == ("follower", 2)
    # The same browser (its participant cookie) in another tab is the same follower.
    again = await follower(room)
    assert again.hello["number"] == 1
    for socket in (first, second, again):
        await socket.disconnect()


async def test_a_wrong_or_foreign_presenter_cookie_only_follows(room):
    other = await sync_to_async(make_room)("kubia", presented=True)
    name = rooms.roles.cookie_name(room.presenter_key)
    for cookies in (
        {name: "not-the-secret"},
        {name: other.secret},  # another room's secret under this room's cookie name
        other.presenter_cookies,
        {name: room.presenter_key},  # the digest is not the secret
    ):
        socket = await open_socket(room.code, cookies=cookies)
        assert socket.hello["role"] == "follower", cookies
        await socket.disconnect()


FORGED = [
    pytest.param({"type": "command", "line": "kubectl delete svc kubia"}, id="command"),
    pytest.param({"type": "command", "line": "kubectl apply -f -", "stdin": "x: y"}, id="apply"),
    pytest.param(
        {"type": "traffic", "action": "start", "url": "http://kubia/", "source": "host", "rate": 5},
        id="stream",
    ),
    pytest.param({"type": "traffic", "action": "stop"}, id="stop streams"),
    pytest.param({"type": "clock", "action": "play"}, id="clock"),
    pytest.param({"type": "clock", "action": "speed", "speed": 10}, id="speed"),
    pytest.param({"type": "floor", "mode": "open"}, id="open the floor"),
    pytest.param({"type": "floor", "mode": "follower", "follower": 1}, id="take control"),
    pytest.param({"type": "rewind", "commands": 0}, id="rewind"),
    pytest.param(
        {
            "type": "view",
            "tab": "traffic",
            "selected": None,
            "pointer": "svc:default/kubia",
            "zoom": 1,
            "scroll": [0, 0],
        },
        id="view",
    ),  # fmt: skip
]


@pytest.mark.parametrize("message", FORGED)
async def test_a_followers_forged_message_gets_an_error_and_changes_nothing(
    room, presenter, message
):
    await presenter.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    await receive(presenter, "result")
    live = rooms.loaded(room.code)
    before = (await log_of(room), await state_of(live))
    floor = live.classroom.floor
    await quiet_frames(presenter, 0.1)

    student = await follower(room)
    await student.send_json_to({**message, "id": 7})
    error = await receive(student, "error")
    assert error["id"] == 7
    assert "presenter" in error["message"]

    assert await quiet_frames(presenter) == []  # nobody hears of it
    after = (await log_of(room), await state_of(live))
    assert after == before
    assert live.classroom.floor == floor
    assert live.classroom.view is None
    await student.disconnect()


async def test_a_follower_moved_to_the_rooms_new_owner_keeps_its_number(room, presenter):
    """After a takeover the views bring their viewers to the new owner with the numbers the
    old one gave them (a view's memory, never a browser's word): "follower 2" stays so,
    unless the new owner gave that number to someone else meanwhile."""
    live = rooms.loaded(room.code)
    arrived = await live.admit("c" * 24, presenter=False)
    assert arrived[2] == 1
    moved = await live.admit("d" * 24, presenter=False, number=5)
    assert moved[2] == 5
    clash = await live.admit("e" * 24, presenter=False, number=1)
    assert clash[2] == 6
    again = await live.admit("d" * 24, presenter=False, number=9)  # known here: stays 5
    assert again[2] == 5


async def test_the_room_itself_refuses_a_follower_whatever_the_caller(room, presenter):
    """The check is in the room too, under its lock, not only in the consumer."""
    live = rooms.loaded(room.code)
    student, _role, _number, _name = await live.admit("f" * 24, presenter=False)
    with pytest.raises(rooms.roles.Forbidden):
        await live.run_command("kubectl delete svc kubia", who_id=student)
    with pytest.raises(rooms.roles.Forbidden):
        await live.set_clock(True, None, who_id=student)
    with pytest.raises(rooms.roles.Forbidden):
        await live.rewind_to_command(0, student)
    with pytest.raises(rooms.roles.Forbidden):
        await live.set_floor("open", None, student)
    assert "kubia" in await live.read(services)


async def test_the_presenter_opens_the_floor_hands_it_over_and_takes_it_back(room, presenter):
    first, second = await follower(room), await follower(room, FOLLOWER_B)

    async def try_command(socket, line):
        await socket.send_json_to({"type": "command", "id": 3, "line": line})
        while True:
            message = await receive_any(socket, ("result", "error"))
            if message.get("id") == 3:
                return message

    await presenter.send_json_to({"type": "floor", "id": 1, "mode": "open"})
    assert (await receive(presenter, "ok"))["id"] == 1
    frame = await receive(first, "frame")
    while "floor" not in frame:
        frame = await receive(first, "frame")
    assert frame["floor"] == {"mode": "open"}
    result = await try_command(first, "kubectl scale deploy kubia --replicas=2")
    assert result["type"] == "result"
    assert result["exitCode"] == 0
    # Everyone's echo names who ran it.
    frame = await receive(presenter, "frame")
    while "commands" not in frame:
        frame = await receive(presenter, "frame")
    assert frame["commands"][0]["who"] == {"role": "follower", "number": 1}

    await presenter.send_json_to({"type": "floor", "id": 2, "mode": "follower", "follower": 2})
    await receive(presenter, "ok")
    assert (await try_command(first, "kubectl get pods"))["type"] == "error"
    assert (await try_command(second, "kubectl get pods"))["type"] == "result"
    # The floor's frame may have come before the refusal (kept aside) or comes after it.
    seen = [*first.__dict__.get("held", []), *await quiet_frames(first, 1.5)]
    frames = [m for m in seen if "floor" in m]
    assert frames[-1]["floor"] == {"mode": "follower", "follower": 2}

    await presenter.send_json_to({"type": "floor", "id": 4, "mode": "presenter"})
    await receive(presenter, "ok")
    assert (await try_command(second, "kubectl get pods"))["type"] == "error"
    await presenter.send_json_to({"type": "floor", "id": 5, "mode": "follower", "follower": 9})
    assert "no follower 9" in (await receive(presenter, "error"))["message"]
    # The floor is kept on the room: it survives a reload.
    await presenter.send_json_to({"type": "floor", "id": 6, "mode": "open"})
    await receive(presenter, "ok")
    await room.arefresh_from_db()
    assert room.floor == "open"
    for socket in (first, second):
        await socket.disconnect()


async def receive_any(socket, types, timeout=3.0):
    """The next message of one of `types`; the others are kept (`socket.held`)."""
    held = socket.__dict__.setdefault("held", [])
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.receive_json_from()
            if message["type"] in types:
                return message
            held.append(message)


async def test_clock_and_stream_changes_name_who_made_them(room, presenter):
    await presenter.send_json_to({"type": "clock", "action": "speed", "speed": 2})
    frame = await receive(presenter, "frame")
    while "notes" not in frame:
        frame = await receive(presenter, "frame")
    assert frame["notes"] == [
        {"who": {"role": "presenter", "number": 0}, "what": "speed", "detail": "2"}
    ]


async def test_the_presenters_view_reaches_followers_once_a_tick_and_never_the_log(room, presenter):
    student = await follower(room)
    before = await log_of(room)
    views = [
        {"type": "view", "tab": "inspector", "pointer": f"svc:default/kubia{i}", "zoom": 1.25,
         "scroll": [0, i / 20], "selected": {"kind": "Service", "namespace": "", "name": "kubia"}}
        for i in range(20)
    ]  # fmt: skip
    for view in views:
        await presenter.send_json_to(view)
    frames = [m for m in await quiet_frames(student, 1.0) if "view" in m]
    # Twenty views, sent at once: at most one per tick reaches the followers (one or two
    # ticks on a quiet machine; a few more where the server's work spreads over ticks).
    assert 1 <= len(frames) <= len(views) // 3
    last = frames[-1]["view"]
    assert last["pointer"] == "svc:default/kubia19"
    assert last["scroll"] == [0, 0.95]
    assert last["selected"] == {"kind": "Service", "namespace": "default", "name": "kubia"}
    assert await log_of(room) == before
    # Someone who joins now starts from the same view.
    late = await follower(room, FOLLOWER_B)
    late_snapshot = await open_socket(room.code, cookies=FOLLOWER_B)
    assert (await receive(late_snapshot, "snapshot"))["view"] == last
    for socket in (student, late, late_snapshot):
        await socket.disconnect()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pointer": "<script>"}, "box in the diagram"),
        ({"zoom": 40}, "zoom"),
        ({"scroll": [0, 2]}, "scroll"),
        ({"tab": "class"}, "tab"),
        ({"selected": {"kind": "Secret", "namespace": "default", "name": "x"}}, "Choose an object"),
    ],
)
async def test_a_bad_view_gets_an_error(room, presenter, change, words):
    view = {"type": "view", "id": 1, "tab": "traffic", "selected": None, "pointer": None,
            "zoom": 1, "scroll": [0, 0], **change}  # fmt: skip
    await presenter.send_json_to(view)
    assert words in (await receive(presenter, "error"))["message"]


async def test_hands_and_names_reach_the_class_view(room, presenter, settings):
    settings.KUBEPLAY_FLUSH_SECONDS = 0.05
    student = await follower(room)
    await student.send_json_to({"type": "name", "id": 1, "name": "  Li\u200b  Wei \x07"})
    await receive(student, "ok")
    await student.send_json_to({"type": "hand", "id": 2, "raised": True})
    await receive(student, "ok")
    await receive(presenter, "class")  # the presenter's class view asks again
    summary = rooms.loaded(room.code).classroom.summary()
    assert summary["hands"] == [{"role": "follower", "number": 1, "name": "Li Wei"}]
    assert summary["followers"][0]["hand"] is True
    await student.send_json_to({"type": "name", "id": 3, "name": "x" * 41})
    assert "at most 40" in (await receive(student, "error"))["message"]
    await student.disconnect()
    # A follower who left lowers their hand.
    await eventually(lambda: rooms.loaded(room.code).classroom.summary()["hands"] == [])


async def test_an_open_room_lets_everyone_act_and_has_no_presenter():
    room = await sync_to_async(make_room)("kubia")
    socket = await open_socket(room.code)
    assert socket.hello["role"] == "viewer"
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl scale deploy kubia --replicas=1"}
    )
    assert (await receive(socket, "result"))["exitCode"] == 0
    await socket.send_json_to({"type": "floor", "id": 2, "mode": "open"})
    assert "no presenter" in (await receive(socket, "error"))["message"]
    await socket.disconnect()


async def test_nothing_a_follower_receives_holds_the_presenters_capability(room, presenter):
    student = await open_socket(room.code, cookies=FOLLOWER_A)
    seen = [student.hello]
    await presenter.send_json_to({"type": "command", "id": 1, "line": "kubectl get svc"})
    await presenter.send_json_to({"type": "clock", "action": "pause"})
    await presenter.send_json_to({"type": "floor", "id": 2, "mode": "follower", "follower": 1})
    view = {"type": "view", "tab": "inspector", "selected": None, "pointer": "dns", "zoom": 2,
            "scroll": [0.5, 0.5]}  # fmt: skip
    await presenter.send_json_to(view)
    await presenter.send_json_to({"type": "rewind", "id": 3, "commands": 0})
    await receive(presenter, "rewound")
    seen += await quiet_frames(student, 0.8)
    text = json.dumps(seen)
    assert {"snapshot", "frame"} <= {m["type"] for m in seen}
    assert any("view" in m for m in seen)
    assert any("floor" in m for m in seen)
    assert room.secret not in text
    assert room.presenter_key[:16] not in text
    await student.disconnect()


@pytest.mark.asyncio(loop_scope="function")
async def test_every_client_message_type_names_the_right_it_needs():
    from playground import protocol

    assert set(rooms.roles.NEEDS) == set(protocol.CLIENT_TYPES)
    for need in rooms.roles.NEEDS.values():
        for right in need.values() if isinstance(need, dict) else [need]:
            assert right in (rooms.roles.ANYONE, rooms.roles.ACT, rooms.roles.PRESENT)


async def test_in_a_lesson_room_a_follower_reads_the_lesson_but_cannot_run_it():
    secret, key = rooms.roles.new_secret()
    room = await sync_to_async(lessons.create_lesson_room)("services-endpoints", key)
    student = await open_socket(room.code, cookies=FOLLOWER_A)
    await receive(student, "lesson")
    await student.send_json_to({"type": "lesson", "id": 1, "action": "state"})
    assert (await receive(student, "lesson"))["step"] == 0
    for action in ("show", "reset", "anything"):
        await student.send_json_to({"type": "lesson", "id": 2, "action": action, "step": 0})
        assert "presenter" in (await receive(student, "error"))["message"]
    assert [op["op"] for op in await log_of(room)] == []
    teacher = await open_socket(room.code, cookies={rooms.roles.cookie_name(key): secret})
    await teacher.send_json_to({"type": "lesson", "id": 3, "action": "show", "step": 0})
    shown = await receive(teacher, "shown", timeout=10)
    assert shown["results"]
    # "Show me" runs the solution as the presenter's commands: the echo says so.
    frame = await receive(student, "frame")
    while "commands" not in frame:
        frame = await receive(student, "frame")
    assert frame["commands"][0]["who"]["role"] == "presenter"
    for socket in (student, teacher):
        await socket.disconnect()
