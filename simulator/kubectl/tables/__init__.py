"""`kubectl get` tables: one row function per kind, as kubectl's `printers.go` builds them.

Row functions are pure: an API dict plus a `RowContext` (simulated `now`,
`-o wide`) in, a list of cell strings out. They sit on the hot path of
`kubectl get pods -A`, so they avoid regexes and copies.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.kubectl.tabwriter import render_table
from simulator.labels import format_labels

from .base import RowContext, TablePrinter, format_label_selector, format_selector_or_none
from .cluster import (
    configmap_row,
    event_row,
    generic_row,
    namespace_row,
    node_roles,
    node_row,
    node_status_text,
    secret_row,
    serviceaccount_row,
)
from .gateway import gateway_row, gatewayclass_row, httproute_row
from .network import (
    endpoints_row,
    endpointslice_row,
    format_endpoints,
    ingress_hosts,
    ingress_row,
    ingressclass_row,
    networkpolicy_row,
    service_external_ip,
    service_ports,
    service_row,
)
from .pods import pod_row, pod_status_cells
from .workloads import (
    controllerrevision_row,
    daemonset_row,
    deployment_row,
    replicaset_row,
    statefulset_row,
)

_WORKLOAD_WIDE = (("CONTAINERS", True), ("IMAGES", True), ("SELECTOR", True))


PRINTERS: dict[str, TablePrinter] = {
    "Pod": TablePrinter(
        (
            ("NAME", False),
            ("READY", False),
            ("STATUS", False),
            ("RESTARTS", False),
            ("AGE", False),
            ("IP", True),
            ("NODE", True),
            ("NOMINATED NODE", True),
            ("READINESS GATES", True),
        ),
        pod_row,
    ),
    "Service": TablePrinter(
        (
            ("NAME", False),
            ("TYPE", False),
            ("CLUSTER-IP", False),
            ("EXTERNAL-IP", False),
            ("PORT(S)", False),
            ("AGE", False),
            ("SELECTOR", True),
        ),
        service_row,
    ),
    "Endpoints": TablePrinter(
        (("NAME", False), ("ENDPOINTS", False), ("AGE", False)), endpoints_row
    ),
    "EndpointSlice": TablePrinter(
        (
            ("NAME", False),
            ("ADDRESSTYPE", False),
            ("PORTS", False),
            ("ENDPOINTS", False),
            ("AGE", False),
        ),
        endpointslice_row,
    ),
    "Ingress": TablePrinter(
        (
            ("NAME", False),
            ("CLASS", False),
            ("HOSTS", False),
            ("ADDRESS", False),
            ("PORTS", False),
            ("AGE", False),
        ),
        ingress_row,
    ),
    "IngressClass": TablePrinter(
        (("NAME", False), ("CONTROLLER", False), ("PARAMETERS", False), ("AGE", False)),
        ingressclass_row,
    ),
    "NetworkPolicy": TablePrinter(
        (("NAME", False), ("POD-SELECTOR", False), ("AGE", False)), networkpolicy_row
    ),
    "Node": TablePrinter(
        (
            ("NAME", False),
            ("STATUS", False),
            ("ROLES", False),
            ("AGE", False),
            ("VERSION", False),
            ("INTERNAL-IP", True),
            ("EXTERNAL-IP", True),
            ("OS-IMAGE", True),
            ("KERNEL-VERSION", True),
            ("CONTAINER-RUNTIME", True),
        ),
        node_row,
    ),
    "Namespace": TablePrinter((("NAME", False), ("STATUS", False), ("AGE", False)), namespace_row),
    "ConfigMap": TablePrinter((("NAME", False), ("DATA", False), ("AGE", False)), configmap_row),
    "Secret": TablePrinter(
        (("NAME", False), ("TYPE", False), ("DATA", False), ("AGE", False)), secret_row
    ),
    "ServiceAccount": TablePrinter(
        (("NAME", False), ("SECRETS", False), ("AGE", False)), serviceaccount_row
    ),
    "Deployment": TablePrinter(
        (
            ("NAME", False),
            ("READY", False),
            ("UP-TO-DATE", False),
            ("AVAILABLE", False),
            ("AGE", False),
            *_WORKLOAD_WIDE,
        ),
        deployment_row,
    ),
    "ReplicaSet": TablePrinter(
        (
            ("NAME", False),
            ("DESIRED", False),
            ("CURRENT", False),
            ("READY", False),
            ("AGE", False),
            *_WORKLOAD_WIDE,
        ),
        replicaset_row,
    ),
    "DaemonSet": TablePrinter(
        (
            ("NAME", False),
            ("DESIRED", False),
            ("CURRENT", False),
            ("READY", False),
            ("UP-TO-DATE", False),
            ("AVAILABLE", False),
            ("NODE SELECTOR", False),
            ("AGE", False),
            *_WORKLOAD_WIDE,
        ),
        daemonset_row,
    ),
    "ControllerRevision": TablePrinter(
        (("NAME", False), ("CONTROLLER", False), ("REVISION", False), ("AGE", False)),
        controllerrevision_row,
    ),
    "StatefulSet": TablePrinter(
        (("NAME", False), ("READY", False), ("AGE", False), ("CONTAINERS", True), ("IMAGES", True)),
        statefulset_row,
    ),
    "Event": TablePrinter(
        (
            ("LAST SEEN", False),
            ("TYPE", False),
            ("REASON", False),
            ("OBJECT", False),
            ("SUBOBJECT", True),
            ("SOURCE", True),
            ("MESSAGE", False),
            ("FIRST SEEN", True),
            ("COUNT", True),
            ("NAME", True),
        ),
        event_row,
    ),
}


PRINTERS["ReplicationController"] = PRINTERS["ReplicaSet"]
# The Gateway API CRDs' printer columns (ReferenceGrant has only NAME and AGE).
PRINTERS["GatewayClass"] = TablePrinter(
    (("NAME", False), ("CONTROLLER", False), ("ACCEPTED", False), ("AGE", False),
     ("DESCRIPTION", True)),
    gatewayclass_row,
)  # fmt: skip
PRINTERS["Gateway"] = TablePrinter(
    (("NAME", False), ("CLASS", False), ("ADDRESS", False), ("PROGRAMMED", False),
     ("AGE", False)),
    gateway_row,
)  # fmt: skip
PRINTERS["HTTPRoute"] = TablePrinter(
    (("NAME", False), ("HOSTNAMES", False), ("AGE", False)), httproute_row
)


GENERIC = TablePrinter((("NAME", False), ("AGE", False)), generic_row)


def printer_for(kind: str) -> TablePrinter:
    """The table printer of a kind (NAME and AGE for kinds without a dedicated one)."""
    return PRINTERS.get(kind, GENERIC)


def build_table(
    kind: str,
    objects: Sequence[dict],
    ctx: RowContext,
    *,
    kind_prefix: str = "",
    with_namespace: bool = False,
    show_labels: bool = False,
) -> list[list[str]]:
    """Header row plus one row per object, decorated as kubectl's `decorateTable` does.

    Args:
        kind: the objects' kind (all the same).
        objects: the objects in display order.
        ctx: `now` and `-o wide`.
        kind_prefix: e.g. `deployment.apps`, prepended as `deployment.apps/NAME` when
            several resource types are printed together.
        with_namespace: add the NAMESPACE column first (`-A`).
        show_labels: add the LABELS column last (`--show-labels`).

    Returns:
        [] when there are no objects (kubectl prints no header then).
    """
    if not objects:
        return []
    printer = printer_for(kind)
    header = printer.headers(ctx.wide)
    name_index = header.index("NAME") if kind_prefix else -1
    if with_namespace:
        header = ["NAMESPACE", *header]
    if show_labels:
        header = [*header, "LABELS"]
    rows = [header]
    row_func = printer.row
    if name_index < 0 and not show_labels:
        # The hot path of `get pods [-A]`: no per-row decoration beyond the namespace.
        if with_namespace:
            for obj in objects:
                row = row_func(obj, ctx)
                row.insert(0, obj["metadata"].get("namespace", ""))
                rows.append(row)
        else:
            rows.extend([row_func(obj, ctx) for obj in objects])
        return rows
    prefix = kind_prefix + "/"
    for obj in objects:
        row = row_func(obj, ctx)
        if name_index >= 0:
            row[name_index] = prefix + row[name_index]
        if with_namespace:
            row.insert(0, obj["metadata"].get("namespace", ""))
        if show_labels:
            row.append(format_labels(obj["metadata"].get("labels")))
        rows.append(row)
    return rows


def render(rows: list[list[str]]) -> str:
    """A table as kubectl's tabwriter prints it."""
    return render_table(rows)


__all__ = [
    "GENERIC",
    "PRINTERS",
    "RowContext",
    "TablePrinter",
    "build_table",
    "format_endpoints",
    "format_label_selector",
    "format_selector_or_none",
    "ingress_hosts",
    "node_roles",
    "node_status_text",
    "pod_status_cells",
    "printer_for",
    "render",
    "service_external_ip",
    "service_ports",
]
