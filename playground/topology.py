"""The simulator's snapshot as browsers receive it: keyed, kept current, with request targets.

Pure data shaping, no Kubernetes decisions: the simulator already worked out
which pods an Endpoints lists and where an Ingress rule sends, and which
entries each change touched (`Cluster.snapshot_changes`). A `View` keys each
object so a frame carries only the entries that really changed, and lists
the URLs the snapshot exposes so the traffic panel can offer them.
"""

from __future__ import annotations

from typing import Any

COLLECTIONS = ("nodes", "pods", "services", "endpoints", "ingresses", "workloads")
SINGLETONS = ("host", "ingressController")
#: Namespaces of the cluster's own machinery: the diagram hides them unless asked, and
#: their Services are not offered as targets. Browsers get this list in the snapshot.
SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease", "ingress-nginx")
#: Collections whose changes may change the targets.
_TARGETED = ("nodes", "services", "ingresses")


def key(collection: str, obj: dict[str, Any]) -> str:
    """An object's key within its collection: `name`, `ns/name` or `Kind/ns/name`."""
    if collection == "nodes":
        return obj["name"]
    if collection == "workloads":
        return f"{obj['kind']}/{obj['namespace']}/{obj['name']}"
    return f"{obj['namespace']}/{obj['name']}"


def namespaces(changes: dict[str, Any]) -> set[str]:
    """The namespaces a frame's `changes` touch ("" for nodes)."""
    touched = set()
    for collection in COLLECTIONS:
        change = changes.get(collection)
        if not change:
            continue
        if collection == "nodes":
            touched.add("")
            continue
        touched.update(obj["namespace"] for obj in change["upsert"])
        at = 1 if collection == "workloads" else 0
        touched.update(k.split("/")[at] for k in change["remove"])
    return touched


class View:
    """A room's topology as its viewers have it: a snapshot, kept current change by change."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.singletons = {name: snapshot.get(name) for name in SINGLETONS}
        self.index: dict[str, dict[str, dict[str, Any]]] = {
            c: {key(c, obj): obj for obj in snapshot.get(c) or ()} for c in COLLECTIONS
        }
        self.targets = targets(self.topology)

    @property
    def topology(self) -> dict[str, Any]:
        """The whole topology, as a `snapshot` message carries it."""
        return {**self.singletons, **{c: list(self.index[c].values()) for c in COLLECTIONS}}

    def get(self, collection: str, object_key: str) -> dict[str, Any] | None:
        return self.index[collection].get(object_key)

    def apply(self, upsert: dict[str, list[dict]], remove: dict[str, list[dict]]) -> dict:
        """Take the simulator's changed entries; return what a frame carries: per collection,
        the entries that differ from the ones viewers have and the keys to remove, and the
        targets when they changed."""
        changes: dict[str, Any] = {}
        for collection in COLLECTIONS:
            index = self.index[collection]
            gone = [
                k
                for k in (key(collection, obj) for obj in remove.get(collection, ()))
                if index.pop(k, None) is not None
            ]
            put = []
            for obj in upsert.get(collection, ()):
                k = key(collection, obj)
                if index.get(k) != obj:
                    index[k] = obj
                    put.append(obj)
            if put or gone:
                changes[collection] = {"upsert": put, "remove": gone}
        if any(c in changes for c in _TARGETED):
            now = targets(self.topology)
            if now != self.targets:
                self.targets = changes["targets"] = now
        return changes


def targets(topo: dict[str, Any]) -> list[dict[str, str]]:
    """URLs a learner can request, each `{url, label, group, from, kind, name, address}`.

    `from` says where the URL works: `host` (outside the cluster: Ingress hosts,
    NodePorts, LoadBalancer addresses) or `pod` (Service names, inside the cluster).
    `label` is English; browsers word it in their own language from `kind` (ingress,
    ingress-default, externalname, nodeport, loadbalancer, service), `name` (the object)
    and `address` (what the URL names), since one frame serves every viewer.
    """
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(url: str, label: str, group: str, origin: str, kind: str, name: str, address: str):
        if url not in seen:
            seen.add(url)
            out.append(
                {"url": url, "label": label, "group": group, "from": origin,
                 "kind": kind, "name": name, "address": address}
            )  # fmt: skip

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
                "ingress",
                ing["name"],
                f"{host}{path}",
            )
        if ing.get("defaultBackend") and ingress_ip:
            add(
                f"http://{ingress_ip}/",
                f"{ingress_ip}/ (Ingress {ing['name']} default)",
                "Ingress",
                "host",
                "ingress-default",
                ing["name"],
                f"{ingress_ip}/",
            )

    workers = [n for n in topo["nodes"] if "control-plane" not in (n.get("roles") or ())]
    node_ip = (workers or topo["nodes"] or [{}])[0].get("ip")
    for svc in topo["services"]:
        if svc["namespace"] in SYSTEM_NAMESPACES or svc["name"] == "kubernetes":
            continue
        name = f"{svc['name']}.{svc['namespace']}.svc.cluster.local"
        if svc.get("type") == "ExternalName":
            add(
                f"http://{name}/", f"{svc['name']} (ExternalName)", "Service", "pod",
                "externalname", svc["name"], name,
            )  # fmt: skip
            continue
        for port in svc.get("ports") or ():
            number = port.get("port")
            if port.get("nodePort") and node_ip:
                add(
                    f"http://{node_ip}:{port['nodePort']}/",
                    f"{node_ip}:{port['nodePort']} (NodePort of {svc['name']})",
                    "NodePort",
                    "host",
                    "nodeport",
                    svc["name"],
                    f"{node_ip}:{port['nodePort']}",
                )
            if svc.get("loadBalancerIP"):
                add(
                    f"http://{svc['loadBalancerIP']}:{number}/",
                    f"{svc['loadBalancerIP']}:{number} (LoadBalancer {svc['name']})",
                    "LoadBalancer",
                    "host",
                    "loadbalancer",
                    svc["name"],
                    f"{svc['loadBalancerIP']}:{number}",
                )
            suffix = "" if number == 80 else f":{number}"
            add(
                f"http://{name}{suffix}/", f"{svc['name']}{suffix} (Service)", "Service", "pod",
                "service", svc["name"], f"{svc['name']}{suffix}",
            )  # fmt: skip
    return out
