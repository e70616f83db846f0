"""Request paths through kube-proxy: ClusterIP, NodePort, LoadBalancer, endpoint delivery.

A mixin of `Router` (router.py), which owns the caches and helpers these
methods use (`store`, `state`, `proxy`, `hop`, `_fail`, `_plans`...). The
semantics are k8s-semantics.md section 5; see proxy.py for the facts.
"""

from __future__ import annotations

from simulator.ipam import HOST_NETWORK
from simulator.trace import HTTP_ERROR, OK, REFUSED, TIMEOUT, UNREACHABLE, Hop, Trace

from .exchange import Client, Exchange, Plan, PortRoute, bridge_ip, declared, why_random
from .proxy import PortEndpoints

APISERVER_PORT = 6443
EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers"
CACHE_LIMIT = 100_000


class ServiceRoutes:
    """Where kube-proxy sends a packet (mixed into Router)."""

    def _cluster_ip(
        self,
        ex: Exchange,
        client: Client,
        key: tuple[str, str],
        ip: str,
        port: int,
        hops: list[Hop],
        insecure: bool,
        url: str,
        plan_key: tuple | None = None,
    ) -> None:
        ns, name = key
        if client.pod is None:
            hops.append(self.hop("service", name, ip, port, namespace=ns))
            self._fail(
                ex,
                client,
                "timeout",
                UNREACHABLE,
                f"{ip} is the cluster IP of service {name}, which exists only inside the "
                f"cluster; from the host use a NodePort, a LoadBalancer address or an Ingress",
                hops,
                url,
            )
            return
        route = self._port_routes.get((ip, port))
        if route is None:
            route = self._port_route(key, ip, port)
        svc = route.svc
        hops.append(route.service_hop)
        if route.service_port is None:
            # kube-proxy (iptables) only has rules for the Service's own ports: a packet
            # to another port of the VIP is not DNATed, leaves by the default route and
            # is never answered, so the client times out (nftables mode would reject it).
            known = ", ".join(str(p.get("port")) for p in svc["spec"].get("ports") or ())
            self._fail(
                ex,
                client,
                "timeout",
                TIMEOUT,
                f"service {name} has no port {port} (its ports: {known or 'none'}), so no "
                f"kube-proxy rule matches and the packet is dropped",
                hops,
                url,
            )
            return
        hops.append(route.endpoints_hop)
        endpoints = self.proxy.endpoints(ns, name, route.port_name)
        if plan_key is not None:
            if len(self._plans) > CACHE_LIMIT:
                self._plans.clear()
            self._plans[plan_key] = Plan(
                client,
                self._epoch(),
                tuple(hops),
                route,
                port,
                ex.scheme,
                ex.host,
                ex.path,
                ex.ip,
                ex.via,
                direct=not route.local and not route.affinity and ex.scheme == "http",
            )
        self._service_endpoint(ex, client, route, port, hops, insecure, url, endpoints)

    def _service_endpoint(
        self,
        ex: Exchange,
        client: Client,
        route: PortRoute,
        port: int,
        hops: list[Hop],
        insecure: bool,
        url: str,
        endpoints: PortEndpoints,
    ) -> None:
        """kube-proxy's choice for a packet that matched a Service port rule, and its delivery."""
        svc, ns, name, port_name = route.svc, route.ns, route.name, route.port_name
        candidates = endpoints.ready
        if not candidates:
            self._refuse_no_endpoints(ex, client, svc, port_name, hops, url)
            return
        by_addr = endpoints.by_addr
        if route.local:
            candidates = tuple(b for b in candidates if b.node == client.node)
            by_addr = None
            if not candidates:
                self._fail(
                    ex,
                    client,
                    "timeout",
                    TIMEOUT,
                    f"internalTrafficPolicy Local: node {client.node} has no ready pod of "
                    f"service {name}, so the packet is dropped",
                    hops,
                    url,
                )
                return
        n = len(candidates)
        if route.affinity:
            backend, kept = self.proxy.choose(svc, port, candidates, client.ip, by_addr)
            why = "kept by sessionAffinity ClientIP" if kept else why_random(n)
        elif n == 1:
            backend, why = candidates[0], "its only ready endpoint"
        else:
            # the same draw KubeProxy.choose makes, inlined on the hot path
            backend, why = candidates[int(self._random() * n)], why_random(n)
        src_ip = client.ip
        if backend.ip == client.ip:
            src_ip = bridge_ip(client.ip)  # hairpin traffic is masqueraded
        self._endpoint(ex, client, ns, backend, hops, src_ip, route.via, why, insecure, url)

    def _port_route(self, key: tuple[str, str], ip: str, port: int) -> PortRoute:
        svc = self.store.get("Service", *key)
        service_port = None
        for sp in svc["spec"].get("ports") or ():
            if sp.get("port") == port and sp.get("protocol", "TCP") == "TCP":
                service_port = sp
                break
        ns, name = key
        route = PortRoute(
            svc,
            ns,
            name,
            service_port,
            (service_port or {}).get("name", ""),
            self.hop("service", name, ip, port, namespace=ns),
            self.hop("endpoints", name, namespace=ns),
            f"kube-proxy sent service {name}:{port}",
            svc["spec"].get("internalTrafficPolicy") == "Local",
            svc["spec"].get("sessionAffinity") == "ClientIP",
        )
        self._port_routes[(ip, port)] = route
        return route

    def _endpoint(
        self,
        ex: Exchange,
        client: Client,
        namespace: str,
        backend,
        hops: list[Hop],
        src_ip: str,
        via: str,
        why: str,
        insecure: bool,
        url: str,
    ) -> None:
        """Deliver to one endpoint chosen by kube-proxy: a pod, or a manual address."""
        pod = self.store.get("Pod", namespace, backend.pod) if backend.pod else None
        if pod is None:
            pod = self.state.pod_by_ip(backend.ip)
        if pod is None:
            self._manual_endpoint(ex, client, backend, hops, via, insecure, url)
            return
        pod_name = pod["metadata"]["name"]
        node = backend.node or pod["spec"].get("nodeName")
        key = ("pod", pod_name, backend.ip, backend.port, node, src_ip, namespace)
        hop = self._hops.get(key) or self.hop(*key)
        hops.append(hop)
        if not self.state.pod_listens(pod, backend.port):
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"{via} to pod {pod_name}, but nothing listens on port {backend.port} in pod "
                f"{pod_name}{declared(pod)}",
                hops,
                url,
            )
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, client, pod_name, hops, url)
            return
        ex.responder, ex.body_from = "pod", pod_name
        ex.trace = Trace(
            client.source,
            url,
            OK,
            200,
            pod_name,
            f"{via} to pod {pod_name} ({backend.ip}:{backend.port}), {why}",
            tuple(hops),
        )

    def _manual_endpoint(
        self, ex: Exchange, client: Client, backend, hops: list[Hop], via: str, insecure, url
    ) -> None:
        tables = self.proxy.tables()
        node = tables.node_by_ip.get(backend.ip)
        if node is not None and backend.port == APISERVER_PORT:
            hops.append(self.hop("node", node, backend.ip, backend.port))
            self._apiserver(ex, client, hops, insecure, url, f"{via} to the API server on {node}")
            return
        hops.append(self.hop("external", backend.ip, backend.ip, backend.port))
        if backend.ip.startswith("10.244.") or backend.ip.startswith(HOST_NETWORK + "."):
            self._fail(
                ex,
                client,
                "noroute",
                UNREACHABLE,
                f"{via} to {backend.ip}:{backend.port} from its Endpoints, but no pod or node "
                f"has that address",
                hops,
                url,
            )
            return
        self._external(
            ex,
            client,
            backend.ip,
            hops,
            insecure,
            url,
            f"{via} to {backend.ip}:{backend.port}, an address outside the cluster listed in "
            f"its Endpoints",
        )

    def _node(
        self,
        ex: Exchange,
        client: Client,
        node: str,
        ip: str,
        port: int,
        hops: list[Hop],
        insecure: bool,
        url: str,
    ) -> None:
        tables = self.proxy.tables()
        entry = tables.node_ports.get(port)
        if entry is None:
            hops.append(self.hop("node", node, ip, port))
            health = self._health_checked(port)
            if health is not None:
                self._health_check(ex, client, node, health, hops, url)
                return
            if port == APISERVER_PORT and self._is_control_plane(node):
                self._apiserver(
                    ex, client, hops, insecure, url, f"connected to the API server on {node}"
                )
                return
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"nothing listens on node {node} port {port}: no service has nodePort {port}",
                hops,
                url,
            )
            return
        key, index = entry
        svc = self.store.get("Service", *key)
        self._node_port(ex, client, node, svc, index, hops, insecure, url, None)

    def _refuse_no_endpoints(
        self, ex: Exchange, client: Client, svc: dict, port_name: str, hops: list[Hop], url: str
    ) -> None:
        """kube-proxy's REJECT rule for a Service port without ready endpoints."""
        self._fail(
            ex,
            client,
            "refused",
            REFUSED,
            f"service {svc['metadata']['name']} has no ready endpoints: "
            + self.proxy.explain_no_ready(svc, port_name),
            hops,
            url,
        )

    def _health_checked(self, port: int) -> dict | None:
        """The LoadBalancer Service (externalTrafficPolicy Local) whose healthCheckNodePort
        is `port`, or None."""
        for _, svc in self.store.items("Service"):
            if svc["spec"].get("healthCheckNodePort") == port:
                return svc
        return None

    def _health_check(
        self, ex: Exchange, client: Client, node: str, svc: dict, hops: list[Hop], url: str
    ) -> None:
        """kube-proxy's /healthz for a Local service: 200 with local endpoints, else 503."""
        meta = svc["metadata"]
        ports = svc["spec"].get("ports") or [{}]
        local = {
            b.ip
            for b in self.state.backends(meta["namespace"], meta["name"], ports[0].get("name", ""))
            if b.ready and b.node == node
        }
        ex.responder = "healthcheck"
        ex.body_from = f"{meta['namespace']}/{meta['name']}/{len(local)}"
        status = 200 if local else 503
        reason = (
            f"kube-proxy on {node} answers the load balancer's health check for service "
            f"{meta['name']}: {len(local)} local ready endpoint(s), so it says {status}"
        )
        ex.trace = self._trace(
            client, url, OK if local else HTTP_ERROR, reason, tuple(hops), status, "kube-proxy"
        )

    def _is_control_plane(self, node: str) -> bool:
        obj = self.store.get("Node", "", node)
        labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
        return "node-role.kubernetes.io/control-plane" in labels or node == "control-plane"

    def _node_port(
        self,
        ex: Exchange,
        client: Client,
        node: str,
        svc: dict,
        index: int,
        hops: list[Hop],
        insecure: bool,
        url: str,
        lb: str | None,
    ) -> None:
        """A packet on `node`'s nodePort of `svc` (directly, or sent there by a load balancer)."""
        tables = self.proxy.tables()
        meta, spec = svc["metadata"], svc["spec"]
        ns, name = meta.get("namespace", ""), meta["name"]
        sp = spec["ports"][index]
        node_ip = tables.node_ip[node]
        hops.append(self.hop("node", node, node_ip, sp["nodePort"]))
        hops.append(self.hop("service", name, spec.get("clusterIP"), sp["port"], namespace=ns))
        hops.append(self.hop("endpoints", name, namespace=ns))
        port_name = sp.get("name", "")
        endpoints = self.proxy.endpoints(ns, name, port_name)
        entry = f"node {node} forwarded NodePort {sp['nodePort']} of service {name}"
        if lb:
            entry = f"load balancer {lb} chose node {node}, which forwarded NodePort " + (
                f"{sp['nodePort']} of service {name}"
            )
        if not endpoints.ready:
            self._refuse_no_endpoints(ex, client, svc, port_name, hops, url)
            return
        if spec.get("externalTrafficPolicy") == "Local":
            local = tuple(b for b in endpoints.ready if b.node == node)
            if not local:
                self._fail(
                    ex,
                    client,
                    "timeout",
                    TIMEOUT,
                    f"externalTrafficPolicy Local: node {node} has no ready pod of service "
                    f"{name}, so the packet is dropped",
                    hops,
                    url,
                )
                return
            backend, kept = self.proxy.choose(svc, sp["port"], local, client.ip)
            src_ip = client.ip
            how = f"externalTrafficPolicy Local kept it on {node} and the pod sees the client IP"
        else:
            backend, kept = self.proxy.choose(
                svc, sp["port"], endpoints.ready, client.ip, endpoints.by_addr
            )
            src_ip = node_ip
            if backend.node and backend.node != node:
                hops.append(self.hop("node", backend.node, tables.node_ip.get(backend.node)))
                how = (
                    f"externalTrafficPolicy Cluster forwarded it to {backend.node} and SNAT "
                    f"made the source {node_ip}"
                )
            else:
                how = f"externalTrafficPolicy Cluster; SNAT made the source {node_ip}"
        if kept:
            how += ", sessionAffinity ClientIP kept the endpoint"
        self._endpoint(ex, client, ns, backend, hops, src_ip, entry, how, insecure, url)

    def _load_balancer(
        self,
        ex: Exchange,
        client: Client,
        key: tuple[str, str],
        ip: str,
        port: int,
        hops: list[Hop],
        insecure: bool,
        url: str,
    ) -> None:
        svc = self.store.get("Service", *key)
        ns, name = key
        spec = svc["spec"]
        index = next(
            (i for i, sp in enumerate(spec.get("ports") or ()) if sp.get("port") == port), None
        )
        hops.append(self.hop("loadbalancer", name, ip, port, namespace=ns))
        if index is None:
            self._fail(
                ex,
                client,
                "timeout",
                TIMEOUT,
                f"load balancer {ip} of service {name} has no port {port}, so it drops the packet",
                hops,
                url,
            )
            return
        if client.pod is not None:
            # kube-proxy short-circuits in-cluster traffic to a LoadBalancer IP to the Service.
            self._cluster_ip(ex, client, key, spec.get("clusterIP"), port, hops, insecure, url)
            return
        tables = self.proxy.tables()
        nodes = [
            n
            for n in tables.nodes
            if EXCLUDE_FROM_LB
            not in (self.store.get("Node", "", n) or {}).get("metadata", {}).get("labels", {})
        ]
        if spec.get("externalTrafficPolicy") == "Local":
            # The load balancer's health checks (healthCheckNodePort) fail on nodes without
            # a ready local endpoint, so it only uses nodes that have one (MetalLB announces
            # from such a node too).
            sp = spec["ports"][index]
            ready = self.proxy.endpoints(ns, name, sp.get("name", "")).ready
            with_pods = {b.node for b in ready}
            nodes = [n for n in nodes if n in with_pods]
            if not nodes:
                why = (
                    self.proxy.explain_no_ready(svc, sp.get("name", ""))
                    if not ready
                    else "no node has one"
                )
                self._fail(
                    ex,
                    client,
                    "timeout",
                    TIMEOUT,
                    f"externalTrafficPolicy Local: no node has a ready pod of service {name} "
                    f"({why}), so every health check fails and the load balancer drops the packet",
                    hops,
                    url,
                )
                return
        if not nodes:
            self._fail(
                ex,
                client,
                "timeout",
                TIMEOUT,
                f"load balancer {ip} has no ready node to send to",
                hops,
                url,
            )
            return
        node = nodes[int(self.state.rng.random() * len(nodes))] if len(nodes) > 1 else nodes[0]
        self._node_port(ex, client, node, svc, index, hops, insecure, url, ip)
