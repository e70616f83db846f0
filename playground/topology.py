"""The simulator's snapshot as browsers receive it: keyed, diffed, with request targets.

Pure data shaping, no Kubernetes decisions: the simulator already worked out
which pods an Endpoints lists and where an Ingress rule sends. This module
keys each object so a frame can carry only what changed since the last one,
and lists the URLs the snapshot exposes so the traffic panel can offer them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COLLECTIONS = ("nodes", "pods", "services", "endpoints", "ingresses", "workloads")
SINGLETONS = ("host", "ingressController")
#: Services a learner did not create and rarely wants to send requests to.
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease", "ingress-nginx"})


def key(collection: str, obj: dict[str, Any]) -> str:
    """An object's key within its collection: `name`, `ns/name` or `Kind/ns/name`."""
    if collection == "nodes":
        return obj["name"]
    if collection == "workloads":
        return f"{obj['kind']}/{obj['namespace']}/{obj['name']}"
    return f"{obj['namespace']}/{obj['name']}"


@dataclass(frozen=True, slots=True)
class View:
    """One moment of a room: the topology as sent, its index by key, and the targets."""

    topology: dict[str, Any]
    index: dict[str, dict[str, dict[str, Any]]]
    targets: list[dict[str, str]]

    def get(self, collection: str, object_key: str) -> dict[str, Any] | None:
        return self.index[collection].get(object_key)


def build(snapshot: dict[str, Any]) -> View:
    topo = {k: v for k, v in snapshot.items() if k not in ("seq", "time")}
    for collection in COLLECTIONS:
        topo.setdefault(collection, [])
    index = {c: {key(c, obj): obj for obj in topo[c]} for c in COLLECTIONS}
    return View(topo, index, targets(topo))


def diff(old: View, new: View) -> dict[str, Any]:
    """What changed from `old` to `new`: per collection, objects to upsert and keys to remove."""
    changes: dict[str, Any] = {}
    for collection in COLLECTIONS:
        before, after = old.index[collection], new.index[collection]
        upsert = [obj for k, obj in after.items() if before.get(k) != obj]
        remove = [k for k in before if k not in after]
        if upsert or remove:
            changes[collection] = {"upsert": upsert, "remove": remove}
    for name in SINGLETONS:
        if old.topology.get(name) != new.topology.get(name):
            changes[name] = new.topology.get(name)
    if old.targets != new.targets:
        changes["targets"] = new.targets
    return changes


def targets(topo: dict[str, Any]) -> list[dict[str, str]]:
    """URLs a learner can request, each `{url, label, group, from}`.

    `from` says where the URL works: `host` (outside the cluster: Ingress hosts,
    NodePorts, LoadBalancer addresses) or `pod` (Service names, inside the cluster).
    """
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(url: str, label: str, group: str, origin: str) -> None:
        if url not in seen:
            seen.add(url)
            out.append({"url": url, "label": label, "group": group, "from": origin})

    ingress_ip = (topo.get("ingressController") or {}).get("ip") or ""
    for ing in topo["ingresses"]:
        tls_hosts = {h for t in ing.get("tls") or () for h in t.get("hosts") or ()}
        for rule in ing.get("rules") or ():
            host = rule.get("host") or ingress_ip
            path = rule.get("path") or "/"
            scheme = "https" if rule.get("host") in tls_hosts else "http"
            add(
                f"{scheme}://{host}{path}",
                f"{host}{path} (Ingress {ing['name']})",
                "Ingress",
                "host",
            )
        if ing.get("defaultBackend") and ingress_ip:
            add(
                f"http://{ingress_ip}/",
                f"{ingress_ip}/ (Ingress {ing['name']} default)",
                "Ingress",
                "host",
            )

    workers = [n for n in topo["nodes"] if "control-plane" not in (n.get("roles") or ())]
    node_ip = (workers or topo["nodes"] or [{}])[0].get("ip")
    for svc in topo["services"]:
        if svc["namespace"] in SYSTEM_NAMESPACES or svc["name"] == "kubernetes":
            continue
        name = f"{svc['name']}.{svc['namespace']}.svc.cluster.local"
        if svc.get("type") == "ExternalName":
            add(f"http://{name}/", f"{svc['name']} (ExternalName)", "Service", "pod")
            continue
        for port in svc.get("ports") or ():
            number = port.get("port")
            if port.get("nodePort") and node_ip:
                add(
                    f"http://{node_ip}:{port['nodePort']}/",
                    f"{node_ip}:{port['nodePort']} (NodePort of {svc['name']})",
                    "NodePort",
                    "host",
                )
            if svc.get("loadBalancerIP"):
                add(
                    f"http://{svc['loadBalancerIP']}:{number}/",
                    f"{svc['loadBalancerIP']}:{number} (LoadBalancer {svc['name']})",
                    "LoadBalancer",
                    "host",
                )
            suffix = "" if number == 80 else f":{number}"
            add(f"http://{name}{suffix}/", f"{svc['name']}{suffix} (Service)", "Service", "pod")
    return out
