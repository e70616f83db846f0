"""The ReplicaSet and ReplicationController controllers' decisions: how many pods to make
or delete, which pods to delete, and the counts in the owner's status.

Pure functions of the owner, its pods (the keys the owner index holds) and
their runtime records; they return `controllers.changes` values.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from simulator.store import Key, Store

from .changes import AdoptPod, Change, CreatePods, DeletePod, RecordEvent
from .ownership import CONTROLLER_NAMES

if TYPE_CHECKING:
    from simulator.runtime import PodRuntime


def sync(owner: dict, owned: Collection[Key], bare: list[dict], store: Store,
         runtime: Mapping[Key, PodRuntime]) -> list[Change]:  # fmt: skip
    """What keeps `spec.replicas` pods running for `owner`.

    Args:
        owner: the ReplicaSet or ReplicationController.
        owned: the keys of the live pods it controls, oldest first.
        bare: pods its selector matches that have no controller: it adopts them.
        store: where its pods are read (only when some must go).
        runtime: the pods' runtime records, for their readiness.

    Returns:
        Adoptions first, then the pods to create, or the pods to delete each with its
        SuccessfulDelete event.
    """
    changes: list[Change] = []
    for pod in bare:
        changes.append(AdoptPod(pod, owner))
    current = len(owned) + len(bare)
    desired = int(owner["spec"].get("replicas", 1))
    if current < desired:
        changes.append(CreatePods(owner, owner["spec"]["template"], desired - current))
    elif current > desired:
        pods = [p for k in owned if (p := store.get("Pod", *k))] + bare
        source = CONTROLLER_NAMES[owner["kind"]]
        for pod in pods_to_delete(pods, len(pods) - desired, runtime):
            changes.append(DeletePod(pod))
            message = f"Deleted pod: {pod['metadata']['name']}"
            changes.append(RecordEvent(owner, "SuccessfulDelete", source, message))
    return changes


def pods_to_delete(pods: list[dict], count: int, runtime: Mapping[Key, PodRuntime]) -> list[dict]:
    """The `count` pods to delete when there are too many: unscheduled first, then not
    ready, then the newest (ties keep the order given, oldest first)."""

    def rank(pod: dict) -> tuple:
        meta = pod["metadata"]
        rt = runtime.get((meta["namespace"], meta["name"]))
        ready = rt is not None and rt.ready
        return (bool(pod["spec"].get("nodeName")), ready, _negated(meta["creationTimestamp"]))

    return sorted(pods, key=rank)[:count]


def status(owner: dict, owned: Collection[Key], runtime: Mapping[Key, PodRuntime]) -> dict:
    """The owner's status: how many pods it has, and how many are ready."""
    ready = 0
    for rt in map(runtime.get, owned):  # recounted on every change: a plain loop is cheapest
        if rt is not None and rt.ready:
            ready += 1
    out = {
        "replicas": len(owned),
        "fullyLabeledReplicas": len(owned),
        "observedGeneration": owner["metadata"].get("generation", 1),
    }
    if ready:
        out["readyReplicas"] = ready
        out["availableReplicas"] = ready
    return out


def _negated(text: str) -> tuple:
    """Sort key that puts later timestamps first."""
    return tuple(-ord(c) for c in text)
