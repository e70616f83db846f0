"""What a cluster holds, and the reads on it.

`ClusterData` owns every part of one cluster: the random generator, the clock,
the store of API objects, the runtime records of running pods, the address
pools and indexes, the event logs, and the controllers with their bookkeeping.
The modules that change a cluster (`apply`, `deletion`, `pod_lifecycle`,
`node_changes`, `containers`, `settle`) take it as their first argument;
`state.ClusterState` adds the commands kubectl runs.

The parts never point back at the cluster: controllers are given the store,
the runtime records, the clock and the generator, and return what must
change. So the cluster holds no reference cycle, and a dropped one is freed
by reference counting alone.
"""

from __future__ import annotations

import random

from . import kinds, kubelet_events
from .capacity import UNLIMITED, Capacity
from .clock import Clock
from .controllers.endpoint_views import EndpointsView, SliceView
from .controllers.endpoints import EndpointsController
from .controllers.services import ServiceAddresses
from .controllers.workloads import WorkloadController
from .endpoints import Backend
from .errors import NotFound
from .events import EventLog
from .ipam import HostAddressPool, NodePortAllocator, PodIPAllocator, ServiceIPAllocator
from .k8s_events import EventRecorder, K8sEvent
from .names import new_uid
from .port_forwards import PortForwards, alive
from .probes import ProbeScheduler, ProbeSlot
from .runtime import PodRuntime, StartRecord
from .store import Key, Store
from .timers import Requeue, Timer


class ClusterData:
    """One cluster's parts and the reads on them (see the module docstring).

    Attributes:
        rng: the cluster's only source of randomness (names, UIDs, addresses, choices).
        clock: simulated time, with the probes scheduled on it.
        store: the API objects.
        log: the state-change events the web layer broadcasts.
        k8s_events: Kubernetes Events for `kubectl describe` and `get events`.
        runtime: each running pod's `PodRuntime`, by `(namespace, name)`.
        service_addresses: the pools Services' cluster IPs, NodePorts and
            load-balancer addresses come from.
        node_pool: nodes' InternalIPs.
        endpoints, workloads, probes: the Endpoints controller, the workload
            controllers and the prober.
        pod_ips: each node's pod address allocator, by node name.
        node_cidrs: the indexes of the pod CIDRs given to nodes.
        node_load: how many pods run on each node.
        pods_by_ip, nodes_by_ip, node_ips: who has which address.
        feasible_nodes: `pod_lifecycle`'s cache of the nodes a spec fits, cleared when
            nodes change.
        sorted_nodes: `pod_startup.leave_pending`'s cache of what the scheduler's filters
            say of every node for a spec's tolerations and nodeSelector, cleared with
            `feasible_nodes`.
        pending: the pods no node could take, in the order they were left Pending.
        freed_places: places pods left on nodes since the scheduler last looked (node ->
            how many), each for the oldest Pending pod that fits there
            (`pod_startup.bind_freed`).
        starting: the pods bound to a node whose containers do not run yet, with the
            kubelet's record of them (`runtime.StartRecord`).
        terminating: when each terminating pod will be gone (simulated seconds).
        node_images: the images on each node (pulled, or present when a pod started).
        service_log: per namespace, each Service as it was created or updated (None:
            deleted), in order; a container sees the prefix that existed when it started.
            The objects are kept as they were (updates replace them), so the variables
            are derived only when a container's environment is read.
        ports_switched: how many times a container port was stopped or started.
        load_balancers_freed: a load-balancer address was given back since the last
            settle, so Services waiting for one may get it.
        host_ports: the running pods' TCP ports on their node's address (`hostNetwork`
            pods, `hostPort`s): `(node, port) -> (pod, container port)` (host_ports.py).
        port_forwards: the workstation's `kubectl port-forward` jobs (the host's
            localhost ports that lead into pods).
    """

    def __init__(self, seed: int = 0, capacity: Capacity = UNLIMITED) -> None:
        self.capacity = capacity  # limits checked before each change (simulator.capacity)
        self.rng = random.Random(seed)
        self.clock: Clock[ProbeSlot | Timer] = Clock()
        self.store = Store()
        self.log = EventLog()
        self.k8s_events = EventRecorder()
        self.runtime: dict[Key, PodRuntime] = {}
        self.service_addresses = ServiceAddresses(
            ServiceIPAllocator(self.rng), NodePortAllocator(self.rng), HostAddressPool(200, 250)
        )
        self.node_pool = HostAddressPool(2, 99)
        self.zones: dict[str, str] = {}  # node -> its topology.kubernetes.io/zone label
        self.endpoints = EndpointsController(self.runtime, self.rng, self.clock, self.zones)
        self.store.provide("Endpoints", EndpointsView(self.endpoints))
        self.store.provide("EndpointSlice", SliceView(self.endpoints))
        self.workloads = WorkloadController(self.store, self.runtime, self.clock)
        self.probes = ProbeScheduler(self.clock, self.runtime)
        self.pod_ips: dict[str, PodIPAllocator] = {}
        self.node_cidrs: set[int] = set()
        self.node_load: dict[str, int] = {}
        self.pods_by_ip: dict[str, Key] = {}
        self.nodes_by_ip: dict[str, str] = {}
        self.node_ips: dict[str, str] = {}
        self.feasible_nodes: dict[tuple, tuple[object, object, list[str]]] = {}
        self.sorted_nodes: dict[tuple, tuple] = {}
        self.pending: dict[Key, None] = {}
        self.freed_places: dict[str, int] = {}
        self.starting: dict[Key, StartRecord] = {}
        self.terminating: dict[Key, float] = {}
        self.node_images: dict[str, set[str]] = {}
        self.requeues: set[tuple[Requeue, float]] = set()  # scheduled, not yet due
        self.service_log: dict[str, list[tuple[Key, dict | None]]] = {}
        self.ports_switched = 0
        self.load_balancers_freed = False
        self.port_forwards = PortForwards()
        self.host_ports: dict[tuple[str, int], tuple[Key, int]] = {}

    # -- reads --------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.clock.now

    def require(self, kind: str, namespace: str, name: str) -> dict:
        """The object, or NotFound worded as the API server words it."""
        obj = self.store.get(kind, namespace, name)
        if obj is None:
            rt = kinds.by_kind(kind)
            raise NotFound(rt.resource_qualified if rt else kind.lower(), name, namespace)
        return obj

    def pod_ready(self, namespace: str, name: str) -> bool:
        """Whether the pod's Ready condition is true."""
        rt = self.runtime.get((namespace, name))
        return rt is not None and rt.ready

    def pod_by_ip(self, ip: str) -> dict | None:
        """The pod with this IP, or None."""
        key = self.pods_by_ip.get(ip)
        return self.store.get("Pod", *key) if key else None

    def host_port_pod(self, node: str, port: int) -> tuple[dict, int] | None:
        """The running pod listening on `node`'s address at `port` (a hostNetwork pod or a
        hostPort), and the port it listens on inside; None when no pod does."""
        found = self.host_ports.get((node, port))
        if found is None:
            return None
        pod = self.store.get("Pod", *found[0])
        return (pod, found[1]) if pod is not None else None

    def forwarded(self, port: int) -> tuple[dict, int, int] | None:
        """The pod a `kubectl port-forward` on the host's `port` leads to, the pod's port
        and the job number; None when nothing forwards that port (or its pod is gone)."""
        forward = self.port_forwards.local_ports().get(port)
        if forward is None or not alive(self.runtime, forward):
            return None
        pod = self.store.get("Pod", *forward.pod)
        return (pod, forward.ports[port], forward.job) if pod is not None else None

    def node_by_ip(self, ip: str) -> dict | None:
        """The node with this InternalIP, or None."""
        name = self.nodes_by_ip.get(ip)
        return self.store.get("Node", "", name) if name else None

    def node_ip(self, name: str) -> str:
        """A node's InternalIP ("" when the node does not exist)."""
        return self.node_ips.get(name, "")

    def pod_listens(self, pod: dict | None, port: int) -> bool:
        """Whether a container of `pod` declares `port` and it has not been stopped."""
        if pod is None:
            return False
        meta = pod["metadata"]
        rt = self.runtime.get((meta["namespace"], meta["name"]))
        return rt is not None and rt.listens(port)

    def pods_on(self, node: str) -> list[dict]:
        """The pods bound to `node`, by namespace and name."""
        return [p for _, p in sorted(self.store.items("Pod")) if p["spec"].get("nodeName") == node]

    def backends(self, namespace: str, service: str, port_name: str) -> list[Backend]:
        """A Service port's endpoints as its Endpoints object lists them, ready and not."""
        return self.endpoints.backends(namespace, service, port_name)

    def serving_version(self) -> int:
        """A stamp that moves whenever `backends` may answer differently, or `pod_listens`
        for a pod still in the store: both counts only grow, so their sum moves with either."""
        return self.endpoints.version + self.ports_switched

    def events_for(self, kind: str, namespace: str, name: str) -> list[K8sEvent]:
        """Events about an object, oldest first (pods include their start-up events)."""
        events = self.k8s_events.about((kind, namespace, name))
        if kind == "Pod":
            pod = self.store.get("Pod", namespace, name)
            if pod is not None:
                events = kubelet_events.start_events(self, pod) + events
        return sorted(events, key=lambda e: e.first)

    def all_events(self) -> list[tuple[tuple[str, str, str], K8sEvent]]:
        """Every event with its `(kind, namespace, name)`, oldest first: the recorded ones
        and every pod's start-up events."""
        items = list(self.k8s_events.items())
        for (namespace, name), pod in self.store.items("Pod"):
            items += [(("Pod", namespace, name), e) for e in kubelet_events.start_events(self, pod)]
        return sorted(items, key=lambda item: item[1].last)

    # -- the small steps every change is made of ---------------------------------------

    def requeue_at(self, kind: str, key: Key, at: float) -> None:
        """Have a controller look at an owner again at simulated time `at` (once per time)."""
        entry = (Requeue(kind, key), at)
        if entry not in self.requeues:
            self.requeues.add(entry)
            self.clock.schedule(at, entry[0])

    def new_uid(self) -> str:
        """A deterministic UID."""
        return new_uid(self.rng)

    def touch_object(self, obj: dict, generation: bool = False) -> None:
        """Record an in-place change: new resourceVersion (and generation)."""
        meta = obj["metadata"]
        meta["resourceVersion"] = self.store.next_resource_version()
        self.store.kind_revisions[obj["kind"]] += 1
        if generation:
            meta["generation"] = meta.get("generation", 1) + 1

    def record_event(
        self, obj: dict, type_: str, reason: str, source: str, message: str
    ) -> K8sEvent:
        """Record a Kubernetes Event about `obj`; repeats and similar events aggregate
        as client-go's correlator makes them (simulator.k8s_events)."""
        return self.record_events(obj, type_, reason, source, [message])[-1]

    def record_events(
        self, obj: dict, type_: str, reason: str, source: str, messages: list[str]
    ) -> list[K8sEvent]:
        """`record_event` for several messages about one object (a controller's batch)."""
        meta = obj["metadata"]
        ref = (obj["kind"], meta.get("namespace", ""), meta["name"])
        return self.k8s_events.record(ref, type_, reason, source, messages, self.now)
