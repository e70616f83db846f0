"""The Deployment controller's decisions: one ReplicaSet per pod template, the current one
scaled to `replicas`, the older ones to 0, and the Deployment's status.

A Deployment's new template replaces the old ReplicaSet's pods in one step
(no gradual rolling update; docs/architecture.md). The bookkeeping is real:
revisions (a return to an older template reuses its ReplicaSet as the next
revision, with `revision-history`), the Deployment's annotations copied to
new ReplicaSets, and `max-replicas` from `maxSurge`. Pure functions of the
Deployment and its ReplicaSets; `sync` returns `controllers.changes` values.
"""

from __future__ import annotations

from simulator.store import key_of

from .changes import (
    Change,
    CreateObject,
    DeleteObject,
    Reconcile,
    RecordEvent,
    ScaleReplicaSet,
    SetRevision,
)
from .ownership import CONTROLLER_NAMES, owner_reference

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
# A Deployment's annotations go to its new ReplicaSets, but for these (deployment_util's
# annotationsToSkip).
_NOT_COPIED_TO_REPLICA_SETS = frozenset({
    "kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY,
    DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to",
})  # fmt: skip


def sync(deployment: dict, replica_sets: list[dict], pod_hash: str) -> list[Change]:
    """What gives `deployment` its ReplicaSets, in order.

    Args:
        deployment: the Deployment.
        replica_sets: the ReplicaSets it controls, by name.
        pod_hash: its template's `pod-template-hash`.

    Returns:
        The current template's ReplicaSet created (or scaled and annotated), the
        Deployment's revision, the older ReplicaSets scaled to 0, and those beyond
        `revisionHistoryLimit` (oldest first) deleted; a ScalingReplicaSet event
        with each scaling.
    """
    meta = deployment["metadata"]
    name = f"{meta['name']}-{pod_hash}"
    replicas = int(deployment["spec"].get("replicas", 1))
    current = next((rs for rs in replica_sets if rs["metadata"]["name"] == name), None)
    old = [rs for rs in replica_sets if rs is not current]
    # The newest template's ReplicaSet has the highest revision: one above every other.
    revision = 1 + max((_revision(rs) for rs in old), default=0)
    changes: list[Change] = []
    if current is None:
        current = new_replica_set(deployment, name, pod_hash, replicas, revision)
        annotations = current["metadata"]["annotations"]
        message = f"Scaled up replica set {name} from 0 to {replicas}"
        changes += [CreateObject(current), _scaling(deployment, message)]
    else:
        annotations = _replica_set_annotations(current, deployment, revision)
        before = current["spec"].get("replicas")
        if before != replicas:
            verb = "up" if replicas > (before or 0) else "down"
            message = f"Scaled {verb} replica set {name} from {before or 0} to {replicas}"
            changes.append(_scaling(deployment, message))
        if before != replicas or annotations is not None:
            changes.append(ScaleReplicaSet(current, replicas, annotations))
        annotations = annotations or current["metadata"]["annotations"]
    changes.append(SetRevision(deployment, annotations[REVISION]))
    changes.append(Reconcile("ReplicaSet", key_of(current)))
    for rs in old:
        before = rs["spec"].get("replicas", 0)
        if before != 0:
            message = f"Scaled down replica set {rs['metadata']['name']} from {before} to 0"
            changes.append(_scaling(deployment, message))
            changes.append(ScaleReplicaSet(rs, 0))
            changes.append(Reconcile("ReplicaSet", key_of(rs)))
    limit = int(deployment["spec"].get("revisionHistoryLimit", 10))
    for rs in old[: max(0, len(old) - limit)]:  # all at 0 replicas once these changes apply
        changes.append(DeleteObject("ReplicaSet", meta["namespace"], rs["metadata"]["name"]))
    return changes


def new_replica_set(deployment: dict, name: str, pod_hash: str, replicas: int,
                    revision: int) -> dict:  # fmt: skip
    """The ReplicaSet for the Deployment's current template (no UID yet)."""
    meta = deployment["metadata"]
    template = deployment["spec"]["template"]
    labels = dict(template["metadata"].get("labels") or {})
    labels["pod-template-hash"] = pod_hash
    selector = dict(deployment["spec"].get("selector") or {})
    selector["matchLabels"] = {
        **(selector.get("matchLabels") or {}),
        "pod-template-hash": pod_hash,
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": meta["namespace"],
            "labels": labels,
            "annotations": {
                **{
                    k: v
                    for k, v in (meta.get("annotations") or {}).items()
                    if k not in _NOT_COPIED_TO_REPLICA_SETS
                },
                DESIRED_REPLICAS: str(replicas),
                MAX_REPLICAS: str(replicas + max_surge(deployment)),
                REVISION: str(revision),
            },
            "ownerReferences": [owner_reference(deployment)],
        },
        "spec": {
            "replicas": replicas,
            "selector": selector,
            "template": {
                "metadata": {**template["metadata"], "labels": labels},
                "spec": template["spec"],
            },
        },
    }


def status(deployment: dict, replica_sets: list[dict], pod_hash: str, at: str) -> dict:
    """The Deployment's status, summed over its ReplicaSets' statuses (`at`: the time
    written into its conditions)."""
    replicas = sum(rs.get("status", {}).get("replicas", 0) for rs in replica_sets)
    ready = sum(rs.get("status", {}).get("readyReplicas", 0) for rs in replica_sets)
    updated = sum(
        rs.get("status", {}).get("replicas", 0)
        for rs in replica_sets
        if rs["metadata"]["labels"].get("pod-template-hash") == pod_hash
    )
    desired = int(deployment["spec"].get("replicas", 1))
    available = ready >= desired
    out: dict = {
        "observedGeneration": deployment["metadata"].get("generation", 1),
        "replicas": replicas,
        "updatedReplicas": updated,
        "conditions": [
            {
                "type": "Available",
                "status": "True" if available else "False",
                "reason": "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
                "message": "Deployment has minimum availability."
                if available
                else "Deployment does not have minimum availability.",
                "lastUpdateTime": at,
                "lastTransitionTime": at,
            },
            {
                "type": "Progressing",
                "status": "True",
                "reason": "NewReplicaSetAvailable",
                "message": f'ReplicaSet "{deployment["metadata"]["name"]}-{pod_hash}" '
                "has successfully progressed.",
                "lastUpdateTime": at,
                "lastTransitionTime": at,
            },
        ],
    }
    if ready:
        out["readyReplicas"] = ready
        out["availableReplicas"] = ready
    if replicas - ready > 0:
        out["unavailableReplicas"] = replicas - ready
    return out


def max_surge(deployment: dict) -> int:
    """How many pods a rolling update may add above `replicas` (`maxSurge`, a percentage
    rounded up); none for the Recreate strategy."""
    spec = deployment["spec"]
    strategy = spec.get("strategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return 0
    surge = (strategy.get("rollingUpdate") or {}).get("maxSurge", "25%")
    if isinstance(surge, str) and surge.endswith("%") and surge[:-1].isdigit():
        return -(-int(spec.get("replicas", 1)) * int(surge[:-1]) // 100)
    return int(surge) if str(surge).isdigit() else 0


def _scaling(deployment: dict, message: str) -> RecordEvent:
    """The Deployment controller's ScalingReplicaSet event."""
    return RecordEvent(deployment, "ScalingReplicaSet", CONTROLLER_NAMES["Deployment"], message)


def _revision(rs: dict) -> int:
    value = str((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    return int(value) if value.isdigit() else 0


def _replica_set_annotations(rs: dict, deployment: dict, revision: int) -> dict | None:
    """A ReplicaSet's annotations once it is the Deployment's current one, or None when they
    are right already.

    Its revision is raised to `revision` (never lowered), the revision it had going to
    its history, as when a Deployment returns to an older template; the desired and the
    most replicas a rolling update may reach follow the Deployment.
    """
    annotations = dict(rs["metadata"].get("annotations") or {})
    old = annotations.get(REVISION)
    if _revision(rs) < revision:
        annotations[REVISION] = str(revision)
        if old:
            history = annotations.get(REVISION_HISTORY)
            annotations[REVISION_HISTORY] = f"{history},{old}" if history else old
    replicas = int(deployment["spec"].get("replicas", 1))
    annotations[DESIRED_REPLICAS] = str(replicas)
    annotations[MAX_REPLICAS] = str(replicas + max_surge(deployment))
    return None if annotations == rs["metadata"].get("annotations") else annotations
