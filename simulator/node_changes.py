"""Nodes joining, changing and leaving: addresses, taints, cordons, evictions.

A new node gets a pod CIDR, an InternalIP and the status a kubelet reports.
Whenever nodes or their taints change, the scheduler's cache is dropped,
DaemonSets look again and Pending pods are retried.
"""

from __future__ import annotations

from . import pod_lifecycle, pod_startup
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers import scheduler
from .errors import Conflict
from .events import MODIFIED
from .ipam import PodIPAllocator, node_pod_cidr
from .version import KUBERNETES_VERSION

NODE_LABELS = (
    ("kubernetes.io/os", "linux"),
    ("kubernetes.io/arch", "amd64"),
    ("beta.kubernetes.io/os", "linux"),
    ("beta.kubernetes.io/arch", "amd64"),
)
NODE_RESOURCES = {"cpu": "2", "ephemeral-storage": "61202244Ki", "pods": "110"}
NODE_CONDITIONS = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
)
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
ZONE = "topology.kubernetes.io/zone"


def put_node(data: ClusterData, obj: dict, old: dict | None) -> None:
    """Store a node: a new one gets a pod CIDR, an InternalIP and a kubelet's status; an
    updated one keeps them."""
    name = obj["metadata"]["name"]
    labels = obj["metadata"].setdefault("labels", {})
    labels.setdefault("kubernetes.io/hostname", name)
    for k, v in NODE_LABELS:
        labels.setdefault(k, v)
    obj.setdefault("spec", {})
    if old is not None:
        obj["status"] = old["status"]
        obj["spec"].setdefault("podCIDR", old["spec"].get("podCIDR"))
        obj["spec"].setdefault("podCIDRs", old["spec"].get("podCIDRs"))
    else:
        index = next((i for i in range(256) if i not in data.node_cidrs), None)
        if index is not None:  # else, as the node IPAM controller: no podCIDR, pods Pending
            data.node_cidrs.add(index)
            cidr = node_pod_cidr(index)
            obj["spec"]["podCIDR"] = str(cidr)
            obj["spec"]["podCIDRs"] = [str(cidr)]
            data.pod_ips[name] = PodIPAllocator(cidr)
        address = data.node_pool.allocate() or ""
        data.nodes_by_ip[address] = name
        data.node_ips[name] = address
        obj["status"] = node_status(name, address, obj["metadata"]["creationTimestamp"])
    data.store.put(obj)
    nodes_changed(data)


def remove_node(data: ClusterData, name: str) -> None:
    """A deleted node: its pods go (controllers replace them elsewhere), its addresses
    return to their pools."""
    for pod in data.pods_on(name):
        pod_lifecycle.delete_pod(data, pod, reason="NodeDeleted")
    address = data.node_ips.pop(name, "")
    data.nodes_by_ip.pop(address, None)
    data.node_pool.release(address)
    data.node_load.pop(name, None)
    data.pod_ips.pop(name, None)
    nodes_changed(data)


def taint(data: ClusterData, node: str, key: str, value: str, effect: str,
          remove: bool = False) -> None:  # fmt: skip
    """Add (or remove) a taint; NoExecute evicts pods that do not tolerate it."""
    obj = data.require("Node", "", node)
    taints = list(obj["spec"].get("taints") or [])
    matching = [t for t in taints if t["key"] == key and (not effect or t["effect"] == effect)]
    if remove:
        if not matching:
            shown = f"{key}:{effect}" if effect else key
            raise Conflict(f'error: taint "{shown}" not found')
        taints = [t for t in taints if t not in matching]
    else:
        new = {"key": key, "effect": effect}
        if value:
            new["value"] = value
        if matching and not any(t.get("value", "") == value for t in matching):
            raise Conflict(
                f"error: node {node} already has {key} taint(s) with same effect(s) and "
                "--overwrite is false"
            )
        if not matching:
            taints.append(new)
    _set_taints(obj, taints)
    data.touch_object(obj)
    data.log.emit(data.now, MODIFIED, "Node", "", node, {"taints": taints})
    if not remove and effect == "NoExecute":
        for pod in data.pods_on(node):
            if not scheduler.tolerates(pod["spec"].get("tolerations"), new):
                pod_lifecycle.delete_pod(data, pod, reason="TaintManagerEviction")
    nodes_changed(data)


def set_unschedulable(data: ClusterData, node: str, flag: bool) -> None:
    """Cordon (True) or uncordon (False) a node: `spec.unschedulable` and its taint."""
    obj = data.require("Node", "", node)
    taints = [t for t in obj["spec"].get("taints") or [] if t["key"] != UNSCHEDULABLE]
    if flag:
        obj["spec"]["unschedulable"] = True
        taints.append(
            {"key": UNSCHEDULABLE, "effect": "NoSchedule", "timeAdded": timestamp(data.now)}
        )
    else:
        obj["spec"].pop("unschedulable", None)
    _set_taints(obj, taints)
    data.touch_object(obj)
    data.log.emit(data.now, MODIFIED, "Node", "", node, {"unschedulable": flag})
    nodes_changed(data)


def nodes_changed(data: ClusterData) -> None:
    """Nodes, their labels or taints changed: retry pending pods, recheck DaemonSets, and
    bring the EndpointSlices' zones up to date."""
    data.feasible_nodes.clear()
    data.sorted_nodes.clear()
    data.workloads.mark_all_daemonsets()
    # Unsorted (a node added runs this, reading every node): zones are only looked up.
    zones = {
        name: zone
        for (_, name), n in data.store.items("Node")
        if (zone := (n["metadata"].get("labels") or {}).get(ZONE))
    }
    if zones != data.zones:
        data.zones.clear()
        data.zones.update(zones)
        data.endpoints.zones_changed()
    if data.pending:
        pod_startup.bind_pending(data)


def _set_taints(node: dict, taints: list[dict]) -> None:
    if taints:
        node["spec"]["taints"] = taints
    else:
        node["spec"].pop("taints", None)


def node_status(name: str, address: str, created: str) -> dict:
    """What a kubelet reports for a healthy node."""

    def condition(type_: str, status: str, reason: str, message: str) -> dict:
        return {
            "type": type_,
            "status": status,
            "reason": reason,
            "message": message,
            "lastHeartbeatTime": created,
            "lastTransitionTime": created,
        }

    return {
        "addresses": [
            {"type": "InternalIP", "address": address},
            {"type": "Hostname", "address": name},
        ],
        "capacity": {**NODE_RESOURCES, "memory": "4015276Ki"},
        "allocatable": {**NODE_RESOURCES, "memory": "3912876Ki"},
        "conditions": [condition(t, "False", r, m) for t, r, m in NODE_CONDITIONS]
        + [condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")],
        "nodeInfo": {
            "architecture": "amd64",
            "containerRuntimeVersion": "containerd://1.7.22",
            "kernelVersion": "6.8.0-45-generic",
            "kubeProxyVersion": KUBERNETES_VERSION,
            "kubeletVersion": KUBERNETES_VERSION,
            "operatingSystem": "linux",
            "osImage": "Ubuntu 24.04.1 LTS",
        },
    }
