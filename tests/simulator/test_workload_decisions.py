"""The workload controllers' decisions, as pure functions: what they ask to change.

Each controller reads an owner, its pods or ReplicaSets and their runtime
records, and returns `controllers.changes` values; these tests read them as
short lines (`create 2 pods`, `delete pod web-b`) without a cluster.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.clock import timestamp
from simulator.controllers import daemonsets, deployment_status, deployments, replicasets
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
    status, again = replicasets.status(replica_set(2), keys, runtime, 0.0)
    assert status == {"replicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1,
                      "readyReplicas": 1, "availableReplicas": 1}  # fmt: skip
    assert again is None
    assert "readyReplicas" not in replicasets.status(replica_set(2), keys, {}, 0.0)[0]


def test_replica_set_counts_pods_available_after_min_ready_seconds() -> None:
    store, keys, runtime = owned_pods(("a", "n1", True, 0), ("b", "n1", True, 0))
    runtime[keys[0]].ready_since, runtime[keys[1]].ready_since = 0.0, 4.0
    owner = replica_set(2)
    owner["spec"]["minReadySeconds"] = 5
    status, again = replicasets.status(owner, keys, runtime, 6.0)
    assert (status["readyReplicas"], status["availableReplicas"]) == (2, 1)
    assert again == 9.0, "the controller counts again when b has been ready for 5 s"


@pytest.mark.parametrize(
    ("counted", "rollout", "expected"),
    [
        pytest.param(1, False, [("create", 2, False)], id="asked for more: they start at once"),
        pytest.param(3, False, [("create", 2, True)], id="replacements start on the clock"),
        pytest.param(
            2,
            False,
            [("create", 1, False), ("create", 1, True)],
            id="one replacement, one more asked for",
        ),  # fmt: skip
        pytest.param(1, True, [("create", 2, True)], id="a rollout's pods start on the clock"),
    ],
)
def test_replica_set_starts_replacements_on_the_clock(counted, rollout, expected) -> None:
    store, keys, runtime = owned_pods(("a", "n1", True, 0))
    owner = replica_set(3)
    owner["status"] = {"replicas": counted}
    changes = replicasets.sync(owner, keys, [], store, runtime, rollout=rollout)
    assert [("create", c.number, c.staged) for c in changes] == expected


def deployment(replicas: int = 3, image: str = "nginx", history: int | None = None,
               strategy: dict | None = None) -> dict:  # fmt: skip
    d = make_deployment("web", replicas, image=image)
    d["metadata"]["uid"] = "uid-d"
    if history is not None:
        d["spec"]["revisionHistoryLimit"] = history
    if strategy is not None:
        d["spec"]["strategy"] = strategy
    d["spec"]["progressDeadlineSeconds"] = 600  # as the API server defaults it
    return d


def current_set(d: dict, pod_hash: str, replicas: int, revision: int,
                available: int | None = None) -> dict:  # fmt: skip
    """The ReplicaSet of a template: `replicas` wanted, all of them there, `available` of them
    available (default: all)."""
    rs = deployments.new_replica_set(d, f"web-{pod_hash}", pod_hash, replicas, revision)
    rs["metadata"]["uid"] = f"uid-{pod_hash}"
    rs["metadata"]["creationTimestamp"] = timestamp(revision)
    ready = replicas if available is None else available
    rs["status"] = {"replicas": replicas, "readyReplicas": ready, "availableReplicas": ready}
    return rs


def sync(d: dict, *sets: dict, old_pods: int = 0) -> list[str]:
    ordered = sorted(sets, key=lambda rs: rs["metadata"]["name"])
    return lines(deployments.sync(d, ordered, "aaa", old_pods))


RECREATE = {"type": "Recreate"}
ONE_AT_A_TIME = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}


@pytest.mark.parametrize(
    ("d", "make_sets", "old_pods", "expected"),
    [
        pytest.param(
            deployment(3),
            lambda d: [],
            0,
            [
                "create ReplicaSet web-aaa",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 3",
                "revision 1",
                "reconcile web-aaa",
            ],
            id="first template: a new ReplicaSet with every replica",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "aaa", 3, 1)],
            0,
            ["revision 1"],
            id="rolled out: nothing to do",
        ),  # fmt: skip
        pytest.param(
            deployment(5),
            lambda d: [current_set(d, "aaa", 3, 1)],
            0,
            [
                "revision 1",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 3 to 5",
                "scale web-aaa to 5",
                "reconcile web-aaa",
            ],
            id="scaled: the ReplicaSet follows, with its desired-replicas annotations",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "old", 3, 1)],
            0,
            [
                "create ReplicaSet web-aaa",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 1",
                "revision 2",
                "reconcile web-aaa",
            ],
            id="new template: 25% surge of 3 rounds up to one new pod, no old one goes yet",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "old", 3, 1), current_set(d, "aaa", 1, 2, 0)],
            0,
            ["revision 2"],
            id="the new pod is not available yet: 25% of 3 unavailable rounds down to 0, wait",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "old", 3, 1), current_set(d, "aaa", 1, 2)],
            0,
            [
                "revision 2",
                "ScalingReplicaSet: Scaled down replica set web-old from 3 to 2",
                "scale web-old to 2",
                "reconcile web-old",
            ],
            id="the new pod is available: one old pod goes",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "old", 2, 1), current_set(d, "aaa", 1, 2)],
            0,
            [
                "revision 2",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 1 to 2",
                "scale web-aaa to 2",
                "reconcile web-aaa",
            ],
            id="room under the surge: the new ReplicaSet grows first",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "old", 3, 1, 1), current_set(d, "aaa", 1, 2)],
            0,
            [
                "revision 2",
                "ScalingReplicaSet: Scaled down replica set web-old from 3 to 2",
                "scale web-old to 2",
                "reconcile web-old",
            ],
            id="an unavailable old pod goes first: it costs no availability",
        ),  # fmt: skip
        pytest.param(
            deployment(4, strategy=ONE_AT_A_TIME),
            lambda d: [current_set(d, "old", 4, 1)],
            0,
            [
                "create ReplicaSet web-aaa",
                "revision 2",
                "reconcile web-aaa",
                "ScalingReplicaSet: Scaled down replica set web-old from 4 to 3",
                "scale web-old to 3",
                "reconcile web-old",
            ],
            id="maxSurge 0: an old pod goes before a new one comes",
        ),  # fmt: skip
        pytest.param(
            deployment(3, strategy=RECREATE),
            lambda d: [current_set(d, "old", 3, 1)],
            3,
            [
                "ScalingReplicaSet: Scaled down replica set web-old from 3 to 0",
                "scale web-old to 0",
                "reconcile web-old",
            ],
            id="Recreate: every old pod goes first",
        ),  # fmt: skip
        pytest.param(
            deployment(3, strategy=RECREATE),
            lambda d: [current_set(d, "old", 0, 1, 0)],
            2,
            [],
            id="Recreate: the new ReplicaSet waits while old pods terminate",
        ),  # fmt: skip
        pytest.param(
            deployment(3, strategy=RECREATE),
            lambda d: [current_set(d, "old", 0, 1, 0)],
            0,
            [
                "create ReplicaSet web-aaa",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 3",
                "revision 2",
                "reconcile web-aaa",
            ],
            id="Recreate: then the new one gets every replica",
        ),  # fmt: skip
        pytest.param(
            deployment(3),
            lambda d: [current_set(d, "aaa", 0, 1), current_set(d, "bbb", 3, 2)],
            0,
            [
                "revision 3",
                "ScalingReplicaSet: Scaled up replica set web-aaa from 0 to 1",
                "scale web-aaa to 1 (annotations)",
                "reconcile web-aaa",
            ],
            id="back to an older template: its ReplicaSet is the next revision and grows",
        ),  # fmt: skip
        pytest.param(
            deployment(3, history=1),
            lambda d: [
                current_set(d, "old1", 0, 1, 0),
                current_set(d, "old2", 0, 2, 0),
                current_set(d, "aaa", 3, 3),
            ],
            0,
            ["revision 3", "delete ReplicaSet web-old1"],
            id="rolled out beyond revisionHistoryLimit: the oldest revision is deleted",
        ),  # fmt: skip
    ],
)
def test_deployment_rolls_one_step_per_sync(d, make_sets, old_pods, expected) -> None:
    assert sync(d, *make_sets(d), old_pods=old_pods) == expected


def test_a_paused_deployment_makes_no_new_replica_set() -> None:
    d = deployment(3)
    d["spec"]["paused"] = True
    old = current_set(d, "old", 3, 1)
    assert sync(d, old) == []
    d["spec"]["replicas"] = 4
    assert sync(d, old) == [
        "ScalingReplicaSet: Scaled up replica set web-old from 3 to 4",
        "scale web-old to 4 (annotations)",
        "reconcile web-old",
    ]


def test_returning_to_an_older_template_keeps_its_revision_history() -> None:
    d = deployment(3)
    older = current_set(d, "aaa", 0, 1)
    changes = deployments.sync(d, [older, current_set(d, "bbb", 3, 2)], "aaa")
    (scale,) = [c for c in changes if isinstance(c, ScaleReplicaSet)]
    assert scale.annotations["deployment.kubernetes.io/revision"] == "3"
    assert scale.annotations["deployment.kubernetes.io/revision-history"] == "1"


@pytest.mark.parametrize(
    ("replicas", "rolling", "fenceposts"),
    [
        pytest.param(4, {}, (1, 1), id="25% of 4: one up, one down"),
        pytest.param(10, {}, (3, 2), id="25% of 10: surge rounds up, unavailable down"),
        pytest.param(3, {}, (1, 0), id="25% of 3: one up, none down"),
        pytest.param(10, {"maxSurge": 2, "maxUnavailable": 0}, (2, 0), id="numbers as they are"),
        pytest.param(3, {"maxSurge": "50%"}, (2, 0), id="50% of 3 rounds up to 2"),
        pytest.param(
            3,
            {"maxSurge": 0, "maxUnavailable": "10%"},
            (0, 1),
            id="both 0 after rounding: one may be unavailable",
        ),  # fmt: skip
    ],
)
def test_rolling_update_fenceposts(replicas, rolling, fenceposts) -> None:
    d = deployment(replicas, strategy={"type": "RollingUpdate", "rollingUpdate": rolling})
    assert (deployment_status.max_surge(d), deployment_status.max_unavailable(d)) == fenceposts


def test_recreate_has_no_surge_and_no_unavailability() -> None:
    d = deployment(10, strategy=RECREATE)
    assert (deployment_status.max_surge(d), deployment_status.max_unavailable(d)) == (0, 0)


def test_deployment_status_sums_its_replica_sets() -> None:
    d = deployment(3)
    current, old = current_set(d, "aaa", 3, 2, 2), current_set(d, "old", 1, 1, 1)
    status, deadline = deployment_status.status(d, [current, old], "web-aaa", 60.0)
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"]) == (4, 3, 3)
    assert (status["availableReplicas"], status["unavailableReplicas"]) == (3, 1)
    (available, progressing) = status["conditions"]
    assert (available["type"], available["status"], available["lastUpdateTime"]) == (
        "Available", "True", timestamp(60))  # fmt: skip
    assert (progressing["reason"], progressing["message"]) == (
        "FoundNewReplicaSet", 'Found new replica set "web-aaa"')  # fmt: skip
    assert deadline == 60 + 600 + 1, "looked at again a second past progressDeadlineSeconds"


def test_deployment_status_reports_progress_then_success_then_a_missed_deadline() -> None:
    d = deployment(3)
    old, new = current_set(d, "old", 3, 1), current_set(d, "aaa", 1, 2, 0)
    d["status"], _ = deployment_status.status(d, [old, new], "web-aaa", 10.0, created=True)
    assert d["status"]["conditions"][-1]["reason"] == "NewReplicaSetCreated"
    new["status"]["availableReplicas"] = 1
    d["status"], _ = deployment_status.status(d, [old, new], "web-aaa", 20.0)
    progressing = d["status"]["conditions"][-1]
    assert (progressing["reason"], progressing["message"]) == (
        "ReplicaSetUpdated", 'ReplicaSet "web-aaa" is progressing.')  # fmt: skip
    stuck, _ = deployment_status.status(d, [old, new], "web-aaa", 621.0)
    assert stuck["conditions"][-1]["reason"] == "ProgressDeadlineExceeded"
    assert stuck["conditions"][-1]["status"] == "False"
    done = [current_set(d, "old", 0, 1, 0), current_set(d, "aaa", 3, 2)]
    done[0]["status"] = {"replicas": 0}
    complete, deadline = deployment_status.status(d, done, "web-aaa", 30.0)
    assert complete["conditions"][-1]["reason"] == "NewReplicaSetAvailable"
    assert deadline is None


def daemon_set() -> dict:
    return {
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "uid-agent"},
        "spec": {"template": {"metadata": {"labels": {"app": "agent"}}, "spec": {}}},
    }


def agent_pod(node: str, revision: str = "h1") -> dict:
    labels = {"app": "agent", daemonsets.REVISION_HASH: revision}
    pod = make_pod(f"agent-{node}", labels, owner=("DaemonSet", "agent"))
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
    assert lines(daemonsets.sync(daemon_set(), pods, nodes, "h1", {})) == expected


def ready_on(*nodes: str) -> dict:
    return {("default", f"agent-{n}"): SimpleNamespace(ready=True) for n in nodes}


def test_daemon_set_rolls_one_ready_node_at_a_time_by_default() -> None:
    nodes = [make_node(n) for n in ("n1", "n2", "n3")]
    pods = [agent_pod(n, "old") for n in ("n1", "n2", "n3")]
    changes = daemonsets.sync(daemon_set(), pods, nodes, "new", ready_on("n1", "n2", "n3"))
    assert lines(changes) == ["delete pod agent-n1"]
    # n1's new pod is not ready yet: no node may go unavailable beside it.
    pods = [agent_pod("n1", "new"), agent_pod("n2", "old"), agent_pod("n3", "old")]
    assert daemonsets.sync(daemon_set(), pods, nodes, "new", ready_on("n2", "n3")) == []
    assert lines(daemonsets.sync(daemon_set(), pods, nodes, "new", ready_on("n1", "n2", "n3"))) == [
        "delete pod agent-n2"
    ]


def test_daemon_set_replaces_unready_old_pods_at_once_and_staged_pods_start_on_the_clock() -> None:
    nodes = [make_node(n) for n in ("n1", "n2", "n3")]
    pods = [agent_pod("n2", "old"), agent_pod("n3", "old")]
    changes = daemonsets.sync(daemon_set(), pods, nodes, "new", ready_on("n3"))
    assert lines(changes) == ["create 1 pods on n1", "delete pod agent-n2"]
    (create,) = [c for c in changes if isinstance(c, CreatePods)]
    assert create.staged
    assert create.labels[daemonsets.REVISION_HASH] == "new"


def test_daemon_set_max_unavailable_percentage_rounds_up() -> None:
    ds = daemon_set()
    ds["spec"]["updateStrategy"] = {"rollingUpdate": {"maxUnavailable": "50%"}}
    nodes = [make_node(n) for n in ("n1", "n2", "n3")]
    pods = [agent_pod(n, "old") for n in ("n1", "n2", "n3")]
    changes = daemonsets.sync(ds, pods, nodes, "new", ready_on("n1", "n2", "n3"))
    assert lines(changes) == ["delete pod agent-n1", "delete pod agent-n2"]


def test_daemon_set_on_delete_keeps_old_pods() -> None:
    ds = daemon_set()
    ds["spec"]["updateStrategy"] = {"type": "OnDelete"}
    nodes = [make_node("n1")]
    assert daemonsets.sync(ds, [agent_pod("n1", "old")], nodes, "new", ready_on("n1")) == []


def test_daemon_set_status_counts_misscheduled_pods() -> None:
    nodes = [make_node("n1"), make_node("n2", taints=NO_SCHEDULE)]
    pods = [agent_pod("n1"), agent_pod("n2")]
    runtime = {("default", "agent-n1"): SimpleNamespace(ready=True)}
    status = daemonsets.status(daemon_set(), pods, nodes, runtime, "h1")
    assert status["desiredNumberScheduled"] == 1
    assert status["currentNumberScheduled"] == 1
    assert status["numberMisscheduled"] == 1
    assert status["numberReady"] == 1
    assert "numberUnavailable" not in status
