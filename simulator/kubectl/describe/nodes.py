"""`kubectl describe node`: status, capacity, lease and the node's non-terminated pods."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.clock import timestamp
from simulator.kubectl.age import rfc1123z, since
from simulator.kubectl.tables import node_roles

from .writer import (
    Writer,
    annotations_multiline,
    describe_events,
    labels_multiline,
    list_multiline,
    meta_of,
    taint_text,
)

_MEM_UNITS = {
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
}


def _milli_cpu(value: object) -> int:
    text = str(value)
    if text.endswith("m"):
        return int(float(text[:-1]))
    return int(float(text) * 1000)


def _bytes(value: object) -> int:
    text = str(value)
    for unit in ("Ki", "Mi", "Gi", "Ti", "k", "M", "G", "T"):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * _MEM_UNITS[unit])
    return int(float(text))


def _cpu_text(milli: int) -> str:
    return f"{milli // 1000}" if milli % 1000 == 0 else f"{milli}m"


def _mem_text(value: int) -> str:
    if value == 0:
        return "0"
    for unit in ("Ti", "Gi", "Mi", "Ki"):
        if value % _MEM_UNITS[unit] == 0:
            return f"{value // _MEM_UNITS[unit]}{unit}"
    return str(value)


def _pod_requests(pod: dict) -> dict[str, int]:
    totals = {"cpu_req": 0, "cpu_lim": 0, "mem_req": 0, "mem_lim": 0}
    for c in (pod.get("spec") or {}).get("containers") or ():
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        try:
            totals["cpu_req"] += _milli_cpu(req.get("cpu", lim.get("cpu", 0)))
            totals["cpu_lim"] += _milli_cpu(lim.get("cpu", 0))
            totals["mem_req"] += _bytes(req.get("memory", lim.get("memory", 0)))
            totals["mem_lim"] += _bytes(lim.get("memory", 0))
        except ValueError:
            continue
    return totals


def _percent(part: int, whole: int) -> int:
    return int(part / whole * 100) if whole else 0


def describe_node(
    node: dict, pods: Sequence[dict], events: Sequence[Any] | None, now: float
) -> str:
    """`kubectl describe node` (lease, resources and non-terminated pods as kubeadm shows them).

    Args:
        pods: the node's pods that are not Succeeded or Failed.
    """
    w = Writer()
    meta, spec, status = meta_of(node), node.get("spec") or {}, node.get("status") or {}
    name = meta.get("name", "")
    w.write(0, f"Name:\t{name}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    taints = sorted(
        spec.get("taints") or (), key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}"
    )
    list_multiline(w, "Taints", [taint_text(t) for t in taints])
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{name}\n")
    w.write(1, "AcquireTime:\t<unset>\n")
    w.write(1, f"RenewTime:\t{rfc1123z(timestamp(now))}\n")
    conditions = status.get("conditions") or ()
    if conditions:
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        )
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                1,
                f"{c.get('type')} \t{c.get('status')} \t"
                f"{rfc1123z(c.get('lastHeartbeatTime'))} \t"
                f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                f"{c.get('message', '')}\n",
            )
    w.write(0, "Addresses:\n")
    for a in status.get("addresses") or ():
        w.write(1, f"{a.get('type')}:\t{a.get('address')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for res in sorted(values):
                w.write(0, f"  {res}:\t{values[res]}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    try:
        cpu_total = _milli_cpu(allocatable.get("cpu", 0))
        mem_total = _bytes(allocatable.get("memory", 0))
    except ValueError:
        cpu_total = mem_total = 0
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    sums = {"cpu_req": 0, "cpu_lim": 0, "mem_req": 0, "mem_lim": 0}
    for pod in pods:
        r = _pod_requests(pod)
        for k in sums:
            sums[k] += r[k]
        pm = meta_of(pod)
        w.write(
            1,
            f"{pm.get('namespace', '')}\t{pm.get('name')}\t\t"
            f"{_cpu_text(r['cpu_req'])} ({_percent(r['cpu_req'], cpu_total)}%)\t"
            f"{_cpu_text(r['cpu_lim'])} ({_percent(r['cpu_lim'], cpu_total)}%)\t"
            f"{_mem_text(r['mem_req'])} ({_percent(r['mem_req'], mem_total)}%)\t"
            f"{_mem_text(r['mem_lim'])} ({_percent(r['mem_lim'], mem_total)}%)\t"
            f"{since(pm.get('creationTimestamp'), now)}\n",
        )
    w.write(
        0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    )
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    w.write(
        1,
        f"cpu\t{_cpu_text(sums['cpu_req'])} ({_percent(sums['cpu_req'], cpu_total)}%)\t"
        f"{_cpu_text(sums['cpu_lim'])} ({_percent(sums['cpu_lim'], cpu_total)}%)\n",
    )
    w.write(
        1,
        f"memory\t{_mem_text(sums['mem_req'])} ({_percent(sums['mem_req'], mem_total)}%)\t"
        f"{_mem_text(sums['mem_lim'])} ({_percent(sums['mem_lim'], mem_total)}%)\n",
    )
    w.write(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n")
    describe_events(w, events, now)
    return w.text()
