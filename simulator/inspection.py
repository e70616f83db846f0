"""What an inspector shows about one object, as plain data (`Cluster.inspect`).

One read at one moment: the object's YAML and `kubectl describe` text, which
pods a Service selects and why each other pod is not, how a learner flips a
pod's readiness with a command of their own, and when its probes run next.
Nothing here changes the cluster.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, replace

from .controllers.ownership import controller_ref
from .gateway_inspection import ConditionRow, gateway_conditions
from .netpol import policies_of
from .netpol.inspect import pod_isolation, policy_details
from .readiness import ProbeTiming, ReadinessSwitch, probe_timings, readiness_switch
from .result import CommandResult
from .state import ClusterState

#: Kinds an inspector can show, with the resource name kubectl takes for each.
INSPECTABLE_KINDS: dict[str, str] = {
    "Pod": "pod",
    "Service": "service",
    "Endpoints": "endpoints",
    "Ingress": "ingress",
    "Node": "node",
    "Deployment": "deployment",
    "ReplicaSet": "replicaset",
    "ReplicationController": "replicationcontroller",
    "DaemonSet": "daemonset",
    "Gateway": "gateway",
    "HTTPRoute": "httproute",
    "NetworkPolicy": "networkpolicy",
}
#: Kinds `kubectl scale` takes.
SCALABLE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController")


@dataclass(frozen=True, slots=True)
class SelectorTerm:
    """One `key=value` term of a Service's selector, against one pod's labels.

    `pod_value` is the pod's value for `key`, None when the pod has no such label.
    """

    key: str
    value: str
    pod_value: str | None

    @property
    def matched(self) -> bool:
        return self.pod_value == self.value


@dataclass(frozen=True, slots=True)
class SelectionRow:
    """Whether one Service selects one pod of its namespace, and why.

    Attributes:
        service, pod: their names.
        terms: each term of the Service's selector against the pod's labels; empty
            when the Service has no selector (its Endpoints are managed by hand).
        selected: the Service has a selector and the pod matches every term.
        ready: the pod's Ready condition.
        listed: how the Service's Endpoints list the pod: "ready" (it gets traffic),
            "not ready" (under notReadyAddresses) or None (not at all).
    """

    service: str
    pod: str
    terms: tuple[SelectorTerm, ...]
    selected: bool
    ready: bool
    listed: str | None

    @property
    def missing(self) -> tuple[SelectorTerm, ...]:
        """The selector's terms this pod does not match."""
        return tuple(term for term in self.terms if not term.matched)


@dataclass(frozen=True, slots=True)
class WorkloadRef:
    """The workload a learner scales for a pod; `target` is `RESOURCE NAME -n NS` for kubectl."""

    kind: str
    name: str
    replicas: int | None
    target: str


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything an inspector shows about one object, read at one moment.

    Attributes:
        kind, namespace, name: the object ("" namespace for a Node).
        target: `RESOURCE NAME [-n NS]`, as kubectl commands about it take it.
        found: whether the object exists; when not, `yaml` and `describe` hold kubectl's error.
        yaml, describe: `kubectl get -o yaml` and `kubectl describe` output.
        labels: a pod's labels, sorted by key.
        ready: a pod's Ready condition.
        replicas: `spec.replicas` of a kind `kubectl scale` takes, else None.
        unschedulable: whether a Node is cordoned.
        workload: the workload that runs a pod, if a learner can scale it.
        readiness: how to flip a pod's readiness probe (None for other kinds).
        probes: a pod's readiness probes and when each runs next.
        selection: for a Service or its Endpoints, one row per pod of the namespace; for a
            pod, one row per Service of its namespace that has a selector.
        conditions: a Gateway's and its listeners' conditions, or an HTTPRoute's per parent,
            as NGINX Gateway Fabric reports them.
        notes: plain sentences about a Gateway API object that its status cannot say (a
            route's parentRef no controller answers for, a Gateway of another class).
        policy: for a NetworkPolicy, the pods it selects, its rules in words and the peers
            each allows now (`simulator.netpol.inspect.policy_details`).
        isolation: for a pod, the NetworkPolicies isolating it, `{"ingress": [...],
            "egress": [...]}`.
    """

    kind: str
    namespace: str
    name: str
    target: str
    found: bool
    yaml: str
    describe: str
    labels: tuple[tuple[str, str], ...] = ()
    ready: bool = False
    replicas: int | None = None
    unschedulable: bool = False
    workload: WorkloadRef | None = None
    readiness: ReadinessSwitch | None = None
    probes: tuple[ProbeTiming, ...] = ()
    selection: tuple[SelectionRow, ...] = ()
    conditions: tuple[ConditionRow, ...] = ()
    notes: tuple[str, ...] = ()
    policy: dict | None = None
    isolation: dict | None = None


def inspect(
    state: ClusterState,
    kubectl: Callable[[list[str]], CommandResult],
    kind: str,
    namespace: str,
    name: str,
) -> Inspection:
    """Read what an inspector shows about one object; `kubectl` runs kubectl's words
    (straight, not through the learner's shell, whose aliases would change them).

    Raises:
        ValueError: `kind` is not one of `INSPECTABLE_KINDS`.
    """
    if kind not in INSPECTABLE_KINDS:
        raise ValueError(f"an inspector shows {', '.join(INSPECTABLE_KINDS)}, not {kind!r}")
    namespace = "" if kind == "Node" else namespace
    target = kubectl_target(kind, namespace, name)
    words = target_words(kind, namespace, name)
    got = kubectl(["get", *words, "-o", "yaml"])
    described = kubectl(["describe", *words])
    found = got.exit_code == 0
    shown = Inspection(
        kind, namespace, name, target, found, got.stdout or got.stderr,
        described.stdout or described.stderr,
    )  # fmt: skip
    obj = state.store.get(kind, namespace, name) if found else None
    if obj is None:
        return shown
    extra: dict = {"selection": selection(state, kind, namespace, name)}
    if kind in SCALABLE_KINDS:
        extra["replicas"] = obj["spec"].get("replicas")
    elif kind == "Node":
        extra["unschedulable"] = bool(obj["spec"].get("unschedulable"))
    elif kind in ("Gateway", "HTTPRoute"):
        extra["conditions"], extra["notes"] = gateway_conditions(state, kind, namespace, name)
    elif kind == "Pod":
        extra.update(
            labels=tuple(sorted((obj["metadata"].get("labels") or {}).items())),
            ready=state.pod_ready(namespace, name),
            workload=_workload(state, obj),
            readiness=readiness_switch(state, obj),
            probes=probe_timings(state, namespace, name),
            isolation=pod_isolation(policies_of(state.store), obj),
        )
    elif kind == "NetworkPolicy":
        extra["policy"] = policy_details(policies_of(state.store), obj)
    return replace(shown, **extra)


def target_words(kind: str, namespace: str, name: str) -> list[str]:
    """`RESOURCE NAME -n NS` as kubectl's words (no namespace for a Node)."""
    return [INSPECTABLE_KINDS[kind], name] + ([] if kind == "Node" else ["-n", namespace])


def kubectl_target(kind: str, namespace: str, name: str) -> str:
    """`RESOURCE NAME -n NS`, quoted for a command line a learner could type."""
    return " ".join(shlex.quote(word) for word in target_words(kind, namespace, name))


def selection(
    state: ClusterState, kind: str, namespace: str, name: str
) -> tuple[SelectionRow, ...]:
    """Which pods a Service (or its Endpoints) selects, or which Services select a pod."""
    store = state.store
    if kind in ("Service", "Endpoints"):
        service = store.get("Service", namespace, name)
        if service is None:
            return ()
        listed = _listed(state, service)
        return tuple(_row(state, service, pod, listed) for pod in store.list("Pod", namespace))
    if kind == "Pod":
        pod = store.get("Pod", namespace, name)
        if pod is None:
            return ()
        return tuple(
            _row(state, service, pod, _listed(state, service))
            for service in store.list("Service", namespace)
            if service["spec"].get("selector")
        )
    return ()


def _row(state: ClusterState, service: dict, pod: dict, listed: dict[str, str]) -> SelectionRow:
    selector = service["spec"].get("selector") or {}
    labels = pod["metadata"].get("labels") or {}
    terms = tuple(SelectorTerm(k, str(v), labels.get(k)) for k, v in selector.items())
    name = pod["metadata"]["name"]
    return SelectionRow(
        service=service["metadata"]["name"],
        pod=name,
        terms=terms,
        selected=bool(terms) and all(term.matched for term in terms),
        ready=state.pod_ready(pod["metadata"]["namespace"], name),
        listed=listed.get(name),
    )


def _listed(state: ClusterState, service: dict) -> dict[str, str]:
    """Pod name -> "ready" or "not ready", as the Service's Endpoints list its pods."""
    meta = service["metadata"]
    endpoints = state.store.get("Endpoints", meta["namespace"], meta["name"]) or {}
    listed = {}
    for subset in endpoints.get("subsets") or ():
        for field, shown in (("addresses", "ready"), ("notReadyAddresses", "not ready")):
            for address in subset.get(field) or ():
                ref = address.get("targetRef") or {}
                if ref.get("kind") == "Pod":
                    listed[ref["name"]] = shown
    return listed


def _workload(state: ClusterState, pod: dict) -> WorkloadRef | None:
    """The workload a learner scales for a pod: its ReplicaSet's Deployment, or its owner."""
    namespace = pod["metadata"]["namespace"]
    ref = controller_ref(pod)
    while ref is not None:
        owner = state.store.get(ref["kind"], namespace, ref["name"])
        if owner is None:
            return None
        ref = controller_ref(owner)
        if ref is None:
            if owner["kind"] not in SCALABLE_KINDS:
                return None
            name = owner["metadata"]["name"]
            return WorkloadRef(
                owner["kind"], name, owner["spec"].get("replicas"),
                kubectl_target(owner["kind"], namespace, name),
            )  # fmt: skip
    return None
