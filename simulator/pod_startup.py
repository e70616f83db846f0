"""Pods starting: placed by the scheduler, then run by their node's kubelet.

Two paces (docs/architecture.md, "Pods come and go"). Pods a manifest or a
command asks for start at once (`start_batch`), as CONTRACT.md section 4
promises; pods a controller makes on its own, a replacement or a rollout's
new pod, are bound at once (`bind`), stay `Pending`, go through
`ContainerCreating` (`create_containers`) and run (`run_containers`) on the
simulated clock, so a class watches them come.

This loop runs for every pod a controller makes, so the work is shaped for
batches: pods of one template share what never changes, and the store, the
owner index, the prober and the Endpoints controller take a batch at once.
"""

from __future__ import annotations

from . import host_ports, kubelet
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers import scheduler
from .controllers.ownership import controller_ref
from .defaults import image_pull_policy
from .events import ADDED, MODIFIED
from .probes import ProbeState
from .runtime import PodRuntime, StartRecord
from .store import Key, key_of
from .timers import CREATING_SECONDS, PENDING_SECONDS, CreateContainers, RunContainers


def feasible(data: ClusterData, spec: dict) -> list[str]:
    """Nodes that can take pods with `spec`, cached until nodes change."""
    tolerations, selector = spec.get("tolerations"), spec.get("nodeSelector")
    key = (id(tolerations), id(selector), spec.get("nodeName"))
    cached = data.feasible_nodes.get(key)
    if cached is None or cached[0] is not tolerations or cached[1] is not selector:
        names = scheduler.feasible(data.store.list("Node"), spec)
        cached = data.feasible_nodes[key] = (tolerations, selector, names)
    return cached[2]


def place(data: ClusterData, pods: list[dict], owner_uid: str | None) -> list[tuple[list, list]]:
    """The scheduler's nodes for new pods, per template: `(pods, nodes)` groups, a node (or
    None: no node can take it) per pod. Pods spread away from their owner's other pods.
    Places freed on nodes go to the Pending pods first: they are ahead in the scheduler's
    queue."""
    bind_freed(data)
    owner_load = data.workloads.owner_nodes(owner_uid) if owner_uid else {}
    groups: dict[int, list[dict]] = {}
    for pod in pods:
        groups.setdefault(id(pod["spec"].get("containers")), []).append(pod)
    placed = []
    for group in groups.values():
        candidates = feasible(data, group[0]["spec"])
        if host_ports.requested(group[0]["spec"]):
            placed.append((group, _place_on_free_ports(data, group, candidates, owner_load)))
            continue
        placed.append((group, scheduler.place(len(group), candidates, data.node_load, owner_load)))
    return placed


def _place_on_free_ports(data: ClusterData, group: list[dict], candidates: list[str],
                         owner_load: dict[str, int]) -> list[str | None]:  # fmt: skip
    """Place pods asking for host ports one by one, each on a node where they are free."""
    taken = host_ports.taken_by_node(p for _, p in data.store.items("Pod"))
    nodes: list[str | None] = []
    for pod in group:
        spec = pod["spec"]
        free = [n for n in candidates if host_ports.fits(spec, taken.get(n, set()))]
        (node,) = scheduler.place(1, free, data.node_load, owner_load)
        if node is not None:
            taken.setdefault(node, set()).update((p, proto) for p, proto, _ in
                                                 host_ports.requested(spec))  # fmt: skip
        nodes.append(node)
    return nodes


def ports_taken_on(data: ClusterData, pod: dict) -> set[str]:
    """The nodes where a host port `pod` asks for is given to another pod."""
    spec = pod["spec"]
    if not host_ports.requested(spec):
        return set()
    me = pod["metadata"].get("uid")
    # Running pods by their kubelet records (a batch's pods run before they are stored),
    # and pods bound to a node that do not run yet.
    others = [{"spec": {"nodeName": rt.node, "containers": rt.containers}}
              for rt in data.runtime.values() if rt.uid != me]  # fmt: skip
    for key, record in data.starting.items():
        bound = data.store.get("Pod", *key)
        if bound is not None and record.uid != me:
            others.append(bound)
    taken = host_ports.taken_by_node(others)
    return {node for node, ports in taken.items() if not host_ports.fits(spec, ports)}


def bind(data: ClusterData, pods: list[dict], owner_uid: str | None) -> None:
    """Bind new pods (one namespace) to nodes and leave them `Pending` there: their kubelets
    start them on the clock. Pods no node takes stay Pending unscheduled."""
    now = data.now
    at = timestamp(now)
    bound: list[dict] = []
    added: list[tuple[str, str, dict]] = []
    for group, nodes in place(data, pods, owner_uid):
        message = None  # the same for every pod of the group no node takes
        for pod, node in zip(group, nodes, strict=True):
            if node is None:
                message = leave_pending(data, pod, None, message=message)
                continue
            meta = pod["metadata"]
            namespace, name = meta["namespace"], meta["name"]
            pod["spec"]["nodeName"] = node  # the spec is this pod's own copy
            pod["status"] = kubelet.bound_status(at)
            data.starting[(namespace, name)] = StartRecord(meta["uid"], node, now)
            detail = pod_detail(None, node, "Pending", False, meta.get("labels"))
            added.append((namespace, name, detail))
            bound.append(pod)
    if not bound:
        return
    data.store.add_pods(bound[0]["metadata"]["namespace"], bound)
    data.workloads.pods_added(bound)
    data.log.emit_all(now, ADDED, "Pod", added)
    items = tuple((key_of(p), p["metadata"]["uid"]) for p in bound)
    data.clock.schedule(now + PENDING_SECONDS, CreateContainers(items))


def bind_freed(data: ClusterData) -> None:
    """Pods left nodes: each place freed on a node goes to the oldest Pending pod that fits
    there (the scheduler retries when a pod leaves a node), bound now and started by its
    kubelet on the clock. The places of one moment are handed out together."""
    freed = data.freed_places
    if not freed:
        return
    places = list(freed.items())
    freed.clear()
    bound: list[dict] = []
    for node, count in places:
        for _ in range(count):
            key = _first_fitting(data, node)
            if key is None:
                break
            pod = data.store.get("Pod", *key)
            assert pod is not None  # _first_fitting drops pods that went away
            if node in ports_taken_on(data, pod):
                break
            (placed,) = scheduler.place(1, [node], data.node_load, {})
            if placed is None:
                break
            _bind_pending_pod(data, key, pod, node)
            bound.append(pod)
    _started_later(data, bound)


def bind_pending(data: ClusterData) -> None:
    """Nodes changed: every Pending pod a node can take now is bound there, the oldest
    first, spread away from its owner's other pods; kubelets start them on the clock."""
    data.freed_places.clear()  # every place is looked at
    bound: list[dict] = []
    for key in list(data.pending):
        pod = data.store.get("Pod", *key)
        if pod is None:
            data.pending.pop(key, None)
            continue
        busy = ports_taken_on(data, pod)
        candidates = [n for n in feasible(data, pod["spec"]) if n not in busy]
        ref = controller_ref(pod)
        owner_load = data.workloads.owner_nodes(ref["uid"]) if ref else {}
        (node,) = scheduler.place(1, candidates, data.node_load, owner_load)
        if node is not None:
            _bind_pending_pod(data, key, pod, node)
            bound.append(pod)
    _started_later(data, bound)


def _first_fitting(data: ClusterData, node: str) -> Key | None:
    """The oldest Pending pod that node `node` could take, if any."""
    store, pending = data.store, data.pending
    found, gone = None, []
    for key in pending:
        pod = store.get("Pod", *key)
        if pod is None:
            gone.append(key)
        elif node in feasible(data, pod["spec"]):
            found = key
            break
    for key in gone:
        del pending[key]
    return found


def _bind_pending_pod(data: ClusterData, key: Key, pod: dict, node: str) -> None:
    """A Pending pod's place is found: bound to `node`, it waits there for its kubelet."""
    now = data.now
    del data.pending[key]
    pod["spec"]["nodeName"] = node  # the spec is this pod's own copy
    pod["status"] = kubelet.bound_status(timestamp(now))
    data.touch_object(pod)
    data.starting[key] = StartRecord(pod["metadata"]["uid"], node, now)
    data.workloads.pods_added([pod])  # counted on its node before the next pod is placed
    detail = pod_detail(None, node, "Pending", False, pod["metadata"].get("labels"))
    data.log.emit(now, MODIFIED, "Pod", key[0], key[1], detail)


def _started_later(data: ClusterData, bound: list[dict]) -> None:
    """Bound Pending pods are created and run by their kubelets on the clock, as a new pod
    bound at once is."""
    if not bound:
        return
    data.store.revision += 1  # readers keyed on the store's revision see the change
    items = tuple((key_of(p), p["metadata"]["uid"]) for p in bound)
    data.clock.schedule(data.now + PENDING_SECONDS, CreateContainers(items))


def create_containers(data: ClusterData, item: CreateContainers) -> None:
    """The kubelets take their bound pods: sandboxes, image pulls (`ContainerCreating`)."""
    now = data.now
    at = timestamp(now)
    creating = []
    for key, record, pod in _still_starting(data, item.pods):
        containers = pod["spec"].get("containers") or []
        images = data.node_images.setdefault(record.node, set())
        record.creating_at = now
        record.pulling = any(
            c.get("imagePullPolicy", image_pull_policy(c.get("image", ""))) == "Always"
            or c.get("image", "") not in images
            for c in containers
        )
        scheduled = pod["status"]["conditions"][0]["lastTransitionTime"]
        pod["status"] = kubelet.creating_status(
            containers, data.node_ips.get(record.node, ""), at, scheduled
        )
        data.touch_object(pod)
        data.log.emit(now, MODIFIED, "Pod", key[0], key[1], {"status": "ContainerCreating"})
        creating.append((key, record.uid))
    if creating:
        data.clock.schedule(now + CREATING_SECONDS, RunContainers(tuple(creating)))


def run_containers(data: ClusterData, item: RunContainers) -> None:
    """Bound pods' containers run: each gets its IP, probes and a place in its Services."""
    groups: dict[tuple, tuple[list[dict], list[str | None]]] = {}
    records = {}
    for key, record, pod in _still_starting(data, item.pods):
        if record.creating_at is None:
            continue
        del data.starting[key]
        records[key] = record
        group = groups.setdefault((key[0], id(pod["spec"].get("containers"))), ([], []))
        group[0].append(pod)
        group[1].append(record.node)
    started = []
    for pods, nodes in groups.values():
        started += start_batch(data, pods, nodes, stored=True)
    for pod in started:
        key = key_of(pod)
        record, rt = records[key], data.runtime[key]
        rt.scheduled_at = record.scheduled_at
        rt.pulled_in = CREATING_SECONDS if record.pulling else None
    if started:
        data.endpoints.pods_added(started, data.store)
        data.workloads.pods_running(started)


def _still_starting(data: ClusterData, pods) -> list[tuple[Key, StartRecord, dict]]:
    """The pods of a clock item that are still the same pods, still starting, with each
    one's record and object."""
    out = []
    for key, uid in pods:
        record = data.starting.get(key)
        pod = data.store.get("Pod", *key)
        if record is not None and record.uid == uid and pod is not None:
            out.append((key, record, pod))
    return out


def start_batch(data: ClusterData, pods: list[dict], nodes: list[str | None], *,
                stored: bool = False) -> list[dict]:  # fmt: skip
    """Run pods of one template (one namespace) on their nodes; returns those that started.

    A pod without a node, or whose node has no free IP, stays Pending. This loop runs
    for every pod a controller makes, so the template's share of the work is done once
    and the indexes take the batch at once. `stored`: the pods are in the store already
    (bound earlier, started by the clock). Endpoints are the caller's.
    """
    now = data.now
    template = kubelet.StartTemplate(pods[0]["spec"].get("containers"), timestamp(now))
    runtime, by_ip, log = data.runtime, data.pods_by_ip, data.log
    env_seq = len(data.service_log.get(pods[0]["metadata"]["namespace"], ()))
    scheduled: list[list[tuple[Key, ProbeState]]] = [[] for _ in template.probe_slots]
    started = []
    added: list[tuple[str, str, dict]] = []  # ADDED events, in order with pending pods'
    pod_ips, node_ips = data.pod_ips, data.node_ips
    event = MODIFIED if stored else ADDED
    on_host = host_ports.host_network(pods[0]["spec"])
    with_ports = bool(host_ports.requested(pods[0]["spec"]))
    unplaced: str | None = None
    status_of = template.status
    # Most templates probe one container: its bucket is filled without a zip per pod.
    single = scheduled[0] if len(scheduled) == 1 else None
    for pod, node in zip(pods, nodes, strict=True):
        allocator = pod_ips.get(node or "")
        if on_host:  # the node's own address: nothing to allocate
            ip = node_ips.get(node or "") or None
        else:
            ip = allocator.allocate() if allocator is not None else None
        if node is None or ip is None:
            log.emit_all(now, event, "Pod", added)
            added = []
            # Unplaced pods come last, and share one reason; a node out of IPs has its own.
            reason = leave_pending(data, pod, node, stored=stored,
                                   message=unplaced if node is None else None)  # fmt: skip
            unplaced = reason if node is None else None
            continue
        meta = pod["metadata"]
        key = (meta["namespace"], meta["name"])
        pod["spec"]["nodeName"] = node  # the spec is this pod's own copy
        rt = runtime[key] = PodRuntime(pod, ip, node, now, env_seq, template)
        pod["status"] = status_of(node_ips.get(node, ""), ip, meta["uid"])
        if not on_host:
            by_ip[ip] = key  # never pending here: a retried pod leaves `pending` first
        if with_ports:
            host_ports.index(data.host_ports, key, node, pod["spec"])
        if single is not None:
            single.append((key, rt.probes[0]))
        else:
            for bucket, probe in zip(scheduled, rt.probes, strict=True):
                bucket.append((key, probe))
        detail = pod_detail(ip, node, "Running", rt.ready, meta.get("labels"))
        added.append((key[0], key[1], detail))
        started.append(pod)
    log.emit_all(now, event, "Pod", added)
    if started:
        _remember_images(data, started)
        if stored:
            for pod in started:
                data.store.put(pod)
        else:
            data.store.add_pods(started[0]["metadata"]["namespace"], started)
            data.workloads.pods_added(started)
    for (delay, period), entries in zip(template.probe_slots, scheduled, strict=True):
        if entries:
            data.probes.add_all(now + delay, period, entries)
    return started


def _remember_images(data: ClusterData, pods: list[dict]) -> None:
    """The images of running containers are on their nodes now (pulled or present)."""
    images = [c.get("image", "") for c in pods[0]["spec"].get("containers") or ()]
    for node in {p["spec"]["nodeName"] for p in pods}:
        data.node_images.setdefault(node, set()).update(images)


def leave_pending(data: ClusterData, pod: dict, node: str | None, *, stored: bool = False,
                  message: str | None = None) -> str:  # fmt: skip
    """A pod no node can take (or whose node ran out of IPs): Pending, with the reason.

    `message`: the scheduler's reason, when it was worked out for a pod of the same
    template a moment ago (nothing placed since). Returns the reason.
    """
    key = key_of(pod)
    if node is not None and node in data.node_load:
        data.node_load[node] -= 1
    if message is None:
        message = _pending_message(data, pod)
    pod["status"] = kubelet.pending_status(message, timestamp(data.now))
    data.store.put(pod)
    if not stored:
        data.workloads.pod_added(pod)
    data.pending[key] = None
    data.record_event(pod, "Warning", "FailedScheduling", "default-scheduler", message)
    detail = pod_detail(None, pod["spec"].get("nodeName"), "Pending", False,
                        pod["metadata"].get("labels"))  # fmt: skip
    data.log.emit(data.now, MODIFIED if stored else ADDED, "Pod", key[0], key[1], detail)
    return message


def _pending_message(data: ClusterData, pod: dict) -> str:
    """The scheduler's FailedScheduling message for `pod`, as the nodes are now."""
    spec = pod["spec"]
    tolerations, selector = spec.get("tolerations"), spec.get("nodeSelector")
    nodes_key = (id(tolerations), id(selector))
    cached = data.sorted_nodes.get(nodes_key)
    if cached is None or cached[0] is not tolerations or cached[1] is not selector:
        # What the filters say of each node depends only on the template's tolerations and
        # nodeSelector (shared by a controller's pods) until nodes change: once per template.
        nodes = data.store.list("Node")
        unfit, fit = scheduler.sort_nodes(nodes, spec)
        cached = data.sorted_nodes[nodes_key] = (tolerations, selector, len(nodes), unfit, fit)
    return scheduler.pending_message(
        cached[2], cached[3], cached[4], data.node_load, ports_taken_on(data, pod)
    )


def pod_detail(ip: str | None, node: str | None, phase: str, ready: bool,
               labels: dict | None) -> dict:  # fmt: skip
    """An added pod's event detail (what a viewer needs to draw it)."""
    return {
        "ip": ip,
        "node": node,
        "phase": phase,
        "ready": ready,
        "labels": labels or {},  # replaced, never edited, on relabel
    }
