"""Workload controllers: ReplicationController, ReplicaSet, Deployment, DaemonSet.

Each keeps its pods at the desired count at once: a deleted pod is replaced
with a new name and IP, a pod relabelled out of the selector is orphaned and
replaced, a bare pod that matches is adopted. Owners are queued with `mark()`;
the cluster takes them with `next_owner()`, asks `sync()` what must change
(values from `controllers.changes`) and applies that, then asks `status()`
for the counts, until the queue is empty. The controller reads the store and
the runtime records and keeps its own indexes; it never changes the cluster.
"""

from __future__ import annotations

import random
from collections.abc import Container, Mapping
from typing import TYPE_CHECKING

from simulator.clock import timestamp
from simulator.labels import Selector, from_label_selector, from_match_labels, matches
from simulator.names import MAX_GENERATED_BASE, generate_suffix, new_uid, pod_template_hash
from simulator.store import Key, Store, key_of

from . import scheduler
from .changes import (
    AdoptPod,
    Change,
    CreateObject,
    CreatePods,
    DeleteObject,
    DeletePod,
    Reconcile,
    RecordEvent,
    ScaleReplicaSet,
    SetRevision,
    SetStatus,
)

if TYPE_CHECKING:
    from simulator.clock import Clock
    from simulator.runtime import PodRuntime

REPLICA_KINDS = ("ReplicaSet", "ReplicationController")

# The DaemonSet controller adds these so its pods survive node conditions.
DAEMONSET_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]

API_VERSIONS = {
    "ReplicaSet": "apps/v1",
    "Deployment": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicationController": "v1",
}
CONTROLLER_NAMES = {
    "ReplicaSet": "replicaset-controller",
    "ReplicationController": "replication-controller",
    "DaemonSet": "daemonset-controller",
    "Deployment": "deployment-controller",
}


def selector_of(owner: dict) -> Selector:
    """The owner's pod selector (RCs use a plain map, apps/v1 kinds a LabelSelector)."""
    sel = owner["spec"].get("selector")
    if owner["kind"] == "ReplicationController":
        return from_match_labels(sel or (owner["spec"]["template"]["metadata"].get("labels")))
    return from_label_selector(sel)


def controller_ref(obj: dict) -> dict | None:
    """The ownerReference with `controller: true`, or None."""
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def owner_reference(owner: dict) -> dict:
    """An ownerReference pointing at `owner`, as controllers set it."""
    return {
        "apiVersion": API_VERSIONS[owner["kind"]],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


class WorkloadController:
    """Reconciles replica counts; keeps an index from owner UID to its pods."""

    def __init__(self, store: Store, runtime: Mapping[Key, PodRuntime], clock: Clock) -> None:
        self._store = store
        self._runtime = runtime
        self._clock = clock
        self._owned: dict[str, dict[Key, None]] = {}  # owner uid -> ordered pod keys
        self._queue: dict[tuple[str, Key], None] = {}
        self._adopt: set[tuple[str, Key]] = set()  # owners that must look for bare pods
        self._hashes: dict[int, tuple[dict, str]] = {}
        self._stale_status: dict[tuple[str, Key], None] = {}
        self._owner_nodes: dict[str, dict[str, int]] = {}  # owner uid -> node -> running pods
        self._sets: dict[str, dict[Key, None]] = {}  # Deployment uid -> its ReplicaSets

    # -- index -------------------------------------------------------------------

    def pods_of(self, owner_uid: str) -> list[dict]:
        """The pods an owner controls, oldest first."""
        pods = self._store
        return [p for k in self._owned.get(owner_uid, ()) if (p := pods.get("Pod", *k))]

    def pod_added(self, pod: dict) -> None:
        """Index a new pod under its controller (and count it on its node)."""
        self.pods_added([pod])

    def pods_added(self, pods: list[dict]) -> None:
        """Index new pods under their controllers, and count them on their nodes.

        A batch usually has one owner (and one shared ownerReferences list), so its
        index entries are looked up once.
        """
        references: object = ()  # the last pod's ownerReferences
        owner_uid = ref = owned = counts = None
        for pod in pods:
            meta = pod["metadata"]
            if meta.get("ownerReferences") is not references:
                references = meta.get("ownerReferences")
                ref = controller_ref(pod)
            if not ref:
                continue
            if ref["uid"] != owner_uid:
                owner_uid = ref["uid"]
                owned = self._owned.setdefault(owner_uid, {})
                counts = self._owner_nodes.setdefault(owner_uid, {})
            owned[(meta["namespace"], meta["name"])] = None
            node = pod["spec"].get("nodeName")
            if node:
                counts[node] = counts.get(node, 0) + 1

    def owner_nodes(self, owner_uid: str) -> dict[str, int]:
        """How many of an owner's pods run on each node (a copy, for the scheduler)."""
        return dict(self._owner_nodes.get(owner_uid, {}))

    def _uncount(self, uid: str, pod: dict) -> None:
        node = pod["spec"].get("nodeName")
        counts = self._owner_nodes.get(uid)
        if node and counts and counts.get(node):
            counts[node] -= 1

    def pod_removed(self, pod: dict) -> None:
        """Forget a pod and queue its controller to replace it."""
        ref = controller_ref(pod)
        if ref:
            owned = self._owned.get(ref["uid"], {})
            if key_of(pod) not in owned:
                return  # not indexed under this owner
            del owned[key_of(pod)]
            if (pod.get("status") or {}).get("phase") == "Running":
                self._uncount(ref["uid"], pod)
            self.mark(ref["kind"], (pod["metadata"]["namespace"], ref["name"]))

    def release(self, pod: dict) -> dict | None:
        """A relabelled pod: when its labels no longer match its controller's selector, forget
        it and queue the controller (which replaces it).

        Returns:
            The ownerReference the pod must drop, or None when it stays owned.
        """
        ref = controller_ref(pod)
        if ref is None:
            return None
        owner = self._store.get(ref["kind"], pod["metadata"]["namespace"], ref["name"])
        if owner is None or matches(selector_of(owner), pod["metadata"].get("labels")):
            return None
        owned = self._owned.get(ref["uid"], {})
        if key_of(pod) in owned:
            del owned[key_of(pod)]
            self._uncount(ref["uid"], pod)
        self.mark(ref["kind"], (pod["metadata"]["namespace"], ref["name"]))
        return ref

    def adopt_candidates(self, pod: dict) -> None:
        """Queue every controller in the pod's namespace whose selector matches a bare pod."""
        if controller_ref(pod):
            return
        ns = pod["metadata"]["namespace"]
        labels = pod["metadata"].get("labels")
        for kind in REPLICA_KINDS:
            for owner in self._store.list(kind, ns):
                if matches(selector_of(owner), labels):
                    self.mark(kind, key_of(owner), adopt=True)

    def forget_owner(self, uid: str) -> None:
        """Drop the index of a deleted owner."""
        self._owned.pop(uid, None)
        self._owner_nodes.pop(uid, None)

    # -- queue -------------------------------------------------------------------

    def mark(self, kind: str, key: Key, adopt: bool = False) -> None:
        """Queue an owner for reconciliation (`adopt`: also adopt matching bare pods)."""
        if kind in ("ReplicaSet", "ReplicationController", "Deployment", "DaemonSet"):
            self._queue[(kind, key)] = None
            if adopt:
                self._adopt.add((kind, key))

    def status_changed(self, kind: str, key: Key) -> None:
        """A pod of this owner turned ready or not: its status is recounted by
        `stale_statuses`."""
        self._stale_status[(kind, key)] = None

    def stale_statuses(self) -> list[SetStatus]:
        """The recounted status of every owner marked stale since the last call.

        A ReplicaSet's new status makes its Deployment's stale in turn, so the caller
        applies these and asks again until none is left.
        """
        stale, self._stale_status = self._stale_status, {}
        out: list[SetStatus] = []
        for kind, key in stale:
            owner = self._store.get(kind, *key)
            if owner is not None:
                out += self.status(owner)
        return out

    def mark_all_daemonsets(self) -> None:
        """Nodes changed: every DaemonSet must look again."""
        for key, _ in sorted(self._store.items("DaemonSet")):
            self.mark("DaemonSet", key)

    def next_owner(self) -> dict | None:
        """The next queued owner that still exists (first in, first out), or None."""
        store = self._store
        while self._queue:
            kind, key = next(iter(self._queue))
            del self._queue[(kind, key)]
            owner = store.get(kind, *key)
            if owner is not None:
                return owner
        return None

    def sync(self, owner: dict) -> list[Change]:
        """What must change for `owner` to have the pods (or ReplicaSets) it wants, in order.

        Computed against the store and runtime records as they are now; the caller
        applies the changes, then takes the owner's counts from `status`.
        """
        kind = owner["kind"]
        if kind == "Deployment":
            return self._sync_deployment(owner)
        if kind == "DaemonSet":
            return self._sync_daemonset(owner)
        return self._sync_replicas(owner)

    def status(self, owner: dict) -> list[SetStatus]:
        """An owner's status counted from its pods (or a Deployment's from its ReplicaSets).

        A ReplicaSet's Deployment is marked stale, for `stale_statuses`.
        """
        kind = owner["kind"]
        if kind == "Deployment":
            return [SetStatus(owner, self._deployment_status(owner))]
        if kind == "DaemonSet":
            return [SetStatus(owner, self._daemonset_status(owner))]
        ref = controller_ref(owner)
        if ref and ref["kind"] == "Deployment":
            self._stale_status[("Deployment", (owner["metadata"]["namespace"], ref["name"]))] = None
        return [SetStatus(owner, self._replicas_status(owner))]

    def _daemonset_nodes(self, ds: dict) -> list[str]:
        """Nodes that should run the DaemonSet's pod (cordoning does not stop DaemonSets)."""
        spec = _daemon_pod_spec(ds)
        out = []
        for node in self._store.list("Node"):
            schedulable = {**node, "spec": {**node["spec"], "unschedulable": False}}
            if scheduler.unfit_reason(schedulable, spec) is None:
                out.append(node["metadata"]["name"])
        return out

    # -- ReplicaSet / ReplicationController --------------------------------------

    def _sync_replicas(self, owner: dict) -> list[Change]:
        meta = owner["metadata"]
        uid, ns = meta["uid"], meta["namespace"]
        owned = self._owned.setdefault(uid, {})
        changes: list[Change] = []
        adopted = []
        if (owner["kind"], (ns, meta["name"])) in self._adopt:
            self._adopt.discard((owner["kind"], (ns, meta["name"])))
            for pod in self._store.pods_selected(ns, selector_of(owner)):
                if controller_ref(pod) is None:
                    adopted.append(pod)
                    changes.append(AdoptPod(pod, owner))
        current = len(owned) + len(adopted)  # the index holds exactly the live pods
        desired = int(owner["spec"].get("replicas", 1))
        if current < desired:
            changes.append(CreatePods(owner, owner["spec"]["template"], desired - current))
        elif current > desired:
            pods = self.pods_of(uid) + adopted
            runtime = self._runtime

            # Delete unscheduled, then not-ready, then the newest pods first.
            def rank(p: dict) -> tuple:
                scheduled = bool(p["spec"].get("nodeName"))
                rt = runtime.get((ns, p["metadata"]["name"]))
                ready = rt is not None and rt.ready
                return (scheduled, ready, _negated(p["metadata"]["creationTimestamp"]))

            source = CONTROLLER_NAMES[owner["kind"]]
            for pod in sorted(pods, key=rank)[: len(pods) - desired]:
                changes.append(DeletePod(pod))
                changes.append(
                    RecordEvent(
                        owner, "SuccessfulDelete", source, f"Deleted pod: {pod['metadata']['name']}"
                    )  # fmt: skip
                )
        return changes

    def _replicas_status(self, owner: dict) -> dict:
        """A ReplicaSet's or ReplicationController's status: its pods, and the ready ones."""
        owned = self._owned.get(owner["metadata"]["uid"], {})
        runtime = self._runtime
        ready = sum(1 for key in owned if (rt := runtime.get(key)) is not None and rt.ready)
        status = {
            "replicas": len(owned),
            "fullyLabeledReplicas": len(owned),
            "observedGeneration": owner["metadata"].get("generation", 1),
        }
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        return status

    def _daemonset_status(self, ds: dict) -> dict:
        """Counted over the nodes that should run the pod now; a pod kept on a node that
        became tainted is "misscheduled" (the DaemonSet controller's status)."""
        ns = ds["metadata"]["namespace"]
        pods = self.pods_of(ds["metadata"]["uid"])
        eligible = set(self._daemonset_nodes(ds))
        placed = [p for p in pods if p["spec"].get("nodeName") in eligible]
        runtime = self._runtime
        ready = sum(
            1 for p in placed
            if (rt := runtime.get((ns, p["metadata"]["name"]))) is not None and rt.ready
        )  # fmt: skip
        status = {
            "currentNumberScheduled": len(placed),
            "desiredNumberScheduled": len(eligible),
            "numberAvailable": ready,
            "numberMisscheduled": len(pods) - len(placed),
            "numberReady": ready,
            "observedGeneration": ds["metadata"].get("generation", 1),
            "updatedNumberScheduled": len(placed),
        }
        if ready < len(eligible):
            status["numberUnavailable"] = len(eligible) - ready
        return status

    # -- Deployment --------------------------------------------------------------

    def _replica_sets_of(self, deployment: dict) -> list[dict]:
        store = self._store
        keys = sorted(self._sets.get(deployment["metadata"]["uid"], ()))
        return [rs for k in keys if (rs := store.get("ReplicaSet", *k)) is not None]

    def object_added(self, obj: dict) -> None:
        """Index a ReplicaSet under its Deployment."""
        ref = controller_ref(obj)
        if obj["kind"] == "ReplicaSet" and ref and ref["kind"] == "Deployment":
            self._sets.setdefault(ref["uid"], {})[key_of(obj)] = None

    def object_removed(self, obj: dict) -> None:
        """Forget a ReplicaSet (or a Deployment's whole index)."""
        ref = controller_ref(obj)
        if obj["kind"] == "ReplicaSet" and ref:
            self._sets.get(ref["uid"], {}).pop(key_of(obj), None)
        elif obj["kind"] == "Deployment":
            self._sets.pop(obj["metadata"].get("uid", ""), None)

    def _sync_deployment(self, deployment: dict) -> list[Change]:
        """One ReplicaSet per template: the current one scaled to `replicas`, the others to
        0, and no more of those kept than `revisionHistoryLimit`."""
        meta = deployment["metadata"]
        pod_hash = self._template_hash(deployment["spec"]["template"])
        name = f"{meta['name']}-{pod_hash}"
        replicas = int(deployment["spec"].get("replicas", 1))
        owned = self._replica_sets_of(deployment)
        current = next((rs for rs in owned if rs["metadata"]["name"] == name), None)
        old = [rs for rs in owned if rs is not current]
        # The newest template's ReplicaSet has the highest revision: one above every other.
        revision = 1 + max((_revision(rs) for rs in old), default=0)
        changes: list[Change] = []
        if current is None:
            current = self._new_replica_set(deployment, name, pod_hash, replicas, revision)
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

    def _new_replica_set(
        self, deployment: dict, name: str, pod_hash: str, replicas: int, revision: int
    ) -> dict:
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

    def _template_hash(self, template: dict) -> str:
        """pod-template-hash, cached per template object (hashing is done in pure Python)."""
        cached = self._hashes.get(id(template))
        if cached is None or cached[0] is not template:
            cached = (template, pod_template_hash(template))
            self._hashes[id(template)] = cached
        return cached[1]

    def _deployment_status(self, deployment: dict) -> dict:
        owned = self._replica_sets_of(deployment)
        hash_label = self._template_hash(deployment["spec"]["template"])
        replicas = sum(rs.get("status", {}).get("replicas", 0) for rs in owned)
        ready = sum(rs.get("status", {}).get("readyReplicas", 0) for rs in owned)
        updated = sum(
            rs.get("status", {}).get("replicas", 0)
            for rs in owned
            if rs["metadata"]["labels"].get("pod-template-hash") == hash_label
        )
        desired = int(deployment["spec"].get("replicas", 1))
        at = timestamp(self._clock.now)
        available = ready >= desired
        status: dict = {
            "observedGeneration": deployment["metadata"].get("generation", 1),
            "replicas": replicas,
            "updatedReplicas": updated,
            "conditions": [
                {
                    "type": "Available",
                    "status": "True" if available else "False",
                    "reason": "MinimumReplicasAvailable"
                    if available
                    else "MinimumReplicasUnavailable",
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
                    "message": f'ReplicaSet "{deployment["metadata"]["name"]}-{hash_label}" '
                    "has successfully progressed.",
                    "lastUpdateTime": at,
                    "lastTransitionTime": at,
                },
            ],
        }
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        if replicas - ready > 0:
            status["unavailableReplicas"] = replicas - ready
        return status

    # -- DaemonSet ---------------------------------------------------------------

    def _sync_daemonset(self, ds: dict) -> list[Change]:
        """One pod per eligible node (NodeShouldRunDaemonPod in the DaemonSet controller).

        A node whose taints the pod does not tolerate gets no new pod, but an
        existing pod keeps running unless the taint is NoExecute or the node no
        longer matches the pod's node selector.
        """
        spec = _daemon_pod_spec(ds)
        by_node = {p["spec"].get("nodeName"): p for p in self.pods_of(ds["metadata"]["uid"])}
        nodes = {n["metadata"]["name"]: n for n in self._store.list("Node")}
        changes: list[Change] = [
            CreatePods(ds, ds["spec"]["template"], 1, node=name, spec=spec)
            for name in self._daemonset_nodes(ds)
            if name not in by_node
        ]
        for name, pod in by_node.items():
            node = nodes.get(name)
            if node is None or not _may_keep_running(node, spec):
                changes.append(DeletePod(pod))
        return changes


def _daemon_pod_spec(ds: dict) -> dict:
    """The template's pod spec with the tolerations the DaemonSet controller adds."""
    spec = dict(ds["spec"]["template"]["spec"])
    spec["tolerations"] = list(spec.get("tolerations") or []) + DAEMONSET_TOLERATIONS
    return spec


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


def _negated(text: str) -> tuple:
    """Sort key that puts later timestamps first."""
    return tuple(-ord(c) for c in text)


def new_pods(owner: dict, template: dict, spec: dict, count: int, *, rng: random.Random,
             taken: Container[Key], created: str) -> list[dict]:  # fmt: skip
    """`count` pod objects from a template, named from their owner (`<owner>-xxxxx`).

    Args:
        owner: the controller; its name, namespace and UID go into the pods.
        template: the pod template (labels and annotations).
        spec: the pod spec, admitted once by the caller; each pod gets its own copy.
        count: how many pods.
        rng: the cluster's generator, for names and UIDs.
        taken: the keys of the pods that exist (the API server refuses a taken name).
        created: the creation timestamp.

    Labels and ownerReferences are shared by the batch: like every pod's, they are
    replaced, never edited (relabelling, orphaning).
    """
    tmeta = template.get("metadata") or {}
    labels = dict(tmeta.get("labels") or {})
    annotations = tmeta.get("annotations")
    base = owner["metadata"]["name"] + "-"
    prefix = base[:MAX_GENERATED_BASE]
    namespace = owner["metadata"]["namespace"]
    references = [owner_reference(owner)]
    pods = []
    names: set[str] = set()
    for _ in range(count):
        name = prefix + generate_suffix(rng)
        while name in names or (namespace, name) in taken:
            name = prefix + generate_suffix(rng)  # the API server refuses it; the owner retries
        names.add(name)
        meta = {
            "name": name,
            "generateName": base,
            "namespace": namespace,
            "uid": new_uid(rng),
            "creationTimestamp": created,
            "labels": labels,
            "ownerReferences": references,
        }
        if annotations:
            meta["annotations"] = dict(annotations)
        pods.append({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": dict(spec)})
    return pods
