"""A small world for the Gateway API's pure functions, shaped like the conformance suite's.

`World` holds API objects in a dict (a fake of the store's read side), defaulted as the API
server stores them and created one second apart in the order given. `INFRA` is the
conformance suite's base (kubernetes-sigs/gateway-api ``conformance/base/manifests.yaml``):
the namespace ``gateway-conformance-infra``, the Services ``infra-backend-v1..v3`` on port
8080, and the Gateway ``same-namespace`` (class ``nginx``, one HTTP listener on port 80 that
admits routes of its own namespace).
"""

from __future__ import annotations

import copy

import yaml

from simulator.clock import timestamp
from simulator.defaults import apply_defaults
from simulator.gatewayapi import build_graph, build_tables
from simulator.gatewayapi.matching import Request
from simulator.gatewayapi.table import pick_backend

NS = "gateway-conformance-infra"

INFRA = f"""
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: nginx}}
spec: {{controllerName: gateway.nginx.org/nginx-gateway-controller}}
---
apiVersion: v1
kind: Namespace
metadata:
  name: {NS}
  labels: {{kubernetes.io/metadata.name: {NS}, gateway-conformance: infra}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: same-namespace, namespace: {NS}}}
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
""" + "".join(
    f"""
---
apiVersion: v1
kind: Service
metadata: {{name: infra-backend-v{n}, namespace: {NS}}}
spec:
  selector: {{app: infra-backend-v{n}}}
  ports:
  - {{protocol: TCP, port: 8080, targetPort: 3000}}
"""
    for n in (1, 2, 3)
)


class World:
    """API objects by ``(kind, namespace, name)``, with the store's ``get`` and ``list``."""

    def __init__(self, *texts: str, namespace: str = NS) -> None:
        self.objects: dict[tuple[str, str, str], dict] = {}
        self.clock = 0
        for text in texts:
            self.add(text, namespace=namespace)

    def add(self, text: str, namespace: str = NS) -> None:
        """Apply every document of ``text`` (defaulted, one second older than the next)."""
        for doc in yaml.safe_load_all(text):
            if not doc:
                continue
            obj = apply_defaults(copy.deepcopy(doc))
            meta = obj.setdefault("metadata", {})
            if obj["kind"] not in ("GatewayClass", "Namespace"):
                meta.setdefault("namespace", namespace)
            meta.setdefault("creationTimestamp", timestamp(self.clock))
            meta.setdefault("generation", 1)
            self.clock += 1
            self.objects[(obj["kind"], meta.get("namespace", ""), meta["name"])] = obj

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self.objects.get((kind, namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        return [
            obj
            for (k, ns, _), obj in sorted(self.objects.items())
            if k == kind and (namespace is None or ns == namespace)
        ]

    def graph(self, certificate_problem=lambda secret: None):
        """The graph, every Gateway of class nginx given an address in creation order."""
        addresses = {}
        for index, gateway in enumerate(self.list("Gateway")):
            meta = gateway["metadata"]
            addresses[(meta["namespace"], meta["name"])] = f"192.168.49.{200 + index}"
        return build_graph(self, addresses, certificate_problem)

    def serve(
        self,
        target: str,
        host: str = "example.com",
        *,
        method: str = "GET",
        headers: dict | None = None,
        port: int = 80,
        gateway: str = "same-namespace",
        draw: float = 0.0,
    ) -> str:
        """Which Service a request reaches: its name, or ``404`` / ``500``."""
        graph = self.graph()
        address = graph.gateways[(NS, gateway)].address
        table = build_tables(graph)[address]
        ports = table.ports.get(port)
        if ports is None:
            return "refused"
        server = ports.server_for(host.partition(":")[0].lower())
        request = Request.from_target(method, target, tuple((headers or {}).items()))
        entry = server.first_match(request) if server else None
        if entry is None:
            return "404"
        backend = pick_backend(entry.rule, draw)
        if backend is None or not backend.valid:
            return "500"
        return backend.name

    def route_status(self, name: str, namespace: str = NS) -> list[tuple[str, str, str]]:
        """``(type, status, reason)`` of the first parent of an HTTPRoute's status."""
        from simulator.gatewayapi.status import route_status

        route = self.graph().routes[(namespace, name)]
        parents = route_status(route, "2026-01-01T00:00:00Z", None)["parents"]
        if not parents:
            return []
        return [(c["type"], c["status"], c["reason"]) for c in parents[0]["conditions"]]
