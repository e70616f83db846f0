"""A small stand-in for `ClusterState`, for the network tests and benchmark.

It implements exactly the methods `Network` calls (`backends`, `serving_version`,
`pod_by_ip`, `node_ip`, `node_by_ip`, `pod_listens`, `pod_ready`, plus `rng`, `clock`,
`store` and `runtime`) over a real `Store` filled with API-shaped dicts, and
keeps Endpoints objects the way the endpoints controller does. It is a fake,
not a mock: tests build clusters with its builders and read real behaviour.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field

from simulator.clock import Clock
from simulator.endpoints import Backend
from simulator.ipam import HOST_NETWORK, KUBERNETES_SERVICE_IP
from simulator.labels import from_match_labels
from simulator.probes import ProbeSlot
from simulator.store import Key, Store

DEFAULT_NODES = ("control-plane", "worker-1", "worker-2")


@dataclass(slots=True)
class FakeRuntime:
    """The kubelet-side facts `Network` reads about a pod."""

    ready: bool = True
    stopped_ports: set[int] = field(default_factory=set)
    last_probe_output: str = ""
    ports: frozenset[int] = frozenset()  # declared container ports, for pod_listens
    containers: list | None = None
    logs: dict | None = None  # what access_log.py writes


class FakeState:
    """An in-memory cluster with the `ClusterState` methods the network layer uses."""

    def __init__(self, seed: int = 0, nodes: tuple[str, ...] = DEFAULT_NODES) -> None:
        """Build the default cluster."""
        self.rng = random.Random(seed)
        self.clock: Clock[ProbeSlot] = Clock()
        self.store = Store()
        self.runtime: dict[Key, FakeRuntime] = {}
        self.zones: dict[str, str] = {}  # node -> zone label, as ClusterData keeps it
        self._node_index: dict[str, int] = {}
        self._pod_ip_next: dict[str, int] = {}
        self._pods_by_ip: dict[str, Key] = {}
        self._next_cluster_ip = 100 * 256 + 1
        self._next_node_port = 30000
        self._next_lb = 200
        self._uid = 0
        self._backends: dict[tuple[str, str, str], tuple[dict, str, list[Backend]]] = {}
        for name in nodes:
            self.add_node(name)
        self.add_service(
            "kubernetes",
            selector=None,
            ports=[{"name": "https", "port": 443, "targetPort": 6443}],
            cluster_ip=KUBERNETES_SERVICE_IP,
        )
        if nodes:
            self.add_endpoints(
                "kubernetes", [self.node_ip(nodes[0])], [{"name": "https", "port": 6443}]
            )
        self.add_ingress_class("nginx", "k8s.io/ingress-nginx", default=True)

    # -- builders ----------------------------------------------------------------

    def add_node(self, name: str, labels: dict | None = None) -> dict:
        """Add a Ready node with the next InternalIP (192.168.49.2, .3, ...)."""
        index = len(self._node_index)
        self._node_index[name] = index
        self._pod_ip_next[name] = 2
        node = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": name,
                "labels": {"kubernetes.io/hostname": name, **(labels or {})},
            },
            "spec": {"podCIDR": f"10.244.{index}.0/24"},
            "status": {
                "addresses": [
                    {"type": "InternalIP", "address": f"{HOST_NETWORK}.{index + 2}"},
                    {"type": "Hostname", "address": name},
                ],
                "conditions": [{"type": "Ready", "status": "True"}],
            },
        }
        self.store.put(node)
        return node

    def add_pod(
        self,
        name: str,
        labels: dict | None = None,
        *,
        node: str = "worker-1",
        ports: tuple[int, ...] | list = (8080,),
        ready: bool = True,
        namespace: str = "default",
        probe_output: str = "",
        hostname: str | None = None,
        subdomain: str | None = None,
        sync: bool = True,
    ) -> dict:
        """Add a running pod on `node` whose one container declares `ports`.

        `ports` items are numbers or `(name, number)` pairs.
        """
        ip = f"10.244.{self._node_index[node]}.{self._pod_ip_next[node]}"
        self._pod_ip_next[node] += 1
        declared = []
        for p in ports:
            if isinstance(p, tuple):
                declared.append({"name": p[0], "containerPort": p[1], "protocol": "TCP"})
            else:
                declared.append({"containerPort": p, "protocol": "TCP"})
        self._uid += 1
        spec: dict = {
            "nodeName": node,
            "containers": [{"name": "app", "image": "luksa/kubia", "ports": declared}],
        }
        if hostname:
            spec["hostname"] = hostname
        if subdomain:
            spec["subdomain"] = subdomain
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": namespace,
                "labels": dict(labels or {}),
                "uid": f"uid-{self._uid}",
            },
            "spec": spec,
            "status": {"phase": "Running", "podIP": ip, "hostIP": self.node_ip(node)},
        }
        self.store.put(pod)
        self._pods_by_ip[ip] = (namespace, name)
        self.runtime[(namespace, name)] = FakeRuntime(
            ready=ready,
            last_probe_output=probe_output,
            ports=frozenset(p["containerPort"] for p in declared),
        )
        if sync:
            self.sync()
        return pod

    def add_service(
        self,
        name: str,
        selector: dict | None,
        ports: list[dict] | None = None,
        *,
        type: str = "ClusterIP",  # noqa: A002 - the API field's name
        namespace: str = "default",
        cluster_ip: str | None = None,
        sync: bool = True,
        **spec_fields,
    ) -> dict:
        """Add a Service defaulted as the API server does (ports, IPs, nodePorts, LB IP)."""
        spec: dict = {"type": type, "sessionAffinity": "None", **spec_fields}
        if selector is not None:
            spec["selector"] = dict(selector)
        out_ports = []
        for p in ports if ports is not None else [{"port": 80, "targetPort": 8080}]:
            p = {"protocol": "TCP", **p}
            p.setdefault("targetPort", p["port"])
            if type in ("NodePort", "LoadBalancer") and "nodePort" not in p:
                p["nodePort"] = self._next_node_port
                self._next_node_port += 1
            out_ports.append(p)
        if type != "ExternalName":
            spec["ports"] = out_ports
            if cluster_ip is None:
                value = self._next_cluster_ip
                self._next_cluster_ip += 1
                cluster_ip = f"10.96.{value // 256}.{value % 256}"
            spec["clusterIP"] = cluster_ip
        elif ports:
            spec["ports"] = out_ports
        if spec.get("sessionAffinity") == "ClientIP":
            spec.setdefault("sessionAffinityConfig", {"clientIP": {"timeoutSeconds": 10800}})
        if type in ("NodePort", "LoadBalancer"):
            spec.setdefault("externalTrafficPolicy", "Cluster")
        status: dict = {"loadBalancer": {}}
        if type == "LoadBalancer":
            status["loadBalancer"] = {"ingress": [{"ip": f"{HOST_NETWORK}.{self._next_lb}"}]}
            self._next_lb += 1
        svc = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": spec,
            "status": status,
        }
        self.store.put(svc)
        if sync:
            self.sync()
        return svc

    def add_endpoints(
        self, name: str, ips: list[str], ports: list[dict], *, namespace: str = "default"
    ) -> dict:
        """Add a manual Endpoints object (for a Service without a selector)."""
        ep = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": name, "namespace": namespace},
            "subsets": [
                {
                    "addresses": [{"ip": ip} for ip in ips],
                    "ports": [{"protocol": "TCP", **p} for p in ports],
                }
            ],
        }
        self.store.put(ep)
        return ep

    def add_ingress(
        self,
        name: str,
        rules: list[dict] | None = None,
        *,
        namespace: str = "default",
        tls: list[dict] | None = None,
        default_backend: dict | None = None,
        class_name: str | None = None,
        annotations: dict | None = None,
        created: str = "2026-11-22T09:00:00Z",
    ) -> dict:
        """Add a networking.k8s.io/v1 Ingress."""
        spec: dict = {}
        if class_name is not None:
            spec["ingressClassName"] = class_name
        if default_backend is not None:
            spec["defaultBackend"] = default_backend
        if rules is not None:
            spec["rules"] = rules
        if tls is not None:
            spec["tls"] = tls
        ing = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": name,
                "namespace": namespace,
                "annotations": dict(annotations or {}),
                "creationTimestamp": created,
            },
            "spec": spec,
        }
        self.store.put(ing)
        return ing

    def add_ingress_class(self, name: str, controller: str, *, default: bool = False) -> dict:
        """Add a cluster-scoped IngressClass."""
        annotations = {"ingressclass.kubernetes.io/is-default-class": "true"} if default else {}
        obj = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": name, "annotations": annotations},
            "spec": {"controller": controller},
        }
        self.store.put(obj)
        return obj

    def add_tls_secret(self, name: str, cert_pem: str, *, namespace: str = "default") -> dict:
        """Add a `kubernetes.io/tls` Secret holding `cert_pem` (the key is a placeholder)."""
        secret = {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/tls",
            "metadata": {"name": name, "namespace": namespace},
            "data": {
                "tls.crt": base64.b64encode(cert_pem.encode()).decode(),
                "tls.key": base64.b64encode(b"-----BEGIN PRIVATE KEY-----\n").decode(),
            },
        }
        self.store.put(secret)
        return secret

    def set_ready(self, namespace: str, name: str, ready: bool, output: str = "") -> None:
        """Flip a pod's readiness (as a probe would) and resync Endpoints."""
        rt = self.runtime[(namespace, name)]
        rt.ready = ready
        rt.last_probe_output = output
        self.sync()

    def delete(self, kind: str, namespace: str, name: str) -> None:
        """Remove an object (and its Endpoints when it is a Service)."""
        obj = self.store.remove(kind, namespace, name)
        if kind == "Pod" and obj is not None:
            self._pods_by_ip.pop(obj["status"]["podIP"], None)
        if kind == "Service":
            self.store.remove("Endpoints", namespace, name)
        self.sync()

    def sync(self) -> None:
        """Rewrite the Endpoints of every selector Service whose members changed."""
        for (ns, name), svc in list(self.store.items("Service")):
            spec = svc["spec"]
            if not spec.get("selector") or spec.get("type") == "ExternalName":
                continue
            subsets = self._subsets(ns, svc)
            current = self.store.get("Endpoints", ns, name)
            if current is not None and current.get("subsets") == subsets:
                continue
            self.store.put(
                {
                    "apiVersion": "v1",
                    "kind": "Endpoints",
                    "metadata": {"name": name, "namespace": ns},
                    "subsets": subsets,
                }
            )

    def _subsets(self, ns: str, svc: dict) -> list[dict]:
        spec = svc["spec"]
        groups: dict[tuple, dict] = {}
        for pod in self.store.pods_selected(ns, from_match_labels(spec["selector"])):
            ports = []
            for sp in spec.get("ports") or ():
                target = sp["targetPort"]
                if isinstance(target, str):
                    found = [
                        cp["containerPort"]
                        for c in pod["spec"]["containers"]
                        for cp in c.get("ports") or ()
                        if cp.get("name") == target
                    ]
                    if not found:
                        continue
                    target = found[0]
                ports.append({"name": sp.get("name", ""), "port": int(target), "protocol": "TCP"})
            if spec.get("ports") and not ports:
                continue
            meta = pod["metadata"]
            address = {
                "ip": pod["status"]["podIP"],
                "nodeName": pod["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "namespace": ns, "name": meta["name"]},
            }
            if (
                pod["spec"].get("hostname")
                and pod["spec"].get("subdomain") == svc["metadata"]["name"]
            ):
                address["hostname"] = pod["spec"]["hostname"]
            ready = self.pod_ready(ns, meta["name"]) or bool(spec.get("publishNotReadyAddresses"))
            group = groups.setdefault(
                tuple((p["name"], p["port"]) for p in ports),
                {"addresses": [], "notReadyAddresses": [], "ports": ports},
            )
            group["addresses" if ready else "notReadyAddresses"].append(address)
        out = []
        for group in groups.values():
            for field_name in ("addresses", "notReadyAddresses"):
                group[field_name].sort(key=lambda a: a["ip"])
                if not group[field_name]:
                    del group[field_name]
            out.append(group)
        return out

    # -- the ClusterState methods Network calls -----------------------------------

    def backends(self, namespace: str, service: str, port_name: str) -> list[Backend]:
        """The Service port's endpoints as listed in its Endpoints object."""
        ep = self.store.get("Endpoints", namespace, service)
        if ep is None:
            return []
        key = (namespace, service, port_name)
        version = ep["metadata"].get("resourceVersion")
        cached = self._backends.get(key)
        if cached is not None and cached[0] is ep and cached[1] == version:
            return cached[2]  # the same list while nothing changed, as the controller does
        out = []
        for subset in ep.get("subsets") or ():
            port = next(
                (p["port"] for p in subset.get("ports") or () if p.get("name", "") == port_name),
                None,
            )
            if port is None:
                continue
            for field_name, ready in (("addresses", True), ("notReadyAddresses", False)):
                for a in subset.get(field_name) or ():
                    ref = a.get("targetRef") or {}
                    out.append(
                        Backend(a["ip"], int(port), ready, ref.get("name"), a.get("nodeName"))
                    )
        self._backends[key] = (ep, version, out)
        return out

    def serving_version(self) -> int:
        """A stamp that moves whenever `backends` or `pod_listens` may answer differently:
        Endpoints are store objects here and no port is ever closed, so the store's revision."""
        return self.store.revision

    def pod_by_ip(self, ip: str) -> dict | None:
        """The pod that owns `ip`, or None."""
        key = self._pods_by_ip.get(ip)
        return self.store.get("Pod", *key) if key else None

    def node_ip(self, name: str) -> str:
        """A node's InternalIP."""
        return f"{HOST_NETWORK}.{self._node_index[name] + 2}"

    def node_by_ip(self, ip: str) -> dict | None:
        """The node whose InternalIP is `ip`, or None."""
        for name, index in self._node_index.items():
            if f"{HOST_NETWORK}.{index + 2}" == ip:
                return self.store.get("Node", "", name)
        return None

    def host_port_pod(self, node: str, port: int) -> tuple[dict, int] | None:
        """No pod here takes a port on its node's address."""
        return None

    def forwarded(self, port: int) -> tuple[dict, int, int] | None:
        """No `kubectl port-forward` runs beside this cluster."""
        return None

    def pod_listens(self, pod: dict, port: int) -> bool:
        """Whether a container of `pod` declares `port` and it has not been stopped."""
        meta = pod["metadata"]
        rt = self.runtime.get((meta["namespace"], meta["name"]))
        if rt is not None and rt.ports:
            return port in rt.ports and port not in rt.stopped_ports
        return any(
            cp.get("containerPort") == port
            for c in pod["spec"].get("containers") or ()
            for cp in c.get("ports") or ()
        )

    def advance(self, seconds: float) -> None:
        """Let simulated time pass (commands that waited for a timeout do)."""
        self.clock.advance(seconds)

    def pod_ready(self, namespace: str, name: str) -> bool:
        """The pod's Ready condition."""
        rt = self.runtime.get((namespace, name))
        return bool(rt and rt.ready)
