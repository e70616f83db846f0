"""A room replayed from its log gives every acknowledged output again, byte for byte,
whatever was read in between (the inspector, the export, snapshots)."""

from __future__ import annotations

import pytest

from playground import rooms
from playground.rooms.log import read_ops
from tests.fixtures.rooms import make_room

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

LINES = [
    "kubectl get endpoints kubia -o yaml",
    "kubectl scale deployment kubia --replicas=4",
    "kubectl get ep kubia -o jsonpath={.metadata.resourceVersion}",
    "kubectl delete pod -l app=kubia",
    "kubectl get endpoints -A -o yaml",
    "kubectl label svc kubia tier=web",
    "kubectl get svc kubia -o yaml",
    "curl -s http://kubia.example.com/",
    "kubectl describe endpoints kubia",
    "kubectl get all -A -o json",
]


def cluster_snapshot(cluster):
    return cluster.snapshot()


async def test_replay_gives_every_acknowledged_output_again() -> None:
    room = await rooms_sync(make_room)
    await rooms.open_room(room.code)
    live = rooms.loaded(room.code)
    acknowledged = []
    for line in LINES:
        await rooms.inspect(room.code, "Endpoints", "default", "kubia")
        await rooms.inspect(room.code, "Service", "default", "kubia")
        await rooms.export_yaml(room.code)
        await live.read(cluster_snapshot)  # in the room's worker: a function by name
        await live.snapshot()
        result = await live.run_command(line)
        acknowledged.append((result["stdout"], result["stderr"], result["exitCode"]))
    await rooms.reset()
    replayed = []

    def heard(_index, op, result) -> None:
        if op["op"] == "run":
            replayed.append((result.stdout, result.stderr, result.exit_code))

    ops = await read_ops(room.pk)
    rooms.replay(room.seed, room.manifests, ops, on_op=heard)
    assert len(replayed) == len(LINES)
    for line, live_output, again in zip(LINES, acknowledged, replayed, strict=True):
        assert again == live_output, line


async def rooms_sync(fn):
    from asgiref.sync import sync_to_async

    return await sync_to_async(fn)()
