"""The workload controllers' bookkeeping: which pods and ReplicaSets each owner has, and
which owners must look again.

ReplicationControllers, ReplicaSets, Deployments and DaemonSets keep their pods
at the desired count at once: a deleted pod is replaced with a new name and IP,
a pod relabelled out of the selector is orphaned and replaced, a bare pod that
matches is adopted. Owners are queued with `mark()`; the cluster takes them
with `next_owner()`, asks `sync()` what must change (values from
`controllers.changes`, decided by `replicasets`, `deployments` and
`daemonsets`) and applies that, then asks `status()` for the counts, until the
queue is empty. The controller reads the store and the runtime records and
keeps its own indexes up to date as the cluster reports pods and objects
coming and going; it never changes the cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.clock import timestamp
from simulator.labels import matches
from simulator.names import pod_template_hash
from simulator.store import Key, Store, key_of

from . import daemonsets, deployments, replicasets
from .changes import Change, SetStatus
from .ownership import controller_ref, selector_of

if TYPE_CHECKING:
    from simulator.clock import Clock
    from simulator.runtime import PodRuntime

REPLICA_KINDS = ("ReplicaSet", "ReplicationController")
WORKLOAD_KINDS = ("ReplicaSet", "ReplicationController", "Deployment", "DaemonSet")


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

    # -- what the cluster reports ---------------------------------------------------

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
        owner_uid = ref = None
        owned: dict[tuple[str, str], None] = {}  # the current owner's pods
        counts: dict[str, int] = {}  # the current owner's pods per node
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

    def forget_owner(self, uid: str) -> None:
        """Drop the index of a deleted owner."""
        self._owned.pop(uid, None)
        self._owner_nodes.pop(uid, None)

    # -- the queue -------------------------------------------------------------------

    def mark(self, kind: str, key: Key, adopt: bool = False) -> None:
        """Queue an owner for reconciliation (`adopt`: also adopt matching bare pods)."""
        if kind in WORKLOAD_KINDS:
            self._queue[(kind, key)] = None
            if adopt:
                self._adopt.add((kind, key))

    def mark_all_daemonsets(self) -> None:
        """Nodes changed: every DaemonSet must look again."""
        for key, _ in sorted(self._store.items("DaemonSet")):
            self.mark("DaemonSet", key)

    def status_changed(self, kind: str, key: Key) -> None:
        """A pod of this owner turned ready or not: its status is recounted by
        `stale_statuses`."""
        self._stale_status[(kind, key)] = None

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

    # -- decisions -------------------------------------------------------------------

    def sync(self, owner: dict) -> list[Change]:
        """What must change for `owner` to have the pods (or ReplicaSets) it wants, in order.

        Computed against the store and runtime records as they are now; the caller
        applies the changes, then takes the owner's counts from `status`.
        """
        kind, meta = owner["kind"], owner["metadata"]
        if kind == "Deployment":
            pod_hash = self._template_hash(owner["spec"]["template"])
            return deployments.sync(owner, self._replica_sets_of(owner), pod_hash)
        if kind == "DaemonSet":
            return daemonsets.sync(owner, self.pods_of(meta["uid"]), self._store.list("Node"))
        owned = self._owned.setdefault(meta["uid"], {})
        bare = []
        if (kind, key_of(owner)) in self._adopt:
            self._adopt.discard((kind, key_of(owner)))
            selected = self._store.pods_selected(meta["namespace"], selector_of(owner))
            bare = [pod for pod in selected if controller_ref(pod) is None]
        return replicasets.sync(owner, owned, bare, self._store, self._runtime)

    def status(self, owner: dict) -> list[SetStatus]:
        """An owner's status counted from its pods (or a Deployment's from its ReplicaSets).

        A ReplicaSet's Deployment is marked stale, for `stale_statuses`.
        """
        kind, meta = owner["kind"], owner["metadata"]
        if kind == "Deployment":
            pod_hash = self._template_hash(owner["spec"]["template"])
            at = timestamp(self._clock.now)
            return [SetStatus(owner, deployments.status(owner, self._replica_sets_of(owner),
                                                        pod_hash, at))]  # fmt: skip
        if kind == "DaemonSet":
            pods, nodes = self.pods_of(meta["uid"]), self._store.list("Node")
            return [SetStatus(owner, daemonsets.status(owner, pods, nodes, self._runtime))]
        ref = controller_ref(owner)
        if ref and ref["kind"] == "Deployment":
            self._stale_status[("Deployment", (meta["namespace"], ref["name"]))] = None
        owned = self._owned.get(meta["uid"], {})
        return [SetStatus(owner, replicasets.status(owner, owned, self._runtime))]

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

    # -- internals -------------------------------------------------------------------

    def _uncount(self, uid: str, pod: dict) -> None:
        node = pod["spec"].get("nodeName")
        counts = self._owner_nodes.get(uid)
        if node and counts and counts.get(node):
            counts[node] -= 1

    def _replica_sets_of(self, deployment: dict) -> list[dict]:
        store = self._store
        keys = sorted(self._sets.get(deployment["metadata"]["uid"], ()))
        return [rs for k in keys if (rs := store.get("ReplicaSet", *k)) is not None]

    def _template_hash(self, template: dict) -> str:
        """pod-template-hash, cached per template object."""
        cached = self._hashes.get(id(template))
        if cached is None or cached[0] is not template:
            cached = (template, pod_template_hash(template))
            self._hashes[id(template)] = cached
        return cached[1]
