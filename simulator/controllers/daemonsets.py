"""The DaemonSet controller's decisions: one pod on every node that should run it.

Pure functions of the DaemonSet, its pods, the nodes and the pods' runtime
records; `sync` returns `controllers.changes` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.store import Key

from . import scheduler
from .changes import Change, CreatePods, DeletePod

if TYPE_CHECKING:
    from simulator.runtime import PodRuntime

# The DaemonSet controller adds these so its pods survive node conditions.
DAEMONSET_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]


def pod_spec(ds: dict) -> dict:
    """The template's pod spec with the tolerations the DaemonSet controller adds."""
    spec = dict(ds["spec"]["template"]["spec"])
    spec["tolerations"] = list(spec.get("tolerations") or []) + DAEMONSET_TOLERATIONS
    return spec


def eligible_nodes(ds: dict, nodes: list[dict]) -> list[str]:
    """Nodes that should run the DaemonSet's pod (cordoning does not stop DaemonSets)."""
    spec = pod_spec(ds)
    out = []
    for node in nodes:
        schedulable = {**node, "spec": {**node["spec"], "unschedulable": False}}
        if scheduler.unfit_reason(schedulable, spec) is None:
            out.append(node["metadata"]["name"])
    return out


def sync(ds: dict, pods: list[dict], nodes: list[dict]) -> list[Change]:
    """One pod per eligible node (NodeShouldRunDaemonPod in the DaemonSet controller).

    A node whose taints the pod does not tolerate gets no new pod, but an
    existing pod keeps running unless the taint is NoExecute or the node no
    longer matches the pod's node selector.

    Returns:
        A pod to create on each eligible node without one, then the pods to delete.
    """
    spec = pod_spec(ds)
    by_node = {p["spec"].get("nodeName"): p for p in pods}
    by_name = {n["metadata"]["name"]: n for n in nodes}
    changes: list[Change] = [
        CreatePods(ds, ds["spec"]["template"], 1, node=name, spec=spec)
        for name in eligible_nodes(ds, nodes)
        if name not in by_node
    ]
    for name, pod in by_node.items():
        node = by_name.get(name)
        if node is None or not _may_keep_running(node, spec):
            changes.append(DeletePod(pod))
    return changes


def status(ds: dict, pods: list[dict], nodes: list[dict],
           runtime: Mapping[Key, PodRuntime]) -> dict:  # fmt: skip
    """Counted over the nodes that should run the pod now; a pod kept on a node that
    became tainted is "misscheduled" (the DaemonSet controller's status)."""
    ns = ds["metadata"]["namespace"]
    eligible = set(eligible_nodes(ds, nodes))
    placed = [p for p in pods if p["spec"].get("nodeName") in eligible]
    ready = 0
    for pod in placed:
        rt = runtime.get((ns, pod["metadata"]["name"]))
        ready += rt is not None and rt.ready
    out = {
        "currentNumberScheduled": len(placed),
        "desiredNumberScheduled": len(eligible),
        "numberAvailable": ready,
        "numberMisscheduled": len(pods) - len(placed),
        "numberReady": ready,
        "observedGeneration": ds["metadata"].get("generation", 1),
        "updatedNumberScheduled": len(placed),
    }
    if ready < len(eligible):
        out["numberUnavailable"] = len(eligible) - ready
    return out


def _may_keep_running(node: dict, spec: dict) -> bool:
    """A running DaemonSet pod stays unless evicted (NoExecute) or its node selector fails."""
    selector = spec.get("nodeSelector") or {}
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return False
    return all(
        scheduler.tolerates(spec.get("tolerations"), taint)
        for taint in node["spec"].get("taints") or ()
        if taint.get("effect") == "NoExecute"
    )
