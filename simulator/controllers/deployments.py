"""The Deployment controller's decisions: one ReplicaSet per pod template, rolled per strategy.

As kube-controller-manager's `pkg/controller/deployment` decides, one sync at
a time, against the ReplicaSets as they are now:

* `RollingUpdate` (`rolling.go`): the new template's ReplicaSet is scaled up
  while the pods of all ReplicaSets stay within `replicas + maxSurge`; old
  ones are scaled down while `replicas - maxUnavailable` pods stay available
  (ready for `minReadySeconds`), their unavailable pods first. `maxSurge`
  rounds up and `maxUnavailable` down from a percentage, and both at 0 make
  `maxUnavailable` 1 (`ResolveFenceposts`). Each sync takes one step; the
  next comes when a ReplicaSet's counts move (a pod ready, a pod gone).
* `Recreate` (`recreate.go`): old ReplicaSets to 0, then, once none of their
  pods is left (terminating ones included), the new one to `replicas`.
* `spec.paused`: no new ReplicaSet and no step; only a Deployment with one
  active ReplicaSet follows a new `replicas` (`sync.go`).

Revisions are real: a new template's ReplicaSet takes the next revision, a
return to an older template reuses its ReplicaSet as the next revision (with
`revision-history`), ReplicaSets beyond `revisionHistoryLimit` are deleted
once a rollout completes. Pure functions; `sync` returns `controllers.changes`
values, `deployment_status` counts the status.
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
from .deployment_status import max_surge, max_unavailable
from .ownership import CONTROLLER_NAMES, owner_reference

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
# A Deployment's annotations go to its new ReplicaSets, but for these (deployment_util's
# annotationsToSkip).
SKIPPED_ANNOTATIONS = frozenset({
    "kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY,
    DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to",
})  # fmt: skip


class _Step:
    """One sync's decisions: the changes, and each ReplicaSet's replicas and annotations as
    they will be once the changes apply."""

    def __init__(self, deployment: dict) -> None:
        self.deployment = deployment
        self.changes: list[Change] = []
        self.replicas: dict[str, int] = {}
        self.annotations: dict[str, dict] = {}

    def of(self, rs: dict) -> int:
        name = rs["metadata"]["name"]
        return self.replicas.get(name, int(rs["spec"].get("replicas", 1)))

    def scale(self, rs: dict, to: int, annotations: dict | None = None) -> None:
        """Scale a ReplicaSet (recording ScalingReplicaSet) and bring its desired and most
        replicas annotations up to date (scaleReplicaSet); `annotations`: the rest of them."""
        name = rs["metadata"]["name"]
        before = self.of(rs)
        live = rs["metadata"].get("annotations") or {}
        wanted = dict(annotations or self.annotations.get(name) or live)
        replicas = int(self.deployment["spec"].get("replicas", 1))
        wanted[DESIRED_REPLICAS] = str(replicas)
        wanted[MAX_REPLICAS] = str(replicas + max_surge(self.deployment))
        if before != to or wanted != (self.annotations.get(name) or live):
            tail = self.changes[-2:]
            if tail and isinstance(tail[0], ScaleReplicaSet) and tail[0].replica_set is rs:
                del self.changes[-2:]  # one write carries both
            if before != to:
                verb = "up" if to > before else "down"
                message = f"Scaled {verb} replica set {name} from {before} to {to}"
                self.changes.append(_scaling(self.deployment, message))
            scaled = ScaleReplicaSet(rs, to, wanted if wanted != live else None)
            self.changes += [scaled, Reconcile("ReplicaSet", key_of(rs))]
        self.replicas[name] = to
        self.annotations[name] = wanted


def sync(deployment: dict, replica_sets: list[dict], pod_hash: str,
         old_pods: int = 0) -> list[Change]:  # fmt: skip
    """What moves `deployment` one step towards its template, in order.

    Args:
        deployment: the Deployment.
        replica_sets: the ReplicaSets it controls, by name.
        pod_hash: its template's `pod-template-hash`.
        old_pods: how many pods the older ReplicaSets still have, terminating ones
            included (Recreate waits for none).

    Returns:
        The new ReplicaSet created or annotated, the Deployment's revision, the
        scalings of this step (each with its ScalingReplicaSet event and a Reconcile
        of the ReplicaSet), and once the rollout is complete, the ReplicaSets beyond
        `revisionHistoryLimit` deleted.
    """
    spec = deployment["spec"]
    name = f"{deployment['metadata']['name']}-{pod_hash}"
    new = next((rs for rs in replica_sets if rs["metadata"]["name"] == name), None)
    old = [rs for rs in replica_sets if rs is not new]
    step = _Step(deployment)
    replicas = int(spec.get("replicas", 1))
    if spec.get("paused"):
        active = [rs for rs in replica_sets if step.of(rs) > 0]
        if new is not None:
            _annotate(step, new, old)
        if len(active) == 1 and step.of(active[0]) != replicas:
            step.scale(active[0], replicas)
        return step.changes
    recreate = (spec.get("strategy") or {}).get("type") == "Recreate"
    if recreate:
        for rs in old:
            if step.of(rs) > 0:
                step.scale(rs, 0)
        if step.changes or old_pods:
            if new is not None:
                _annotate(step, new, old)
            return step.changes  # the old pods must all be gone first
        new = _new_or_annotated(step, new, old, name, pod_hash, replicas)
        if step.of(new) != replicas:
            step.scale(new, replicas)
    else:
        surge_total = replicas + max_surge(deployment)
        if new is None:
            total = sum(step.of(rs) for rs in old)
            first = min(max(0, surge_total - total), replicas)
            new = _new_or_annotated(step, None, old, name, pod_hash, first)
        else:
            _annotate(step, new, old)
        _roll(step, new, old, replicas, surge_total)
    if _complete(deployment, new, old, step):
        _clean_up(step, old)
    return step.changes


def _roll(step: _Step, new: dict, old: list[dict], replicas: int, surge_total: int) -> None:
    """One step of a rolling update: scale the new ReplicaSet up if the surge allows, else
    the old ones down as far as availability allows (rolling.go)."""
    deployment = step.deployment
    current = step.of(new)
    if current > replicas:
        step.scale(new, replicas)
        return
    if current < replicas:
        total = current + sum(step.of(rs) for rs in old)
        grown = current + max(0, min(surge_total - total, replicas - current))
        if grown != current:
            step.scale(new, grown)
            return
    old_count = sum(step.of(rs) for rs in old)
    if old_count == 0:
        return
    min_available = replicas - max_unavailable(deployment)
    new_unavailable = step.of(new) - _available(new)
    all_count = old_count + step.of(new)
    budget = all_count - min_available - new_unavailable
    if budget <= 0:
        return
    by_age = sorted(old, key=_created)
    # Unhealthy replicas first: they serve nothing, so scaling them down costs nothing.
    cleaned = 0
    for rs in by_age:
        have, available = step.of(rs), _available(rs)
        if cleaned >= budget or have == 0 or have == available:
            continue
        down = min(budget - cleaned, have - available)
        step.scale(rs, have - down)
        cleaned += down
    available_total = _available(new) + sum(min(_available(rs), step.of(rs)) for rs in old)
    room = available_total - min_available
    for rs in by_age:
        if room <= 0:
            break
        have = step.of(rs)
        if have == 0:
            continue
        down = min(have, room)
        step.scale(rs, have - down)
        room -= down


def _new_or_annotated(step: _Step, new: dict | None, old: list[dict], name: str,
                      pod_hash: str, replicas: int) -> dict:  # fmt: skip
    """The new template's ReplicaSet: created with `replicas` (and the next revision) when
    missing, else its revision and annotations brought up to date."""
    if new is not None:
        _annotate(step, new, old)
        return new
    deployment = step.deployment
    revision = 1 + max((revision_of(rs) for rs in old), default=0)
    new = new_replica_set(deployment, name, pod_hash, replicas, revision)
    step.changes.append(CreateObject(new))
    if replicas:
        message = f"Scaled up replica set {name} from 0 to {replicas}"
        step.changes.append(_scaling(deployment, message))
    step.changes.append(SetRevision(deployment, str(revision)))
    step.changes.append(Reconcile("ReplicaSet", key_of(new)))
    step.replicas[name] = replicas
    step.annotations[name] = new["metadata"]["annotations"]
    return new


def _annotate(step: _Step, new: dict, old: list[dict]) -> None:
    """The current ReplicaSet takes the highest revision (and the Deployment's annotations);
    the Deployment records it."""
    revision = 1 + max((revision_of(rs) for rs in old), default=0)
    annotations = _replica_set_annotations(new, step.deployment, revision)
    shown = (annotations or new["metadata"].get("annotations") or {}).get(REVISION, "1")
    step.changes.append(SetRevision(step.deployment, shown))
    if annotations is not None:
        step.scale(new, step.of(new), annotations)


def _complete(deployment: dict, new: dict, old: list[dict], step: _Step) -> bool:
    """Whether every pod is of the new template and available (DeploymentComplete)."""
    replicas = int(deployment["spec"].get("replicas", 1))
    status = new.get("status") or {}
    return (
        step.of(new) == replicas
        and status.get("replicas", 0) == replicas
        and _available(new) == replicas
        and all(step.of(rs) == 0 and not (rs.get("status") or {}).get("replicas") for rs in old)
    )


def _clean_up(step: _Step, old: list[dict]) -> None:
    """Delete the oldest revisions beyond `revisionHistoryLimit` (those without pods)."""
    deployment = step.deployment
    limit = int(deployment["spec"].get("revisionHistoryLimit", 10))
    spare = sorted(old, key=revision_of)
    namespace = deployment["metadata"]["namespace"]
    for rs in spare[: max(0, len(spare) - limit)]:
        step.changes.append(DeleteObject("ReplicaSet", namespace, rs["metadata"]["name"]))


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
    spec: dict = {"replicas": replicas}
    min_ready = deployment["spec"].get("minReadySeconds")
    if min_ready:
        spec["minReadySeconds"] = min_ready
    spec["selector"] = selector
    spec["template"] = {"metadata": {**template["metadata"], "labels": labels},
                        "spec": template["spec"]}  # fmt: skip
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
                    if k not in SKIPPED_ANNOTATIONS
                },
                DESIRED_REPLICAS: str(int(deployment["spec"].get("replicas", 1))),
                MAX_REPLICAS: str(
                    int(deployment["spec"].get("replicas", 1)) + max_surge(deployment)
                ),  # fmt: skip
                REVISION: str(revision),
            },
            "ownerReferences": [owner_reference(deployment)],
        },
        "spec": spec,
    }


def revision_of(rs: dict) -> int:
    """A ReplicaSet's revision (0 when it has none)."""
    value = str((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    return int(value) if value.isdigit() else 0


def _scaling(deployment: dict, message: str) -> RecordEvent:
    """The Deployment controller's ScalingReplicaSet event."""
    return RecordEvent(deployment, "ScalingReplicaSet", CONTROLLER_NAMES["Deployment"], message)


def _available(rs: dict) -> int:
    return int((rs.get("status") or {}).get("availableReplicas", 0))


def _created(rs: dict) -> tuple:
    meta = rs["metadata"]
    return (meta.get("creationTimestamp", ""), meta["name"])


def _replica_set_annotations(rs: dict, deployment: dict, revision: int) -> dict | None:
    """A ReplicaSet's annotations once it is the Deployment's current one, or None when they
    are right already.

    Its revision is raised to `revision` (never lowered), the revision it had going to
    its history, as when a Deployment returns to an older template; the Deployment's
    own annotations are copied (a change-cause); the desired and the most replicas a
    rolling update may reach follow the Deployment.
    """
    annotations = dict(rs["metadata"].get("annotations") or {})
    old = annotations.get(REVISION)
    if revision_of(rs) < revision:
        annotations[REVISION] = str(revision)
        if old:
            history = annotations.get(REVISION_HISTORY)
            annotations[REVISION_HISTORY] = f"{history},{old}" if history else old
        for key, value in (deployment["metadata"].get("annotations") or {}).items():
            if key not in SKIPPED_ANNOTATIONS:
                annotations[key] = value
    replicas = int(deployment["spec"].get("replicas", 1))
    annotations[DESIRED_REPLICAS] = str(replicas)
    annotations[MAX_REPLICAS] = str(replicas + max_surge(deployment))
    return None if annotations == rs["metadata"].get("annotations") else annotations
