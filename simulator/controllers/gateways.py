"""The Gateway API controller (NGINX Gateway Fabric): what it asks of the cluster now.

Its decisions are pure functions of the objects (`simulator.gatewayapi`: the graph, then
`reconcile.plan`); this module turns the plan into change values (`changes`) for
`simulator.settle` to apply: the data plane's Deployment and Service created, updated and
deleted through the API server's path, and statuses written to the status subresource.
Nothing to do while none of the graph's inputs, Deployments or Services changed since the
last time it had nothing to do.
"""

from __future__ import annotations

from simulator.clock import timestamp
from simulator.gatewayapi.reconcile import plan
from simulator.gateways import gateway_graph, inputs_version

from .changes import ApplyObject, Change, DeleteObject, UpdateStatus


def changes(data) -> list[Change]:
    """What NGF would change in the cluster `data` now, in order (empty: converged)."""
    store = data.store
    stamp = (inputs_version(store), store.kind_revisions["Deployment"])
    if getattr(data, "_gateway_synced", None) == stamp:
        return []
    wanted = plan(store, gateway_graph(data), timestamp(data.now))
    if not wanted:
        data._gateway_synced = stamp
        return []
    out: list[Change] = [ApplyObject(obj) for obj in wanted.create + wanted.update]
    out += [DeleteObject(*ref) for ref in wanted.delete]
    out += [UpdateStatus(obj, status) for obj, status in wanted.statuses]
    return out
