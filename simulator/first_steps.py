"""A learner's first steps in a cluster: which requests make sense from where, and why.

Plain data for the playground's traffic panel and "Try…" list, worked out
from the objects in the cluster (never from a scenario's script), so a
pasted manifest gets first steps as good as a built-in example's:

- `request_targets`: the URLs a request can be sent to, each with where it
  works from (`host`: the learner's workstation outside the cluster; `pod`:
  inside, where Service names resolve) and one sentence saying why;
- `suggested_request`: the first request to send, the one that shows most of
  the path (an Ingress host or an HTTPRoute's hostname before a LoadBalancer
  address, a NodePort, then a Service name from a pod);
- `suggested_commands`: command lines to try, with the placeholders of
  `simulator.scenarios.PLACEHOLDERS`;
- `title`: a short title from the objects, for a room made from pasted manifests;
- `missing`: when there is nothing to send a request to, what to add.

Later network objects (NetworkPolicy) add their targets here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .gateways import gateway_graph
from .ipam import INGRESS_IP
from .snapshot_gateways import route_urls
from .state import ClusterState
from .words import Words, say

#: Namespaces of the cluster's own machinery: not offered as targets.
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease", "ingress-nginx"})
#: Target groups in the order a first request prefers them: most of the path first.
GROUP_ORDER = ("Ingress", "Gateway", "LoadBalancer", "NodePort", "Service", "ExternalName")
WORKLOADS = ("Deployment", "DaemonSet", "ReplicationController", "ReplicaSet")


@dataclass(frozen=True, slots=True)
class RequestTarget:
    """One URL a learner can request.

    Attributes:
        url: what curl is given.
        label: a short label for a menu.
        group: `Ingress`, `Gateway`, `LoadBalancer`, `NodePort`, `Service` or
            `ExternalName`.
        origin: where the URL works from: `host` (the workstation) or `pod`.
        namespace: the namespace of the object it reaches.
        words: one sentence on the path a request takes and why it works from `origin`
            (`why` in English; browsers word it in their language from its key).
        service: the Service the request reaches ("" for an Ingress default backend).
        kind: what the label says, for browsers to word it in their own language:
            `ingress`, `ingress-default`, `httproute`, `externalname`, `nodeport`,
            `loadbalancer` or `service`.
        name: the object the label names (the Ingress, the HTTPRoute, or the Service).
        address: what the URL names (host and path, address and port, Service name).
    """

    url: str
    label: str
    group: str
    origin: str
    namespace: str
    words: Words
    service: str = ""
    kind: str = ""
    name: str = ""
    address: str = ""

    @property
    def why(self) -> str:
        return str(self.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "label": self.label,
            "group": self.group,
            "from": self.origin,
            "namespace": self.namespace,
            "why": self.why,
            "whyWords": self.words.to_dict(),
            "service": self.service,
            "kind": self.kind,
            "name": self.name,
            "address": self.address,
        }


def request_targets(state: ClusterState) -> list[RequestTarget]:
    """Every URL a request can go to, Ingress rules first, then HTTPRoutes' hostnames, then
    Services (each Service's NodePort, LoadBalancer address and name; a Gateway's own
    data-plane Service is reached through its routes)."""
    out: dict[str, RequestTarget] = {}

    def add(target: RequestTarget) -> None:
        out.setdefault(target.url, target)

    for ing in state.store.list("Ingress"):
        _ingress_targets(ing, add)
    _gateway_targets(state, add)
    worker_ip = _worker_ip(state)
    for svc in state.store.list("Service"):
        meta = svc["metadata"]
        if meta["namespace"] in SYSTEM_NAMESPACES or meta["name"] == "kubernetes":
            continue
        if any(ref.get("kind") == "Gateway" for ref in meta.get("ownerReferences") or ()):
            continue
        _service_targets(svc, worker_ip, add)
    return list(out.values())


def _ingress_targets(ing: dict, add) -> None:
    meta = ing["metadata"]
    spec = ing.get("spec") or {}
    tls_hosts = {h for t in spec.get("tls") or () for h in t.get("hosts") or ()}
    for rule in spec.get("rules") or ():
        host = rule.get("host") or ""
        for path in (rule.get("http") or {}).get("paths") or ():
            where = path.get("path") or "/"
            name = host or INGRESS_IP
            scheme = "https" if host and host in tls_hosts else "http"
            service = ((path.get("backend") or {}).get("service") or {}).get("name", "")
            why = (
                say("ingress-host", host=host, service=service)
                if host
                else say("ingress-any-host", service=service)
            )
            add(
                RequestTarget(
                    f"{scheme}://{name}{where}",
                    f"{name}{where} (Ingress {meta['name']})",
                    "Ingress",
                    "host",
                    meta["namespace"],
                    why,
                    service,
                    "ingress",
                    meta["name"],
                    f"{name}{where}",
                )
            )
    if spec.get("defaultBackend"):
        add(
            RequestTarget(
                f"http://{INGRESS_IP}/",
                f"{INGRESS_IP}/ (Ingress {meta['name']} default)",
                "Ingress",
                "host",
                meta["namespace"],
                say("ingress-default"),
                "",
                "ingress-default",
                meta["name"],
                f"{INGRESS_IP}/",
            )
        )


def _gateway_targets(state: ClusterState, add) -> None:
    """Each accepted HTTPRoute's hostnames, through the Gateway it attached to."""
    graph = gateway_graph(state)
    for (namespace, name), route in sorted(graph.routes.items()):
        if namespace in SYSTEM_NAMESPACES:
            continue
        services = [b.name for rule in route.rules for b in rule.backends if b.valid]
        service = services[0] if services else ""
        gateways = sorted({parent.gateway[1] for parent in route.parents})
        for url in route_urls(graph, route):
            address = url.split("://", 1)[1]
            host, joined = address.split("/")[0], ", ".join(gateways)
            why = (
                say("httproute-service", host=host, gateways=joined, route=name, service=service)
                if service
                else say("httproute-backends", host=host, gateways=joined, route=name)
            )
            add(
                RequestTarget(
                    url, f"{address} (HTTPRoute {name})", "Gateway", "host", namespace, why,
                    service, "httproute", name, address,
                )
            )  # fmt: skip


def _service_targets(svc: dict, worker_ip: str, add) -> None:
    meta, spec = svc["metadata"], svc["spec"]
    name, namespace = meta["name"], meta["namespace"]

    def target(url: str, label: str, group: str, origin: str, why: Words, kind: str, address: str):
        add(RequestTarget(url, label, group, origin, namespace, why, name, kind, name, address))

    fqdn = f"{name}.{namespace}.svc.cluster.local"
    if spec.get("type") == "ExternalName":
        target(
            f"http://{fqdn}/",
            f"{name} (ExternalName)",
            "ExternalName",
            "pod",
            say("externalname", service=name, external=spec.get("externalName")),
            "externalname",
            fqdn,
        )
        return
    lb = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    lb_ip = lb[0].get("ip") if lb else None
    headless = spec.get("clusterIP") == "None"
    for port in spec.get("ports") or ():
        number = port.get("port")
        if port.get("nodePort") and worker_ip:
            target(
                f"http://{worker_ip}:{port['nodePort']}/",
                f"{worker_ip}:{port['nodePort']} (NodePort of {name})",
                "NodePort",
                "host",
                say("nodeport", port=port["nodePort"], service=name),
                "nodeport",
                f"{worker_ip}:{port['nodePort']}",
            )
        if lb_ip:
            target(
                f"http://{lb_ip}:{number}/",
                f"{lb_ip}:{number} (LoadBalancer {name})",
                "LoadBalancer",
                "host",
                say("loadbalancer", address=lb_ip, service=name),
                "loadbalancer",
                f"{lb_ip}:{number}",
            )
        if headless:
            # No virtual IP and no kube-proxy: the name resolves to the pods themselves,
            # so the request goes to the port the pods listen on.
            listens = port.get("targetPort", number)
            number = listens if isinstance(listens, int) else number
            why = say("headless", service=name)
        else:
            why = say("cluster-ip", service=name)
        suffix = "" if number == 80 else f":{number}"
        target(
            f"http://{fqdn}{suffix}/",
            f"{name}{suffix} (Service)",
            "Service",
            "pod",
            why,
            "service",
            f"{name}{suffix}",
        )


def _worker_ip(state: ClusterState) -> str:
    nodes = state.store.list("Node")
    workers = [
        n
        for n in nodes
        if "node-role.kubernetes.io/control-plane" not in (n["metadata"].get("labels") or {})
    ]
    for node in workers or nodes:
        ip = state.node_ip(node["metadata"]["name"])
        if ip:
            return ip
    return ""


#: Why a target's request would be dropped (None when it would pass), asked only when the
#: cluster has a NetworkPolicy.
Dropped = Callable[[RequestTarget], Words | None]


def suggested_request(
    state: ClusterState, targets: list[RequestTarget], dropped: Dropped | None = None
) -> RequestTarget | None:
    """The first request to send: the target that shows most of the path, among those
    whose Service has a ready endpoint (a pod or an address outside the cluster) when any
    has one, and among those, one no NetworkPolicy drops when any passes."""
    ranked = sorted(targets, key=lambda t: GROUP_ORDER.index(t.group))
    served = [t for t in ranked if t.group == "ExternalName" or _has_ready_endpoint(state, t)]
    if served and dropped is not None and state.store.count("NetworkPolicy"):
        passing = next((t for t in served if not dropped(t)), None)
        if passing is not None:
            return passing
    return served[0] if served else ranked[0] if ranked else None


def _has_ready_endpoint(state: ClusterState, target: RequestTarget) -> bool:
    if not target.service:
        return False
    endpoints = state.store.get("Endpoints", target.namespace, target.service)
    return any(subset.get("addresses") for subset in (endpoints or {}).get("subsets") or ())


def missing(state: ClusterState, targets: list[RequestTarget]) -> Words | None:
    """What to add when nothing can be requested (None when something can)."""
    if targets:
        return None
    workload = _first_workload(state)
    if workload is None:
        return say("missing-everything")
    kind, name, port, selector = workload
    if kind == "DaemonSet":  # kubectl expose takes no DaemonSet: a Service manifest does it
        return say(
            "missing-service-manifest", kind=kind, name=name, selector=selector, port=port or 80
        )
    command = f"kubectl expose {kind.lower()} {name} --port={port or 80}"
    return say("missing-service", kind=kind, name=name, command=command)


def _first_workload(state: ClusterState) -> tuple[str, str, int | None, str] | None:
    for kind in WORKLOADS:
        for obj in state.store.list(kind):
            meta = obj["metadata"]
            if meta["namespace"] in SYSTEM_NAMESPACES or meta.get("ownerReferences"):
                continue
            containers = obj["spec"].get("template", {}).get("spec", {}).get("containers") or ()
            ports = [p["containerPort"] for c in containers for p in c.get("ports") or ()]
            labels = obj["spec"].get("template", {}).get("metadata", {}).get("labels") or {}
            selector = ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
            return kind, meta["name"], ports[0] if ports else None, selector
    return None


@dataclass(frozen=True, slots=True)
class FirstSteps:
    """Where requests can go (`targets`), the first one to send, what to add when there
    is nowhere to send one (`missing`), and why the first one cannot be answered yet
    (`waiting`: no pod behind it is ready, or a NetworkPolicy drops it); None when there
    is nothing to say (`missing` and `waiting` in English, "" for None)."""

    targets: tuple[RequestTarget, ...]
    first: RequestTarget | None
    missing_words: Words | None
    waiting_words: Words | None = None

    @property
    def missing(self) -> str:
        return str(self.missing_words) if self.missing_words else ""

    @property
    def waiting(self) -> str:
        return str(self.waiting_words) if self.waiting_words else ""

    def to_dict(self) -> dict:
        return {
            "targets": [t.to_dict() for t in self.targets],
            "first": self.first.to_dict() if self.first else None,
            "missing": self.missing,
            "waiting": self.waiting,
            "missingWords": self.missing_words.to_dict() if self.missing_words else None,
            "waitingWords": self.waiting_words.to_dict() if self.waiting_words else None,
        }


def first_steps(state: ClusterState, dropped: Dropped | None = None) -> FirstSteps:
    """The request targets of the cluster now, the first to send and what is missing.

    `dropped` says why NetworkPolicy drops a target's request (the cluster asks its
    network without changing anything); the first request is one that passes when any
    does, else `waiting` names the policy that drops it.
    """
    targets = request_targets(state)
    first = suggested_request(state, targets, dropped)
    waiting: Words | None = None
    if (
        first is not None
        and first.group != "ExternalName"
        and not _has_ready_endpoint(state, first)
    ):
        waiting = say("no-ready-pod", service=first.service)
    elif first is not None and dropped is not None and state.store.count("NetworkPolicy"):
        waiting = dropped(first)
    return FirstSteps(tuple(targets), first, missing(state, targets), waiting)
