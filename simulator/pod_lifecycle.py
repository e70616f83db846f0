"""Pods' lifecycle: made from a template, started at once or on the clock, left Pending,
turned ready or not ready, removed.

Every pod a controller or a manifest makes passes through `create_pods` or
`start`; `pod_startup` places and runs them in batches. A deletion goes
through `termination` first (a pod may stay Terminating a while);
`delete_pod` is the moment the pod leaves the store.
"""

from __future__ import annotations

from . import host_ports, kubelet, pod_startup
from .admission import admit_pod
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers.ownership import CONTROLLER_NAMES, controller_ref, new_pods
from .events import DELETED, NOT_READY, READY
from .probes import ProbeOutcome
from .runtime import PodRuntime
from .store import Key


def create_pods(data: ClusterData, owner: dict, template: dict, count: int, *,
                node: str | None = None, spec: dict | None = None, staged: bool = False,
                names: tuple[str, ...] = (), labels: dict | None = None) -> list[dict]:  # fmt: skip
    """Create `count` pods for `owner` from `template` (or `spec`), schedule and start them
    (`staged`: on the clock, through Pending and ContainerCreating); the owner's controller
    records a SuccessfulCreate event for each. `names` and `labels` are a StatefulSet's."""
    pod_spec = dict(spec if spec is not None else template["spec"])
    admit_pod(pod_spec)  # once for the batch: each pod gets its own copy of the result
    if node:
        pod_spec["nodeName"] = node
    pods = new_pods(owner, template, pod_spec, count, rng=data.rng, taken=data.store.keys("Pod"),
                    created=timestamp(data.now), names=names, labels=labels)  # fmt: skip
    if staged:
        pod_startup.bind(data, pods, owner["metadata"]["uid"])
    else:
        start(data, pods, owner["metadata"]["uid"])
    source = CONTROLLER_NAMES.get(owner["kind"])
    if source is not None:
        if owner["kind"] == "StatefulSet":
            sts = owner["metadata"]["name"]
            messages = [f"create Pod {p['metadata']['name']} in StatefulSet {sts} successful"
                        for p in pods]  # fmt: skip
        else:
            messages = [f"Created pod: {pod['metadata']['name']}" for pod in pods]
        data.record_events(owner, "Normal", "SuccessfulCreate", source, messages)
    return pods


def start(data: ClusterData, pods: list[dict], owner_uid: str | None) -> None:
    """Schedule new pods (one namespace) and start those a node takes; the rest stay
    Pending. Pods are placed per template, spread away from their owner's other pods."""
    started = []
    for group, nodes in pod_startup.place(data, pods, owner_uid):
        started += pod_startup.start_batch(data, group, nodes)
    data.endpoints.pods_added(started, data.store)


def delete_pod(data: ClusterData, pod: dict, reason: str | None) -> None:
    """Remove a pod now: its IP is freed, Services drop it, its controller replaces it."""
    meta = pod["metadata"]
    key = (meta["namespace"], meta["name"])
    if data.store.remove("Pod", *key) is None:
        return
    data.endpoints.pod_deleted(key)
    on_node = data.runtime.pop(key, None) is not None
    on_node |= data.starting.pop(key, None) is not None
    data.pending.pop(key, None)
    data.terminating.pop(key, None)
    status = pod.get("status") or {}
    node = pod["spec"].get("nodeName")
    ip = status.get("podIP")
    if on_node and data.host_ports:
        host_ports.unindex(data.host_ports, key, node, pod["spec"])
    if ip and not host_ports.host_network(pod["spec"]):
        data.pods_by_ip.pop(ip, None)
        allocator = data.pod_ips.get(node or "")
        if allocator is not None:
            allocator.release(ip)
    if node and on_node:
        data.node_load[node] = data.node_load.get(node, 1) - 1
    data.workloads.pod_removed(pod)
    if node and on_node and data.pending:  # the scheduler retries when a pod leaves a node
        data.freed_places[node] = data.freed_places.get(node, 0) + 1
    data.k8s_events.retire(("Pod", *key), data.now)
    data.log.emit(data.now, DELETED, "Pod", key[0], key[1], {"reason": reason} if reason else {})


def act_on_probes(data: ClusterData, outcomes: list[ProbeOutcome]) -> None:
    """What the prober found: record new Unhealthy events, and set containers' readiness
    (the pod's Ready condition, its Services' endpoints and its owner's counts follow)."""
    for key, probe, flipped, unhealthy in outcomes:
        if unhealthy is not None:
            pod = data.store.get("Pod", *key)
            if pod is not None:
                probe.event = data.record_event(pod, "Warning", "Unhealthy", "kubelet", unhealthy)
        if flipped:
            rt = data.runtime[key]
            rt.container_ready = {**rt.container_ready, probe.check.container: probe.ready}
            _update_readiness(data, key, rt)


def _update_readiness(data: ClusterData, key: Key, rt: PodRuntime) -> None:
    ready = all(rt.container_ready.values())
    if ready == rt.ready:
        return
    rt.ready = ready
    if ready:
        rt.ready_since = data.now
    pod = data.store.get("Pod", *key)
    if pod is None:
        return
    kubelet.set_ready_in_status(pod, rt.container_ready, timestamp(data.now))
    data.touch_object(pod)
    data.endpoints.pod_ready_changed(key, ready)
    ref = controller_ref(pod)
    if ref is not None:
        data.workloads.status_changed(ref["kind"], (key[0], ref["name"]))
    detail = {"ip": pod["status"].get("podIP"), "node": pod["spec"].get("nodeName")}
    data.log.emit(data.now, READY if ready else NOT_READY, "Pod", key[0], key[1], detail)
