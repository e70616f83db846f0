"""Deleting an object and what goes with it, as the garbage collector and the API
server's finalizers would: a namespace's contents, a controller's pods, a
Deployment's ReplicaSets, a Service's addresses and Endpoints, a node's pods.

Pods leave gracefully (`termination`): a controller's pods, like a pod deleted
by name, may stay Terminating a while. A namespace's pods go at once: the
namespace itself leaves the API now, so nothing of it is left behind.
Nothing here settles: the caller runs the controllers afterwards, so deleted
pods are replaced in the same step.
"""

from __future__ import annotations

from . import kinds, node_changes, pod_lifecycle, termination
from .cluster_data import ClusterData
from .controllers import services
from .controllers.ownership import controller_ref
from .errors import Conflict
from .events import DELETED

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
OWNERS_OF_PODS = ("ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet")


def delete_object(data: ClusterData, kind: str, namespace: str, name: str,
                  grace: int | None = None) -> dict:  # fmt: skip
    """Delete an object, with what it owns; returns it. A pod may stay Terminating a
    while (`grace`: the grace period asked for, see `termination.begin`).

    Raises:
        NotFound: there is no such object.
        Conflict: a system namespace, which may not be deleted.
    """
    obj = data.require(kind, namespace, name)
    if kind == "Pod":
        termination.begin(data, obj, grace)
        return obj
    if kind == "Namespace":
        if name in SYSTEM_NAMESPACES:
            raise Conflict(
                f'Error from server (Forbidden): namespaces "{name}" is forbidden: '
                "this namespace may not be deleted"
            )
        for pod in data.store.list("Pod", name):
            pod_lifecycle.delete_pod(data, pod, reason=None)
        for rt in kinds.RESOURCE_TYPES:
            if rt.namespaced and rt.kind not in ("Event",):
                for child in data.store.list(rt.kind, name):
                    if data.store.get(rt.kind, name, child["metadata"]["name"]) is not None:
                        delete_object(data, rt.kind, name, child["metadata"]["name"])
    if kind == "Endpoints":
        data.endpoints.remove_manual((namespace, name))
    data.store.remove(kind, namespace, name)
    data.workloads.object_removed(obj)
    uid = obj["metadata"].get("uid", "")
    if kind in OWNERS_OF_PODS:
        for pod in data.workloads.pods_of(uid):
            termination.begin(data, pod)
        data.workloads.forget_owner(uid)
        if kind in ("DaemonSet", "StatefulSet"):  # the garbage collector takes their history
            for revision in data.store.list("ControllerRevision", namespace):
                ref = controller_ref(revision)
                if ref and ref["uid"] == uid:
                    delete_object(
                        data, "ControllerRevision", namespace, revision["metadata"]["name"]
                    )
        ref = controller_ref(obj)
        if ref is not None:
            data.workloads.mark(ref["kind"], (namespace, ref["name"]))
    elif kind == "Deployment":
        for rs in data.store.list("ReplicaSet", namespace):
            ref = controller_ref(rs)
            if ref and ref["uid"] == uid:
                delete_object(data, "ReplicaSet", namespace, rs["metadata"]["name"])
    elif kind == "Service":
        if services.release(data.service_addresses, obj):
            data.load_balancers_freed = True
        data.endpoints.service_deleted((namespace, name))
        data.service_log.setdefault(namespace, []).append(((namespace, name), None))
    elif kind == "Node":
        node_changes.remove_node(data, name)
    data.k8s_events.retire((kind, namespace, name), data.now)
    data.log.emit(data.now, DELETED, kind, namespace, name, {})
    return obj
