"""Describe texts of workload controllers: ReplicaSets, RCs, DaemonSets, Deployments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.kubectl.age import rfc1123z
from simulator.kubectl.tables import format_label_selector, format_selector_or_none
from simulator.labels import format_labels

from .pods import describe_pod_template
from .writer import (
    Writer,
    annotations_multiline,
    controlled_by,
    describe_events,
    labels_multiline,
    meta_of,
)


def _pods_status_line(counts: dict[str, int]) -> str:
    return (
        f"{counts.get('Running', 0)} Running / {counts.get('Pending', 0)} Waiting / "
        f"{counts.get('Succeeded', 0)} Succeeded / {counts.get('Failed', 0)} Failed"
    )


def conditions_table(w: Writer, conditions: Sequence[dict]) -> None:
    """The `Conditions:` table of a controller's status (nothing when it has none)."""
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')}\t{c.get('reason', '')}\n")


def describe_replicaset(
    rs: dict, pod_phases: dict[str, int], events: Sequence[Any] | None, now: float
) -> str:
    """`kubectl describe replicaset` and `replicationcontroller`.

    Args:
        pod_phases: phase -> how many pods the controller owns in that phase.
    """
    w = Writer()
    meta, spec, status = meta_of(rs), rs.get("spec") or {}, rs.get("status") or {}
    rc = rs.get("kind") == "ReplicationController"
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if rc:
        selector = format_labels(
            spec.get("selector")
            or ((spec.get("template") or {}).get("metadata") or {}).get("labels")
        )
    else:
        selector = format_selector_or_none(spec.get("selector"))
    w.write(0, f"Selector:\t{selector}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    controller = controlled_by(rs)
    if controller and not rc:
        w.write(0, f"Controlled By:\t{controller}\n")
    w.write(
        0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n"
    )
    w.write(0, f"Pods Status:\t{_pods_status_line(pod_phases)}\n")
    describe_pod_template(w, spec.get("template"))
    conditions_table(w, status.get("conditions") or ())
    describe_events(w, events, now)
    return w.text()


def describe_daemonset(
    ds: dict, pod_phases: dict[str, int], events: Sequence[Any] | None, now: float
) -> str:
    """`kubectl describe daemonset`."""
    w = Writer()
    meta, spec, status = meta_of(ds), ds.get("spec") or {}, ds.get("status") or {}
    template_spec = (spec.get("template") or {}).get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    w.write(0, f"Node-Selector:\t{format_labels(template_spec.get('nodeSelector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(
        0,
        "Number of Nodes Scheduled with Up-to-date Pods: "
        f"{status.get('updatedNumberScheduled', 0)}\n",
    )
    w.write(
        0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n"
    )
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    w.write(0, f"Pods Status:\t{_pods_status_line(pod_phases)}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)
    return w.text()


def _replica_sets_text(sets: Sequence[dict]) -> str:
    parts = [
        f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
        for rs in sets
    ]
    return ", ".join(parts) or "<none>"


def describe_deployment(
    d: dict,
    old_sets: Sequence[dict],
    new_sets: Sequence[dict],
    events: Sequence[Any] | None,
    now: float,
) -> str:
    """`kubectl describe deployment`."""
    w = Writer()
    meta, spec, status = meta_of(d), d.get("spec") or {}, d.get("status") or {}
    strategy = spec.get("strategy") or {"type": "RollingUpdate"}
    w.write(0, f"Name:\t{meta.get('name')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    w.write(
        0,
        f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} "
        f"updated | {status.get('replicas', 0)} total | "
        f"{status.get('availableReplicas', 0)} available | "
        f"{status.get('unavailableReplicas', 0)} unavailable\n",
    )
    w.write(0, f"StrategyType:\t{strategy.get('type', 'RollingUpdate')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("type", "RollingUpdate") == "RollingUpdate":
        ru = strategy.get("rollingUpdate") or {}
        w.write(
            0,
            f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', '25%')} max unavailable, "
            f"{ru.get('maxSurge', '25%')} max surge\n",
        )
    describe_pod_template(w, spec.get("template"))
    conditions_table(w, status.get("conditions") or ())
    if old_sets or new_sets:
        w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old_sets)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets_text(new_sets)}\n")
    describe_events(w, events, now)
    return w.text()
