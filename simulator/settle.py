"""Settling a change: controllers run to a fixed point, and what they ask is applied here.

The workload controllers compute, for one queued owner at a time, what must
change (`controllers.changes`); this module applies those values in order
(objects, pods, events, statuses), which may queue further owners, until the
queue is empty. Then counts are brought up to date, freed load-balancer
addresses are handed out, and the Endpoints controller's changes become
events. When `settle` returns, the cluster has converged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import deletion, kinds, pod_lifecycle, pod_startup, termination
from .apply import apply_one
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers import gateways, services
from .controllers.changes import (
    AdoptPod,
    ApplyObject,
    Change,
    CreateObject,
    CreatePods,
    DeleteObject,
    DeletePod,
    Reconcile,
    RecordEvent,
    Renumber,
    RequeueAt,
    ScaleReplicaSet,
    SetRevision,
    SetStatus,
    UpdateStatus,
)
from .controllers.deployments import REVISION
from .controllers.ownership import owner_reference
from .controllers.workloads import WORKLOAD_KINDS
from .defaults import apply_defaults
from .events import ADDED, ENDPOINTS
from .store import key_of

#: Rounds of controllers one change may take: the Gateway controller creates a data plane,
#: then reports the address its Service got (2), plus margin.
GATEWAY_ROUNDS = 4


def settle(data: ClusterData) -> None:
    """Run controllers to a fixed point and publish Endpoints changes."""
    workloads = data.workloads
    pod_startup.bind_freed(data)
    for _ in range(GATEWAY_ROUNDS):
        while True:
            while (owner := workloads.next_owner()) is not None:
                apply_changes(data, workloads.sync(owner))
                apply_changes(data, workloads.status(owner))
            statuses = workloads.stale_statuses()
            if not statuses:
                break
            apply_changes(data, statuses)  # may queue owners whose counts moved
        # The Gateway API controller's data planes are workloads and Services: when it
        # changed something, the workload controllers run again.
        wanted = gateways.changes(data)
        if not wanted:
            break
        apply_changes(data, wanted)
    pod_startup.bind_freed(data)  # places the controllers' deletions freed
    if data.load_balancers_freed:
        data.load_balancers_freed = False
        candidates = data.store.list("Service")
        for service in services.assign_waiting_load_balancers(data.service_addresses, candidates):
            data.touch_object(service)
    data.log.emit_all(data.clock.now, ENDPOINTS, "Endpoints", data.endpoints.flush(data.store))


def apply_changes(data: ClusterData, changes: Iterable[Change]) -> None:
    """Apply a controller's changes, in order."""
    for change in changes:
        _APPLY[type(change)](data, change)


def _create_pods(data: ClusterData, change: CreatePods) -> None:
    pod_lifecycle.create_pods(data, change.owner, change.template, change.number,
                              node=change.node, spec=change.spec, staged=change.staged,
                              names=change.names, labels=change.labels)  # fmt: skip


def _delete_pod(data: ClusterData, change: DeletePod) -> None:
    termination.begin(data, change.pod)


def _adopt_pod(data: ClusterData, change: AdoptPod) -> None:
    change.pod["metadata"]["ownerReferences"] = [owner_reference(change.owner)]
    data.workloads.pod_added(change.pod)


def _create_object(data: ClusterData, change: CreateObject) -> None:
    obj = change.obj
    meta = obj["metadata"]
    meta.setdefault("uid", data.new_uid())
    meta.setdefault("creationTimestamp", timestamp(data.now))
    meta.setdefault("generation", 1)
    data.store.put(obj)
    data.workloads.object_added(obj)
    data.log.emit(data.now, ADDED, obj["kind"], meta.get("namespace", ""), meta["name"], {})
    if obj["kind"] in WORKLOAD_KINDS:
        data.workloads.mark(obj["kind"], key_of(obj), adopt=True)


def _scale_replica_set(data: ClusterData, change: ScaleReplicaSet) -> None:
    rs = change.replica_set
    rs["spec"]["replicas"] = change.replicas
    if change.annotations is not None:
        rs["metadata"]["annotations"] = change.annotations
    data.touch_object(rs)


def _set_revision(data: ClusterData, change: SetRevision) -> None:
    meta = change.deployment["metadata"]
    if not meta.get("annotations"):
        meta["annotations"] = {}
    meta["annotations"][REVISION] = change.revision


def _renumber(data: ClusterData, change: Renumber) -> None:
    change.revision["revision"] = change.number
    data.touch_object(change.revision)


def _delete_object(data: ClusterData, change: DeleteObject) -> None:
    deletion.delete_object(data, change.kind, change.namespace, change.name)


def _record_event(data: ClusterData, change: RecordEvent) -> None:
    data.record_event(change.obj, change.type, change.reason, change.source, change.message)


def _reconcile(data: ClusterData, change: Reconcile) -> None:
    data.workloads.mark(change.kind, change.key)


def _requeue_at(data: ClusterData, change: RequeueAt) -> None:
    data.requeue_at(change.kind, change.key, change.at)


def _set_status(data: ClusterData, change: SetStatus) -> None:
    change.obj["status"] = change.status


def _apply_object(data: ClusterData, change: ApplyObject) -> None:
    obj = apply_defaults(change.obj)
    meta = obj["metadata"]
    old = data.store.get(obj["kind"], meta.get("namespace", ""), meta["name"])
    if old is not None and "status" in old:
        obj.setdefault("status", old["status"])
    apply_one(data, obj, old, kinds.of_kind(obj["kind"]), "apply")


def _update_status(data: ClusterData, change: UpdateStatus) -> None:
    change.obj["status"] = change.status
    # The status subresource: a new resourceVersion, and nothing a controller's graph reads.
    change.obj["metadata"]["resourceVersion"] = data.store.next_resource_version()


_APPLY: dict[type, Callable] = {
    CreatePods: _create_pods,
    DeletePod: _delete_pod,
    AdoptPod: _adopt_pod,
    CreateObject: _create_object,
    ScaleReplicaSet: _scale_replica_set,
    SetRevision: _set_revision,
    Renumber: _renumber,
    DeleteObject: _delete_object,
    RecordEvent: _record_event,
    Reconcile: _reconcile,
    RequeueAt: _requeue_at,
    SetStatus: _set_status,
    ApplyObject: _apply_object,
    UpdateStatus: _update_status,
}
