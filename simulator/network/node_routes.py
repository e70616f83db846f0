"""Request paths through a node: NodePorts, LoadBalancers, kube-proxy's health checks.

A mixin of `Router` (router.py), beside `ServiceRoutes` (service_routes.py),
whose `_endpoint` hands the packet to the chosen pod. The facts are
k8s-semantics.md section 5: externalTrafficPolicy Cluster forwards to any
node's endpoint and SNATs to the entry node's address; Local keeps the packet
on its node, keeps the client's address and drops it without a local endpoint.
"""

from __future__ import annotations

from functools import lru_cache

from simulator import host_ports
from simulator.hints import Hint, hint
from simulator.trace import HTTP_ERROR, OK, REFUSED, TIMEOUT, TLS_ERROR

from .delivery import DROPPED, NOT_LISTENING
from .direct_routes import APISERVER_PORT
from .exchange import Exchange, answered, declared
from .service_routes import ServiceRoutes

EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers"


class NodeRoutes(ServiceRoutes):
    """Where a node's kube-proxy sends a packet (mixed into Router)."""

    def _node(self, ex: Exchange, node: str, ip: str, port: int) -> None:
        """A packet to a node's address: a NodePort, a health check, or the API server."""
        tables = self.proxy.tables()
        entry = tables.node_ports.get(port)
        if entry is None:
            hosted = self.state.host_port_pod(node, port)
            if hosted is not None:
                self._host_port(ex, node, ip, port, *hosted)
                return
            ex.add(self.hop("node", node, ip, port))
            health = self._health_checked(port)
            if health is not None:
                self._health_check(ex, node, health)
                return
            if port == APISERVER_PORT and self._is_control_plane(node):
                self._apiserver(ex, hint("connected-to-apiserver", node=node))
                return
            ex.fail("refused", REFUSED, hint("no-node-port", node=node, port=port))
            return
        key, index = entry
        svc = self._service(key)
        self._node_port(ex, node, svc, index, None)

    def _host_port(self, ex: Exchange, node: str, ip: str, port: int, pod: dict,
                   inner: int) -> None:  # fmt: skip
        """A pod listening on the node's address: a hostNetwork pod, or a hostPort forwarded
        to the pod. An Ingress controller's pod there routes by the Ingress rules (the
        notes' NGINX controller with hostNetwork, kind's ingress-nginx with hostPorts)."""
        client = ex.request.client
        name = pod["metadata"]["name"]
        on_host = host_ports.host_network(pod["spec"])
        target = ip if on_host else (pod.get("status") or {}).get("podIP") or ip
        if inner in (80, 443) and host_ports.ingress_controller(pod):
            self._through_controller(ex, inner, (ip, target, pod))
            return
        ex.add(self.hop("node", node, ip, port))
        delivery = self.delivery.deliver(pod, target, inner, src_ip=client.ip, sender=client.pod)
        ex.add(delivery.hop)
        how = (
            hint("host-network-pod", pod=name, node=node, port=port)
            if on_host
            else hint("host-port-forwarded", node=node, port=port, pod=name, target=inner)
        )
        if delivery.verdict is DROPPED:
            assert delivery.drop is not None  # a DROPPED delivery carries its drop
            ex.drop(delivery.drop, how)
            return
        if delivery.verdict is NOT_LISTENING:
            reason = hint("host-port-not-listening", how=how, declared=declared(pod))
            ex.fail("refused", REFUSED, reason)
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, name)
            return
        ex.responder, ex.body_from = "pod", name
        ex.end(OK, hint("host-port-answered", how=how), 200, name)

    def _health_checked(self, port: int) -> dict | None:
        """The LoadBalancer Service (externalTrafficPolicy Local) whose healthCheckNodePort
        is `port`, or None."""
        for _, svc in self.store.items("Service"):
            if svc["spec"].get("healthCheckNodePort") == port:
                return svc
        return None

    def _health_check(self, ex: Exchange, node: str, svc: dict) -> None:
        """kube-proxy's /healthz for a Local service: 200 with local endpoints, else 503."""
        meta = svc["metadata"]
        ports = svc["spec"].get("ports") or [{}]
        local = {
            b.ip
            for b in self.state.backends(meta["namespace"], meta["name"], ports[0].get("name", ""))
            if b.ready and b.node == node
        }
        if ex.scheme == "https":
            reason = hint("health-check-plain-http", node=node, service=meta["name"])
            ex.fail("tls_version", TLS_ERROR, reason)
            return
        ex.responder = "healthcheck"
        ex.body_from = f"{meta['namespace']}/{meta['name']}/{len(local)}"
        status = 200 if local else 503
        reason = hint(
            "health-check-answered",
            node=node,
            service=meta["name"],
            count=len(local),
            status=status,
        )
        ex.end(OK if local else HTTP_ERROR, reason, status, "kube-proxy")

    def _is_control_plane(self, node: str) -> bool:
        obj = self.store.get("Node", "", node)
        labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
        return "node-role.kubernetes.io/control-plane" in labels or node == "control-plane"

    def _node_port(self, ex: Exchange, node: str, svc: dict, index: int, lb: str | None) -> None:
        """A packet on `node`'s nodePort of `svc` (directly, or sent there by a load balancer)."""
        client = ex.request.client
        tables = self.proxy.tables()
        meta, spec = svc["metadata"], svc["spec"]
        ns, name = meta.get("namespace", ""), meta["name"]
        sp = spec["ports"][index]
        node_ip = tables.node_ip[node]
        ex.add(self.hop("node", node, node_ip, sp["nodePort"]))
        ex.add(self.hop("service", name, spec.get("clusterIP"), sp["port"], namespace=ns))
        ex.add(self.hop("endpoints", name, namespace=ns))
        port_name = sp.get("name", "")
        endpoints = self.proxy.endpoints(ns, name, port_name)
        entry = _entry(lb, node, sp["nodePort"], name)
        if not endpoints.usable:
            self._refuse_no_endpoints(ex, svc, port_name)
            return
        if spec.get("externalTrafficPolicy") == "Local":
            local, _ = self.proxy.usable(endpoints, node, True)
            if not local:
                reason = hint("etp-local-no-ready-pod", node=node, service=name)
                ex.fail("timeout", TIMEOUT, reason)
                return
            chosen, kept = self.proxy.choose(svc, sp["port"], local, client.ip)
            backend = local[chosen]
            src_ip = seen_ip = client.ip
            how = _local_kept(node)
        else:
            usable, _ = self.proxy.usable(endpoints, node, False)
            by_addr = endpoints.by_addr if usable is endpoints.usable else None
            chosen, kept = self.proxy.choose(svc, sp["port"], usable, client.ip, by_addr)
            backend = usable[chosen]
            src_ip = node_ip
            # The pod's node judges the packet before its own SNAT: a packet that entered
            # there still carries the client's address; one forwarded from another node
            # carries that node's.
            seen_ip = node_ip if backend.node and backend.node != node else client.ip
            if backend.node and backend.node != node:
                ex.add(self.hop("node", backend.node, tables.node_ip.get(backend.node)))
                how = _cluster_forwarded(backend.node, node_ip)
            else:
                how = _cluster_snat(node_ip)
        if kept:
            how = hint("affinity-kept-endpoint", how=how)
        delivery = self._endpoint(ex, ns, backend, src_ip, entry, seen_ip)
        if delivery is not None:
            self._land(ex, delivery, entry, answered(entry, delivery, how))

    def _load_balancer(self, ex: Exchange, key: tuple[str, str], ip: str, port: int) -> None:
        """A packet to a LoadBalancer address: a node chosen by the load balancer, then
        the NodePort path (kube-proxy short-circuits a pod's packet to the Service)."""
        svc = self._service(key)
        ns, name = key
        spec = svc["spec"]
        index = next(
            (i for i, sp in enumerate(spec.get("ports") or ()) if sp.get("port") == port), None
        )
        ex.add(self.hop("loadbalancer", name, ip, port, namespace=ns))
        if index is None:
            reason = hint("lb-no-such-port", ip=ip, service=name, port=port)
            ex.fail("timeout", TIMEOUT, reason)
            return
        if ex.request.client.pod is not None:
            self._cluster_ip(ex, key, spec.get("clusterIP"), port)
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
                    else NO_NODE_HAS_ONE
                )
                ex.fail("timeout", TIMEOUT, hint("etp-local-no-node", service=name, why=why))
                return
        if not nodes:
            ex.fail("timeout", TIMEOUT, hint("lb-no-ready-node", ip=ip))
            return
        self._node_port(ex, nodes[self.proxy.draw(len(nodes))], svc, index, ip)


NO_NODE_HAS_ONE = hint("no-node-has-one")

# A NodePort's sentences, made once per node, port and Service (each request names them).


@lru_cache(maxsize=1024)
def _entry(lb: str | None, node: str, node_port: int, service: str) -> Hint:
    """How the packet came to the Service: through `node`'s NodePort, sent there by `lb`."""
    if lb:
        return hint("lb-chose-node", lb=lb, node=node, node_port=node_port, service=service)
    return hint("node-port-forwarded", node=node, node_port=node_port, service=service)


@lru_cache(maxsize=256)
def _local_kept(node: str) -> Hint:
    return hint("etp-local-kept", node=node)


@lru_cache(maxsize=1024)
def _cluster_forwarded(node: str, source: str) -> Hint:
    return hint("etp-cluster-forwarded", node=node, ip=source)


@lru_cache(maxsize=256)
def _cluster_snat(source: str) -> Hint:
    return hint("etp-cluster-snat", ip=source)
