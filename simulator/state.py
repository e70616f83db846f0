"""ClusterState: the live cluster — objects, pods' runtime, controllers, clock and events.

This is the one object every layer works on. `kubectl` and `network` read the
store and call the mutation methods here; controllers run inside these methods
so that, when a method returns, the cluster has converged (pods created,
scheduled and listed in their Services' Endpoints).
"""

from __future__ import annotations

import contextlib
import gc
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from . import kinds, kubelet
from .admission import admit_pod
from .capacity import UNLIMITED, Capacity, Tally, forbidden
from .clock import Clock, timestamp
from .controllers import scheduler, services
from .controllers.endpoints import NOT_LISTED, EndpointsController
from .controllers.workloads import WorkloadController, controller_ref, new_pods
from .endpoints import Backend
from .events import ADDED, DELETED, MODIFIED, NOT_READY, READY, EventLog
from .ipam import (
    INGRESS_IP,
    HostAddressPool,
    NodePortAllocator,
    PodIPAllocator,
    ServiceIPAllocator,
    node_pod_cidr,
)
from .k8s_events import EventRecorder, K8sEvent
from .names import new_uid
from .probes import ProbeScheduler, ProbeState
from .problems import Problem
from .store import Key, Store, key_of

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk change, then freeze what it made.

    A cluster is a large graph of small, long-lived, acyclic dicts. While
    thousands of pods are created the collector would rescan them again and
    again, and afterwards it would walk them all once more; moving them to the
    permanent generation (`gc.freeze`) spares both. Reference counting still
    frees them, and the simulator keeps no reference cycles (controllers hold
    the cluster through weak proxies), so a dropped cluster is freed at once.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > BULK_OBJECTS:
                gc.freeze()
            gc.enable()


BULK_OBJECTS = 20_000  # allocations in one change after which its objects are frozen


class NotFound(LookupError):
    """`Error from server (NotFound): <resource> "<name>" not found`."""

    def __init__(self, resource: str, name: str, namespace: str = "") -> None:
        super().__init__(f'{resource} "{name}" not found')
        self.resource, self.name, self.namespace = resource, name, namespace

    def kubectl_message(self) -> str:
        """The full line kubectl prints."""
        return f"Error from server (NotFound): {self}"


class Conflict(ValueError):
    """An API or client error other than NotFound; `str()` is the full kubectl line."""


class ApplyError(ValueError):
    """Applying would conflict with the cluster.

    Attributes:
        problems: every conflict found.
        applied: what was applied anyway. Only `create` applies anything when it fails:
            like kubectl, it goes on past objects that already exist (and nothing else
            was wrong); otherwise nothing is applied.
    """

    def __init__(self, problems: list[Problem], applied: list[Outcome] | None = None) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        self.applied = applied or []


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one object in apply/create: `created`, `configured`, `unchanged`."""

    kind: str
    namespace: str
    name: str
    action: str


NO_PORTS: frozenset[int] = frozenset()  # one shared empty set (frozenset() allocates anew)
NO_FILES: dict[str, set[str]] = {}  # shared by pods nothing was written to; never edited


class PodRuntime:
    """What the kubelet knows about a running pod, beyond its API object.

    One record per running pod, which the Endpoints controller also keeps in every
    Service listing the pod (a second record per pod would cost as much again).

    Attributes:
        name, uid, ip, node: the pod's name, UID, IP and node.
        containers: the pod's `spec.containers` (shared by the pods of a template).
        started_at: simulated time the containers started.
        env_seq: how much of the namespace's Service log the containers saw at start
            (service environment variables are fixed when a container starts).
        ready: the pod's Ready condition.
        files: paths created in each container (`touch`), by container name.
        stopped_ports: container ports made to refuse connections.
        probes: each probed container's readiness probe state.
        container_ready: readiness by container name (containers without a probe are ready).
        last_probe_output: what the last failed probe printed, for explanations.
        ports: the container ports the pod declares (what answers connections).
        services: the Endpoints controller's: the managed Services listing this pod.
    """

    __slots__ = ("container_ready", "containers", "env_seq", "files", "ip", "last_probe_output",
                 "name", "node", "ports", "probes", "ready", "services", "started_at",
                 "stopped_ports", "uid")  # fmt: skip

    def __init__(self, pod: dict, ip: str, node: str, started_at: float, env_seq: int,
                 template: kubelet.StartTemplate) -> None:  # fmt: skip
        meta = pod["metadata"]
        self.name: str = meta["name"]
        self.uid: str = meta["uid"]
        self.ip = ip
        self.node = node
        self.containers: list[dict] | None = pod["spec"].get("containers")
        self.services = NOT_LISTED
        self.started_at = started_at
        self.env_seq = env_seq
        self.probes: list[ProbeState] = template.probes()
        self.ports: frozenset[int] = template.ports
        # Shared with the pods of its template until a probe flips: replaced, never edited.
        self.container_ready: dict[str, bool] = template.container_ready
        self.ready = template.ready
        self.files: dict[str, set[str]] = NO_FILES  # replaced by its own dict on first touch
        self.stopped_ports = NO_PORTS  # replaced, never edited, when a port stops
        self.last_probe_output = ""


class ClusterState:
    """The cluster. See the module docstring; methods raise NotFound / Conflict / ApplyError."""

    def __init__(self, seed: int = 0, capacity: Capacity = UNLIMITED) -> None:
        self.capacity = capacity
        self.rng = random.Random(seed)
        self.clock = Clock()
        self.store = Store()
        self.log = EventLog()
        self.runtime: dict[Key, PodRuntime] = {}
        self.service_ips = ServiceIPAllocator(self.rng)
        self.node_ports = NodePortAllocator(self.rng)
        self.node_pool = HostAddressPool(2, 99)
        self.lb_pool = HostAddressPool(200, 250)
        self.endpoints = EndpointsController(self)
        self.workloads = WorkloadController(self)
        self.probes = ProbeScheduler(self)
        self._pod_ips: dict[str, PodIPAllocator] = {}
        self._node_cidrs: set[int] = set()
        self._node_load: dict[str, int] = {}
        self._by_pod_ip: dict[str, Key] = {}
        self._by_node_ip: dict[str, str] = {}
        self._node_ips: dict[str, str] = {}
        self._feasible_cache: dict[tuple, tuple[object, object, list[str]]] = {}
        self._after_settle: list = []
        self._ports_switched = 0  # stop_port calls, for serving_version
        self._pending: dict[Key, None] = {}
        # Per namespace, each Service as it was created or updated (None: deleted), in
        # order; a container sees the prefix that existed when it started. The objects
        # are kept as they were (updates replace them), so the variables are derived
        # only when a container's environment is read.
        self._service_log: dict[str, list[tuple[Key, dict | None]]] = {}
        self.k8s_events = EventRecorder()

    # == queries ===================================================================

    @property
    def now(self) -> float:
        """Simulated seconds since the cluster started."""
        return self.clock.now

    def new_uid(self) -> str:
        """A deterministic UID."""
        return new_uid(self.rng)

    def pod_ready(self, namespace: str, name: str) -> bool:
        """Whether the pod's Ready condition is true."""
        rt = self.runtime.get((namespace, name))
        return rt is not None and rt.ready

    def pod_by_ip(self, ip: str) -> dict | None:
        """The pod with this IP, or None."""
        key = self._by_pod_ip.get(ip)
        return self.store.get("Pod", *key) if key else None

    def node_by_ip(self, ip: str) -> dict | None:
        """The node with this InternalIP, or None."""
        name = self._by_node_ip.get(ip)
        return self.store.get("Node", "", name) if name else None

    def node_ip(self, name: str) -> str:
        """A node's InternalIP ("" when the node does not exist)."""
        return self._node_ips.get(name, "")

    def pod_listens(self, pod: dict | None, port: int) -> bool:
        """Whether a container of `pod` declares `port` and it has not been stopped."""
        if pod is None:
            return False
        meta = pod["metadata"]
        rt = self.runtime.get((meta["namespace"], meta["name"]))
        return rt is not None and port in rt.ports and port not in rt.stopped_ports

    def backends(self, namespace: str, service: str, port_name: str) -> list[Backend]:
        """A Service port's endpoints as its Endpoints object lists them, ready and not."""
        return self.endpoints.backends(namespace, service, port_name)

    def serving_version(self) -> int:
        """A stamp that moves whenever `backends` may answer differently, or `pod_listens`
        for a pod still in the store: both counts only grow, so their sum moves with either."""
        return self.endpoints.version + self._ports_switched

    def events_for(self, kind: str, namespace: str, name: str) -> list[K8sEvent]:
        """Events about an object, oldest first (pods include their start-up events)."""
        events = self.k8s_events.about((kind, namespace, name))
        if kind == "Pod":
            events = self._pod_start_events(namespace, name) + events
        return sorted(events, key=lambda e: e.first)

    def all_events(self) -> list[tuple[tuple[str, str, str], K8sEvent]]:
        """Every recorded event with its `(kind, namespace, name)`, oldest first."""
        return sorted(self.k8s_events.items(), key=lambda item: item[1].last)

    def pod_env(
        self, namespace: str, name: str, container: str | None = None
    ) -> list[tuple[str, str]]:
        """A container's environment as `env` prints it: service links as of its start."""
        pod = self._pod(namespace, name)
        rt = self.runtime.get((namespace, name))
        spec = pod["spec"]
        chosen = _container(pod, container)
        env: dict[str, str] = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOSTNAME": spec.get("hostname") or name,
        }
        env.update(kubelet.declared_env(pod, chosen, self.store))
        if rt is not None:
            links: dict[str, list[tuple[str, str]]] = {}
            kubernetes = self.store.get("Service", "default", "kubernetes")
            if kubernetes is not None:
                links["default/kubernetes"] = kubelet.service_env(kubernetes)
            if spec.get("enableServiceLinks", True):
                for key, service in self._service_log.get(namespace, [])[: rt.env_seq]:
                    label = f"{key[0]}/{key[1]}"
                    if service is None:
                        links.pop(label, None)
                    else:
                        links[label] = kubelet.service_env(service)
            for variables in links.values():
                for k, v in variables:
                    env.setdefault(k, v)
        env.setdefault("HOME", "/root")
        return list(env.items())

    def file_exists(self, namespace: str, pod: str, container: str | None, path: str) -> bool:
        """Whether `path` exists in the container (touched files and the image's basics)."""
        rt = self.runtime.get((namespace, pod))
        if rt is None:
            return False
        name = container or _container(self._pod(namespace, pod), None)["name"]
        return kubelet.path_exists(rt.files.get(name, set()), path)

    def list_dir(self, namespace: str, pod: str, container: str | None, path: str) -> list[str]:
        """Entries directly under `path` that were created in the container."""
        rt = self.runtime.get((namespace, pod))
        if rt is None:
            return []
        name = container or _container(self._pod(namespace, pod), None)["name"]
        prefix = kubelet.normalize(path).rstrip("/") + "/"
        entries = {
            f[len(prefix) :].split("/", 1)[0]
            for f in rt.files.get(name, ())
            if f.startswith(prefix)
        }
        return sorted(entries)

    def is_busybox(self, pod_key: Key, container: str | None) -> bool:
        """Whether the container image is BusyBox-based (its tools word errors differently)."""
        pod = self.store.get("Pod", *pod_key)
        image = _container(pod, container).get("image", "") if pod else ""
        return "busybox" in image or "alpine" in image

    # == mutations =================================================================

    def apply(self, documents: list, *, mode: str = "apply", namespace: str = "default",
              locate=None) -> list[Outcome]:  # fmt: skip
        """Apply validated, defaulted documents (`Document` objects) all or nothing.

        Args:
            documents: the documents, in input order.
            mode: "apply" (create or update), "create" (AlreadyExists when present)
                or "replace".
            namespace: the namespace for objects that name none.
            locate: optional `(document_index, field) -> (line, column)` for problems.

        Raises:
            ApplyError: with every conflict found (AlreadyExists, missing namespace,
                allocated ports or IPs, immutable fields); nothing is applied, except that
                `create` applies the other objects when the only conflicts are objects that
                already exist (kubectl creates objects one by one).
        """
        plans, problems, existing = self.plan(documents, mode=mode, namespace=namespace,
                                              locate=locate)  # fmt: skip
        if problems:
            raise ApplyError(sorted(problems + existing, key=lambda p: p.document))
        with gc_paused():
            outcomes = [self._apply_one(obj, old, rt, mode) for obj, old, rt in plans]
            self.settle()
        if existing:
            raise ApplyError(existing, applied=outcomes)
        return outcomes

    def plan(self, documents: list, *, mode: str = "apply", namespace: str = "default",
             locate=None) -> tuple[list, list[Problem], list[Problem]]:  # fmt: skip
        """Check documents against the cluster, changing nothing (`apply`'s first half, and
        a server-side dry run): `(plans, problems, already_existing)`, a plan being
        `(object, live object or None, ResourceType)`."""
        problems: list[Problem] = []
        existing: list[Problem] = []
        plans = []
        new_namespaces = {
            d.obj["metadata"]["name"] for d in documents if d.obj.get("kind") == "Namespace"
        }
        taken_ports: set[int] = set()
        wanted = services.Wanted()
        tally = None if self.capacity.unlimited else Tally(self.capacity, self.store)
        for doc in documents:
            obj = doc.obj
            rt = kinds.by_kind(obj["kind"])
            meta = obj["metadata"]
            name = meta["name"]
            if rt.namespaced:
                ns = meta.get("namespace") or namespace
                meta["namespace"] = ns
            else:
                ns = ""
                meta.pop("namespace", None)
            old = self.store.get(rt.kind, ns, name)

            def problem(message: str, field_path: str = "", doc=doc, obj=obj) -> None:
                line, column = locate(doc.index, field_path) if locate else (doc.line, None)
                problems.append(
                    Problem(
                        doc.index,
                        field_path,
                        message,
                        obj["kind"],
                        obj["metadata"]["name"],
                        line,
                        column,
                    )  # fmt: skip
                )

            if ns and self.store.get("Namespace", "", ns) is None and ns not in new_namespaces:
                problem(
                    f'Error from server (NotFound): error when creating "STDIN": '
                    f'namespaces "{ns}" not found'
                )
                continue
            if old is not None and mode == "create":
                problem(
                    f'Error from server (AlreadyExists): error when creating "STDIN": '
                    f'{rt.resource_qualified} "{name}" already exists'
                )
                existing.append(problems.pop())
                continue
            if rt.kind == "Service":
                for field_path, message in services.check(self, obj, old, taken_ports):
                    problem(message, field_path)
                full = wanted.add(self, obj, old, len(taken_ports))
                if full:  # the API server's allocators answer with an internal error
                    problem(
                        'Error from server (InternalError): error when creating "STDIN": '
                        f"Internal error occurred: {full}"
                    )
            reason = tally.add(obj, old) if tally is not None else ""
            if reason:  # checked before anything is applied; the first limit crossed is named
                problem(forbidden(rt.resource_qualified, name, reason))
                tally = None
            if (
                old is not None
                and rt.kind in ("Deployment", "ReplicaSet", "DaemonSet")
                and obj["spec"].get("selector") != old["spec"].get("selector")
            ):
                problem(
                    "Invalid value: " + json.dumps(obj["spec"].get("selector"))
                    + ": field is immutable",
                    "spec.selector",
                )  # fmt: skip
            plans.append((obj, old, rt))
        return plans, problems, existing

    def delete(self, kind: str, namespace: str, name: str) -> dict:
        """Delete an object and what it owns; controllers replace deleted pods."""
        obj = self.delete_object(kind, namespace, name)
        self.settle()
        return obj

    def scale(self, kind: str, namespace: str, name: str, replicas: int) -> None:
        """Set `spec.replicas` of a Deployment, ReplicaSet or ReplicationController."""
        obj = self._get(kind, namespace, name)
        if kind not in ("Deployment", "ReplicaSet", "ReplicationController"):
            raise Conflict(f"error: cannot scale {kinds.by_kind(kind).plural}")
        if replicas < 0:
            raise Conflict("error: The --replicas=COUNT flag is required, and COUNT must be >= 0")
        if not self.capacity.unlimited:
            tally = Tally(self.capacity, self.store)
            reason = tally.add({**obj, "spec": {**obj["spec"], "replicas": replicas}}, obj)
            if reason:
                raise Conflict(forbidden(kinds.by_kind(kind).resource_qualified, name, reason,
                                         creating=False))  # fmt: skip
        obj["spec"]["replicas"] = replicas
        self.touch_object(obj, generation=True)
        self.workloads.mark(kind, (namespace, name))
        self.settle()

    def set_labels(self, kind: str, namespace: str, name: str, labels: dict[str, str]) -> None:
        """Replace an object's labels; pods leave or join Services and controllers."""
        obj = self._get(kind, namespace, name)
        if kind == "Pod" and not self.capacity.unlimited and controller_ref(obj) is not None:
            tally = Tally(self.capacity, self.store)
            tally.pods += 1  # relabelled out of its owner's selector, it is replaced
            reason = tally.check()
            if reason:
                raise Conflict(forbidden("pods", name, reason, creating=False))
        if kind == "Pod":
            self.store.remove("Pod", namespace, name)
            obj["metadata"]["labels"] = dict(labels)
            self.store.put(obj)
            self.workloads.release(obj)
            self.workloads.adopt_candidates(obj)
            self.endpoints.pod_changed(obj)
        else:
            obj["metadata"]["labels"] = dict(labels)
            if kind == "Service":
                self.store.put(obj)
                self.endpoints.service_changed(obj)
            else:
                self.touch_object(obj)
            if kind == "Node":
                self._nodes_changed()
        self.log.emit(self.now, MODIFIED, kind, namespace, name, {"labels": dict(labels)})
        self.settle()

    def taint(self, node: str, key: str, value: str, effect: str, remove: bool = False) -> None:
        """Add (or remove) a taint; NoExecute evicts pods that do not tolerate it."""
        obj = self._get("Node", "", node)
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
        if taints:
            obj["spec"]["taints"] = taints
        else:
            obj["spec"].pop("taints", None)
        self.touch_object(obj)
        self.log.emit(self.now, MODIFIED, "Node", "", node, {"taints": taints})
        if not remove and effect == "NoExecute":
            for pod in self._pods_on(node):
                if not scheduler.tolerates(pod["spec"].get("tolerations"), new):
                    self.delete_pod(pod, reason="TaintManagerEviction")
        self._nodes_changed()
        self.settle()

    def set_unschedulable(self, node: str, flag: bool) -> None:
        """Cordon (True) or uncordon (False) a node."""
        obj = self._get("Node", "", node)
        taint = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
        taints = [t for t in obj["spec"].get("taints") or [] if t["key"] != taint["key"]]
        if flag:
            obj["spec"]["unschedulable"] = True
            taints.append({**taint, "timeAdded": timestamp(self.now)})
        else:
            obj["spec"].pop("unschedulable", None)
        if taints:
            obj["spec"]["taints"] = taints
        else:
            obj["spec"].pop("taints", None)
        self.touch_object(obj)
        self.log.emit(self.now, MODIFIED, "Node", "", node, {"unschedulable": flag})
        self._nodes_changed()
        self.settle()

    def touch(self, namespace: str, pod: str, container: str | None, path: str) -> None:
        """Create an empty file in a container (`kubectl exec POD -- touch PATH`)."""
        rt, name = self._runtime(namespace, pod, container)
        if rt.files is NO_FILES:
            rt.files = {}
        rt.files.setdefault(name, set()).add(kubelet.normalize(path))

    def remove_file(self, namespace: str, pod: str, container: str | None, path: str) -> bool:
        """Delete a file; returns whether it existed."""
        rt, name = self._runtime(namespace, pod, container)
        files = rt.files.get(name, set())
        path = kubelet.normalize(path)
        if path in files:
            files.discard(path)
            return True
        return False

    def stop_port(self, namespace: str, pod: str, port: int, stopped: bool = True) -> None:
        """Make a container port refuse connections (or listen again)."""
        rt, _ = self._runtime(namespace, pod, None)
        self._ports_switched += 1
        if stopped:
            rt.stopped_ports = rt.stopped_ports | {port}
        else:
            rt.stopped_ports = rt.stopped_ports - {port}

    def advance(self, seconds: float) -> None:
        """Let simulated time pass: probes run, readiness changes, Endpoints follow."""
        with gc_paused():
            self.clock.advance(seconds)
            self.settle()

    def settle(self) -> None:
        """Run controllers to a fixed point and publish Endpoints changes."""
        self.workloads.reconcile()
        self.workloads.flush_status()
        while self._after_settle:
            self._after_settle.pop(0)()
        self.endpoints.flush()

    # == building blocks used by controllers =======================================

    def after_settle(self, work) -> None:
        """Run `work()` once the current change has converged (before events are published)."""
        self._after_settle.append(work)

    def add_object(self, obj: dict) -> dict:
        """Store a new object made by a controller (uid, timestamps filled in)."""
        meta = obj["metadata"]
        meta.setdefault("uid", self.new_uid())
        meta.setdefault("creationTimestamp", timestamp(self.now))
        meta.setdefault("generation", 1)
        self.store.put(obj)
        self.workloads.object_added(obj)
        self.log.emit(self.now, ADDED, obj["kind"], meta.get("namespace", ""), meta["name"], {})
        if obj["kind"] in WORKLOAD_KINDS:
            self.workloads.mark(obj["kind"], key_of(obj), adopt=True)
        return obj

    def touch_object(self, obj: dict, generation: bool = False) -> None:
        """Record an in-place change: new resourceVersion (and generation)."""
        meta = obj["metadata"]
        meta["resourceVersion"] = self.store.next_resource_version()
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

    def create_pods(self, owner: dict, template: dict, count: int, *, node: str | None = None,
                    spec: dict | None = None) -> list[dict]:  # fmt: skip
        """Create `count` pods for `owner` from `template` (or `spec`), schedule and start them."""
        pod_spec = dict(spec if spec is not None else template["spec"])
        admit_pod(pod_spec)  # once for the batch: each pod gets its own copy of the result
        if node:
            pod_spec["nodeName"] = node
        pods = new_pods(self, owner, template, pod_spec, count)
        self._place_and_start(pods, owner["metadata"]["uid"])
        source = _CREATED_BY.get(owner["kind"])
        if source is not None:
            messages = [f"Created pod: {pod['metadata']['name']}" for pod in pods]
            self.record_events(owner, "Normal", "SuccessfulCreate", source, messages)
        return pods

    def delete_pod(self, pod: dict, reason: str | None) -> None:
        """Remove a pod now: its IP is freed, Services drop it, its controller replaces it."""
        meta = pod["metadata"]
        key = (meta["namespace"], meta["name"])
        if self.store.remove("Pod", *key) is None:
            return
        self.endpoints.pod_deleted(key)
        self.runtime.pop(key, None)
        self._pending.pop(key, None)
        status = pod.get("status") or {}
        node = pod["spec"].get("nodeName")
        ip = status.get("podIP")
        if ip:
            self._by_pod_ip.pop(ip, None)
            allocator = self._pod_ips.get(node or "")
            if allocator is not None:
                allocator.release(ip)
        if node and status.get("phase") == "Running":
            self._node_load[node] = self._node_load.get(node, 1) - 1
        self.workloads.pod_removed(pod)
        self.k8s_events.forget(("Pod", *key))
        self.log.emit(
            self.now, DELETED, "Pod", key[0], key[1], {"reason": reason} if reason else {}
        )

    def delete_object(self, kind: str, namespace: str, name: str) -> dict:
        """Delete without settling (controllers' cascades use this)."""
        obj = self._get(kind, namespace, name)
        if kind == "Pod":
            self.delete_pod(obj, reason=None)
            return obj
        if kind == "Namespace":
            if name in ("default", "kube-system", "kube-public", "kube-node-lease"):
                raise Conflict(
                    f'Error from server (Forbidden): namespaces "{name}" is forbidden: '
                    "this namespace may not be deleted"
                )
            for rt in kinds.RESOURCE_TYPES:
                if rt.namespaced and rt.kind not in ("Event",):
                    for child in self.store.list(rt.kind, name):
                        if self.store.get(rt.kind, name, child["metadata"]["name"]) is not None:
                            self.delete_object(rt.kind, name, child["metadata"]["name"])
        if kind == "Endpoints":
            self.endpoints.remove_manual((namespace, name))
        self.store.remove(kind, namespace, name)
        self.workloads.object_removed(obj)
        uid = obj["metadata"].get("uid", "")
        if kind in ("ReplicaSet", "ReplicationController", "DaemonSet"):
            for pod in self.workloads.pods_of(uid):
                self.delete_pod(pod, reason=None)
            self.workloads.forget_owner(uid)
            ref = controller_ref(obj)
            if ref is not None:
                self.workloads.mark(ref["kind"], (namespace, ref["name"]))
        elif kind == "Deployment":
            for rs in self.store.list("ReplicaSet", namespace):
                ref = controller_ref(rs)
                if ref and ref["uid"] == uid:
                    self.delete_object("ReplicaSet", namespace, rs["metadata"]["name"])
            self.workloads.object_removed(obj)
        elif kind == "Service":
            services.release(self, obj)
            if obj.get("status", {}).get("loadBalancer", {}).get("ingress"):
                self.after_settle(lambda: services.assign_waiting_load_balancers(self))
            self.endpoints.service_deleted((namespace, name))
            self._service_log.setdefault(namespace, []).append(((namespace, name), None))
        elif kind == "Node":
            for pod in self._pods_on(name):
                self.delete_pod(pod, reason="NodeDeleted")
            address = self._node_ips.pop(name, "")
            self._by_node_ip.pop(address, None)
            self.node_pool.release(address)
            self._node_load.pop(name, None)
            self._pod_ips.pop(name, None)
            self._nodes_changed()
        self.k8s_events.forget((kind, namespace, name))
        self.log.emit(self.now, DELETED, kind, namespace, name, {})
        return obj

    def record_probe(self, pod_key: Key, rt: PodRuntime, probe: ProbeState, ok: bool,
                     output: str) -> None:  # fmt: skip
        """Count a probe result; flip the container's readiness at the thresholds."""
        if ok:
            probe.failures = 0
            probe.successes += 1
            flip = not probe.ready and probe.successes >= probe.check.success_threshold
        else:
            probe.successes = 0
            probe.failures += 1
            flip = probe.ready and probe.failures >= probe.check.failure_threshold
            event = probe.event
            if event is not None and output == rt.last_probe_output:
                event.count += 1  # kubectl shows this as "(x4 over 33s)"
                event.last = self.now
            else:
                pod = self.store.get("Pod", *pod_key)
                if pod is not None:
                    message = f"Readiness probe failed: {output}".rstrip()
                    probe.event = self.record_event(pod, "Warning", "Unhealthy", "kubelet", message)
            rt.last_probe_output = output
        if flip:
            probe.ready = not probe.ready
            rt.container_ready = {**rt.container_ready, probe.check.container: probe.ready}
            self._update_readiness(pod_key, rt)

    # == internals =================================================================

    def _apply_one(self, obj: dict, old: dict | None, rt, mode: str) -> Outcome:
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        if mode == "apply":
            # kubectl has recorded the user's object; an unchanged record means no change.
            config = (meta.get("annotations") or {}).get(LAST_APPLIED)
            previous = ((old or {}).get("metadata", {}).get("annotations") or {}).get(LAST_APPLIED)
            same_record = config is not None and previous == config
            if old is not None and same_record and not _drifted(obj, old):
                return Outcome(rt.kind, ns, name, "unchanged")
        if old is not None:
            meta["uid"] = old["metadata"]["uid"]
            meta["creationTimestamp"] = old["metadata"]["creationTimestamp"]
            changed_spec = old.get("spec") != obj.get("spec")
            meta["generation"] = old["metadata"].get("generation", 1) + (1 if changed_spec else 0)
        else:
            meta["uid"] = self.new_uid()
            meta["creationTimestamp"] = timestamp(self.now)
            meta["generation"] = 1
        handler = getattr(self, f"_put_{rt.kind.lower()}", None)
        if handler is not None:
            handler(obj, old)
        else:
            if old is not None and "status" in old and "status" not in obj:
                obj["status"] = old["status"]
            self.store.put(obj)
        self.log.emit(self.now, MODIFIED if old else ADDED, rt.kind, ns, name, _summary(obj))
        return Outcome(rt.kind, ns, name, "configured" if old else "created")

    def _put_namespace(self, obj: dict, old: dict | None) -> None:
        obj["status"] = {"phase": "Active"}
        labels = obj["metadata"].setdefault("labels", {})
        labels["kubernetes.io/metadata.name"] = obj["metadata"]["name"]
        self.store.put(obj)

    def _put_node(self, obj: dict, old: dict | None) -> None:
        name = obj["metadata"]["name"]
        labels = obj["metadata"].setdefault("labels", {})
        for k, v in (("kubernetes.io/hostname", name), ("kubernetes.io/os", "linux"),
                     ("kubernetes.io/arch", "amd64"), ("beta.kubernetes.io/os", "linux"),
                     ("beta.kubernetes.io/arch", "amd64")):  # fmt: skip
            labels.setdefault(k, v)
        obj.setdefault("spec", {})
        if old is not None:
            obj["status"] = old["status"]
            obj["spec"].setdefault("podCIDR", old["spec"].get("podCIDR"))
            obj["spec"].setdefault("podCIDRs", old["spec"].get("podCIDRs"))
        else:
            index = next((i for i in range(256) if i not in self._node_cidrs), None)
            if index is not None:  # else, as the node IPAM controller: no podCIDR, pods Pending
                self._node_cidrs.add(index)
                cidr = node_pod_cidr(index)
                obj["spec"]["podCIDR"] = str(cidr)
                obj["spec"]["podCIDRs"] = [str(cidr)]
                self._pod_ips[name] = PodIPAllocator(cidr)
            address = self.node_pool.allocate() or ""
            self._by_node_ip[address] = name
            self._node_ips[name] = address
            obj["status"] = _node_status(name, address, obj["metadata"]["creationTimestamp"])
        self.store.put(obj)
        self._nodes_changed()

    def _put_service(self, obj: dict, old: dict | None) -> None:
        services.allocate(self, obj, old)
        self.store.put(obj)
        key = key_of(obj)
        self._service_log.setdefault(key[0], []).append((key, obj))
        self.endpoints.service_changed(obj)

    def _put_endpoints(self, obj: dict, old: dict | None) -> None:
        obj["metadata"]["resourceVersion"] = self.store.next_resource_version()
        self.endpoints.put_manual(obj)

    def _put_pod(self, obj: dict, old: dict | None) -> None:
        if old is not None:
            # A pod's spec is immutable but for a few fields; keep the running one.
            old["metadata"]["labels"] = obj["metadata"].get("labels") or {}
            old["metadata"]["annotations"] = obj["metadata"].get("annotations") or {}
            self.store.remove("Pod", *key_of(old))
            self.store.put(old)
            self.endpoints.pod_changed(old)
            return
        obj["spec"] = dict(obj["spec"])
        admit_pod(obj["spec"])
        self._place_and_start([obj], owner_uid=None)
        self.workloads.adopt_candidates(obj)

    def _put_workload(self, obj: dict, old: dict | None) -> None:
        if old is not None and "status" in old:
            obj["status"] = old["status"]
        self.store.put(obj)
        self.workloads.mark(obj["kind"], key_of(obj), adopt=True)

    _put_deployment = _put_replicaset = _put_replicationcontroller = _put_workload
    _put_daemonset = _put_workload

    def _put_ingress(self, obj: dict, old: dict | None) -> None:
        spec = obj.setdefault("spec", {})
        legacy = (obj["metadata"].get("annotations") or {}).get("kubernetes.io/ingress.class")
        if old is None and not spec.get("ingressClassName") and not legacy:
            # The DefaultIngressClass admission plugin names the default class on create.
            defaults = [
                c["metadata"]["name"]
                for c in self.store.list("IngressClass")
                if (c["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true"
            ]
            if len(defaults) == 1:
                spec["ingressClassName"] = defaults[0]
        elif old is not None and not spec.get("ingressClassName"):
            previous = old.get("spec", {}).get("ingressClassName")
            if previous:
                spec["ingressClassName"] = previous
        obj["status"] = {"loadBalancer": {"ingress": [{"ip": INGRESS_IP}]}}
        self.store.put(obj)

    def _put_secret(self, obj: dict, old: dict | None) -> None:
        import base64

        string_data = obj.pop("stringData", None) or {}
        data = obj.setdefault("data", {})
        for k, v in string_data.items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj.setdefault("type", "Opaque")
        self.store.put(obj)

    def _place_and_start(self, pods: list[dict], owner_uid: str | None) -> None:
        owner_load = self.workloads.owner_nodes(owner_uid) if owner_uid else {}
        groups: dict[int, list[dict]] = {}
        for pod in pods:
            groups.setdefault(id(pod["spec"].get("containers")), []).append(pod)
        started = []
        for group in groups.values():
            candidates = self._feasible(group[0]["spec"])
            placement = scheduler.place(len(group), candidates, self._node_load, owner_load)
            started += self._start_pods(group, placement)
        self.endpoints.pods_added(started)

    def _feasible(self, spec: dict) -> list[str]:
        """Nodes that can take pods with `spec`, cached until nodes change."""
        tolerations, selector = spec.get("tolerations"), spec.get("nodeSelector")
        key = (id(tolerations), id(selector), spec.get("nodeName"))
        cached = self._feasible_cache.get(key)
        if cached is None or cached[0] is not tolerations or cached[1] is not selector:
            names = scheduler.feasible(self.store.list("Node"), spec)
            cached = self._feasible_cache[key] = (tolerations, selector, names)
        return cached[2]

    def _start_pods(self, pods: list[dict], nodes: list[str | None]) -> list[dict]:
        """Bind and run pods of one template (one namespace); returns those that started.

        A pod without a node, or whose node has no free IP, stays Pending. This loop runs
        for every pod a controller makes, so the template's share of the work is done once
        and the indexes take the batch at once. Endpoints are the caller's.
        """
        now = self.now
        template = kubelet.StartTemplate(pods[0]["spec"].get("containers"), timestamp(now))
        runtime, by_ip, log = self.runtime, self._by_pod_ip, self.log
        env_seq = len(self._service_log.get(pods[0]["metadata"]["namespace"], ()))
        scheduled: list[list[tuple[Key, ProbeState]]] = [[] for _ in template.probe_slots]
        started = []
        added: list[tuple[str, str, dict]] = []  # ADDED events, in order with pending pods'
        pod_ips, node_ips = self._pod_ips, self._node_ips
        for pod, node in zip(pods, nodes, strict=True):
            allocator = pod_ips.get(node or "")
            ip = allocator.allocate() if allocator is not None else None
            if node is None or ip is None:
                log.emit_all(now, ADDED, "Pod", added)
                added = []
                self._leave_pending(pod, node)
                continue
            meta = pod["metadata"]
            key = (meta["namespace"], meta["name"])
            pod["spec"]["nodeName"] = node  # the spec is this pod's own copy
            rt = runtime[key] = PodRuntime(pod, ip, node, now, env_seq, template)
            pod["status"] = template.status(node_ips.get(node, ""), ip, meta["uid"])
            by_ip[ip] = key  # never pending here: a retried pod leaves _pending first
            for bucket, probe in zip(scheduled, rt.probes, strict=True):
                bucket.append((key, probe))
            detail = _pod_detail(ip, node, "Running", rt.ready, meta.get("labels"))
            added.append((key[0], key[1], detail))
            started.append(pod)
        log.emit_all(now, ADDED, "Pod", added)
        if started:
            self.store.add_pods(started[0]["metadata"]["namespace"], started)
            self.workloads.pods_added(started)
        for (delay, period), entries in zip(template.probe_slots, scheduled, strict=True):
            if entries:
                self.probes.add_all(now + delay, period, entries)
        return started

    def _leave_pending(self, pod: dict, node: str | None) -> None:
        """A pod no node can take (or whose node ran out of IPs): Pending, with the reason."""
        key = key_of(pod)
        if node is not None and node in self._node_load:
            self._node_load[node] -= 1
        message = scheduler.unschedulable_message(
            self.store.list("Node"), pod["spec"], self._node_load
        )
        pod["status"] = kubelet.pending_status(message, timestamp(self.now))
        self.store.put(pod)
        self.workloads.pod_added(pod)
        self._pending[key] = None
        self.record_event(pod, "Warning", "FailedScheduling", "default-scheduler", message)
        detail = _pod_detail(None, pod["spec"].get("nodeName"), "Pending", False,
                             pod["metadata"].get("labels"))  # fmt: skip
        self.log.emit(self.now, ADDED, "Pod", key[0], key[1], detail)

    def _update_readiness(self, key: Key, rt: PodRuntime) -> None:
        ready = all(rt.container_ready.values())
        if ready == rt.ready:
            return
        rt.ready = ready
        pod = self.store.get("Pod", *key)
        if pod is None:
            return
        kubelet.set_ready_in_status(pod, rt, timestamp(self.now))
        self.touch_object(pod)
        self.endpoints.pod_ready_changed(key, ready)
        ref = controller_ref(pod)
        if ref is not None:
            self.workloads.status_changed(ref["kind"], (key[0], ref["name"]))
        detail = {"ip": pod["status"].get("podIP"), "node": pod["spec"].get("nodeName")}
        self.log.emit(self.now, READY if ready else NOT_READY, "Pod", key[0], key[1], detail)

    def _nodes_changed(self) -> None:
        """Nodes or their taints changed: retry pending pods, recheck DaemonSets."""
        self._feasible_cache.clear()
        self.workloads.mark_all_daemonsets()
        if not self._pending:
            return
        for key in list(self._pending):
            pod = self.store.get("Pod", *key)
            if pod is None:
                self._pending.pop(key, None)
                continue
            ref = controller_ref(pod)
            owner_load = self.workloads.owner_nodes(ref["uid"]) if ref else {}
            candidates = self._feasible(pod["spec"])
            (node,) = scheduler.place(1, candidates, self._node_load, owner_load)
            if node is not None:
                del self._pending[key]
                self.store.remove("Pod", *key)
                self.endpoints.pods_added(self._start_pods([pod], [node]))
                self.record_event(pod, "Normal", "Scheduled", "default-scheduler",
                                  f"Successfully assigned {key[0]}/{key[1]} to {node}")  # fmt: skip

    def _pods_on(self, node: str) -> list[dict]:
        return [p for _, p in sorted(self.store.items("Pod")) if p["spec"].get("nodeName") == node]

    def _pod_start_events(self, namespace: str, name: str) -> list[K8sEvent]:
        pod = self.store.get("Pod", namespace, name)
        rt = self.runtime.get((namespace, name))
        if pod is None or rt is None:
            return []
        at = rt.started_at
        node = pod["spec"].get("nodeName")
        assigned = f"Successfully assigned {namespace}/{name} to {node}"
        events = [K8sEvent("Normal", "Scheduled", "default-scheduler", assigned, at, at)]
        for c in pod["spec"].get("containers") or ():
            image = c.get("image", "")
            events += [
                K8sEvent("Normal", "Pulled", "kubelet",
                         f'Container image "{image}" already present on machine', at, at),
                K8sEvent("Normal", "Created", "kubelet", f"Created container: {c['name']}", at, at),
                K8sEvent("Normal", "Started", "kubelet", f"Started container {c['name']}", at, at),
            ]  # fmt: skip
        return events

    def _get(self, kind: str, namespace: str, name: str) -> dict:
        obj = self.store.get(kind, namespace, name)
        if obj is None:
            rt = kinds.by_kind(kind)
            raise NotFound(rt.resource_qualified if rt else kind.lower(), name, namespace)
        return obj

    def _pod(self, namespace: str, name: str) -> dict:
        return self._get("Pod", namespace, name)

    def _runtime(self, namespace: str, pod: str, container: str | None) -> tuple[PodRuntime, str]:
        obj = self._pod(namespace, pod)
        rt = self.runtime.get((namespace, pod))
        if rt is None:
            raise Conflict(f'error: unable to upgrade connection: pod "{pod}" is not running')
        return rt, _container(obj, container)["name"]


def _container(pod: dict, name: str | None) -> dict:
    containers = pod["spec"].get("containers") or [{"name": ""}]
    if name is None:
        return containers[0]
    for c in containers:
        if c["name"] == name:
            return c
    raise Conflict(
        f"Error from server (BadRequest): container {name} is not valid for pod "
        f"{pod['metadata']['name']}"
    )


def _drifted(desired: dict, live: dict) -> bool:
    """Whether the live object was changed since the last apply (`kubectl scale`, `label`).

    Services are compared on labels only: their spec holds server-set addresses.
    """
    if (desired["metadata"].get("labels") or {}) != (live["metadata"].get("labels") or {}):
        return True
    if desired["kind"] in ("Service", "Node", "Endpoints"):
        return False
    return any(desired.get(k) != live.get(k) for k in ("spec", "data", "subsets"))


# The controller that records a SuccessfulCreate event for each pod it makes.
_CREATED_BY = {
    "ReplicaSet": "replicaset-controller",
    "ReplicationController": "replication-controller",
    "DaemonSet": "daemonset-controller",
}


def _summary(obj: dict) -> dict:
    labels = obj["metadata"].get("labels")
    return {"labels": dict(labels)} if labels else {}


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


NODE_RESOURCES = {"cpu": "2", "ephemeral-storage": "61202244Ki", "pods": "110"}
NODE_CONDITIONS = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
)


def _node_status(name: str, address: str, created: str) -> dict:
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
            "kubeProxyVersion": "v1.31.0",
            "kubeletVersion": "v1.31.0",
            "operatingSystem": "linux",
            "osImage": "Ubuntu 24.04.1 LTS",
        },
    }
