"""Workload controllers: ReplicationController, ReplicaSet, Deployment, DaemonSet.

Each keeps its pods at the desired count at once: a deleted pod is replaced
with a new name and IP, a pod relabelled out of the selector is orphaned and
replaced, a bare pod that matches is adopted. Work is queued with `mark()` and
done by `reconcile()`, which the cluster calls before a command returns.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from simulator.clock import timestamp
from simulator.labels import Selector, from_label_selector, from_match_labels, matches
from simulator.names import MAX_GENERATED_BASE, generate_suffix, new_uid, pod_template_hash
from simulator.store import Key, key_of

from . import scheduler

if TYPE_CHECKING:
    from simulator.state import ClusterState

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

    def __init__(self, state: ClusterState) -> None:
        self._state = weakref.proxy(state)  # no reference cycle: a dropped cluster frees at once
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
        pods = self._state.store
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

    def release(self, pod: dict) -> None:
        """Orphan a pod whose labels no longer match its controller's selector."""
        ref = controller_ref(pod)
        if ref is None:
            return
        owner = self._state.store.get(ref["kind"], pod["metadata"]["namespace"], ref["name"])
        if owner is None or matches(selector_of(owner), pod["metadata"].get("labels")):
            return
        owned = self._owned.get(ref["uid"], {})
        if key_of(pod) in owned:
            del owned[key_of(pod)]
            self._uncount(ref["uid"], pod)
        pod["metadata"]["ownerReferences"] = [
            r for r in pod["metadata"]["ownerReferences"] if r is not ref
        ] or None
        if pod["metadata"]["ownerReferences"] is None:
            del pod["metadata"]["ownerReferences"]
        self.mark(ref["kind"], (pod["metadata"]["namespace"], ref["name"]))

    def adopt_candidates(self, pod: dict) -> None:
        """Queue every controller in the pod's namespace whose selector matches a bare pod."""
        if controller_ref(pod):
            return
        ns = pod["metadata"]["namespace"]
        labels = pod["metadata"].get("labels")
        for kind in REPLICA_KINDS:
            for owner in self._state.store.list(kind, ns):
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
        """A pod of this owner turned ready or not: recount its status at the next flush."""
        self._stale_status[(kind, key)] = None

    def flush_status(self) -> None:
        """Recount the status of every owner whose pods changed readiness."""
        stale, self._stale_status = self._stale_status, {}
        for kind, key in stale:
            owner = self._state.store.get(kind, *key)
            if owner is not None:
                self.refresh_status(owner)

    def mark_all_daemonsets(self) -> None:
        """Nodes changed: every DaemonSet must look again."""
        for key, _ in sorted(self._state.store.items("DaemonSet")):
            self.mark("DaemonSet", key)

    def reconcile(self) -> None:
        """Work the queue until every owner has the pods it wants."""
        store = self._state.store
        while self._queue:
            kind, key = next(iter(self._queue))  # first in, first out
            del self._queue[(kind, key)]
            owner = store.get(kind, *key)
            if owner is None:
                continue
            if kind == "Deployment":
                self._sync_deployment(owner)
            elif kind == "DaemonSet":
                self._sync_daemonset(owner)
            else:
                self._sync_replicas(owner)

    def _daemonset_nodes(self, ds: dict) -> list[str]:
        """Nodes that should run the DaemonSet's pod (cordoning does not stop DaemonSets)."""
        spec = _daemon_pod_spec(ds)
        out = []
        for node in self._state.store.list("Node"):
            schedulable = {**node, "spec": {**node["spec"], "unschedulable": False}}
            if scheduler.unfit_reason(schedulable, spec) is None:
                out.append(node["metadata"]["name"])
        return out

    # -- ReplicaSet / ReplicationController --------------------------------------

    def _sync_replicas(self, owner: dict) -> None:
        state = self._state
        uid = owner["metadata"]["uid"]
        ns = owner["metadata"]["namespace"]
        selector = selector_of(owner)
        self._owned.setdefault(uid, {})
        if (owner["kind"], (ns, owner["metadata"]["name"])) in self._adopt:
            self._adopt.discard((owner["kind"], (ns, owner["metadata"]["name"])))
            for pod in state.store.pods_selected(ns, selector):
                if controller_ref(pod) is None:
                    pod["metadata"]["ownerReferences"] = [owner_reference(owner)]
                    self.pod_added(pod)
        current = len(self._owned[uid])  # the index holds exactly the live pods
        desired = int(owner["spec"].get("replicas", 1))
        if current < desired:
            template = owner["spec"]["template"]
            state.create_pods(owner, template, desired - current)
        elif current > desired:
            pods = self.pods_of(uid)

            # Delete unscheduled, then not-ready, then the newest pods first.
            def rank(p: dict) -> tuple:
                scheduled = bool(p["spec"].get("nodeName"))
                ready = state.pod_ready(ns, p["metadata"]["name"])
                return (scheduled, ready, _negated(p["metadata"]["creationTimestamp"]))

            for pod in sorted(pods, key=rank)[: len(pods) - desired]:
                state.delete_pod(pod, reason=None)
                state.record_event(
                    owner, "Normal", "SuccessfulDelete", CONTROLLER_NAMES[owner["kind"]],
                    f"Deleted pod: {pod['metadata']['name']}",
                )  # fmt: skip
        self.refresh_status(owner)

    def refresh_status(self, owner: dict) -> None:
        """Recount an owner's pods into its status (and its Deployment's)."""
        state = self._state
        ns = owner["metadata"]["namespace"]
        owned = self._owned.get(owner["metadata"]["uid"], {})
        runtime = state.runtime
        ready = sum(1 for key in owned if (rt := runtime.get(key)) is not None and rt.ready)
        kind = owner["kind"]
        if kind == "DaemonSet":
            pods = self.pods_of(owner["metadata"]["uid"])
            # Counted over the nodes that should run the pod now; a pod kept on a node
            # that became tainted is "misscheduled" (the DaemonSet controller's status).
            eligible = set(self._daemonset_nodes(owner))
            placed = [p for p in pods if p["spec"].get("nodeName") in eligible]
            ready = sum(1 for p in placed if state.pod_ready(ns, p["metadata"]["name"]))
            owner["status"] = {
                "currentNumberScheduled": len(placed),
                "desiredNumberScheduled": len(eligible),
                "numberAvailable": ready,
                "numberMisscheduled": len(pods) - len(placed),
                "numberReady": ready,
                "observedGeneration": owner["metadata"].get("generation", 1),
                "updatedNumberScheduled": len(placed),
            }
            if ready < len(eligible):
                owner["status"]["numberUnavailable"] = len(eligible) - ready
            return
        status = {
            "replicas": len(owned),
            "fullyLabeledReplicas": len(owned),
            "observedGeneration": owner["metadata"].get("generation", 1),
        }
        if ready:
            status["readyReplicas"] = ready
            status["availableReplicas"] = ready
        owner["status"] = status
        ref = controller_ref(owner)
        if ref and ref["kind"] == "Deployment":
            deployment = state.store.get("Deployment", ns, ref["name"])
            if deployment is not None:
                self._deployment_status(deployment)

    # -- Deployment --------------------------------------------------------------

    def _replica_sets_of(self, deployment: dict) -> list[dict]:
        store = self._state.store
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

    def _sync_deployment(self, deployment: dict) -> None:
        state = self._state
        meta = deployment["metadata"]
        ns = meta["namespace"]
        template = deployment["spec"]["template"]
        pod_hash = self._template_hash(template)
        name = f"{meta['name']}-{pod_hash}"
        replicas = int(deployment["spec"].get("replicas", 1))
        owned = self._replica_sets_of(deployment)
        current = next((rs for rs in owned if rs["metadata"]["name"] == name), None)
        # The newest template's ReplicaSet has the highest revision: one above every other.
        revision = 1 + max((_revision(rs) for rs in owned if rs is not current), default=0)
        if current is None:
            current = self._new_replica_set(deployment, name, pod_hash, replicas, revision)
            state.add_object(current)
            state.record_event(
                deployment, "Normal", "ScalingReplicaSet", "deployment-controller",
                f"Scaled up replica set {name} from 0 to {replicas}",
            )  # fmt: skip
        else:
            changed = _set_revision(current, revision)
            if current["spec"].get("replicas") != replicas:
                before = current["spec"].get("replicas", 0)
                current["spec"]["replicas"] = replicas
                verb = "up" if replicas > before else "down"
                state.record_event(
                    deployment, "Normal", "ScalingReplicaSet", "deployment-controller",
                    f"Scaled {verb} replica set {name} from {before} to {replicas}",
                )  # fmt: skip
                changed = True
            changed |= _set_replicas_annotations(current, deployment)
            if changed:
                state.touch_object(current)
        if not meta.get("annotations"):
            meta["annotations"] = {}
        meta["annotations"][REVISION] = current["metadata"]["annotations"][REVISION]
        self.mark("ReplicaSet", key_of(current))
        for rs in owned:
            if rs is not current and rs["spec"].get("replicas", 0) != 0:
                before = rs["spec"]["replicas"]
                rs["spec"]["replicas"] = 0
                state.record_event(
                    deployment, "Normal", "ScalingReplicaSet", "deployment-controller",
                    f"Scaled down replica set {rs['metadata']['name']} from {before} to 0",
                )  # fmt: skip
                state.touch_object(rs)
                self.mark("ReplicaSet", key_of(rs))
        limit = int(deployment["spec"].get("revisionHistoryLimit", 10))
        old = [rs for rs in owned if rs is not current and not rs["spec"].get("replicas")]
        for rs in old[: max(0, len(old) - limit)]:
            state.delete_object("ReplicaSet", ns, rs["metadata"]["name"])
        self._deployment_status(deployment)

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

    def _deployment_status(self, deployment: dict) -> None:
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
        at = timestamp(self._state.clock.now)
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
        deployment["status"] = status

    # -- DaemonSet ---------------------------------------------------------------

    def _sync_daemonset(self, ds: dict) -> None:
        """One pod per eligible node (NodeShouldRunDaemonPod in the DaemonSet controller).

        A node whose taints the pod does not tolerate gets no new pod, but an
        existing pod keeps running unless the taint is NoExecute or the node no
        longer matches the pod's node selector.
        """
        state = self._state
        uid = ds["metadata"]["uid"]
        spec = _daemon_pod_spec(ds)
        by_node = {p["spec"].get("nodeName"): p for p in self.pods_of(uid)}
        nodes = {n["metadata"]["name"]: n for n in state.store.list("Node")}
        for name in self._daemonset_nodes(ds):
            if name not in by_node:
                state.create_pods(ds, ds["spec"]["template"], 1, node=name, spec=spec)
        for name, pod in by_node.items():
            node = nodes.get(name)
            if node is None or not _may_keep_running(node, spec):
                state.delete_pod(pod, reason=None)
        self.refresh_status(ds)


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


def _revision(rs: dict) -> int:
    value = str((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    return int(value) if value.isdigit() else 0


def _set_revision(rs: dict, revision: int) -> bool:
    """Raise a ReplicaSet to `revision` (never lower it); the revision it had goes to its
    history, as when a Deployment returns to an older template. Returns whether it changed."""
    meta = rs["metadata"]
    annotations = meta["annotations"] = meta.get("annotations") or {}
    old = annotations.get(REVISION)
    if _revision(rs) >= revision:
        return False
    annotations[REVISION] = str(revision)
    if old:
        history = annotations.get(REVISION_HISTORY)
        annotations[REVISION_HISTORY] = f"{history},{old}" if history else old
    return True


def _set_replicas_annotations(rs: dict, deployment: dict) -> bool:
    """The desired and the most replicas a rolling update may reach; whether they changed."""
    replicas = int(deployment["spec"].get("replicas", 1))
    wanted = {DESIRED_REPLICAS: str(replicas), MAX_REPLICAS: str(replicas + max_surge(deployment))}
    meta = rs["metadata"]
    annotations = meta["annotations"] = meta.get("annotations") or {}
    if all(annotations.get(k) == v for k, v in wanted.items()):
        return False
    annotations.update(wanted)
    return True


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


def new_pods(
    state: ClusterState, owner: dict, template: dict, spec: dict, count: int
) -> list[dict]:
    """`count` pod objects from a template, named from their owner (`<owner>-xxxxx`).

    Each pod gets its own copy of `spec` (admitted once by the caller) and annotations.
    Labels and ownerReferences are shared by the batch: like every pod's, they are
    replaced, never edited (relabelling, orphaning).
    """
    tmeta = template.get("metadata") or {}
    labels = dict(tmeta.get("labels") or {})
    annotations = tmeta.get("annotations")
    base = owner["metadata"]["name"] + "-"
    prefix = base[:MAX_GENERATED_BASE]
    namespace = owner["metadata"]["namespace"]
    created = timestamp(state.clock.now)
    references = [owner_reference(owner)]
    rng, taken = state.rng, state.store.keys("Pod")
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
