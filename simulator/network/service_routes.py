"""Request paths through kube-proxy: ClusterIP, NodePort, LoadBalancer, endpoint delivery.

A mixin of `Router` (router.py), which owns the caches and helpers these
methods use (`store`, `state`, `proxy`, `delivery`, `hop`, `_plans`...). The
semantics are k8s-semantics.md section 5; see proxy.py for the facts. Every
path ends in `_endpoint`, which hands the packet to the chosen pod through the
delivery step (delivery.py).
"""

from __future__ import annotations

from simulator.hints import NONE, Hint, hint
from simulator.ipam import HOST_NETWORK
from simulator.trace import OK, REFUSED, TIMEOUT, UNREACHABLE, Trace

from .delivery import DROPPED, NOT_LISTENING, Delivery
from .direct_routes import APISERVER_PORT, DirectRoutes
from .exchange import (
    Deliveries,
    Exchange,
    Plan,
    PortRoute,
    answered,
    bridge_ip,
    declared,
    why_chosen,
    why_random,
)
from .proxy import PortEndpoints


class ServiceRoutes(DirectRoutes):
    """Where kube-proxy sends a packet (mixed into Router)."""

    def _cluster_ip(self, ex: Exchange, key: tuple[str, str], ip: str, port: int) -> None:
        """A packet to a Service's cluster IP (or, from a pod, to its load balancer's IP)."""
        ns, name = key
        request = ex.request
        if request.client.pod is None:
            ex.add(self.hop("service", name, ip, port, namespace=ns))
            ex.fail(
                "timeout",
                UNREACHABLE,
                hint("cluster-ip-from-host", ip=ip, service=name),
            )
            return
        route = self._port_routes.get((ip, port)) if self.caching else None
        if route is None:
            route = self._port_route(key, ip, port)
        ex.add(route.service_hop)
        if route.service_port is None:
            # kube-proxy (iptables) only has rules for the Service's own ports: a packet
            # to another port of the VIP is not DNATed, leaves by the default route and
            # is never answered, so the client times out (nftables mode would reject it).
            known = ", ".join(str(p.get("port")) for p in route.svc["spec"].get("ports") or ())
            ex.fail(
                "timeout",
                TIMEOUT,
                hint("no-such-service-port", service=name, port=port, ports=known or NONE),
            )
            return
        ex.add(route.endpoints_hop)
        plan = Plan(
            request.client,
            self._epoch(),
            ex.hops,
            route,
            port,
            ex.ip,
            ex.via,
            memo=not route.local and not route.affinity,
        )
        self._keep_plan(request, plan)
        self._service_endpoint(ex, plan)

    def _service_endpoint(self, ex: Exchange, plan: Plan) -> None:
        """kube-proxy's choice for a packet that matched a Service port rule, and its delivery.

        Every request to a Service port comes here with its plan, the first one
        and every replay alike: the usable endpoints for the client's node
        (topology.py: ready ones, hints, internalTrafficPolicy Local, serving
        terminating ones as a last resort), one draw, then the delivery step (or,
        for a plan that keeps them, its answer for the endpoint drawn, while it holds).
        """
        endpoints = plan.endpoints
        if endpoints is None or plan.serving != self._serving_version():
            endpoints = self._plan_endpoints(plan)
        route = plan.route
        client = plan.client
        # No affinity, Local policy nor hints: the draw alone picks, so slots follow `usable`.
        memo = plan.memo and not endpoints.hinted
        why = None  # written only when a reason is made
        if memo:
            candidates = endpoints.usable
            topology = "terminating" if candidates and not endpoints.ready else ""
            if not candidates:
                self._refuse_no_endpoints(ex, route.svc, route.port_name)
                return
            index = self.proxy.draw(len(candidates))
            delivery = plan.deliveries[index]
            if delivery is not None:
                # The delivery step's answer for this endpoint, kept while it holds.
                self._land(ex, delivery, route, plan.reasons[index])
                return
        else:
            candidates, topology = self.proxy.usable(endpoints, client.node, route.local)
            if not candidates:
                if route.local and endpoints.usable:
                    ex.fail(
                        "timeout",
                        TIMEOUT,
                        hint("local-no-ready-pod", node=client.node, service=route.name),
                    )
                else:
                    self._refuse_no_endpoints(ex, route.svc, route.port_name)
                return
            if route.affinity:
                by_addr = endpoints.by_addr if candidates is endpoints.usable else None
                index, kept = self.proxy.choose(
                    route.svc, plan.port, candidates, client.ip, by_addr
                )
                why = KEPT if kept else why_random(len(candidates))
            else:
                index = self.proxy.draw(len(candidates))
        backend = candidates[index]
        src_ip = bridge_ip(client.ip) if backend.ip == client.ip else client.ip
        delivery = self._endpoint(ex, route.ns, backend, src_ip, route.via)
        if delivery is None:
            return
        chosen = why or why_chosen(len(candidates))
        if topology:
            zone = self.state.zones.get(client.node or "")
            chosen = hint(
                "narrowed", why=chosen, narrowed=why_topology(topology, client.node, zone)
            )
        reason = answered(route.via, delivery, chosen)
        if memo:
            plan.deliveries[index], plan.reasons[index] = delivery, reason
        self._land(ex, delivery, route, reason)

    def _plan_endpoints(self, plan: Plan) -> PortEndpoints:
        """The plan's Service port endpoints, read again because the serving version
        moved, with the client's delivery slots for them at the route (pods may have
        stopped listening: the deliveries are taken afresh)."""
        route = plan.route
        endpoints = self.proxy.endpoints(route.ns, route.name, route.port_name)
        serving = self._serving_version()
        plan.endpoints, plan.serving = endpoints, serving
        if plan.memo:
            size = len(endpoints.usable)
            shared = route.deliveries.get(plan.client)
            if (
                shared is None
                or shared.endpoints is not endpoints
                or shared.epoch != plan.epoch
                or shared.serving != serving
            ):
                if len(route.deliveries) > 64:
                    route.deliveries.clear()
                shared = Deliveries(endpoints, plan.epoch, serving, [None] * size, [""] * size)
                route.deliveries[plan.client] = shared
            plan.deliveries, plan.reasons = shared.slots, shared.reasons
        return endpoints

    def _port_route(self, key: tuple[str, str], ip: str, port: int) -> PortRoute:
        svc = self._service(key)
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
            hint("kube-proxy-sent", service=name, port=port),
            svc["spec"].get("internalTrafficPolicy") == "Local",
            svc["spec"].get("sessionAffinity") == "ClientIP",
        )
        if self.caching:
            self._port_routes[(ip, port)] = route
        return route

    def _endpoint(
        self,
        ex: Exchange,
        namespace: str,
        backend,
        src_ip: str,
        via: str,
        seen_ip: str | None = None,
    ) -> Delivery | None:
        """Hand the packet to one endpoint chosen by kube-proxy, through the delivery step.

        Args:
            ex: the request's walk, its hops ending where kube-proxy chose.
            namespace: the Service's namespace (its endpoints' pods are there).
            backend: the endpoint chosen.
            src_ip: the source address the pod sees (after SNAT or masquerade).
            via: how the packet came, for the reason of a manual address.
            seen_ip: the source the pod's NetworkPolicies see, when not `src_ip`.

        Returns:
            The delivery step's answer, for the caller to land; None for a manual
            address (not a pod), whose answer is already in `ex`.
        """
        pod = self.store.get("Pod", namespace, backend.pod) if backend.pod else None
        if pod is None:
            pod = self.state.pod_by_ip(backend.ip)
        if pod is None:
            self._manual_endpoint(ex, backend, via)
            return None
        return self.delivery.deliver(
            pod,
            backend.ip,
            backend.port,
            src_ip=src_ip,
            sender=ex.request.client.pod,
            seen_ip=seen_ip,
        )

    def _land(self, ex: Exchange, delivery: Delivery, came: PortRoute | str, reason: str) -> None:
        """End a request kube-proxy delivered: the pod answers (with `reason`), refuses, or
        speaks no TLS. `came` says how the packet came for a refusal's reason: the
        Service port's route, or the words themselves."""
        request = ex.request
        hops = ex.hops = ex.hops + (delivery.hop,)
        name = delivery.name
        if delivery.verdict is DROPPED:
            via, hop = came if isinstance(came, str) else came.via, delivery.hop
            assert delivery.drop is not None
            ex.drop(delivery.drop, hint("sent-to-pod", via=via, pod=name, ip=hop.ip, port=hop.port))
        elif delivery.verdict is NOT_LISTENING:
            via = came if isinstance(came, str) else came.via
            ex.fail(
                "refused",
                REFUSED,
                hint(
                    "pod-not-listening",
                    via=via,
                    pod=name,
                    port=delivery.port,
                    declared=declared(delivery.pod),
                ),
            )
        elif request.scheme == "https":
            self._plain_server_tls(ex, name)
        else:
            ex.responder, ex.body_from = "pod", name
            ex.trace = Trace(request.client.source, request.url, OK, 200, name, reason, hops)

    def _manual_endpoint(self, ex: Exchange, backend, via: str) -> None:
        tables = self.proxy.tables()
        node = tables.node_by_ip.get(backend.ip)
        if node is not None and backend.port == APISERVER_PORT:
            ex.add(self.hop("node", node, backend.ip, backend.port))
            self._apiserver(ex, hint("to-apiserver-on-node", via=via, node=node))
            return
        ex.add(self.hop("external", backend.ip, backend.ip, backend.port))
        if backend.ip.startswith("10.244.") or backend.ip.startswith(HOST_NETWORK + "."):
            ex.fail(
                "noroute",
                UNREACHABLE,
                hint("manual-address-unknown", via=via, ip=backend.ip, port=backend.port),
            )
            return
        self._external(
            ex,
            backend.ip,
            hint("manual-address-outside", via=via, ip=backend.ip, port=backend.port),
        )

    def _refuse_no_endpoints(self, ex: Exchange, svc: dict, port_name: str) -> None:
        """kube-proxy's REJECT rule for a Service port without ready endpoints."""
        ex.fail(
            "refused",
            REFUSED,
            hint(
                "no-ready-endpoints",
                service=svc["metadata"]["name"],
                why=self.proxy.explain_no_ready(svc, port_name),
            ),
        )


def why_topology(topology: str, node: str | None, zone: str | None) -> Hint:
    """Why kube-proxy's candidates were narrowed (the part of a reason after the draw)."""
    if topology == "terminating":
        return hint("serving-terminating")
    if topology == "local":
        return hint("local-kept-on-node", node=node)
    if topology == "PreferSameNode":
        return hint("same-node-kept", node=node)
    return hint("same-zone-kept", topology=topology, zone=zone, node=node)


KEPT = hint("kept-by-affinity")
