"""The workload controllers' decisions, as pure functions: what they ask to change.

Each controller reads an owner, its pods or ReplicaSets and their runtime
records, and returns `controllers.changes` values; these tests read them as
short lines (`create 2 pods`, `delete pod web-b`) without a cluster.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.clock import timestamp
from simulator.controllers import daemonsets, deployments, replicasets
from simulator.controllers.changes import (
    AdoptPod,
    CreateObject,
    CreatePods,
    DeleteObject,
    DeletePod,
    Reconcile,
    RecordEvent,
    ScaleReplicaSet,
    SetRevision,
)
from simulator.store import Store

from .builders import make_deployment, make_node, make_pod


def lines(changes: list) -> list[str]:
    """Each change as a short line."""
    out = []
    for c in changes:
        match c:
            case CreatePods(number=count, node=node):
                out.append(f"create {count} pods" + (f" on {node}" if node else ""))
            case DeletePod(pod=pod):
                out.append(f"delete pod {pod['metadata']['name']}")
            case AdoptPod(pod=pod):
                out.append(f"adopt {pod['metadata']['name']}")
            case RecordEvent(reason=reason, message=message):
                out.append(f"{reason}: {message}")
            case CreateObject(obj=obj):
                out.append(f"create {obj['kind']} {obj['metadata']['name']}")
            case ScaleReplicaSet(replica_set=rs, replicas=replicas, annotations=annotations):
                changed = " (annotations)" if annotations is not None else ""
                out.append(f"scale {rs['metadata']['name']} to {replicas}{changed}")
            case SetRevision(revision=revision):
                out.append(f"revision {revision}")
            case Reconcile(key=key):
                out.append(f"reconcile {key[1]}")
            case DeleteObject(kind=kind, name=name):
                out.append(f"delete {kind} {name}")
    return out


def replica_set(replicas: int, name: str = "web") -> dict:
    return {
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}},
        },
    }


def owned_pods(*specs: tuple[str, str, bool, float]) -> tuple[Store, list, dict]:
    """`(name, node or "", ready, created)` pods owned by `web`: the store, their keys in
    index order, their runtime records."""
    store, keys, runtime = Store(), [], {}
    for name, node, ready, created in specs:
        pod = make_pod(name, {"app": "web"}, created=created, owner=("ReplicaSet", "web"))
        if not node:
            pod["spec"].pop("nodeName", None)
        else:
            pod["spec"]["nodeName"] = node
            runtime[("default", name)] = SimpleNamespace(ready=ready)
        store.put(pod)
        keys.append(("default", name))
    return store, keys, runtime


@pytest.mark.parametrize(
    ("replicas", "pods", "expected"),
    [
        pytest.param(3, [("a", "n1", True, 0)], ["create 2 pods"], id="too few: the difference"),
        pytest.param(1, [("a", "n1", True, 0)], [], id="as many as wanted: nothing"),
        pytest.param(
            1,
            [("a", "n1", True, 0), ("b", "n1", True, 5), ("c", "n1", True, 9)],
            [
                "delete pod c",
                "SuccessfulDelete: Deleted pod: c",
                "delete pod b",
                "SuccessfulDelete: Deleted pod: b",
            ],
            id="too many ready pods: the newest go",
        ),  # fmt: skip
        pytest.param(
            2,
            [("a", "n1", True, 0), ("b", "n1", False, 0), ("c", "n1", True, 9)],
            ["delete pod b", "SuccessfulDelete: Deleted pod: b"],
            id="a not-ready pod goes before a newer ready one",
        ),
        pytest.param(
            2,
            [("a", "n1", False, 0), ("b", "", False, 0), ("c", "n1", True, 9)],
            ["delete pod b", "SuccessfulDelete: Deleted pod: b"],
            id="an unscheduled pod goes first",
        ),
        pytest.param(
            0,
            [],
            [],
            id="none wanted, none there",
        ),  # fmt: skip
    ],
)
def test_replica_set_keeps_its_count(replicas, pods, expected) -> None:
    store, keys, runtime = owned_pods(*pods)
    assert lines(replicasets.sync(replica_set(replicas), keys, [], store, runtime)) == expected


def test_replica_set_adopts_bare_pods_and_counts_them() -> None:
    store, keys, runtime = owned_pods(("a", "n1", True, 0))
    bare = make_pod("stray", {"app": "web"})
    changes = replicasets.sync(replica_set(3), keys, [bare], store, runtime)
    assert lines(changes) == ["adopt stray", "create 1 pods"]


def test_replica_set_status_counts_ready_pods() -> None:
    store, keys, runtime = owned_pods(("a", "n1", True, 0), ("b", "n1", False, 0))
    status = replicasets.status(replica_set(2), keys, runtime)
    assert status == {"replicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1,
                      "readyReplicas": 1, "availableReplicas": 1}  # fmt: skip
    assert "readyReplicas" not in replicasets.status(replica_set(2), keys, {})


def deployment(replicas: int = 3, image: str = "nginx", history: int | None = None) -> dict:
    d = make_deployment("web", replicas, image=image)
    d["metadata"]["uid"] = "uid-d"
    if history is not None:
        d["spec"]["revisionHistoryLimit"] = history
    return d


def current_set(d: dict, pod_hash: str, replicas: int, revision: int) -> dict:
    rs = deployments.new_replica_set(d, f"web-{pod_hash}", pod_hash, replicas, revision)
    rs["metadata"]["uid"] = f"uid-{pod_hash}"
    return rs


@pytest.mark.parametrize(
    ("make_sets", "d", "expected"),
    [
        pytest.param(
            lambda d: [],
            deployment(3),
            [
                "create ReplicaSet web-aaa",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 3",
                "revision 1",
                "reconcile web-aaa",
            ],
            id="first template: a new ReplicaSet",
        ),  # fmt: skip
        pytest.param(
            lambda d: [current_set(d, "aaa", 3, 1)],
            deployment(3),
            ["revision 1", "reconcile web-aaa"],
            id="nothing to do: the ReplicaSet is still looked at",
        ),
        pytest.param(
            lambda d: [current_set(d, "aaa", 3, 1)],
            deployment(5),
            [
                "ScalingReplicaSet: Scaled up replica set web-aaa from 3 to 5",
                "scale web-aaa to 5 (annotations)",
                "revision 1",
                "reconcile web-aaa",
            ],
            id="scaled: the ReplicaSet follows, with its annotations",
        ),  # fmt: skip
        pytest.param(
            lambda d: [current_set(d, "old", 3, 1)],
            deployment(3),
            [
                "create ReplicaSet web-aaa",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 3",
                "revision 2",
                "reconcile web-aaa",
                "ScalingReplicaSet: Scaled down replica set web-old from 3 to 0",
                "scale web-old to 0",
                "reconcile web-old",
            ],
            id="new template: new ReplicaSet up, the old one down",
        ),  # fmt: skip
        pytest.param(
            lambda d: [current_set(d, "aaa", 3, 1), current_set(d, "bbb", 0, 2)],
            deployment(3),
            ["scale web-aaa to 3 (annotations)", "revision 3", "reconcile web-aaa"],
            id="back to an older template: it becomes the next revision",
        ),
        pytest.param(
            lambda d: [
                current_set(d, "old1", 0, 1),
                current_set(d, "old2", 0, 2),
                current_set(d, "aaa", 3, 3),
            ],
            deployment(3, history=1),
            ["revision 3", "reconcile web-aaa", "delete ReplicaSet web-old1"],
            id="beyond revisionHistoryLimit: the oldest is deleted",
        ),  # fmt: skip
    ],
)
def test_deployment_keeps_one_replica_set_per_template(make_sets, d, expected) -> None:
    sets = sorted(make_sets(d), key=lambda rs: rs["metadata"]["name"])
    assert lines(deployments.sync(d, sets, "aaa")) == expected


def test_returning_to_an_older_template_keeps_its_revision_history() -> None:
    d = deployment(3)
    older = current_set(d, "aaa", 0, 1)
    changes = deployments.sync(d, [older, current_set(d, "bbb", 3, 2)], "aaa")
    (scale,) = [c for c in changes if isinstance(c, ScaleReplicaSet) and c.replicas == 3]
    assert scale.annotations["deployment.kubernetes.io/revision"] == "3"
    assert scale.annotations["deployment.kubernetes.io/revision-history"] == "1"


def test_deployment_status_sums_its_replica_sets() -> None:
    d = deployment(3)
    current, old = current_set(d, "aaa", 3, 2), current_set(d, "old", 0, 1)
    current["status"] = {"replicas": 3, "readyReplicas": 2}
    old["status"] = {"replicas": 1}
    status = deployments.status(d, [current, old], "aaa", timestamp(60))
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"]) == (4, 3, 2)
    assert status["unavailableReplicas"] == 2
    available = status["conditions"][0]
    assert (available["status"], available["lastUpdateTime"]) == ("False", timestamp(60))


@pytest.mark.parametrize(
    ("strategy", "replicas", "surge"),
    [
        pytest.param(None, 4, 1, id="default 25% of 4 rounds up to 1"),
        pytest.param(None, 10, 3, id="default 25% of 10 rounds up to 3"),
        pytest.param({"rollingUpdate": {"maxSurge": 2}}, 10, 2, id="a number is used as is"),
        pytest.param({"rollingUpdate": {"maxSurge": "50%"}}, 3, 2, id="50% of 3 is 2"),
        pytest.param({"type": "Recreate"}, 10, 0, id="Recreate adds none"),
    ],
)
def test_max_surge(strategy, replicas, surge) -> None:
    d = deployment(replicas)
    if strategy is not None:
        d["spec"]["strategy"] = strategy
    assert deployments.max_surge(d) == surge


def daemon_set() -> dict:
    return {
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "uid-agent"},
        "spec": {"template": {"metadata": {"labels": {"app": "agent"}}, "spec": {}}},
    }


def agent_pod(node: str) -> dict:
    pod = make_pod(f"agent-{node}", {"app": "agent"}, owner=("DaemonSet", "agent"))
    pod["spec"]["nodeName"] = node
    return pod


NO_EXECUTE = [{"key": "gpu", "effect": "NoExecute"}]
NO_SCHEDULE = [{"key": "gpu", "effect": "NoSchedule"}]


@pytest.mark.parametrize(
    ("nodes", "pods_on", "expected"),
    [
        pytest.param(
            [make_node("n1"), make_node("n2")],
            ["n1"],
            ["create 1 pods on n2"],
            id="a node without the pod gets one",
        ),  # fmt: skip
        pytest.param(
            [make_node("n1")],
            ["n1", "gone"],
            ["delete pod agent-gone"],
            id="a pod whose node is gone goes",
        ),  # fmt: skip
        pytest.param(
            [make_node("n1", unschedulable=True)],
            [],
            ["create 1 pods on n1"],
            id="a cordoned node still gets one",
        ),  # fmt: skip
        pytest.param(
            [make_node("n1", taints=NO_SCHEDULE)],
            [],
            [],
            id="an untolerated NoSchedule taint gets none",
        ),  # fmt: skip
        pytest.param(
            [make_node("n1", taints=NO_SCHEDULE)],
            ["n1"],
            [],
            id="an untolerated NoSchedule taint keeps the running pod",
        ),  # fmt: skip
        pytest.param(
            [make_node("n1", taints=NO_EXECUTE)],
            ["n1"],
            ["delete pod agent-n1"],
            id="an untolerated NoExecute taint evicts it",
        ),  # fmt: skip
    ],
)
def test_daemon_set_runs_one_pod_per_eligible_node(nodes, pods_on, expected) -> None:
    pods = [agent_pod(node) for node in pods_on]
    assert lines(daemonsets.sync(daemon_set(), pods, nodes)) == expected


def test_daemon_set_status_counts_misscheduled_pods() -> None:
    nodes = [make_node("n1"), make_node("n2", taints=NO_SCHEDULE)]
    pods = [agent_pod("n1"), agent_pod("n2")]
    runtime = {("default", "agent-n1"): SimpleNamespace(ready=True)}
    status = daemonsets.status(daemon_set(), pods, nodes, runtime)
    assert status["desiredNumberScheduled"] == 1
    assert status["currentNumberScheduled"] == 1
    assert status["numberMisscheduled"] == 1
    assert status["numberReady"] == 1
    assert "numberUnavailable" not in status
