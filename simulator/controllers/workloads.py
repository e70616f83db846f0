"""The workload controllers' bookkeeping: which pods and ReplicaSets each owner has, and
which owners must look again.

ReplicationControllers, ReplicaSets, Deployments, DaemonSets and StatefulSets
keep their pods at the desired count: a deleted pod is replaced with a new name and IP,
a pod relabelled out of the selector is orphaned and replaced, a bare pod that
matches is adopted. Owners are queued with `mark()`; the cluster takes them
with `next_owner()`, asks `sync()` what must change (values from
`controllers.changes`, decided by `replicasets`, `deployments`,
`daemonsets` and `statefulsets`) and applies that, then asks `status()` for the counts, until the
queue is empty. The controller reads the store and the runtime records and
keeps its own indexes up to date as the cluster reports pods and objects
coming and going; it never changes the cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.labels import matches
from simulator.names import pod_template_hash
from simulator.store import Key, Store, key_of

from . import daemonsets, deployment_status, deployments, replicasets, revisions, statefulsets
from .changes import Change, RequeueAt, SetStatus
from .ownership import controller_ref, selector_of

if TYPE_CHECKING:
    from simulator.clock import Clock
    from simulator.runtime import PodRuntime

REPLICA_KINDS = ("ReplicaSet", "ReplicationController")
WORKLOAD_KINDS = ("ReplicaSet", "ReplicationController", "Deployment", "DaemonSet", "StatefulSet")
# Owners that look again when one of their pods turns ready: their next step may wait on it.
_ORDERED_KINDS = ("DaemonSet", "StatefulSet")


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
        self._terminating: dict[str, dict[Key, None]] = {}  # owner uid -> its terminating pods
        self._created: set[str] = set()  # Deployments whose new ReplicaSet was just made

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

    def pod_terminating(self, pod: dict) -> None:
        """A pod began terminating: its controller no longer counts it, and makes a
        replacement at once."""
        ref = controller_ref(pod)
        if ref:
            key = key_of(pod)
            owned = self._owned.get(ref["uid"], {})
            if key not in owned:
                return  # not indexed under this owner
            del owned[key]
            self._uncount(ref["uid"], pod)
            self._terminating.setdefault(ref["uid"], {})[key] = None
            self.mark(ref["kind"], (key[0], ref["name"]))

    def pod_removed(self, pod: dict) -> None:
        """Forget a pod that left the API and queue its controller (to replace it, or, for a
        terminating pod, because a name or a Recreate rollout waited for it to go)."""
        ref = controller_ref(pod)
        if not ref:
            return
        key, uid = key_of(pod), ref["uid"]
        owned = self._owned.get(uid, {})
        if key in owned:
            del owned[key]
            self._uncount(uid, pod)
        elif key not in self._terminating.get(uid, {}):
            return  # not indexed under this owner
        else:
            del self._terminating[uid][key]
            if ref["kind"] == "ReplicaSet":
                rs = self._store.get("ReplicaSet", key[0], ref["name"])
                up = controller_ref(rs) if rs is not None else None
                if up is not None and up["kind"] == "Deployment":
                    self.mark("Deployment", (key[0], up["name"]))
        self.mark(ref["kind"], (key[0], ref["name"]))

    def pods_running(self, pods: list[dict]) -> None:
        """Pods bound earlier run now: their owners' counts move."""
        owners: dict[tuple[str, Key], None] = {}
        for pod in pods:
            ref = controller_ref(pod)
            if ref is not None:
                owners[(ref["kind"], (pod["metadata"]["namespace"], ref["name"]))] = None
        for kind, key in owners:
            self.status_changed(kind, key)

    def terminating_of(self, owner_uid: str) -> int:
        """How many of an owner's pods are terminating."""
        return len(self._terminating.get(owner_uid, ()))

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
        """Index a ReplicaSet under its Deployment (which made it just now)."""
        ref = controller_ref(obj)
        if obj["kind"] == "ReplicaSet" and ref and ref["kind"] == "Deployment":
            self._sets.setdefault(ref["uid"], {})[key_of(obj)] = None
            self._created.add(ref["uid"])

    def object_removed(self, obj: dict) -> None:
        """Forget a ReplicaSet (or a Deployment's whole index)."""
        ref = controller_ref(obj)
        if obj["kind"] == "ReplicaSet" and ref:
            self._sets.get(ref["uid"], {}).pop(key_of(obj), None)
        elif obj["kind"] == "Deployment":
            self._sets.pop(obj["metadata"].get("uid", ""), None)

    def forget_owner(self, uid: str) -> None:
        """Drop the index of a deleted owner (its terminating pods stay indexed until they go)."""
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
        `stale_statuses`. A DaemonSet looks again too: a ready pod lets its rollout go on."""
        self._stale_status[(kind, key)] = None
        if kind in _ORDERED_KINDS:
            self._queue[(kind, key)] = None

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
            sets = self._replica_sets_of(owner)
            name = f"{meta['name']}-{pod_hash}"
            old_pods = sum(
                len(self._owned.get(rs["metadata"]["uid"], ()))
                + self.terminating_of(rs["metadata"]["uid"])
                for rs in sets
                if rs["metadata"]["name"] != name
            )
            return deployments.sync(owner, sets, pod_hash, old_pods)
        if kind == "DaemonSet":
            pods, nodes = self.pods_of(meta["uid"]), self._store.list("Node")
            counted = int((owner.get("status") or {}).get("currentNumberScheduled", 0))
            replacing = self.terminating_of(meta["uid"]) > 0 or counted > len(pods)
            template_hash = self._template_hash(owner["spec"]["template"])
            return self._history(owner, pods, template_hash) + daemonsets.sync(
                owner, pods, nodes, template_hash, self._runtime, replacing
            )
        if kind == "StatefulSet":
            pods = self.pods_of(meta["uid"])
            terminating = {k[1] for k in self._terminating.get(meta["uid"], ())}
            template_hash = self._template_hash(owner["spec"]["template"])
            staged = bool(owner.get("status"))
            return self._history(owner, pods, template_hash) + statefulsets.sync(
                owner, pods, terminating, template_hash, self._runtime, staged
            )
        owned = self._owned.setdefault(meta["uid"], {})
        bare = []
        if (kind, key_of(owner)) in self._adopt:
            self._adopt.discard((kind, key_of(owner)))
            selected = self._store.pods_selected(meta["namespace"], selector_of(owner))
            bare = [pod for pod in selected if controller_ref(pod) is None]
        return replicasets.sync(owner, owned, bare, self._store, self._runtime,
                                rollout=_rollout_pods(owner))  # fmt: skip

    def _history(self, owner: dict, pods: list[dict], template_hash: str) -> list[Change]:
        """A DaemonSet's or StatefulSet's ControllerRevisions for its current template."""
        meta = owner["metadata"]
        uid, name = meta["uid"], meta["name"]
        owned = [
            r for r in self._store.list("ControllerRevision", meta["namespace"])
            if (ref := controller_ref(r)) is not None and ref.get("uid") == uid
        ]  # fmt: skip
        in_use = set()
        for pod in pods:  # a DaemonSet's pods carry the hash, a StatefulSet's the name
            label = (pod["metadata"].get("labels") or {}).get(revisions.REVISION_HASH, "")
            in_use.add(label if label.startswith(f"{name}-") else f"{name}-{label}")
        return revisions.sync(owner, owned, template_hash, in_use)

    def status(self, owner: dict) -> list[SetStatus | RequeueAt]:
        """An owner's status counted from its pods (or a Deployment's from its ReplicaSets),
        and when to count again (minReadySeconds passing, a progress deadline).

        A ReplicaSet whose counts moved queues its Deployment, whose next step they may
        allow.
        """
        kind, meta = owner["kind"], owner["metadata"]
        now = self._clock.now
        if kind == "Deployment":
            pod_hash = self._template_hash(owner["spec"]["template"])
            sets = self._replica_sets_of(owner)
            name = f"{meta['name']}-{pod_hash}"
            created = meta["uid"] in self._created
            self._created.discard(meta["uid"])
            new_name = name if any(rs["metadata"]["name"] == name for rs in sets) else None
            counted, again = deployment_status.status(owner, sets, new_name, now, created)
            changes: list[SetStatus | RequeueAt] = [SetStatus(owner, counted)]
            if again is not None:
                changes.append(RequeueAt(kind, key_of(owner), again))
            return changes
        if kind == "DaemonSet":
            pods, nodes = self.pods_of(meta["uid"]), self._store.list("Node")
            template_hash = self._template_hash(owner["spec"]["template"])
            counted = daemonsets.status(owner, pods, nodes, self._runtime, template_hash)
            return [SetStatus(owner, counted)]
        if kind == "StatefulSet":
            pods = self.pods_of(meta["uid"])
            template_hash = self._template_hash(owner["spec"]["template"])
            counted = statefulsets.status(owner, pods, template_hash, self._runtime)
            if counted != owner.get("status"):
                self.mark(kind, key_of(owner))  # its next ordinal may wait on these counts
            return [SetStatus(owner, counted)]
        owned = self._owned.get(meta["uid"], {})
        counted, again = replicasets.status(owner, owned, self._runtime, now)
        changes = [SetStatus(owner, counted)]
        if again is not None:
            changes.append(RequeueAt(kind, key_of(owner), again))
        ref = controller_ref(owner)
        if ref and ref["kind"] == "Deployment" and _counts(counted) != _counts(owner.get("status")):
            # The Deployment controller watches its ReplicaSets: moved counts are its next step
            # while it rolls (more than one ReplicaSet with pods, or an old one draining, as
            # Recreate waits for); else only its counts move.
            key = (meta["namespace"], ref["name"])
            if not owner["spec"].get("replicas", 1) or self._rolling(ref["uid"]):
                self.mark("Deployment", key)
            else:
                self._stale_status[("Deployment", key)] = None
        return changes

    def _rolling(self, deployment_uid: str) -> bool:
        """Whether more than one of a Deployment's ReplicaSets has pods or wants some."""
        active = 0
        for key in self._sets.get(deployment_uid, ()):
            rs = self._store.get("ReplicaSet", *key)
            if rs is not None and (
                rs["spec"].get("replicas", 1) or (rs.get("status") or {}).get("replicas")
            ):
                active += 1
                if active > 1:
                    return True
        return False

    def stale_statuses(self) -> list[SetStatus | RequeueAt]:
        """The recounted status of every owner marked stale since the last call.

        A ReplicaSet's new status makes its Deployment's stale in turn, so the caller
        applies these and asks again until none is left.
        """
        stale, self._stale_status = self._stale_status, {}
        out: list[SetStatus | RequeueAt] = []
        for kind, key in stale:
            owner = self._store.get(kind, *key)
            if owner is not None:
                out += self.status(owner)
        return out

    # -- internals -------------------------------------------------------------------

    def _uncount(self, uid: str, pod: dict) -> None:
        """One pod less of an owner on its node (pods are counted from the moment they are
        bound)."""
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


def _rollout_pods(owner: dict) -> bool:
    """Whether a ReplicaSet's pods come of a rollout: a Deployment's ReplicaSet past its
    first revision (a new template, an undo, a restart). Those start on the clock."""
    ref = controller_ref(owner)
    if ref is None or ref["kind"] != "Deployment":
        return False
    revision = str((owner["metadata"].get("annotations") or {}).get(deployments.REVISION, "1"))
    return revision.isdigit() and int(revision) > 1


def _counts(status: dict | None) -> tuple:
    """What a Deployment reads of a ReplicaSet's status."""
    status = status or {}
    return (status.get("replicas"), status.get("readyReplicas"), status.get("availableReplicas"))
