"""What changed in the snapshot since an event: `Cluster.snapshot_changes(seq)`.

The event log says which objects were added, changed or deleted. A viewer
keeps a copy of the snapshot current with the entries of those objects
alone, so the cost of keeping it current follows the size of the change,
not of the cluster.

Some entries change through another object's event, never their own: a
workload's ready count moves with its pods, a ReplicaSet's replicas with its
Deployment, a DaemonSet's desired count with the nodes, a pod's owner when a
controller adopts it, a waiting LoadBalancer Service's address when another
Service gives one back, a Service's Endpoints with the Service, every Gateway and
HTTPRoute with any Gateway API object, Service, Secret or Namespace, a pod's isolation
with its namespace's NetworkPolicies, a policy's selected pods with the pods. `_touched`
names those too, so a copy kept with these changes stays equal to a fresh
`snapshot()` (tests/simulator/test_snapshot_changes.py holds it to that).
"""

from __future__ import annotations

from typing import NamedTuple

from .events import DELETED
from .snapshot import ENTRIES, WORKLOAD_KINDS
from .snapshot_gateways import INPUT_KINDS as GATEWAY_INPUTS
from .state import ClusterState

Key = tuple[str, str]


class SnapshotChanges(NamedTuple):
    """Snapshot entries to put in place and objects to take out, up to event `seq`.

    Attributes:
        seq: the newest event these changes include (ask for the next ones from here).
        upsert: collection -> current entries of objects that may have changed (an
            entry may equal the one a viewer already has).
        remove: collection -> identities of entries that are gone: `{"name"}` for
            nodes, `{"kind", "namespace", "name"}` for workloads, `{"namespace", "name"}`
            for the rest.
    """

    seq: int
    upsert: dict[str, list[dict]]
    remove: dict[str, list[dict]]


def snapshot_changes(state: ClusterState, since: int) -> SnapshotChanges:
    """The snapshot's changes made by the events after `since`, read from the state now."""
    events = state.log.since(since)
    if not events:
        return SnapshotChanges(since, {}, {})
    upsert: dict[str, list[dict]] = {}
    remove: dict[str, list[dict]] = {}
    store = state.store
    for kind, keys in _touched(state, events).items():
        collection, entry = ENTRIES[kind]
        for namespace, name in sorted(keys):
            obj = store.get(kind, namespace, name)
            if obj is not None:
                upsert.setdefault(collection, []).append(entry(state, obj))
            else:
                remove.setdefault(collection, []).append(_identity(kind, namespace, name))
    return SnapshotChanges(events[-1].seq, upsert, remove)


def _touched(state: ClusterState, events: list) -> dict[str, set[Key]]:
    """Every object whose snapshot entry the events may have changed, by kind."""
    touched: dict[str, set[Key]] = {kind: set() for kind in ENTRIES}
    workload_namespaces: set[str] = set()
    adopting_namespaces: set[str] = set()
    policy_namespaces: set[str] = set()
    pod_namespaces: set[str] = set()
    nodes_changed = services_changed = gateways_changed = False
    for event in events:
        kind, key = event.kind, (event.namespace, event.name)
        gateways_changed = gateways_changed or kind in GATEWAY_INPUTS
        if kind not in touched:
            continue
        touched[kind].add(key)
        if kind == "Pod":
            workload_namespaces.add(event.namespace)
            pod_namespaces.add(event.namespace)
        elif kind == "NetworkPolicy":
            policy_namespaces.add(event.namespace)
        elif kind in WORKLOAD_KINDS:
            workload_namespaces.add(event.namespace)
            if event.type != DELETED:
                adopting_namespaces.add(event.namespace)
        elif kind == "Service":
            services_changed = True
            touched["Endpoints"].add(key)
        elif kind == "Node":
            nodes_changed = True
    store = state.store
    # A Gateway API object, Service, Secret or Namespace may change any Gateway's or route's
    # resolution (attachments, backends, certificates, allowed namespaces).
    if gateways_changed:
        for kind in ("Gateway", "HTTPRoute"):
            touched[kind].update(_keys(o) for o in store.list(kind))
    # Status counts of every controller whose pods (or owned ReplicaSets) changed.
    for namespace in workload_namespaces:
        for kind in WORKLOAD_KINDS:
            touched[kind].update(_keys(o) for o in store.list(kind, namespace))
    # A new or changed controller adopts the bare pods its selector matches.
    for namespace in adopting_namespaces:
        touched["Pod"].update(_keys(p) for p in store.list("Pod", namespace))
    # A pod's isolation follows its namespace's NetworkPolicies; a policy's selected
    # pods follow its namespace's pods (and their labels).
    for namespace in policy_namespaces:
        touched["Pod"].update(_keys(p) for p in store.list("Pod", namespace))
    for namespace in pod_namespaces:
        touched["NetworkPolicy"].update(_keys(p) for p in store.list("NetworkPolicy", namespace))
    # A DaemonSet's desired count follows the nodes it may run on.
    if nodes_changed:
        touched["DaemonSet"].update(_keys(o) for o in store.list("DaemonSet"))
    # A LoadBalancer Service waiting for an address gets one when another gives it back.
    if services_changed:
        touched["Service"].update(
            _keys(s) for s in store.list("Service") if s["spec"].get("type") == "LoadBalancer"
        )
    return touched


def _keys(obj: dict) -> Key:
    meta = obj["metadata"]
    return (meta.get("namespace", ""), meta["name"])


def _identity(kind: str, namespace: str, name: str) -> dict:
    if kind == "Node":
        return {"name": name}
    if kind in WORKLOAD_KINDS:
        return {"kind": kind, "namespace": namespace, "name": name}
    return {"namespace": namespace, "name": name}
