"""Tables of cluster-level and configuration objects: nodes, namespaces, config, events."""

from __future__ import annotations

from simulator.kubectl.age import since

from .base import RowContext

NODE_ROLE_PREFIX = "node-role.kubernetes.io/"


NODE_ROLE_LABEL = "kubernetes.io/role"


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


def node_row(node: dict, ctx: RowContext) -> list[str]:
    """A nodes row: STATUS, ROLES, AGE, VERSION (+ addresses and OS with -o wide)."""
    info = (node.get("status") or {}).get("nodeInfo") or {}
    row = [
        node["metadata"]["name"],
        node_status_text(node),
        ",".join(node_roles(node)) or "<none>",
        ctx.age(node),
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


def namespace_row(ns: dict, ctx: RowContext) -> list[str]:
    """A namespaces row: STATUS (phase) and AGE."""
    phase = (ns.get("status") or {}).get("phase") or "Active"
    return [ns["metadata"]["name"], phase, ctx.age(ns)]


def configmap_row(cm: dict, ctx: RowContext) -> list[str]:
    """A configmaps row: DATA (keys in data and binaryData) and AGE."""
    count = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [cm["metadata"]["name"], str(count), ctx.age(cm)]


def secret_row(secret: dict, ctx: RowContext) -> list[str]:
    """A secrets row: TYPE, DATA (keys) and AGE."""
    count = len(secret.get("data") or {})
    return [
        secret["metadata"]["name"],
        secret.get("type") or "Opaque",
        str(count),
        ctx.age(secret),
    ]


def serviceaccount_row(sa: dict, ctx: RowContext) -> list[str]:
    """A serviceaccounts row: SECRETS and AGE."""
    return [sa["metadata"]["name"], str(len(sa.get("secrets") or ())), ctx.age(sa)]


def event_row(ev: dict, ctx: RowContext) -> list[str]:
    """An events row: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE (more with -o wide)."""
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
    return [
        last,
        ev.get("type", ""),
        ev.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        source,
        message,
        first,
        str(ev.get("count") or 1),
        ev["metadata"]["name"],
    ]


def generic_row(obj: dict, ctx: RowContext) -> list[str]:
    """NAME and AGE, for kinds without a dedicated table."""
    return [obj["metadata"]["name"], ctx.age(obj)]
