"""Applying documents: every conflict found first, then each object stored by its kind.

`plan` checks everything that depends on the cluster (AlreadyExists, missing
namespaces, allocated ports and IPs, immutable selectors) before anything
changes, so a bad input leaves the cluster as it was. `apply_one` then stores
one object as the API server would: server-set metadata, and what each kind
adds (addresses for Services and nodes, a started pod, a queued controller).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from . import kinds, node_changes, pod_lifecycle
from .admission import admit_pod
from .capacity import Tally, forbidden
from .clock import timestamp
from .cluster_data import ClusterData
from .controllers import services
from .events import ADDED, MODIFIED
from .ipam import INGRESS_IP
from .problems import Problem
from .store import key_of

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
DEFAULT_CLASS = "ingressclass.kubernetes.io/is-default-class"
IMMUTABLE_SELECTORS = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one object in apply/create: `created`, `configured`, `unchanged`."""

    kind: str
    namespace: str
    name: str
    action: str


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


# Where a document's field is in the input: `(document index, field) -> (line, column)`.
Locate = Callable[[int, str], tuple[int | None, int | None]]


class Plan(NamedTuple):
    """One object to store: the document's object, the live one it replaces (or None),
    and its resource type (a NamedTuple, cheap to build: one per document)."""

    obj: dict
    old: dict | None
    resource: kinds.ResourceType


def plan(data: ClusterData, documents: list, *, mode: str, namespace: str,
         locate: Locate | None = None) -> tuple[list[Plan], list[Problem]]:  # fmt: skip
    """Check validated, defaulted documents (`Document` objects) against the cluster.

    Args:
        documents: the documents, in input order.
        mode: "apply" (create or update), "create" (AlreadyExists when present) or
            "replace".
        namespace: the namespace for objects that name none (written into them).
        locate: optional `(document_index, field) -> (line, column)` for problems.

    Returns:
        The objects to store, in input order, and the AlreadyExists problems of
        `create` (kubectl creates the other objects, then reports those).

    Raises:
        ApplyError: with every conflict found, when any is not an AlreadyExists: the
            API server's checks (addresses and NodePorts its ranges could not give) and
            the cluster's capacity (`simulator.capacity`) included.
    """
    problems: list[Problem] = []
    existing: list[Problem] = []
    plans = []
    new_namespaces = {
        d.obj["metadata"]["name"] for d in documents if d.obj.get("kind") == "Namespace"
    }
    taken_ports: set[int] = set()
    taken_ips: set[str] = set()
    wanted = services.Wanted()
    tally = None if data.capacity.unlimited else Tally(data.capacity, data.store)
    for doc in documents:
        obj = doc.obj
        rt = kinds.of_kind(obj["kind"])
        meta = obj["metadata"]
        name = meta["name"]
        if rt.namespaced:
            ns = meta.get("namespace") or namespace
            meta["namespace"] = ns
        else:
            ns = ""
            meta.pop("namespace", None)
        old = data.store.get(rt.kind, ns, name)

        def problem(message: str, field_path: str = "", doc=doc, obj=obj) -> None:
            line, column = locate(doc.index, field_path) if locate else (doc.line, None)
            problems.append(Problem(doc.index, field_path, message, obj["kind"],
                                    obj["metadata"]["name"], line, column))  # fmt: skip

        if ns and data.store.get("Namespace", "", ns) is None and ns not in new_namespaces:
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
            for field_path, message in services.check(
                data.service_addresses, obj, old, taken_ports, taken_ips
            ):
                problem(message, field_path)
            full = wanted.add(data.service_addresses, obj, old, len(taken_ports))
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
            and rt.kind in IMMUTABLE_SELECTORS
            and obj["spec"].get("selector") != old["spec"].get("selector")
        ):
            selector = json.dumps(obj["spec"].get("selector"))
            problem(f"Invalid value: {selector}: field is immutable", "spec.selector")
        if (
            old is not None
            and rt.kind == "GatewayClass"
            and (obj.get("spec") or {}).get("controllerName")
            != (old.get("spec") or {}).get("controllerName")
        ):
            # The CRD's transition rule `self == oldSelf` on spec.controllerName.
            problem('Invalid value: "string": Value is immutable', "spec.controllerName")
        plans.append(Plan(obj, old, rt))
    if problems:
        raise ApplyError(sorted(problems + existing, key=lambda p: p.document))
    return plans, existing


def apply_one(data: ClusterData, obj: dict, old: dict | None, rt: kinds.ResourceType,
              mode: str) -> Outcome:  # fmt: skip
    """Store one object checked by `plan` (controllers run later, when the caller settles).

    `apply` leaves an object alone when kubectl's last-applied record is unchanged and
    nobody changed the live object since (`kubectl scale`, `label`).
    """
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
        meta["uid"] = data.new_uid()
        meta["creationTimestamp"] = timestamp(data.now)
        meta["generation"] = 1
    put = PUTS.get(rt.kind)
    if put is not None:
        put(data, obj, old)
    else:
        if old is not None and "status" in old and "status" not in obj:
            obj["status"] = old["status"]
        data.store.put(obj)
    data.log.emit(data.now, MODIFIED if old else ADDED, rt.kind, ns, name, _summary(obj))
    return Outcome(rt.kind, ns, name, "configured" if old else "created")


def _put_namespace(data: ClusterData, obj: dict, old: dict | None) -> None:
    obj["status"] = {"phase": "Active"}
    labels = obj["metadata"].setdefault("labels", {})
    labels["kubernetes.io/metadata.name"] = obj["metadata"]["name"]
    data.store.put(obj)


def _put_service(data: ClusterData, obj: dict, old: dict | None) -> None:
    if services.allocate(data.service_addresses, obj, old):
        data.load_balancers_freed = True
    data.store.put(obj)
    key = key_of(obj)
    data.service_log.setdefault(key[0], []).append((key, obj))
    data.endpoints.service_changed(obj, data.store)


def _put_endpoints(data: ClusterData, obj: dict, old: dict | None) -> None:
    obj["metadata"]["resourceVersion"] = data.store.next_resource_version()
    data.endpoints.put_manual(obj)


def _put_pod(data: ClusterData, obj: dict, old: dict | None) -> None:
    if old is not None:
        # A pod's spec is immutable but for a few fields; keep the running one.
        old["metadata"]["labels"] = obj["metadata"].get("labels") or {}
        old["metadata"]["annotations"] = obj["metadata"].get("annotations") or {}
        data.store.remove("Pod", *key_of(old))
        data.store.put(old)
        data.endpoints.pod_changed(old, data.store)
        return
    obj["spec"] = dict(obj["spec"])
    admit_pod(obj["spec"])
    pod_lifecycle.start(data, [obj], owner_uid=None)
    data.workloads.adopt_candidates(obj)


def _put_workload(data: ClusterData, obj: dict, old: dict | None) -> None:
    if old is not None and "status" in old:
        obj["status"] = old["status"]
    data.store.put(obj)
    data.workloads.mark(obj["kind"], key_of(obj), adopt=True)


def _put_ingress(data: ClusterData, obj: dict, old: dict | None) -> None:
    spec = obj.setdefault("spec", {})
    legacy = (obj["metadata"].get("annotations") or {}).get("kubernetes.io/ingress.class")
    if old is None and not spec.get("ingressClassName") and not legacy:
        # The DefaultIngressClass admission plugin names the default class on create.
        defaults = [
            c["metadata"]["name"]
            for c in data.store.list("IngressClass")
            if (c["metadata"].get("annotations") or {}).get(DEFAULT_CLASS) == "true"
        ]
        if len(defaults) == 1:
            spec["ingressClassName"] = defaults[0]
    elif old is not None and not spec.get("ingressClassName"):
        previous = old.get("spec", {}).get("ingressClassName")
        if previous:
            spec["ingressClassName"] = previous
    obj["status"] = {"loadBalancer": {"ingress": [{"ip": INGRESS_IP}]}}
    data.store.put(obj)


def _put_secret(data: ClusterData, obj: dict, old: dict | None) -> None:
    string_data = obj.pop("stringData", None) or {}
    stored = obj.setdefault("data", {})
    for k, v in string_data.items():
        stored[k] = base64.b64encode(str(v).encode()).decode()
    obj.setdefault("type", "Opaque")
    data.store.put(obj)


# What the API server (and the controllers it feeds) does when each kind is stored;
# other kinds are stored as they are.
PUTS: dict[str, Callable[[ClusterData, dict, dict | None], None]] = {
    "Namespace": _put_namespace,
    "Node": node_changes.put_node,
    "Service": _put_service,
    "Endpoints": _put_endpoints,
    "Pod": _put_pod,
    "Deployment": _put_workload,
    "ReplicaSet": _put_workload,
    "ReplicationController": _put_workload,
    "DaemonSet": _put_workload,
    "StatefulSet": _put_workload,
    "Ingress": _put_ingress,
    "Secret": _put_secret,
}


def _drifted(desired: dict, live: dict) -> bool:
    """Whether the live object was changed since the last apply (`kubectl scale`, `label`).

    Services are compared on labels only: their spec holds server-set addresses.
    """
    if (desired["metadata"].get("labels") or {}) != (live["metadata"].get("labels") or {}):
        return True
    if desired["kind"] in ("Service", "Node", "Endpoints"):
        return False
    return any(desired.get(k) != live.get(k) for k in ("spec", "data", "subsets"))


def _summary(obj: dict) -> dict:
    labels = obj["metadata"].get("labels")
    return {"labels": dict(labels)} if labels else {}
