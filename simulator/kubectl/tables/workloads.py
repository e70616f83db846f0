"""Tables of workload controllers: Deployments, ReplicaSets, RCs, DaemonSets, StatefulSets."""

from __future__ import annotations

from simulator.labels import format_labels

from .base import (
    RowContext,
    containers_cells,
    format_label_selector,
    format_selector_or_none,
    template_spec,
)


def deployment_row(d: dict, ctx: RowContext) -> list[str]:
    """A deployments row: READY, UP-TO-DATE, AVAILABLE, AGE."""
    spec, status = d.get("spec") or {}, d.get("status") or {}
    row = [
        d["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        str(status.get("updatedReplicas", 0)),
        str(status.get("availableReplicas", 0)),
        ctx.age(d),
    ]
    if ctx.wide:
        names, images = containers_cells(template_spec(d))
        row += [names, images, format_label_selector(spec.get("selector"))]
    return row


def replicaset_row(rs: dict, ctx: RowContext) -> list[str]:
    """A replicasets or replicationcontrollers row: DESIRED, CURRENT, READY, AGE."""
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    row = [
        rs["metadata"]["name"],
        str(spec.get("replicas", 1)),
        str(status.get("replicas", 0)),
        str(status.get("readyReplicas", 0)),
        ctx.age(rs),
    ]
    if ctx.wide:
        names, images = containers_cells(template_spec(rs))
        if rs.get("kind") == "ReplicationController":
            selector = format_labels(spec.get("selector"))
        else:
            selector = format_selector_or_none(spec.get("selector"))
        row += [names, images, selector]
    return row


def daemonset_row(ds: dict, ctx: RowContext) -> list[str]:
    """A daemonsets row: DESIRED ... AVAILABLE, NODE SELECTOR, AGE."""
    status = ds.get("status") or {}
    row = [
        ds["metadata"]["name"],
        str(status.get("desiredNumberScheduled", 0)),
        str(status.get("currentNumberScheduled", 0)),
        str(status.get("numberReady", 0)),
        str(status.get("updatedNumberScheduled", 0)),
        str(status.get("numberAvailable", 0)),
        format_labels(template_spec(ds).get("nodeSelector")),
        ctx.age(ds),
    ]
    if ctx.wide:
        names, images = containers_cells(template_spec(ds))
        row += [names, images, format_selector_or_none((ds.get("spec") or {}).get("selector"))]
    return row


def statefulset_row(sts: dict, ctx: RowContext) -> list[str]:
    """A statefulsets row: READY and AGE."""
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    row = [
        sts["metadata"]["name"],
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        ctx.age(sts),
    ]
    if ctx.wide:
        row += list(containers_cells(template_spec(sts)))
    return row


def controllerrevision_row(revision: dict, ctx: RowContext) -> list[str]:
    """A controllerrevisions row: its controller as `kind.group/name`, and its number."""
    ref = next(
        (r for r in revision["metadata"].get("ownerReferences") or () if r.get("controller")),
        None,
    )
    controller = "<none>"
    if ref is not None:
        group = ref.get("apiVersion", "").rpartition("/")[0]
        kind = ref.get("kind", "").lower() + (f".{group}" if group else "")
        controller = f"{kind}/{ref.get('name', '')}"
    return [
        revision["metadata"]["name"],
        controller,
        str(revision.get("revision", 0)),
        ctx.age(revision),
    ]
