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
         runtime: Mapping[Key, PodRuntime], rollout: bool = False) -> list[Change]:  # fmt: skip
    """What keeps `spec.replicas` pods running for `owner`.

    Args:
        owner: the ReplicaSet or ReplicationController.
        owned: the keys of the live pods it controls (terminating ones are not), oldest
            first.
        bare: pods its selector matches that have no controller: it adopts them.
        store: where its pods are read (only when some must go).
        runtime: the pods' runtime records, for their readiness.
        rollout: its pods come of a rollout (a Deployment's later revision).

    Returns:
        Adoptions first, then the pods to create, or the pods to delete each with its
        SuccessfulDelete event. New pods start at once when the owner is asked for more;
        replacements of pods that went (the status counted more than are left) and a
        rollout's pods start on the clock.
    """
    changes: list[Change] = []
    for pod in bare:
        changes.append(AdoptPod(pod, owner))
    current = len(owned) + len(bare)
    desired = int(owner["spec"].get("replicas", 1))
    if current < desired:
        template = owner["spec"]["template"]
        counted = int((owner.get("status") or {}).get("replicas", 0))
        staged = desired - current if rollout else min(desired - current, max(0, counted - current))
        if desired - current - staged:
            changes.append(CreatePods(owner, template, desired - current - staged))
        if staged:
            changes.append(CreatePods(owner, template, staged, staged=True))
    elif current > desired:
        pods = [p for k in owned if (p := store.get("Pod", *k))] + bare
        source = CONTROLLER_NAMES[owner["kind"]]
        for pod in pods_to_delete(pods, len(pods) - desired, runtime):
            changes.append(DeletePod(pod))
            message = f"Deleted pod: {pod['metadata']['name']}"
            changes.append(RecordEvent(owner, "SuccessfulDelete", source, message))
    return changes


def pods_to_delete(pods: list[dict], count: int, runtime: Mapping[Key, PodRuntime]) -> list[dict]:
    """The `count` pods to delete when there are too many: unscheduled first, then those not
    running yet, then not ready, then the newest (ties keep the order given, oldest first)."""

    def rank(pod: dict) -> tuple:
        meta = pod["metadata"]
        rt = runtime.get((meta["namespace"], meta["name"]))
        scheduled = bool(pod["spec"].get("nodeName"))
        ready = rt is not None and rt.ready
        return (scheduled, rt is not None, ready)

    # Two stable sorts: the newest first, then by rank (equal timestamps keep their order).
    newest = sorted(pods, key=_created, reverse=True)
    return sorted(newest, key=rank)[:count]


def _created(pod: dict) -> str:
    return pod["metadata"]["creationTimestamp"]


def status(owner: dict, owned: Collection[Key], runtime: Mapping[Key, PodRuntime],
           now: float) -> tuple[dict, float | None]:  # fmt: skip
    """The owner's status: how many pods it has (terminating ones are not counted), how many
    are ready, and how many available (ready for `minReadySeconds`); and when a ready pod
    becomes available, for the controller to count again, or None."""
    min_ready = float(owner["spec"].get("minReadySeconds") or 0)
    ready = available = 0
    later: float | None = None
    for rt in map(runtime.get, owned):  # recounted on every change: a plain loop is cheapest
        if rt is not None and rt.ready:
            ready += 1
            if not min_ready or now - rt.ready_since >= min_ready:
                available += 1
            elif later is None or rt.ready_since + min_ready < later:
                later = rt.ready_since + min_ready
    out = {
        "replicas": len(owned),
        "fullyLabeledReplicas": len(owned),
        "observedGeneration": owner["metadata"].get("generation", 1),
    }
    if ready:
        out["readyReplicas"] = ready
    if available:
        out["availableReplicas"] = available
    return out, later
