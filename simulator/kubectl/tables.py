"""`kubectl get` tables: one row function per kind, as `printers.go` (kubectl v1.33/v1.34) builds them.

Row functions are pure: an API dict plus a `RowContext` (simulated `now`,
`-o wide`) in, a list of cell strings out. They sit on the hot path of
`kubectl get pods -A`, so they avoid regexes and copies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..labels import format_labels
from .age import age, since
from .tabwriter import render_table

LOAD_BALANCER_WIDTH = 16  # printers.go loadBalancerWidth: EXTERNAL-IP / ADDRESS clipped unless wide
NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_ROLE_LABEL = "kubernetes.io/role"


@dataclass(frozen=True, slots=True)
class RowContext:
    """What a row function may use besides the object."""

    now: float
    wide: bool = False


RowFunc = Callable[[dict, RowContext], list[str]]


@dataclass(frozen=True, slots=True)
class TablePrinter:
    """The columns of one kind's table and the function that fills a row.

    Attributes:
        columns: `(HEADER, wide_only)` in display order.
        row: returns the cells of every column shown (wide-only ones only when wide).
    """

    columns: tuple[tuple[str, bool], ...]
    row: RowFunc

    def headers(self, wide: bool) -> list[str]:
        """The header cells shown with or without `-o wide`."""
        return [name for name, wide_only in self.columns if wide or not wide_only]


# -- helpers --------------------------------------------------------------------------


def _list_with_more(items: list[str], total: int, limit: int = 3) -> str:
    text = ",".join(items)
    if total > limit:
        return f"{text} + {total - limit} more..."
    return text


def _containers_cells(template_spec: dict | None) -> tuple[str, str]:
    containers = (template_spec or {}).get("containers") or ()
    return (",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers))  # fmt: skip


def format_label_selector(selector: dict | None) -> str:
    """`metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key, "" if empty."""
    if selector is None:
        return "<none>"
    reqs: list[tuple[str, str]] = []
    for k, v in (selector.get("matchLabels") or {}).items():
        reqs.append((k, f"{k}={v}"))
    ops = {"In": "in", "NotIn": "notin"}
    for expr in selector.get("matchExpressions") or ():
        key, op = expr.get("key", ""), expr.get("operator", "")
        if op in ops:
            values = ",".join(sorted(str(v) for v in expr.get("values") or ()))
            reqs.append((key, f"{key} {ops[op]} ({values})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
    reqs.sort(key=lambda r: r[0])
    return ",".join(text for _, text in reqs)


def format_selector_or_none(selector: dict | None) -> str:
    """`metav1.FormatLabelSelector`: like `format_label_selector`, `<none>` when empty."""
    return format_label_selector(selector) or "<none>"


def _lb_ingress(status: dict | None, wide: bool) -> str:
    seen = set()
    for item in ((status or {}).get("loadBalancer") or {}).get("ingress") or ():
        value = item.get("ip") or item.get("hostname")
        if value:
            seen.add(value)
    text = ",".join(sorted(seen))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text


# -- pods ----------------------------------------------------------------------------


def pod_status_cells(pod: dict, now: float) -> tuple[str, str, str]:
    """READY, STATUS and RESTARTS of a pod, as `printers.go printPod` derives them."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    total = len(spec.get("containers") or ())
    ready_count = 0
    restarts = 0
    last_restart: str | None = None
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or ()
    for cond in conditions:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or ()}
    sidecar_names = {n for n, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total += len(sidecar_names)
    init_statuses = status.get("initContainerStatuses") or ()
    initializing = False
    sidecar_restarts = 0
    for i, cs in enumerate(init_statuses):
        restarts += int(cs.get("restartCount") or 0)
        is_sidecar = cs.get("name") in sidecar_names
        if is_sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and terminated.get("exitCode", 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            if cs.get("ready"):
                ready_count += 1
            continue
        if terminated is not None:
            if terminated.get("reason"):
                reason = "Init:" + terminated["reason"]
            elif terminated.get("signal"):
                reason = f"Init:Signal:{terminated['signal']}"
            else:
                reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    initialized = any(
        c.get("type") == "Initialized" and c.get("status") == "True" for c in conditions
    )
    if not initializing or initialized:
        restarts = sidecar_restarts
        has_running = False
        for cs in reversed(status.get("containerStatuses") or ()):
            restarts += int(cs.get("restartCount") or 0)
            last = ((cs.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
            if last and (last_restart is None or last > last_restart):
                last_restart = last
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None and terminated.get("reason"):
                reason = terminated["reason"]
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready_count += 1
        if reason == "Completed" and has_running:
            ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
            reason = "Running" if ready else "NotReady"

    if pod["metadata"].get("deletionTimestamp"):
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"

    restarts_text = str(restarts)
    if restarts and last_restart:
        restarts_text = f"{restarts} ({since(last_restart, now)} ago)"
    return f"{ready_count}/{total}", reason, restarts_text


def _pod_row(pod: dict, ctx: RowContext) -> list[str]:
    ready, reason, restarts = pod_status_cells(pod, ctx.now)
    row = [pod["metadata"]["name"], ready, reason, restarts, age(pod, ctx.now)]
    if ctx.wide:
        spec, status = pod.get("spec") or {}, pod.get("status") or {}
        ips = status.get("podIPs") or ()
        ip = (ips[0].get("ip") if ips else status.get("podIP")) or "<none>"
        gates = spec.get("readinessGates") or ()
        gates_text = "<none>"
        if gates:
            conds = {c.get("type"): c.get("status") for c in status.get("conditions") or ()}
            true = sum(1 for g in gates if conds.get(g.get("conditionType")) == "True")
            gates_text = f"{true}/{len(gates)}"
        row += [ip, spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
                gates_text]  # fmt: skip
    return row


# -- services, endpoints, ingress ------------------------------------------------------


def service_external_ip(svc: dict, wide: bool) -> str:
    """EXTERNAL-IP of a Service (`getServiceExternalIP`)."""
    spec = svc.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = _lb_ingress(svc.get("status"), wide)
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + list(external))
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def service_ports(ports: Iterable[dict]) -> str:
    """PORT(S) of a Service: `80/TCP`, `80:30123/TCP`, comma-joined (`makePortString`)."""
    pieces = []
    for p in ports:
        proto = p.get("protocol") or "TCP"
        if p.get("nodePort"):
            pieces.append(f"{p.get('port')}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port')}/{proto}")
    return ",".join(pieces)


def _service_row(svc: dict, ctx: RowContext) -> list[str]:
    spec = svc.get("spec") or {}
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    row = [
        svc["metadata"]["name"],
        spec.get("type") or "ClusterIP",
        ips[0] if ips else "<none>",
        service_external_ip(svc, ctx.wide),
        service_ports(spec.get("ports") or ()) or "<none>",
        age(svc, ctx.now),
    ]
    if ctx.wide:
        row.append(format_labels(spec.get("selector")))
    return row


def format_endpoints(endpoints: dict) -> str:
    """ENDPOINTS of an Endpoints object: ready `ip:port`s, max 3 then ` + N more...`.

    `<none>` when there are no subsets; empty when subsets only hold
    notReadyAddresses (`printers.go formatEndpoints`).
    """
    subsets = endpoints.get("subsets") or ()
    if not subsets:
        return "<none>"
    items: list[str] = []
    count = 0
    limit = 3
    for subset in subsets:
        addresses = subset.get("addresses") or ()
        ports = subset.get("ports") or ()
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == limit:
                    break
                items.append(a.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == limit:
                    break
                ip = a.get("ip", "")
                host = f"[{ip}]" if ":" in ip else ip
                items.append(f"{host}:{port.get('port')}")
    return _list_with_more(items, count, limit)


def _endpoints_row(ep: dict, ctx: RowContext) -> list[str]:
    return [ep["metadata"]["name"], format_endpoints(ep), age(ep, ctx.now)]


def _endpointslice_row(eps: dict, ctx: RowContext) -> list[str]:
    ports = []
    for p in eps.get("ports") or ():
        if p.get("port") is not None:
            ports.append(str(p["port"]))
        elif p.get("name") is not None:
            ports.append(p["name"])
        else:
            ports.append("*")
    addresses = [a for e in eps.get("endpoints") or () for a in e.get("addresses") or ()]
    return [
        eps["metadata"]["name"],
        eps.get("addressType", ""),
        _list_with_more(ports[:3], len(ports)) or "<unset>",
        _list_with_more(addresses[:3], len(addresses)) or "<unset>",
        age(eps, ctx.now),
    ]


def ingress_hosts(rules: Sequence[dict]) -> str:
    """HOSTS of an Ingress: rule hosts, `*` if none, max 3 then ` + N more...` (`formatHosts`)."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def _ingress_row(ing: dict, ctx: RowContext) -> list[str]:
    spec = ing.get("spec") or {}
    return [
        ing["metadata"]["name"],
        spec.get("ingressClassName") or "<none>",
        ingress_hosts(spec.get("rules") or ()),
        _lb_ingress(ing.get("status"), ctx.wide),
        "80, 443" if spec.get("tls") else "80",
        age(ing, ctx.now),
    ]


def _ingressclass_row(ic: dict, ctx: RowContext) -> list[str]:
    spec = ic.get("spec") or {}
    params = spec.get("parameters")
    text = "<none>"
    if params:
        text = params.get("kind", "")
        if params.get("apiGroup"):
            text += "." + params["apiGroup"]
        text += "/" + params.get("name", "")
    return [ic["metadata"]["name"], spec.get("controller", ""), text, age(ic, ctx.now)]


# -- nodes, namespaces, config ----------------------------------------------------------


def node_roles(node: dict) -> list[str]:
    """Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted."""
    roles = set()
    for k, v in (node["metadata"].get("labels") or {}).items():
        if k.startswith(NODE_ROLE_PREFIX):
            role = k[len(NODE_ROLE_PREFIX) :]
            if role:
                roles.add(role)
        elif k == NODE_ROLE_LABEL and v:
            roles.add(v)
    return sorted(roles)


def node_status_text(node: dict) -> str:
    """STATUS of a node: Ready / NotReady / Unknown, `,SchedulingDisabled` when cordoned."""
    status = []
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            status = ["Ready" if cond.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_address(node: dict, kind: str) -> str:
    for a in (node.get("status") or {}).get("addresses") or ():
        if a.get("type") == kind:
            return a.get("address", "")
    return "<none>"


def _node_row(node: dict, ctx: RowContext) -> list[str]:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    row = [
        node["metadata"]["name"],
        node_status_text(node),
        ",".join(node_roles(node)) or "<none>",
        age(node, ctx.now),
        info.get("kubeletVersion", ""),
    ]
    if ctx.wide:
        row += [
            _node_address(node, "InternalIP"),
            _node_address(node, "ExternalIP"),
            info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>",
        ]
    return row


def _namespace_row(ns: dict, ctx: RowContext) -> list[str]:
    phase = (ns.get("status") or {}).get("phase") or "Active"
    return [ns["metadata"]["name"], phase, age(ns, ctx.now)]


def _configmap_row(cm: dict, ctx: RowContext) -> list[str]:
    count = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [cm["metadata"]["name"], str(count), age(cm, ctx.now)]


def _secret_row(secret: dict, ctx: RowContext) -> list[str]:
    count = len(secret.get("data") or {})
    return [secret["metadata"]["name"], secret.get("type") or "Opaque", str(count), age(secret, ctx.now)]


def _serviceaccount_row(sa: dict, ctx: RowContext) -> list[str]:
    return [sa["metadata"]["name"], str(len(sa.get("secrets") or ())), age(sa, ctx.now)]


# -- workloads --------------------------------------------------------------------------


def _template_spec(obj: dict) -> dict:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}


def _deployment_row(d: dict, ctx: RowContext) -> list[str]:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    row = [
        d["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        str(status.get("updatedReplicas", 0)),
        str(status.get("availableReplicas", 0)),
        age(d, ctx.now),
    ]
    if ctx.wide:
        names, images = _containers_cells(_template_spec(d))
        row += [names, images, format_label_selector(spec.get("selector"))]
    return row


def _replicaset_row(rs: dict, ctx: RowContext) -> list[str]:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    row = [
        rs["metadata"]["name"],
        str(spec.get("replicas", 1)),
        str(status.get("replicas", 0)),
        str(status.get("readyReplicas", 0)),
        age(rs, ctx.now),
    ]
    if ctx.wide:
        names, images = _containers_cells(_template_spec(rs))
        if rs.get("kind") == "ReplicationController":
            selector = format_labels(spec.get("selector"))
        else:
            selector = format_selector_or_none(spec.get("selector"))
        row += [names, images, selector]
    return row


def _daemonset_row(ds: dict, ctx: RowContext) -> list[str]:
    status = ds.get("status") or {}
    row = [
        ds["metadata"]["name"],
        str(status.get("desiredNumberScheduled", 0)),
        str(status.get("currentNumberScheduled", 0)),
        str(status.get("numberReady", 0)),
        str(status.get("updatedNumberScheduled", 0)),
        str(status.get("numberAvailable", 0)),
        format_labels(_template_spec(ds).get("nodeSelector")),
        age(ds, ctx.now),
    ]
    if ctx.wide:
        names, images = _containers_cells(_template_spec(ds))
        row += [names, images, format_selector_or_none((ds.get("spec") or {}).get("selector"))]
    return row


def _statefulset_row(sts: dict, ctx: RowContext) -> list[str]:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    row = [
        sts["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        age(sts, ctx.now),
    ]
    if ctx.wide:
        row += list(_containers_cells(_template_spec(sts)))
    return row


# -- events -----------------------------------------------------------------------------


def _event_row(ev: dict, ctx: RowContext) -> list[str]:
    first = since(ev.get("firstTimestamp") or ev.get("eventTime"), ctx.now)
    last = since(ev["lastTimestamp"], ctx.now) if ev.get("lastTimestamp") else first
    involved = ev.get("involvedObject") or {}
    target = (involved.get("kind") or "").lower()
    if involved.get("name"):
        target += "/" + involved["name"]
    message = (ev.get("message") or "").strip()
    if not ctx.wide:
        return [last, ev.get("type", ""), ev.get("reason", ""), target, message]
    source = (ev.get("source") or {}).get("component") or ev.get("reportingController") or ""
    host = (ev.get("source") or {}).get("host") or ev.get("reportingInstance") or ""
    if host:
        source += ", " + host
    return [last, ev.get("type", ""), ev.get("reason", ""), target,
            involved.get("fieldPath", ""), source, message, first,
            str(ev.get("count") or 1), ev["metadata"]["name"]]  # fmt: skip


def _generic_row(obj: dict, ctx: RowContext) -> list[str]:
    return [obj["metadata"]["name"], age(obj, ctx.now)]


_WORKLOAD_WIDE = (("CONTAINERS", True), ("IMAGES", True), ("SELECTOR", True))

PRINTERS: dict[str, TablePrinter] = {
    "Pod": TablePrinter(
        (("NAME", False), ("READY", False), ("STATUS", False), ("RESTARTS", False), ("AGE", False),
         ("IP", True), ("NODE", True), ("NOMINATED NODE", True), ("READINESS GATES", True)),
        _pod_row,
    ),  # fmt: skip
    "Service": TablePrinter(
        (("NAME", False), ("TYPE", False), ("CLUSTER-IP", False), ("EXTERNAL-IP", False),
         ("PORT(S)", False), ("AGE", False), ("SELECTOR", True)),
        _service_row,
    ),  # fmt: skip
    "Endpoints": TablePrinter((("NAME", False), ("ENDPOINTS", False), ("AGE", False)), _endpoints_row),
    "EndpointSlice": TablePrinter(
        (("NAME", False), ("ADDRESSTYPE", False), ("PORTS", False), ("ENDPOINTS", False),
         ("AGE", False)),
        _endpointslice_row,
    ),  # fmt: skip
    "Ingress": TablePrinter(
        (("NAME", False), ("CLASS", False), ("HOSTS", False), ("ADDRESS", False), ("PORTS", False),
         ("AGE", False)),
        _ingress_row,
    ),  # fmt: skip
    "IngressClass": TablePrinter(
        (("NAME", False), ("CONTROLLER", False), ("PARAMETERS", False), ("AGE", False)),
        _ingressclass_row,
    ),
    "Node": TablePrinter(
        (("NAME", False), ("STATUS", False), ("ROLES", False), ("AGE", False), ("VERSION", False),
         ("INTERNAL-IP", True), ("EXTERNAL-IP", True), ("OS-IMAGE", True),
         ("KERNEL-VERSION", True), ("CONTAINER-RUNTIME", True)),
        _node_row,
    ),  # fmt: skip
    "Namespace": TablePrinter((("NAME", False), ("STATUS", False), ("AGE", False)), _namespace_row),
    "ConfigMap": TablePrinter((("NAME", False), ("DATA", False), ("AGE", False)), _configmap_row),
    "Secret": TablePrinter(
        (("NAME", False), ("TYPE", False), ("DATA", False), ("AGE", False)), _secret_row
    ),
    "ServiceAccount": TablePrinter(
        (("NAME", False), ("SECRETS", False), ("AGE", False)), _serviceaccount_row
    ),
    "Deployment": TablePrinter(
        (("NAME", False), ("READY", False), ("UP-TO-DATE", False), ("AVAILABLE", False),
         ("AGE", False), *_WORKLOAD_WIDE),
        _deployment_row,
    ),  # fmt: skip
    "ReplicaSet": TablePrinter(
        (("NAME", False), ("DESIRED", False), ("CURRENT", False), ("READY", False), ("AGE", False),
         *_WORKLOAD_WIDE),
        _replicaset_row,
    ),  # fmt: skip
    "DaemonSet": TablePrinter(
        (("NAME", False), ("DESIRED", False), ("CURRENT", False), ("READY", False),
         ("UP-TO-DATE", False), ("AVAILABLE", False), ("NODE SELECTOR", False), ("AGE", False),
         *_WORKLOAD_WIDE),
        _daemonset_row,
    ),  # fmt: skip
    "StatefulSet": TablePrinter(
        (("NAME", False), ("READY", False), ("AGE", False), ("CONTAINERS", True), ("IMAGES", True)),
        _statefulset_row,
    ),
    "Event": TablePrinter(
        (("LAST SEEN", False), ("TYPE", False), ("REASON", False), ("OBJECT", False),
         ("SUBOBJECT", True), ("SOURCE", True), ("MESSAGE", False), ("FIRST SEEN", True),
         ("COUNT", True), ("NAME", True)),
        _event_row,
    ),  # fmt: skip
}
PRINTERS["ReplicationController"] = PRINTERS["ReplicaSet"]
GENERIC = TablePrinter((("NAME", False), ("AGE", False)), _generic_row)


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
