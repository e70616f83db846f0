"""Pods' lifecycle: scheduled and started in batches, left Pending, turned ready or not
ready, deleted.

Every pod a controller or a manifest makes passes through `start`, so the work
is shaped for batches: pods of one template share what never changes, and the
store, the owner index, the prober and the Endpoints controller each take the
whole batch at once.
"""

from __future__ import annotations

from . import kubelet
from .admission import admit_pod
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers import scheduler
from .controllers.ownership import CONTROLLER_NAMES, controller_ref, new_pods
from .events import ADDED, DELETED, NOT_READY, READY
from .probes import ProbeOutcome, ProbeState
from .runtime import PodRuntime
from .store import Key, key_of


def create_pods(data: ClusterData, owner: dict, template: dict, count: int, *,
                node: str | None = None, spec: dict | None = None) -> list[dict]:  # fmt: skip
    """Create `count` pods for `owner` from `template` (or `spec`), schedule and start them;
    the owner's controller records a SuccessfulCreate event for each."""
    pod_spec = dict(spec if spec is not None else template["spec"])
    admit_pod(pod_spec)  # once for the batch: each pod gets its own copy of the result
    if node:
        pod_spec["nodeName"] = node
    pods = new_pods(owner, template, pod_spec, count, rng=data.rng,
                    taken=data.store.keys("Pod"), created=timestamp(data.now))  # fmt: skip
    start(data, pods, owner["metadata"]["uid"])
    source = CONTROLLER_NAMES.get(owner["kind"])
    if source is not None:
        messages = [f"Created pod: {pod['metadata']['name']}" for pod in pods]
        data.record_events(owner, "Normal", "SuccessfulCreate", source, messages)
    return pods


def start(data: ClusterData, pods: list[dict], owner_uid: str | None) -> None:
    """Schedule new pods (one namespace) and start those a node takes; the rest stay
    Pending. Pods are placed per template, spread away from their owner's other pods."""
    owner_load = data.workloads.owner_nodes(owner_uid) if owner_uid else {}
    groups: dict[int, list[dict]] = {}
    for pod in pods:
        groups.setdefault(id(pod["spec"].get("containers")), []).append(pod)
    started = []
    for group in groups.values():
        candidates = _feasible(data, group[0]["spec"])
        placement = scheduler.place(len(group), candidates, data.node_load, owner_load)
        started += _start_batch(data, group, placement)
    data.endpoints.pods_added(started, data.store)


def retry_pending(data: ClusterData) -> None:
    """Nodes changed: start the Pending pods a node can take now."""
    for key in list(data.pending):
        pod = data.store.get("Pod", *key)
        if pod is None:
            data.pending.pop(key, None)
            continue
        ref = controller_ref(pod)
        owner_load = data.workloads.owner_nodes(ref["uid"]) if ref else {}
        candidates = _feasible(data, pod["spec"])
        (node,) = scheduler.place(1, candidates, data.node_load, owner_load)
        if node is not None:
            del data.pending[key]
            data.store.remove("Pod", *key)
            data.endpoints.pods_added(_start_batch(data, [pod], [node]), data.store)
            data.record_event(pod, "Normal", "Scheduled", "default-scheduler",
                              f"Successfully assigned {key[0]}/{key[1]} to {node}")  # fmt: skip


def delete_pod(data: ClusterData, pod: dict, reason: str | None) -> None:
    """Remove a pod now: its IP is freed, Services drop it, its controller replaces it."""
    meta = pod["metadata"]
    key = (meta["namespace"], meta["name"])
    if data.store.remove("Pod", *key) is None:
        return
    data.endpoints.pod_deleted(key)
    data.runtime.pop(key, None)
    data.pending.pop(key, None)
    status = pod.get("status") or {}
    node = pod["spec"].get("nodeName")
    ip = status.get("podIP")
    if ip:
        data.pods_by_ip.pop(ip, None)
        allocator = data.pod_ips.get(node or "")
        if allocator is not None:
            allocator.release(ip)
    if node and status.get("phase") == "Running":
        data.node_load[node] = data.node_load.get(node, 1) - 1
    data.workloads.pod_removed(pod)
    data.k8s_events.forget(("Pod", *key))
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


def _feasible(data: ClusterData, spec: dict) -> list[str]:
    """Nodes that can take pods with `spec`, cached until nodes change."""
    tolerations, selector = spec.get("tolerations"), spec.get("nodeSelector")
    key = (id(tolerations), id(selector), spec.get("nodeName"))
    cached = data.feasible_nodes.get(key)
    if cached is None or cached[0] is not tolerations or cached[1] is not selector:
        names = scheduler.feasible(data.store.list("Node"), spec)
        cached = data.feasible_nodes[key] = (tolerations, selector, names)
    return cached[2]


def _start_batch(data: ClusterData, pods: list[dict], nodes: list[str | None]) -> list[dict]:
    """Bind and run pods of one template (one namespace); returns those that started.

    A pod without a node, or whose node has no free IP, stays Pending. This loop runs
    for every pod a controller makes, so the template's share of the work is done once
    and the indexes take the batch at once. Endpoints are the caller's.
    """
    now = data.now
    template = kubelet.StartTemplate(pods[0]["spec"].get("containers"), timestamp(now))
    runtime, by_ip, log = data.runtime, data.pods_by_ip, data.log
    env_seq = len(data.service_log.get(pods[0]["metadata"]["namespace"], ()))
    scheduled: list[list[tuple[Key, ProbeState]]] = [[] for _ in template.probe_slots]
    started = []
    added: list[tuple[str, str, dict]] = []  # ADDED events, in order with pending pods'
    pod_ips, node_ips = data.pod_ips, data.node_ips
    for pod, node in zip(pods, nodes, strict=True):
        allocator = pod_ips.get(node or "")
        ip = allocator.allocate() if allocator is not None else None
        if node is None or ip is None:
            log.emit_all(now, ADDED, "Pod", added)
            added = []
            _leave_pending(data, pod, node)
            continue
        meta = pod["metadata"]
        key = (meta["namespace"], meta["name"])
        pod["spec"]["nodeName"] = node  # the spec is this pod's own copy
        rt = runtime[key] = PodRuntime(pod, ip, node, now, env_seq, template)
        pod["status"] = template.status(node_ips.get(node, ""), ip, meta["uid"])
        by_ip[ip] = key  # never pending here: a retried pod leaves `pending` first
        for bucket, probe in zip(scheduled, rt.probes, strict=True):
            bucket.append((key, probe))
        detail = _pod_detail(ip, node, "Running", rt.ready, meta.get("labels"))
        added.append((key[0], key[1], detail))
        started.append(pod)
    log.emit_all(now, ADDED, "Pod", added)
    if started:
        data.store.add_pods(started[0]["metadata"]["namespace"], started)
        data.workloads.pods_added(started)
    for (delay, period), entries in zip(template.probe_slots, scheduled, strict=True):
        if entries:
            data.probes.add_all(now + delay, period, entries)
    return started


def _leave_pending(data: ClusterData, pod: dict, node: str | None) -> None:
    """A pod no node can take (or whose node ran out of IPs): Pending, with the reason."""
    key = key_of(pod)
    if node is not None and node in data.node_load:
        data.node_load[node] -= 1
    message = scheduler.unschedulable_message(data.store.list("Node"), pod["spec"], data.node_load)
    pod["status"] = kubelet.pending_status(message, timestamp(data.now))
    data.store.put(pod)
    data.workloads.pod_added(pod)
    data.pending[key] = None
    data.record_event(pod, "Warning", "FailedScheduling", "default-scheduler", message)
    detail = _pod_detail(None, pod["spec"].get("nodeName"), "Pending", False,
                         pod["metadata"].get("labels"))  # fmt: skip
    data.log.emit(data.now, ADDED, "Pod", key[0], key[1], detail)


def _pod_detail(ip: str | None, node: str | None, phase: str, ready: bool,
                labels: dict | None) -> dict:  # fmt: skip
    """An added pod's event detail (what a viewer needs to draw it)."""
    return {
        "ip": ip,
        "node": node,
        "phase": phase,
        "ready": ready,
        "labels": labels or {},  # replaced, never edited, on relabel
    }
