"""Forks, rewinds and restarts: a room's log copied, cut back or replayed, exactly.

Exactness is checked byte for byte: the same YAML export, the same snapshot, and
the same output for the commands that come next (names and load balancing draw
from the cluster's random generator, so any difference in its state shows).
"""

from __future__ import annotations

import json

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async

from playground import rooms
from playground.models import Room, RoomEvent
from playground.rooms.log import effective_ops, restore
from tests.fixtures.rooms import make_room
from tests.web.sockets import eventually, open_socket, receive

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_rooms_stopped"),
]

PRESENTER = {"role": "presenter", "number": 0}
NEXT = [
    "kubectl scale deploy kubia --replicas=5",
    "kubectl get pods -o wide",
    "curl -s http://kubia.example.com/",
    "curl -s http://kubia.example.com/",
    "kubectl create deployment extra --image=nginx --replicas=2",
    "kubectl get all",
]


@pytest_asyncio.fixture
async def room():
    return await sync_to_async(make_room)("kubia", presented=True)


async def ops_of(room: Room) -> list[dict]:
    return await sync_to_async(list)(
        RoomEvent.objects.filter(room=room).order_by("index").values_list("op", flat=True)
    )


async def rebuilt(room: Room):
    stored = await Room.objects.aget(pk=room.pk)
    return await sync_to_async(restore)(stored.seed, stored.manifests, await ops_of(stored))


def fingerprint(cluster) -> tuple:
    """What a learner could observe of a cluster, now and over the next commands."""
    now = (cluster.export_yaml(), cluster.snapshot(), cluster.now)
    later = [(r.stdout, r.stderr, r.exit_code) for r in (cluster.run(line) for line in NEXT)]
    return now, later


async def live_room(room):
    """The room running in this process (its worker replayed the log)."""
    await rooms.open_room(room.code)
    return rooms.loaded(room.code)


async def ticks(live, n):
    """`n` ticks as the ticker runs them (without waiting for the wall clock)."""
    for _ in range(n):
        async with live.lock:
            await live.tick()


async def shown(live) -> dict:
    """The room as a viewer joining now is shown it (its `snapshot` message)."""
    _epoch, _seq, texts = await live.snapshot()
    return json.loads(texts[0])


def now_of(cluster):
    return cluster.now


def yaml_of(cluster):
    return cluster.export_yaml()


def services(cluster):
    return cluster.run("kubectl get svc").stdout


async def busy(live, playing=True):
    """A room with a history: commands, a stream, and a clock that ran."""
    for line in ("kubectl label pod -l app=kubia tier=web", "curl -s http://kubia.example.com/"):
        await live.run_command(line)
    await live.set_clock(playing, 2.0)
    await live.start_stream("http://kubia.example.com/", "host", 40.0)
    await ticks(live, 12)
    await live.run_command("kubectl delete pod -l app=kubia --wait=false")
    await ticks(live, 5)


async def test_a_fork_replays_to_the_same_cluster_byte_for_byte(room):
    live = await live_room(room)
    await busy(live)
    copy, secret = await rooms.fork(room.code, {"role": "follower", "number": 4})
    assert rooms.roles.holds_key(copy.presenter_key, secret)
    assert copy.forked_by == {"role": "follower", "number": 4}
    # The ticks run since the last write are part of the point forked.
    forked = await rebuilt(copy)
    assert forked.cluster.now == await live.read(now_of) > 0
    assert forked.hits == (await shown(live))["hits"]
    assert fingerprint(forked.cluster) == await live.read(fingerprint)


async def test_the_fork_is_ready_for_its_browser_and_goes_its_own_way(room):
    live = await live_room(room)
    await busy(live, playing=False)
    copy, secret = await rooms.fork(room.code, PRESENTER)
    # It was replayed in this process straight away, for the browser on its way.
    await eventually(lambda: rooms.loaded(copy.code) is not None)
    owner = await open_socket(
        copy.code, cookies={rooms.roles.cookie_name(copy.presenter_key): secret}
    )
    assert owner.hello["role"] == "presenter"
    snapshot = await receive(owner, "snapshot")
    assert snapshot["streams"] == (await shown(live))["streams"]  # the stream runs there too
    await owner.send_json_to({"type": "command", "id": 1, "line": "kubectl delete svc kubia"})
    assert (await receive(owner, "result"))["exitCode"] == 0
    assert "kubia" in await live.read(services)  # the class's room is untouched
    await owner.disconnect()


async def test_rewind_moves_back_keeps_the_rest_as_a_branch_and_tells_everyone(room):
    live = await live_room(room)
    await live.run_command("kubectl scale deploy kubia --replicas=1")
    after_first = (await rebuilt(room)).cluster.export_yaml()
    await live.run_command("kubectl label deploy kubia tier=web")
    await live.start_stream("http://kubia.example.com/", "host", 16.0)
    await ticks(live, 4)
    await live.run_command("kubectl scale deploy kubia --replicas=4")
    whole = await ops_of(room)
    before = await live.read(yaml_of)
    follower = await open_socket(room.code)
    await receive(follower, "snapshot")

    presenter = (await live.admit("p" * 24, presenter=True))[0]
    branch = await Room.objects.aget(code=await live.rewind_to_command(1, presenter))

    # Back after the first command: one more entry in the log, which stays append-only;
    # the cluster is what the log makes now.
    ops = await ops_of(room)
    assert ops == [*whole, {"op": "rewind", "to": 1}]
    assert [op["op"] for _, op in effective_ops(ops)] == ["run"]
    assert await live.read(yaml_of) == after_first
    assert (await shown(live))["streams"] == []  # the stream started later
    assert fingerprint((await rebuilt(room)).cluster) == await live.read(fingerprint)
    # Nothing lost: the branch holds the whole log, opens with the presenter's key.
    assert branch.parent_id == room.pk
    assert branch.forked_by == {"role": "rewind"}
    assert branch.presenter_key == room.presenter_key
    assert (await ops_of(branch))[: len(whole)] == whole
    kept = await rebuilt(branch)
    assert kept.cluster.export_yaml() == before
    assert [s["url"] for s in kept.streams] == ["http://kubia.example.com/"]
    # Followers get the rewound room at once (a new epoch), and who did it.
    snapshot = await receive(follower, "snapshot")
    assert snapshot["epoch"] == live.epoch
    pods = [p for p in snapshot["topology"]["pods"] if p["labels"].get("app") == "kubia"]
    assert len(pods) == 1
    frame = await receive(follower, "frame")
    while "notes" not in frame:
        frame = await receive(follower, "frame")
    assert frame["notes"][0]["what"] == "rewind"

    with pytest.raises(ValueError, match="at that point already"):
        await live.rewind_to_command(1, presenter)
    with pytest.raises(ValueError, match="from 0 to 1"):
        await live.rewind_to_command(7, presenter)
    await live.rewind_to_command(0, presenter)  # reset to the start
    assert effective_ops(await ops_of(room)) == []
    assert await live.read(yaml_of) == (await rebuilt(room)).cluster.export_yaml()
    await follower.disconnect()


async def test_rewinding_over_the_websocket_answers_with_the_branch(room):
    presenter = await open_socket(room.code, cookies=room.presenter_cookies)
    await receive(presenter, "snapshot")
    await presenter.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    await receive(presenter, "result")
    await presenter.send_json_to({"type": "rewind", "id": 2, "commands": 0})
    reply = await receive(presenter, "rewound")
    assert reply["id"] == 2
    assert await Room.objects.filter(code=reply["branch"], parent=room).aexists()
    await presenter.send_json_to({"type": "rewind", "id": 3, "commands": -1})
    assert "non-negative" in (await receive(presenter, "error"))["message"]
    await presenter.disconnect()


async def test_streams_and_hit_counters_survive_a_restart(room, settings):
    settings.KUBEPLAY_FLUSH_SECONDS = 0.05
    socket = await open_socket(room.code, cookies=room.presenter_cookies)
    await receive(socket, "snapshot")
    await socket.send_json_to(
        {"type": "traffic", "id": 1, "action": "start", "url": "http://kubia.example.com/",
         "source": "host", "rate": 50}
    )  # fmt: skip
    started = (await receive(socket, "stream"))["stream"]
    live = rooms.loaded(room.code)

    async def hits():
        return (await shown(live))["hits"]

    await eventually(hits, lambda counted: sum(counted.values()) >= 10)
    await socket.disconnect()
    await eventually(lambda: not live.viewers())
    await live.written()
    hits, now = await hits(), await live.read(now_of)
    # A restart: the process forgets every live room; the next viewer replays the log.
    await rooms.reset()
    again = await open_socket(room.code, cookies=room.presenter_cookies)
    snapshot = await receive(again, "snapshot")
    assert snapshot["streams"] == [started]
    assert snapshot["hits"] == hits
    assert snapshot["time"] == now
    traces = []
    while len(traces) < 5:  # the stream goes on by itself
        traces += (await receive(again, "frame")).get("traces", [])
    await again.send_json_to(
        {"type": "traffic", "id": 2, "action": "start", "url": "http://kubia.example.com/",
         "source": "host", "rate": 1}
    )  # fmt: skip
    assert (await receive(again, "stream"))["stream"]["id"] == "s2"  # ids go on too
    await again.disconnect()
