"""The room websocket through the full ASGI stack, as daphne would call it."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from django.utils import timezone

from playground import rooms
from playground.models import Room, RoomEvent
from playground.protocol import MAX_MESSAGE_BYTES
from tests.fixtures.rooms import make_room, manifest
from tests.web.sockets import (
    cluster_snapshot,
    communicator,
    default_pod,
    events_and_generator,
    eventually,
    open_socket,
    receive,
    snapshot_and_time,
)

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("live_rooms_stopped"),
]


@pytest_asyncio.fixture
async def socket(room):
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    yield socket
    await socket.disconnect()


async def test_snapshot_on_connect(room):
    socket = await open_socket(room.code)
    snapshot = await receive(socket, "snapshot")
    topology = snapshot["topology"]
    assert {s["name"] for s in topology["services"]} >= {"kubia", "kubernetes"}
    kubia_pods = [p for p in topology["pods"] if p["labels"].get("app") == "kubia"]
    assert len(kubia_pods) == 3
    assert snapshot["seq"] == 0
    assert snapshot["clock"] == {"playing": False, "speed": 1.0, "time": snapshot["time"]}
    assert {"url": "http://kubia.example.com/", "group": "Ingress"}.items() <= next(
        t for t in snapshot["targets"] if t["group"] == "Ingress"
    ).items()
    await socket.disconnect()


async def test_command_gets_a_result_and_everyone_gets_a_frame(room, socket):
    other = await open_socket(room.code)
    await receive(other, "snapshot")
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl scale deployment kubia --replicas=4"}
    )
    result = await receive(socket, "result")
    assert result["id"] == 1
    assert result["exitCode"] == 0, result["stderr"]
    assert "scaled" in result["stdout"]
    for viewer in (socket, other):
        frame = await receive(viewer, "frame")
        assert frame["seq"] == 1
        added = frame["changes"]["pods"]["upsert"]
        assert any(p["labels"].get("app") == "kubia" for p in added)
        assert frame["commands"][0]["line"] == "kubectl scale deployment kubia --replicas=4"
    await other.disconnect()


async def test_command_is_logged_before_it_is_broadcast(room, socket):
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl label pod -l app=kubia x=y"}
    )
    await receive(socket, "frame")
    ops = await sync_to_async(list)(
        RoomEvent.objects.filter(room=room).values_list("op", flat=True)
    )
    # Who ran it and when (for the timeline) are beside the line that replay runs.
    assert ops[-1] == {
        "op": "run",
        "line": "kubectl label pod -l app=kubia x=y",
        "by": {"role": "viewer", "number": 1},
        "at": 0.0,
    }


async def test_curl_traces_travel_in_the_frame(socket):
    await socket.send_json_to(
        {"type": "command", "id": 2, "line": "curl -s http://kubia.example.com/"}
    )
    result = await receive(socket, "result")
    assert result["stdout"].startswith("You've hit kubia-")
    frame = await receive(socket, "frame")
    [trace] = frame["traces"]
    assert trace["outcome"] == "ok"
    assert [hop["kind"] for hop in trace["hops"]][-1] == "pod"
    assert frame["hits"] == {trace["served_by"]: 1}


@pytest.mark.parametrize(
    ("frame", "error"),
    [
        pytest.param("{not json", "not valid JSON", id="malformed JSON"),
        pytest.param("[1, 2]", 'JSON object with a string "type"', id="not an object"),
        pytest.param('{"id": 1}', 'JSON object with a string "type"', id="no type"),
        pytest.param('{"type": "dance"}', "Unknown message type 'dance'", id="unknown type"),
        pytest.param("[" * 100_000, "too large", id="oversized"),
        pytest.param("[" * 60_000, "nested too deeply", id="deeply nested"),
        pytest.param(
            json.dumps({"type": "ping", "pad": "x" * MAX_MESSAGE_BYTES}),
            "too large",
            id="just over",
        ),
        pytest.param('{"type": "command", "line": ""}', '"line" must be', id="empty command"),
        pytest.param('{"type": "command", "line": 5}', '"line" must be', id="command not text"),
        pytest.param(
            json.dumps({"type": "command", "line": "kubectl get pods\nrm -rf /"}),
            "one line",
            id="two lines",
        ),
        pytest.param(
            json.dumps({"type": "command", "line": "k" * 5000}), "too long", id="long command"
        ),
        pytest.param(
            '{"type": "traffic", "action": "start", "url": "http://x/", "source": "host", '
            '"rate": 1e9}',
            '"rate" must be',
            id="rate too high",
        ),
        pytest.param(
            '{"type": "traffic", "action": "start", "url": "http://x/", "source": "<b>", '
            '"rate": 1}',
            '"source" must be',
            id="bad source",
        ),
        pytest.param('{"type": "traffic", "action": "dance"}', '"action" must be', id="bad action"),
        pytest.param('{"type": "clock", "action": "speed", "speed": 3}', '"speed"', id="bad speed"),
        pytest.param('{"type": "resync", "seq": -1}', '"seq" must be', id="bad resync"),
        pytest.param('{"type": "ping", "id": [1]}', '"id" must be', id="bad id"),
    ],
)
async def test_bad_message_gets_an_error_and_nobody_loses_their_connection(
    room, socket, frame, error
):
    other = await open_socket(room.code)
    await receive(other, "snapshot")
    await socket.send_to(text_data=frame)
    reply = await receive(socket, "error")
    assert error in reply["message"]
    for viewer in (socket, other):
        await viewer.send_json_to({"type": "ping", "id": 1})
        assert await receive(viewer, "pong") == {"type": "pong", "id": 1}
    await other.disconnect()


async def test_binary_frame_gets_an_error(socket):
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await receive(socket, "error"))["message"].startswith("Send messages as JSON text")


async def test_multibyte_text_is_measured_in_bytes(socket):
    # 30,000 three-byte characters: under the limit in characters, over it in bytes.
    await socket.send_json_to({"type": "ping", "pad": "€" * 30_000})
    assert "too large" in (await receive(socket, "error"))["message"]


async def test_a_flood_of_messages_is_slowed_down(socket):
    for i in range(60):
        await socket.send_json_to({"type": "ping", "id": i})
    replies = [await socket.receive_json_from() for _ in range(60)]
    assert any(r["type"] == "error" and "slow down" in r["message"] for r in replies)
    assert replies[0] == {"type": "pong", "id": 0}


async def test_failed_command_reports_problems_with_lines(socket):
    await socket.send_json_to(
        {
            "type": "command",
            "id": 3,
            "line": "kubectl apply -f -",
            "stdin": "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n"
            "  - port: 80\n    nodePort: 80\n",
        }
    )
    result = await receive(socket, "result")
    assert result["exitCode"] != 0
    assert any(p["line"] for p in result["problems"])


async def test_foreign_origin_is_refused(room):
    socket = communicator(room.code, origin=b"http://evil.example")
    connected, _ = await socket.connect()
    assert not connected


async def test_room_code_must_be_a_slug():
    with pytest.raises(ValueError, match="No route found"):
        await communicator("Not A Slug").connect()


async def test_unknown_room_gets_an_error_and_is_closed():
    socket = communicator("nosuchroom")
    connected, _ = await socket.connect()
    assert connected
    error = await socket.receive_json_from()
    assert error["type"] == "error"
    assert "no room" in error["message"]
    assert (await socket.receive_output())["code"] == 4404


async def test_reconnecting_browser_gets_only_the_frames_it_missed(room, socket):
    snapshot_epoch = rooms.loaded(room.code).epoch
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl label pod -l app=kubia a=1"}
    )
    await receive(socket, "frame")
    await socket.send_json_to(
        {"type": "command", "id": 2, "line": "kubectl label pod -l app=kubia b=2"}
    )
    second = await receive(socket, "frame")
    late = await open_socket(room.code, f"seq=1&epoch={snapshot_epoch}")
    missed = await late.receive_json_from()
    assert missed["type"] == "frame"
    assert missed == second
    await late.disconnect()


async def test_resync_from_another_epoch_gets_a_snapshot(room, socket):
    await socket.send_json_to({"type": "resync", "seq": 5, "epoch": "stale"})
    snapshot = await receive(socket, "snapshot")
    assert snapshot["epoch"] == rooms.loaded(room.code).epoch


async def test_resync_after_a_gap_resends_the_missing_frames(socket):
    for i in range(3):
        await socket.send_json_to(
            {
                "type": "command",
                "id": i,
                "line": f"kubectl label pod -l app=kubia n={i} --overwrite",
            }
        )
        await receive(socket, "frame")
    await socket.send_json_to({"type": "resync", "seq": 1, "epoch": (await epoch_of(socket))})
    assert [(await receive(socket, "frame"))["seq"] for _ in range(2)] == [2, 3]


async def epoch_of(socket):
    await socket.send_json_to({"type": "resync", "seq": 0, "epoch": ""})
    return (await receive(socket, "snapshot"))["epoch"]


async def test_stream_sends_traces_in_frames_and_is_logged(room, socket, fast_flush):
    await socket.send_json_to(
        {
            "type": "traffic",
            "action": "start",
            "url": "http://kubia.example.com/",
            "source": "host",
            "rate": 50,
        }
    )
    started = await receive(socket, "stream")
    assert started["stream"]["rate"] == 50
    assert started["stream"]["url"] == "http://kubia.example.com/"
    traces = []
    while len(traces) < 20:
        traces += (await receive(socket, "frame")).get("traces", [])
    assert {t["outcome"] for t in traces} == {"ok"}
    await socket.send_json_to({"type": "traffic", "action": "stop"})
    frame = await receive(socket, "frame")
    while "streams" not in frame:
        frame = await receive(socket, "frame")
    assert frame["streams"] == []

    async def logged_requests():
        ops = await sync_to_async(list)(
            RoomEvent.objects.filter(room=room).values_list("op", flat=True)
        )
        return sum(
            n * repeat
            for op in ops
            if op["op"] == "ticks"
            for _, counts, repeat in op["runs"]
            for n in counts
        )

    await eventually(lambda: logged_requests(), lambda sent: sent >= 20)


async def test_clock_plays_pauses_and_changes_speed(socket):
    await socket.send_json_to({"type": "clock", "action": "speed", "speed": 10})
    frame = await receive(socket, "frame")
    assert frame["clock"]["speed"] == 10
    await socket.send_json_to({"type": "clock", "action": "play"})
    start = (await receive(socket, "frame"))["time"]
    async with asyncio.timeout(5):
        while (later := (await receive(socket, "frame"))["time"]) - start < 1:
            pass
    # Ten simulated seconds a second: each tick (1/16 s) moves the clock 0.625 s.
    ticks = (later - start) / (10 / 16)
    assert abs(ticks - round(ticks)) < 1e-6
    await socket.send_json_to({"type": "clock", "action": "pause"})
    paused = (await receive(socket, "frame"))["clock"]
    assert paused["playing"] is False


async def test_a_room_replays_to_the_same_state(room, socket, fast_flush):
    lines = [
        "kubectl scale deployment kubia --replicas=5",
        "kubectl delete pod -l app=kubia",
        "curl -s http://kubia.example.com/",
        "kubectl label pod -l app=kubia tier=web",
    ]
    for i, line in enumerate(lines):
        await socket.send_json_to({"type": "command", "id": i, "line": line})
        await receive(socket, "result")
    await socket.send_json_to({"type": "clock", "action": "play"})
    while (await receive(socket, "frame"))["time"] < 0.2:  # some ticks of the clock
        pass
    await socket.send_json_to({"type": "command", "id": 9, "line": "kubectl get pods"})
    await receive(socket, "result")
    await socket.send_json_to({"type": "clock", "action": "pause"})
    while (await receive(socket, "frame")).get("clock", {}).get("playing", True):
        pass  # the pause is done: no tick moves the clock any more
    live = rooms.loaded(room.code)
    await eventually(lambda: live.log.up_to_date)  # the ticks before the pause are logged
    expected = await live.read(snapshot_and_time)
    await socket.disconnect()
    await rooms.reset()
    await rooms.open_room(room.code)
    snapshot, now = await rooms.loaded(room.code).read(snapshot_and_time)
    assert snapshot["pods"] == expected[0]["pods"]
    assert now == expected[1]


async def test_inspector_reads_leave_the_cluster_as_it_was(room, socket):
    live = rooms.loaded(room.code)
    before = await live.read(events_and_generator)
    pod = await default_pod(live)
    for kind, namespace, name in [
        ("Service", "default", "kubia"),
        ("Endpoints", "default", "kubia"),
        ("Pod", "default", pod["name"]),
        ("Node", "", "worker-1"),
        ("Ingress", "default", "kubia"),
        ("Deployment", "default", "kubia"),
    ]:
        info = await rooms.inspect(room.code, kind, namespace, name)
        assert info["found"], info
    await rooms.export_yaml(room.code)
    after = await live.read(events_and_generator)
    assert after == before


async def test_an_idle_room_is_written_to_the_log_and_unloaded(room, settings):
    settings.KUBEPLAY_IDLE_SECONDS = 0.05
    socket = await open_socket(room.code)
    await receive(socket, "snapshot")
    await socket.send_json_to({"type": "clock", "action": "play"})
    while (await receive(socket, "frame"))["time"] == 0:  # the clock has run
        pass
    await socket.disconnect()
    await eventually(lambda: rooms.loaded(room.code) is None)
    ops = await sync_to_async(list)(
        RoomEvent.objects.filter(room=room).values_list("op", flat=True)
    )
    assert ops
    assert ops[-1]["op"] == "ticks"


async def test_a_room_whose_owner_fell_silent_is_taken_over_when_its_lease_ends(room, settings):
    """Its lease names a process that answers nothing (it died): the viewer is served once the
    lease runs out, by this process replaying the log."""
    settings.KUBEPLAY_ROOM_LEASES = True
    settings.KUBEPLAY_LEASE_SECONDS = 1.0
    until = timezone.now() + timedelta(seconds=1)
    await Room.objects.filter(pk=room.pk).aupdate(owner="kubeplay.gone!dead", lease_until=until)
    started = asyncio.get_running_loop().time()
    socket = await open_socket(room.code)
    snapshot = await receive(socket, "snapshot", timeout=15)
    assert asyncio.get_running_loop().time() - started < 10
    assert {p["name"].split("-")[0] for p in snapshot["topology"]["pods"]} >= {"kubia"}
    assert rooms.loaded(room.code) is not None  # this process runs it now
    stored = await Room.objects.aget(pk=room.pk)
    assert stored.owner != "kubeplay.gone!dead"
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    assert (await receive(socket, "result"))["exitCode"] == 0
    await socket.disconnect()


def keyed_topology(topology):
    from playground.topology import COLLECTIONS, key

    return {c: {key(c, obj): obj for obj in topology[c]} for c in COLLECTIONS}


async def test_frames_keep_every_viewers_copy_equal_to_the_cluster(room, socket):
    """One change feed: the topology viewers have, kept by frames alone, is the cluster's."""
    lines = [
        "kubectl scale deployment kubia --replicas=5",
        "kubectl label pod -l app=kubia tier=web",
        "kubectl delete pod -l app=kubia",
        "kubectl cordon worker-1",
        "kubectl delete service kubia",
    ]
    for i, line in enumerate(lines):
        await socket.send_json_to({"type": "command", "id": i, "line": line})
        frame = await receive(socket, "frame")
        assert "events" not in frame  # the simulator's raw events are not sent
    live = rooms.loaded(room.code)
    fresh = await live.read(cluster_snapshot)
    assert keyed_topology(await live.viewers_topology()) == keyed_topology(fresh)


async def test_snapshot_carries_probe_timing_counts_and_the_wire_constants():
    room = await sync_to_async(make_room)("readiness")
    socket = await open_socket(room.code)
    snapshot = await receive(socket, "snapshot")
    probed = [p for p in snapshot["topology"]["pods"] if p["hasReadinessProbe"]]
    assert probed
    for pod in probed:
        assert pod["probe"]["kind"] == "exec"
        assert snapshot["probes"][f"{pod['namespace']}/{pod['name']}"] == [0, 0]
    assert "kube-system" in snapshot["systemNamespaces"]
    assert snapshot["collections"][:2] == ["nodes", "pods"]
    await socket.disconnect()


async def assert_no_inspector_before_pong(socket):
    """Everything the room sends until it answers a ping: no inspector among it."""
    await socket.send_json_to({"type": "ping", "id": "p"})
    while (message := await socket.receive_json_from())["type"] != "pong":
        assert message["type"] != "inspector"


async def test_inspector_is_refreshed_by_the_frame_that_changes_it(room, socket):
    live = rooms.loaded(room.code)
    pod = await default_pod(live)
    target = {"kind": "Pod", "namespace": "default", "name": pod["name"]}
    await socket.send_json_to({"type": "inspect", "id": 7, **target})
    shown = await receive(socket, "inspector")
    assert shown["id"] == 7
    assert (shown["kind"], shown["name"]) == ("Pod", pod["name"])
    assert "tier=web" not in shown["html"]
    await socket.send_json_to(
        {"type": "command", "id": 8, "line": f"kubectl label pod {pod['name']} tier=web"}
    )
    frame = await receive(socket, "frame")
    refreshed = await receive(socket, "inspector")
    # The refresh follows its frame and shows that moment: labels and describe agree.
    assert refreshed["seq"] == frame["seq"]
    assert "id" not in refreshed
    assert "<code>tier=web</code>" in refreshed["html"]
    assert "tier=web" in refreshed["html"].split("kubectl describe</summary>")[1]


async def test_an_inspector_the_frame_did_not_change_is_not_sent_again(room, socket):
    await socket.send_json_to(
        {"type": "inspect", "kind": "Service", "namespace": "default", "name": "kubia"}
    )
    await receive(socket, "inspector")
    # A command elsewhere (a node) refreshes nothing the Service shows.
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    await receive(socket, "frame")
    await assert_no_inspector_before_pong(socket)


async def test_a_viewer_who_stops_inspecting_gets_no_more_inspectors(room, socket):
    await socket.send_json_to({"type": "inspect", "kind": "Node", "name": "worker-1"})
    assert (await receive(socket, "inspector"))["namespace"] == ""
    await socket.send_json_to({"type": "inspect"})
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl cordon worker-1"})
    await receive(socket, "frame")
    await assert_no_inspector_before_pong(socket)


@pytest.mark.parametrize(
    ("message", "error"),
    [
        pytest.param({"kind": "Secret", "name": "x"}, "Choose an object", id="unknown kind"),
        pytest.param({"kind": ["Pod"], "name": "x"}, "Choose an object", id="kind not text"),
        pytest.param({"kind": "Pod", "name": "Not/A/Name"}, "not valid", id="bad name"),
        pytest.param({"kind": "Pod", "name": "x", "namespace": 5}, "not valid", id="bad ns"),
    ],
)
async def test_a_bad_inspect_message_gets_an_error(socket, message, error):
    await socket.send_json_to({"type": "inspect", "id": 3, **message})
    reply = await receive(socket, "error")
    assert reply["id"] == 3
    assert error in reply["message"]


async def test_applied_manifests_come_back_with_the_servers_problems_list(socket):
    good = manifest("kubia").replace("replicas: 3", "replicas: 2")
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl apply -f -", "stdin": good}
    )
    result = await receive(socket, "result")
    assert result["exitCode"] == 0
    assert "✓ Applied." in result["problemsHtml"]
    bad = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n"
        "  - port: 80\n    nodePort: 80\n"
    )
    await socket.send_json_to(
        {"type": "command", "id": 2, "line": "kubectl apply -f -", "stdin": bad}
    )
    result = await receive(socket, "result")
    assert 'class="problems"' in result["problemsHtml"]
    assert "Line 8" in result["problemsHtml"]
    await socket.send_json_to({"type": "command", "id": 3, "line": "kubectl get pods"})
    assert "problemsHtml" not in await receive(socket, "result")


async def test_a_playing_clock_reports_the_probes_that_ran():
    room = await sync_to_async(make_room)("readiness")
    socket = await open_socket(room.code)
    snapshot = await receive(socket, "snapshot")
    probed = {k for k, counts in snapshot["probes"].items()}
    await socket.send_json_to({"type": "clock", "action": "speed", "speed": 10})
    await socket.send_json_to({"type": "clock", "action": "play"})
    runs = {}
    async with asyncio.timeout(5):
        while set(runs) != probed:  # every probed pod's probe runs within a simulated second
            runs.update((await receive(socket, "frame")).get("probes", {}))
    assert all(failures >= 1 for _, failures in runs.values())  # no /var/ready yet
    await socket.disconnect()


class ClosedSocket:
    """A viewer whose connection closed before its disconnect reached the room."""

    viewer = "gone"

    async def forward(self, text):
        raise ConnectionError("Attempt to send on a closed protocol")


async def test_a_viewer_whose_socket_closed_does_not_break_the_room(room, socket):
    live = rooms.loaded(room.code)
    view = rooms.view(room.code)
    view.viewers.add(ClosedSocket())  # it joined, then its socket closed
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl cordon worker-1"})
    assert (await receive(socket, "frame"))["commands"][0]["exitCode"] == 0
    assert "gone" not in view.viewers
    assert rooms.loaded(room.code) is live
    assert not live.closed


async def test_viewers_arriving_together_all_get_the_rooms_frames(room):
    """The first viewers of a room connect at once: they share one view of it."""
    sockets = await asyncio.gather(*(open_socket(room.code) for _ in range(4)))
    for socket in sockets:
        await receive(socket, "snapshot")
    await sockets[0].send_json_to(
        {"type": "command", "id": 1, "line": "kubectl label pod -l app=kubia tier=web"}
    )
    for socket in sockets:
        frame = await receive(socket, "frame")
        while "commands" not in frame:
            frame = await receive(socket, "frame")
        assert frame["commands"][0]["line"] == "kubectl label pod -l app=kubia tier=web"
    for socket in sockets:
        await socket.disconnect()


# -- the reachability matrix ---------------------------------------------------------

DENY_KUBIA = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubia-deny
spec:
  podSelector:
    matchLabels:
      app: kubia
"""


async def assert_no_matrix_before_pong(socket):
    await socket.send_json_to({"type": "ping", "id": "p"})
    while (message := await socket.receive_json_from())["type"] != "pong":
        assert message["type"] != "matrix"


def kubia_states(message: dict) -> set[str]:
    """Every slot state of the rows into the kubia pods."""
    data = message["matrix"]
    states = set()
    for group in data["groups"]:
        if group["name"].startswith("kubia"):
            for row in data["rows"]:
                states.update(row[group["first"] : group["first"] + len(group["ports"])])
    return states


async def test_the_matrix_comes_on_request_and_after_the_frame_that_changes_it(socket):
    await socket.send_json_to({"type": "matrix", "id": 4, "view": "workloads"})
    shown = await receive(socket, "matrix")
    assert shown["id"] == 4
    assert shown["view"] == "workloads"
    assert shown["matrix"]["byPod"] is False
    assert kubia_states(shown) == {"o"}
    await socket.send_json_to(
        {"type": "command", "id": 5, "line": "kubectl apply -f -", "stdin": DENY_KUBIA}
    )
    frame = await receive(socket, "frame")
    refreshed = await receive(socket, "matrix")
    assert refreshed["seq"] == frame["seq"]
    assert "id" not in refreshed
    # Nothing reaches kubia now but the kubia pods themselves... which are isolated too.
    assert kubia_states(refreshed) == {"i"}


async def test_a_viewer_who_closes_the_matrix_gets_no_more(socket):
    await socket.send_json_to({"type": "matrix", "view": "auto"})
    await receive(socket, "matrix")
    await socket.send_json_to({"type": "matrix"})
    await socket.send_json_to(
        {"type": "command", "id": 1, "line": "kubectl apply -f -", "stdin": DENY_KUBIA}
    )
    await receive(socket, "frame")
    await assert_no_matrix_before_pong(socket)


async def test_an_unchanged_matrix_is_not_sent_again(socket):
    await socket.send_json_to({"type": "matrix", "view": "pods"})
    await receive(socket, "matrix")
    await socket.send_json_to({"type": "command", "id": 1, "line": "kubectl get pods"})
    await receive(socket, "frame")
    await assert_no_matrix_before_pong(socket)


async def test_a_bad_view_gets_an_error(socket):
    await socket.send_json_to({"type": "matrix", "id": 9, "view": "everything"})
    reply = await receive(socket, "error")
    assert reply["id"] == 9
    assert '"view" must be one of' in reply["message"]


class Recorder:
    """A viewer that keeps what it is sent."""

    def __init__(self, viewer: str) -> None:
        self.viewer = viewer
        self.texts: list[str] = []

    async def forward(self, text: str) -> None:
        self.texts.append(text)


async def test_a_viewer_arriving_as_the_last_one_leaves_still_gets_frames(room):
    """A reload: the new page's socket opens the room's view, the old page's leaves it
    (the view, empty, is forgotten), then the new one joins: it must still hear frames."""
    leaving, arriving = Recorder("old-page"), Recorder("new-page")
    view = await rooms.open_room(room.code)
    await view.join(leaving)
    assert await rooms.open_room(room.code) is view  # the new page's socket, mid-connect
    view.leave(leaving)
    await view.join(arriving)
    before = len(arriving.texts)
    await view.run_command("kubectl delete pod --all --wait=false", by="new-page")
    await eventually(lambda: any('"type":"frame"' in t for t in arriving.texts[before:]))
    assert rooms.view(room.code) is view


async def test_a_viewer_of_a_view_replaced_meanwhile_is_told_to_reconnect(room):
    leaving, arriving, later = Recorder("old-page"), Recorder("new-page"), Recorder("third")
    view = await rooms.open_room(room.code)
    await view.join(leaving)
    assert await rooms.open_room(room.code) is view
    view.leave(leaving)
    newer = await rooms.open_room(room.code)  # a third socket made a view of its own
    await newer.join(later)
    with pytest.raises(rooms.RoomGone):
        await view.join(arriving)
    assert "new-page" not in view.viewers
