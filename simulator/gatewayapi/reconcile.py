"""What NGINX Gateway Fabric would change in the cluster now: a plan, computed, not applied.

From the resolved graph and the stored objects, `plan` works out:

* the data plane each managed Gateway needs (`provisioner.data_plane`): created when
  missing, its ports brought in line when the listeners' ports changed, and removed when
  its Gateway is gone or no longer of class ``nginx`` (NGF deletes what it provisioned;
  Kubernetes' garbage collector would too, through the owner reference);
* every status NGF writes (`status.graph_statuses`) that differs from the stored one, and
  the CRD's default status for a Gateway no controller serves, which the API server
  stores at creation.

The state applies the plan through its ordinary create, update, delete and status
writes; nothing here reads the clock or changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Graph
from .provisioner import GATEWAY_LABEL, INSTANCE, data_plane
from .status import graph_statuses, pending_gateway_status

_MANAGED_BY = f"{INSTANCE}-nginx"


@dataclass(slots=True)
class Plan:
    """The changes, in the order to make them.

    Attributes:
        create: data-plane Deployments and Services to create.
        update: data-plane objects whose ports must change (the whole new object).
        delete: ``(kind, namespace, name)`` of data-plane objects whose Gateway is gone.
        statuses: ``(object, status)`` for each status to write.
    """

    create: list[dict] = field(default_factory=list)
    update: list[dict] = field(default_factory=list)
    delete: list[tuple[str, str, str]] = field(default_factory=list)
    statuses: list[tuple[dict, dict]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.create or self.update or self.delete or self.statuses)


def _ports(obj: dict) -> list:
    if obj["kind"] == "Service":
        return [(p.get("name"), p.get("port")) for p in obj["spec"].get("ports") or ()]
    containers = obj["spec"]["template"]["spec"].get("containers") or [{}]
    return [(p.get("name"), p.get("containerPort")) for p in containers[0].get("ports") or ()]


def plan(store, graph: Graph, now: str) -> Plan:
    """The changes that bring the cluster to what NGF wants (see the module docstring).

    Args:
        store: the cluster's objects (``get``, ``list``).
        graph: the graph resolved from them (`graph.build_graph`).
        now: the RFC 3339 time of the status writes.
    """
    out = Plan()
    wanted: set[tuple[str, str, str]] = set()
    for key, gateway in graph.gateways.items():
        if not gateway.valid:
            continue  # its class is missing or invalid: NGF provisions nothing for it
        for obj in data_plane(gateway.obj):
            meta = obj["metadata"]
            ref = (obj["kind"], meta["namespace"], meta["name"])
            wanted.add(ref)
            stored = store.get(*ref)
            if stored is None:
                out.create.append(obj)
            elif (stored["metadata"].get("labels") or {}).get(GATEWAY_LABEL) == key[1] and (
                _ports(stored) != _ports(obj)
            ):
                out.update.append(obj)
    for kind in ("Service", "Deployment"):
        for obj in store.list(kind):
            labels = obj["metadata"].get("labels") or {}
            if labels.get("app.kubernetes.io/managed-by") != _MANAGED_BY:
                continue
            ref = (kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
            if ref not in wanted and labels.get(GATEWAY_LABEL):
                out.delete.append(ref)

    objects: dict[tuple[str, str, str], dict] = {}
    for kind in ("GatewayClass", "Gateway", "HTTPRoute"):
        for obj in store.list(kind):
            objects[(kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"])] = obj
    for ref, status in graph_statuses(graph, objects, now).items():
        written = objects.get(ref)
        if written is None or written.get("status") == status:
            continue
        if ref[0] == "HTTPRoute" and not status["parents"] and not written.get("status"):
            continue  # no parent NGF answers for: it writes nothing
        out.statuses.append((written, status))
    for (kind, namespace, name), written in objects.items():
        gateway_missing = (namespace, name) not in graph.gateways
        if kind == "Gateway" and gateway_missing and not written.get("status"):
            out.statuses.append((written, pending_gateway_status()))
    return out
