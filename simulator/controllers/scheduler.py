"""The scheduler: which node a pod lands on.

Filters as kube-scheduler does (unschedulable nodes, taints the pod does not
tolerate, nodeSelector, the kubelet's 110-pod limit), then spreads: the node
with the fewest pods of the same owner wins, then the fewest pods overall,
then the name. Pods of one batch are placed with a heap, so scheduling N
pods over M nodes costs O(N log M), not O(N * M).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

MAX_PODS_PER_NODE = 110
PORTS_TAKEN = "node(s) didn't have free ports for the requested pod ports"


def tolerates(tolerations: Iterable[dict] | None, taint: dict) -> bool:
    """Whether any toleration matches `taint` (key, operator Equal/Exists, value, effect)."""
    for tol in tolerations or ():
        effect = tol.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        key = tol.get("key")
        operator = tol.get("operator", "Equal")
        if not key:
            if operator == "Exists":
                return True
            continue
        if key != taint.get("key"):
            continue
        if operator == "Exists" or tol.get("value", "") == taint.get("value", ""):
            return True
    return False


def unfit_reason(node: dict, pod_spec: dict) -> str | None:
    """Why `node` cannot take a pod with `pod_spec`, in kube-scheduler's words, or None."""
    if node["spec"].get("unschedulable"):
        return "node(s) were unschedulable"
    tolerations = pod_spec.get("tolerations")
    for taint in node["spec"].get("taints") or ():
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not tolerates(tolerations, taint):
            value = taint.get("value", "")
            return f"node(s) had untolerated taint {{{taint['key']}: {value}}}"
    selector = pod_spec.get("nodeSelector")
    if selector:
        labels = node["metadata"].get("labels") or {}
        if any(labels.get(k) != v for k, v in selector.items()):
            return "node(s) didn't match Pod's node affinity/selector"
    return None


def unschedulable_message(nodes: list[dict], pod_spec: dict, load: dict[str, int],
                          ports_taken: set[str] | frozenset[str] = frozenset()) -> str:  # fmt: skip
    """The FailedScheduling message: `0/3 nodes are available: 1 node(s) had ...`.

    `ports_taken`: the nodes where a host port the pod asks for is given already."""
    return pending_message(len(nodes), *sort_nodes(nodes, pod_spec), load, ports_taken)


def sort_nodes(nodes: list[dict], pod_spec: dict) -> tuple[dict[str, int], list[str]]:
    """How many nodes each filter turns away, and the names of the nodes none does
    (what a spec's tolerations and nodeSelector decide, whatever runs on the nodes)."""
    unfit: dict[str, int] = {}
    fit = []
    for node in nodes:
        reason = unfit_reason(node, pod_spec)
        if reason is None:
            fit.append(node["metadata"]["name"])
        else:
            unfit[reason] = unfit.get(reason, 0) + 1
    return unfit, fit


def pending_message(total: int, unfit: dict[str, int], fit: list[str], load: dict[str, int],
                    ports_taken: set[str] | frozenset[str] = frozenset()) -> str:  # fmt: skip
    """The FailedScheduling message from `sort_nodes`' answer and what runs on the nodes
    now: ports given to other pods, then the kubelet's pod limit."""
    counts = dict(unfit)
    for name in fit:
        if name in ports_taken:
            counts[PORTS_TAKEN] = counts.get(PORTS_TAKEN, 0) + 1
        elif load.get(name, 0) >= MAX_PODS_PER_NODE:
            counts["Too many pods"] = counts.get("Too many pods", 0) + 1
    parts = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
    # Evicting pods could free a host port (no pod here has a lower priority to evict);
    # it could not lift a taint or change a label.
    victims = counts.get(PORTS_TAKEN, 0)
    preemption = [
        (victims, "No preemption victims found for incoming pod"),
        (total - victims, "Preemption is not helpful for scheduling"),
    ]
    shown = ", ".join(f"{n} {text}" for n, text in preemption if n)
    return (
        f"0/{total} nodes are available: {parts}. "
        f"preemption: 0/{total} nodes are available: {shown}."
    )


def feasible(nodes: list[dict], pod_spec: dict) -> list[str]:
    """Names of the nodes that can take a pod with `pod_spec` (capacity aside)."""
    fixed = pod_spec.get("nodeName")
    if fixed:
        return [fixed]
    return [n["metadata"]["name"] for n in nodes if unfit_reason(n, pod_spec) is None]


def place(
    count: int,
    candidates: list[str],
    load: dict[str, int],
    owner_load: dict[str, int],
) -> list[str | None]:
    """Choose nodes for `count` pods of one owner among `candidates` (from `feasible`).

    Args:
        count: how many pods to place.
        candidates: the nodes that can take them.
        load: pods per node now; updated in place as pods are placed.
        owner_load: pods of the same owner per node now; updated in place.

    Returns:
        A node name per pod, or None for a pod no node can take (it stays Pending).
    """
    heap = [(owner_load.get(name, 0), load.get(name, 0), name) for name in candidates]
    heapq.heapify(heap)
    out: list[str | None] = []
    for _ in range(count):
        while heap and heap[0][1] >= MAX_PODS_PER_NODE:
            heapq.heappop(heap)
        if not heap:
            out.append(None)
            continue
        owned, total, name = heap[0]
        out.append(name)
        load[name] = total + 1
        owner_load[name] = owned + 1
        heapq.heapreplace(heap, (owned + 1, total + 1, name))  # one sift, not a pop and a push
    return out
