"""The StatefulSet controller's decisions: pods with stable names, made and removed in order.

As `pkg/controller/statefulset/stateful_set_control.go` decides, one sync at a
time against the pods as they are now:

* pod `N` is `<name>-N` with `hostname: <name>-N` and `subdomain: <serviceName>`,
  so the headless Service gives it the DNS name
  `<name>-N.<serviceName>.<namespace>.svc.cluster.local`;
* `OrderedReady` (the default) creates the lowest missing ordinal only when
  every lower one is running and ready, and removes the highest ordinal above
  `replicas` only when the rest are ready, one at a time; `Parallel` creates
  and removes them all at once;
* a name stays taken while its pod is terminating: the pod of that ordinal is
  made again once the old one is gone;
* a template change rolls (`RollingUpdate`, the default) from the highest
  ordinal down, one pod at a time, each waiting for the ones below to be ready,
  sparing ordinals below `partition`; `OnDelete` waits for the learner.

Pure functions; `sync` returns `controllers.changes` values. Volume claim
templates are not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.store import Key

from .changes import Change, CreatePods, DeletePod, RecordEvent

if TYPE_CHECKING:
    from simulator.runtime import PodRuntime

REVISION_HASH = "controller-revision-hash"
POD_NAME = "statefulset.kubernetes.io/pod-name"
POD_INDEX = "apps.kubernetes.io/pod-index"


def ordinal(sts: dict, pod: dict) -> int | None:
    """A pod's ordinal from its name (`<sts>-N`), or None when the name is not one."""
    prefix = sts["metadata"]["name"] + "-"
    name = pod["metadata"]["name"]
    tail = name[len(prefix) :]
    return int(tail) if name.startswith(prefix) and tail.isdigit() else None


def revision(sts: dict, template_hash: str) -> str:
    """The update revision's name: `<sts>-<hash>`, as its ControllerRevision is named."""
    return f"{sts['metadata']['name']}-{template_hash}"


def new_pod(sts: dict, index: int, template_hash: str, staged: bool) -> CreatePods:
    """Pod `index` of the StatefulSet: its name, labels, hostname and subdomain."""
    name = f"{sts['metadata']['name']}-{index}"
    template = sts["spec"]["template"]
    spec = dict(template["spec"])
    spec["hostname"] = name
    if sts["spec"].get("serviceName"):
        spec["subdomain"] = sts["spec"]["serviceName"]
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    labels[REVISION_HASH] = revision(sts, template_hash)
    labels[POD_NAME] = name
    labels[POD_INDEX] = str(index)
    return CreatePods(sts, template, 1, spec=spec, staged=staged, names=(name,), labels=labels)


def _delete(sts: dict, pod: dict) -> list[Change]:
    """Delete a pod, with the controller's event."""
    pod_name, sts_name = pod["metadata"]["name"], sts["metadata"]["name"]
    message = f"delete Pod {pod_name} in StatefulSet {sts_name} successful"
    return [DeletePod(pod), RecordEvent(sts, "SuccessfulDelete", "statefulset-controller", message)]


def sync(sts: dict, pods: list[dict], terminating: set[str], template_hash: str,
         runtime: Mapping[Key, PodRuntime], staged: bool) -> list[Change]:  # fmt: skip
    """What moves `sts` one step towards `replicas` pods of its current template.

    Args:
        pods: its live pods (terminating ones are not).
        terminating: the names of its pods that are terminating (still taken).
        template_hash: the current template's hash.
        runtime: the pods' runtime records, for readiness.
        staged: new pods start on the clock (the StatefulSet existed before this sync).
    """
    spec = sts["spec"]
    replicas = int(spec.get("replicas", 1))
    parallel = spec.get("podManagementPolicy") == "Parallel"
    ns = sts["metadata"]["namespace"]
    by_ordinal: dict[int, dict] = {}
    for pod in pods:
        index = ordinal(sts, pod)
        if index is not None:
            by_ordinal[index] = pod

    def ready(pod: dict) -> bool:
        rt = runtime.get((ns, pod["metadata"]["name"]))
        return rt is not None and rt.ready and not rt.terminating

    changes: list[Change] = []
    prefix = sts["metadata"]["name"] + "-"
    for index in range(replicas):
        if index in by_ordinal:
            pod = by_ordinal[index]
            if not parallel and not ready(pod):
                return changes  # OrderedReady: nothing past a pod that is not ready
            continue
        if f"{prefix}{index}" in terminating:
            if parallel:
                continue
            return changes  # its name is still taken: wait for the old pod to go
        changes.append(new_pod(sts, index, template_hash, staged))
        if not parallel:
            return changes
    condemned = sorted((i for i in by_ordinal if i >= replicas), reverse=True)
    if condemned:
        if parallel:
            return changes + [c for i in condemned for c in _delete(sts, by_ordinal[i])]
        if terminating or not all(ready(by_ordinal[i]) for i in range(replicas) if i in by_ordinal):
            return changes
        return changes + _delete(sts, by_ordinal[condemned[0]])
    if changes or terminating:
        return changes
    strategy = spec.get("updateStrategy") or {}
    if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
        return changes
    partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0)
    current = revision(sts, template_hash)
    if not all(ready(by_ordinal[i]) for i in range(replicas) if i in by_ordinal):
        return changes
    for index in range(replicas - 1, partition - 1, -1):
        if index in by_ordinal and _revision_of(by_ordinal[index]) != current:
            return _delete(sts, by_ordinal[index])
    return changes


def status(sts: dict, pods: list[dict], template_hash: str,
           runtime: Mapping[Key, PodRuntime]) -> dict:  # fmt: skip
    """The StatefulSet's status counted from its live pods."""
    ns = sts["metadata"]["namespace"]
    update = revision(sts, template_hash)
    ready = 0
    updated = 0
    revisions: list[str] = []
    for pod in pods:
        rt = runtime.get((ns, pod["metadata"]["name"]))
        ready += bool(rt is not None and rt.ready)
        rev = _revision_of(pod)
        updated += rev == update
        revisions.append(rev)
    old = [r for r in revisions if r != update]
    current = (sts.get("status") or {}).get("currentRevision") or update
    replicas = int(sts["spec"].get("replicas", 1))
    if not old and updated >= replicas:
        current = update
    current_replicas = sum(1 for r in revisions if r == current)
    out = {
        "availableReplicas": ready,
        "collisionCount": 0,
        "currentReplicas": current_replicas,
        "currentRevision": current,
        "observedGeneration": sts["metadata"].get("generation", 1),
        "readyReplicas": ready,
        "replicas": len(pods),
        "updateRevision": update,
        "updatedReplicas": updated,
    }
    for key in ("availableReplicas", "currentReplicas", "readyReplicas", "updatedReplicas"):
        if not out[key]:
            del out[key]  # zero counts are omitted, as the API server's JSON leaves them
    return out


def _revision_of(pod: dict) -> str:
    return (pod["metadata"].get("labels") or {}).get(REVISION_HASH, "")
