"""NGINX Gateway Fabric's writes to the cluster: its plan (`gatewayapi.reconcile`), applied.

The controller decides as a pure function of the objects; this module carries its plan out
the way NGF's writes reach a real cluster: the data plane's Deployment and Service are
created, updated and deleted through the API server's path (defaulted, a Service's cluster
IP, node ports and load-balancer address allocated, workloads reconciled), and statuses are
written to the status subresource (a new resourceVersion, an event for the change feed).
`sync` runs while the cluster settles, after the workload controllers, and says whether it
changed anything (settling goes round again: a new Deployment needs its pods, a new
Service's address feeds the Gateway's status).
"""

from __future__ import annotations

from typing import Any

from . import kinds
from .clock import timestamp
from .defaults import apply_defaults
from .events import MODIFIED
from .gatewayapi.reconcile import plan
from .gateways import gateway_graph, inputs_version


def sync(state: Any) -> bool:
    """Apply what NGF would change now; True when something changed.

    Skipped while none of the graph's inputs, Deployments or Services changed since the
    last sync that changed nothing: the answer would be the same.
    """
    store = state.store
    stamp = (inputs_version(store), store.kind_revisions["Deployment"])
    if getattr(state, "_gateway_synced", None) == stamp:
        return False
    changes = plan(store, gateway_graph(state), timestamp(state.now))
    if not changes:
        state._gateway_synced = stamp
        return False
    for obj in changes.create + changes.update:
        obj = apply_defaults(obj)
        meta = obj["metadata"]
        old = store.get(obj["kind"], meta["namespace"], meta["name"])
        if old is not None and "status" in old:
            obj.setdefault("status", old["status"])
        state._apply_one(obj, old, kinds.by_kind(obj["kind"]), "apply")
    for kind, namespace, name in changes.delete:
        if store.get(kind, namespace, name) is not None:
            state.delete_object(kind, namespace, name)
    for obj, status in changes.statuses:
        obj["status"] = status
        meta = obj["metadata"]
        # The status subresource: a new resourceVersion, nothing the graph reads.
        meta["resourceVersion"] = store.next_resource_version()
        state.log.emit(state.now, MODIFIED, obj["kind"], meta.get("namespace", ""),
                       meta["name"], {"status": "updated"})  # fmt: skip
    return True
