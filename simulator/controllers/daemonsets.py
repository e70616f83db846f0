"""The DaemonSet controller's decisions: one pod on every node that should run it.

Pure functions of the DaemonSet, its pods, the nodes and the pods' runtime
records; `sync` returns `controllers.changes` values.

Template changes roll as `pkg/controller/daemon/update.go` does: each pod
carries its template's `controller-revision-hash`; with `RollingUpdate` (the
default, `maxUnavailable` 1, a percentage of the desired pods rounded up) old
pods that are not ready go at once and ready ones only while fewer than
`maxUnavailable` nodes lack a ready pod; the node gets its new pod through
Pending and ContainerCreating on the clock. With `maxSurge` (a number or a
percentage, rounded up; the controller then ignores `maxUnavailable`) a node
gets its new pod beside its ready old one, at most `maxSurge` nodes at a time,
and the old pod goes once the new one is ready: no node is ever without a
ready pod. A node whose old pod is not ready gets its new pod at once.
`OnDelete` replaces a pod only when it is deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from simulator.store import Key

from . import scheduler
from .changes import Change, CreatePods, DeletePod
from .deployment_status import scaled_value

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


REVISION_HASH = "controller-revision-hash"
TEMPLATE_GENERATION = "pod-template-generation"


def pod_labels(ds: dict, template_hash: str) -> dict:
    """A new pod's labels: the template's, its revision's hash and the DaemonSet's generation."""
    labels = dict((ds["spec"]["template"].get("metadata") or {}).get("labels") or {})
    labels[REVISION_HASH] = template_hash
    labels[TEMPLATE_GENERATION] = str(ds["metadata"].get("generation", 1))
    return labels


def updated(pod: dict, template_hash: str) -> bool:
    """Whether a pod runs the DaemonSet's current template."""
    return (pod["metadata"].get("labels") or {}).get(REVISION_HASH) == template_hash


def sync(ds: dict, pods: list[dict], nodes: list[dict], template_hash: str,
         runtime: Mapping[Key, PodRuntime], replacing: bool = False) -> list[Change]:  # fmt: skip
    """One pod of the current template per eligible node (NodeShouldRunDaemonPod, and
    rollingUpdate in the DaemonSet controller).

    A node whose taints the pod does not tolerate gets no new pod, but an
    existing pod keeps running unless the taint is NoExecute or the node no
    longer matches the pod's node selector.

    Args:
        template_hash: the current template's `controller-revision-hash`.
        replacing: some of the DaemonSet's pods are gone or going (a rollout, a deleted
            pod): new pods start on the clock, as replacements do.

    Returns:
        A pod to create on each eligible node without one, then the pods to delete: those
        on nodes that must not run them, then old-template pods as the strategy allows.
    """
    spec = pod_spec(ds)
    # A node runs one pod, or two while it surges (its old pod and its new one).
    on_node: dict[str | None, list[dict]] = {}
    for pod in pods:
        on_node.setdefault(pod["spec"].get("nodeName"), []).append(pod)
    by_name = {n["metadata"]["name"]: n for n in nodes}
    eligible = eligible_nodes(ds, nodes)
    outdated = [p for p in pods if not updated(p, template_hash)]
    staged = replacing or bool(outdated)

    def create(node: str) -> CreatePods:
        return CreatePods(ds, ds["spec"]["template"], 1, node=node, spec=spec, staged=staged,
                          labels=pod_labels(ds, template_hash))  # fmt: skip

    changes: list[Change] = [create(name) for name in eligible if name not in on_node]
    leaving = set()
    for name, here in on_node.items():
        node = by_name.get(name)
        if node is None or not _may_keep_running(node, spec):
            changes += [DeletePod(pod) for pod in here]
            leaving.add(name)
    strategy = ds["spec"].get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return changes  # OnDelete: an old pod is replaced when someone deletes it
    ns = ds["metadata"]["namespace"]

    def ready(pod: dict) -> bool:
        rt = runtime.get((ns, pod["metadata"]["name"]))
        return rt is not None and rt.ready

    wanted = [n for n in eligible if n not in leaving]
    rolling = strategy.get("rollingUpdate") or {}
    surge = scaled_value(rolling.get("maxSurge", 0), len(wanted), True)
    if surge:
        return changes + _surge(wanted, on_node, template_hash, surge, ready, create)
    by_node = {name: here[-1] for name, here in on_node.items()}
    unavailable = sum(1 for n in wanted if n not in by_node or not ready(by_node[n]))
    budget = scaled_value(rolling.get("maxUnavailable", 1), len(wanted), True) or 1
    budget -= unavailable
    old = sorted(
        (p for p in outdated if p["spec"].get("nodeName") not in leaving),
        key=lambda p: (ready(p), p["spec"].get("nodeName") or ""),
    )
    for pod in old:
        if not ready(pod):
            changes.append(DeletePod(pod))  # unavailable already: it costs no budget
        elif budget > 0:
            changes.append(DeletePod(pod))
            budget -= 1
    return changes


def _surge(wanted: list[str], on_node: dict[str | None, list[dict]], template_hash: str,
           surge: int, ready: Callable[[dict], bool],
           create: Callable[[str], CreatePods]) -> list[Change]:  # fmt: skip
    """A rolling update with `maxSurge` (`rollingUpdate` in pkg/controller/daemon/update.go):
    a new pod beside each ready old one, at most `surge` nodes at a time; an old pod goes
    once its node's new pod is ready, and a node whose old pod is not ready gets its new
    pod at once."""
    changes: list[Change] = []
    candidates: list[str] = []
    surging = 0
    for name in wanted:
        here = on_node.get(name)
        if not here:
            continue  # its first pod is created above
        new = [p for p in here if updated(p, template_hash)]
        old = [p for p in here if not updated(p, template_hash)]
        if len(new) > 1 or len(old) > 1:
            # More pods than a surge allows: keep the newest of each, as the manage loop does.
            changes += [DeletePod(p) for p in new[:-1] + old[:-1]]
            surging += 1
            continue
        if not old:
            continue
        if not new:
            if ready(old[0]):
                candidates.append(name)
            else:
                changes.append(create(name))  # unavailable already: replaced at once
        elif ready(new[0]):
            changes.append(DeletePod(old[0]))
        else:
            surging += 1  # its new pod is on its way
    return changes + [create(name) for name in candidates[: max(0, surge - surging)]]


def status(ds: dict, pods: list[dict], nodes: list[dict],
           runtime: Mapping[Key, PodRuntime], template_hash: str) -> dict:  # fmt: skip
    """Counted over the nodes that should run the pod now, one pod each: the oldest, so a
    surging node counts its old pod until it goes; a node that became tainted but keeps its
    pod is "misscheduled" (the DaemonSet controller's status)."""
    ns = ds["metadata"]["namespace"]
    eligible = set(eligible_nodes(ds, nodes))
    oldest: dict[str | None, dict] = {}
    for pod in pods:  # in creation order
        oldest.setdefault(pod["spec"].get("nodeName"), pod)
    placed = [pod for node, pod in oldest.items() if node in eligible]
    ready = 0
    for pod in placed:
        rt = runtime.get((ns, pod["metadata"]["name"]))
        ready += rt is not None and rt.ready
    out = {
        "currentNumberScheduled": len(placed),
        "desiredNumberScheduled": len(eligible),
        "numberAvailable": ready,
        "numberMisscheduled": len(oldest) - len(placed),
        "numberReady": ready,
        "observedGeneration": ds["metadata"].get("generation", 1),
        "updatedNumberScheduled": sum(1 for p in placed if updated(p, template_hash)),
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
