"""Request paths through a Gateway: NGINX Gateway Fabric's nginx at the Gateway's address.

A mixin of `Router` (router.py), which owns the caches and helpers these methods use.
What the Gateway serves is decided elsewhere, as pure functions of the objects
(`simulator.gatewayapi`: the resolved graph and each Gateway's routing table); this
module walks one request through it, as the data plane does:

1. the port: a listener's port, or the connection is refused (the data-plane Service
   exposes only listener ports);
2. TLS on an HTTPS port: the certificate of the listener whose hostname best matches the
   SNI; none, and nginx rejects the handshake (``ssl_reject_handshake on``);
3. the Host header picks the server (exact, then the most specific wildcard, then the
   routes without hostnames), whose entries are in the spec's precedence order: the first
   that matches serves; none, and nginx's default server answers 404;
4. the rule's filters: a ``RequestRedirect`` answers at once; ``URLRewrite`` changes the
   path the backend gets; header modifiers change request and response headers;
5. the backend: drawn by weight (`table.pick_backend`); an invalid one or none at all
   gets 500, a Service without ready endpoints 503; else an endpoint at random (NGF's
   ``random two least_conn`` with no connection open), handed to the delivery step from
   the Gateway's data-plane pod, whose address the backend sees.

NetworkPolicy sees the data plane as the proxy it is (proxy_drops.py): the client's
connection to the Gateway's nginx pod, then that pod's connection to the backend pod. A
dropped upstream connection is waited out (nginx's ``proxy_connect_timeout``, 60 s by
default), the next endpoint tried (``proxy_next_upstream error timeout``), and 504
when every try was dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from simulator.gatewayapi import build_tables, host_addresses
from simulator.gatewayapi.filters import describe_filter, modified_path, redirect_location
from simulator.gatewayapi.matching import Request as Match
from simulator.gatewayapi.matching import describe_match, parse_query
from simulator.gatewayapi.model import Backend
from simulator.gatewayapi.provisioner import data_plane_name
from simulator.gatewayapi.table import GatewayTable, pick_backend
from simulator.gateways import gateway_graph
from simulator.hints import NONE, Hint, hint
from simulator.trace import HTTP_ERROR, OK, REFUSED, TLS_ERROR, Hop

from . import tls
from .delivery import DELIVERED, DROPPED, Delivery
from .exchange import Exchange, declared
from .gateway_plan import GatewayPlan, Upstream
from .ingress_routes import IngressRoutes, certificate_origin, proxied_to
from .proxy_drops import Proxy, entry_dropped, retried, retry_wait_ms, upstream_timeout

if TYPE_CHECKING:
    from simulator.endpoints import Backend as Address

#: nginx's proxy_connect_timeout, which NGINX Gateway Fabric leaves at its default.
CONNECT_TIMEOUT_MS = 60_000


def _proxy(gateway: str) -> Proxy:
    """A Gateway's nginx as NetworkPolicy drops are worded and timed."""
    sender = hint("gateway-nginx", gateway=gateway)
    return Proxy(gateway, sender, "proxy_connect_timeout", CONNECT_TIMEOUT_MS)


class GatewayRoutes(IngressRoutes):
    """What a Gateway's nginx does with a request (mixed into Router)."""

    def gateway_view(self):
        """``(graph, tables by address, host names -> address)``, rebuilt with the graph."""
        graph = gateway_graph(self.state)
        cached = self._gateway_view
        if cached is None or cached[0] is not graph:
            cached = self._gateway_view = (graph, build_tables(graph), host_addresses(graph))
        return cached

    def _gateway(self, ex: Exchange, table: GatewayTable, port: int) -> None:
        """A request to a Gateway's address (see the module docstring)."""
        gateway = table.gateway
        name, namespace, address = gateway.name, gateway.namespace, gateway.address
        ports = table.ports.get(port)
        hop = self.hop("gateway", name, address, port, namespace=namespace)
        if ports is None:
            ex.add(hop)
            listening = ", ".join(str(p) for p in sorted(table.ports)) or NONE
            ex.fail(
                "refused",
                REFUSED,
                hint("gateway-no-listener", gateway=name, port=port, ports=listening),
            )
            return
        src_ip, sender = self._data_plane(gateway)
        if sender is None:
            ex.add(hop)
            ex.fail(
                "refused",
                REFUSED,
                hint("gateway-no-data-plane", gateway=name, deployment=data_plane_name(name)),
            )
            return
        if self.delivery.policing.active():
            went = hint("gateway-to-nginx-pod", gateway=name, pod=sender["metadata"]["name"])
            if entry_dropped(ex, self.delivery.policing, sender, port, hop, went):
                return
        request = ex.request
        https = ex.scheme == "https"
        host_header = request.host_header
        if host_header is None:
            default = 443 if https else 80
            host_header = ex.host if ex.port == default else f"{ex.host}:{ex.port}"
        host = host_header.partition(":")[0].lower()
        if ports.protocol == "HTTP" and https:
            ex.add(hop)
            ex.fail(
                "tls_version",
                TLS_ERROR,
                hint("gateway-tls-to-http-listener", port=port, gateway=name),
            )
            return
        if ports.protocol == "HTTPS":
            if not https:
                ex.add(hop)
                ex.responder = "gateway-nginx"
                ex.end(
                    HTTP_ERROR,
                    hint("gateway-http-to-https-listener", gateway=name, port=port),
                    400,
                    name,
                )
                return
            sni = "" if request.literal else ex.host.lower()
            listener = ports.listener_for_sni(sni)
            if listener is None:
                ex.add(hop)
                ex.fail(
                    "tls_reject",
                    TLS_ERROR,
                    hint("gateway-no-listener-for-name", gateway=name, port=port, sni=sni)
                    if sni
                    else hint("gateway-no-server-name", gateway=name, port=port),
                )
                return
            cert = self._gateway_certificate(listener)
            ex.cert, ex.http2 = cert, True
            if not request.options.insecure:
                ex.add(hop)
                error = cert.verify_error()
                text = error[0] if error else "untrusted certificate"
                ex.fail(
                    "tls_verify",
                    TLS_ERROR,
                    hint(
                        "gateway-unverified-certificate",
                        listener=listener.name,
                        gateway=name,
                        origin=certificate_origin(cert),
                        subject=cert.subject,
                        error=text,
                    ),
                )
                return
        server = ports.server_for(host)
        target = ex.path
        path, _, query = target.partition("?")
        match = Match(request.method, path or "/", parse_query(query), request.headers)
        entry = server.first_match(match) if server is not None else None
        if entry is None:
            ex.add(hop)
            ex.responder = "gateway-nginx"
            ex.end(HTTP_ERROR, self._gateway_no_match(name, server, host, path), 404, name)
            return
        route, rule = entry.route, entry.rule
        listener_name = self._entry_listener(ports, gateway.key, entry)
        ex.add(self._gateway_hop(name, address, port, namespace, listener_name, route.name,
                                 rule.index))  # fmt: skip
        where = hint("gateway-rule", gateway=name, listener=listener_name, route=route.name,
                     rule=rule.index, hostname=entry.hostname,
                     match=describe_match(entry.match))  # fmt: skip
        filters = {f.get("type"): f for f in rule.filters}
        redirect = filters.get("RequestRedirect")
        if redirect is not None:
            status, location = redirect_location(
                redirect["requestRedirect"], scheme=ex.scheme, host=host, listener_port=port,
                path=path or "/", query=query, match=entry.match,
            )  # fmt: skip
            ex.responder, ex.location = "gateway-nginx", location
            reason = hint("gateway-redirects", where=where, location=location, status=status)
            ex.end(OK, reason, status, name)
            return
        rewrite = filters.get("URLRewrite")
        forwarded = path or "/"
        if rewrite is not None:
            forwarded = modified_path(rewrite["urlRewrite"].get("path"), forwarded, entry.match)
        forwarded += f"?{query}" if query else ""
        response_headers = filters.get("ResponseHeaderModifier")
        shown = [describe_filter(f) for f in rule.filters if f.get("type") != "RequestRedirect"]
        if shown:
            where = hint("gateway-rule-filters", where=where, filters="; ".join(shown))
        plan = GatewayPlan(
            request.client, self._epoch(), ex.hops, rule,
            [self._upstream_of(backend, where) for backend in rule.backends], where, forwarded,
            (response_headers or {}).get("responseHeaderModifier"), sender, src_ip, ex.ip,
            ex.via,
        )  # fmt: skip
        if not https:
            self._keep_plan(request, plan)
        self._gateway_upstream(ex, plan)

    def _gateway_upstream(self, ex: Exchange, plan: GatewayPlan) -> None:
        """The backend: drawn by weight, then an endpoint at random, then the delivery step.

        Every request the Gateway routes comes here with its plan, the first one and
        every replay alike.
        """
        name = plan.hops[-1].name or ""  # the gateway hop always names its Gateway
        ex.headers = plan.headers
        # nginx's split_clients draws only where a rule splits its traffic.
        upstreams = plan.upstreams
        if len(upstreams) == 1 and plan.rule.backends[0].weight > 0:
            backend, upstream = plan.rule.backends[0], upstreams[0]
        else:
            draw = self.state.rng.random() if len(upstreams) > 1 else 0.0
            picked = pick_backend(plan.rule, draw) if upstreams else None
            if picked is None:
                ex.responder = "gateway-nginx"
                key = "gateway-no-backend-refs" if not upstreams else "gateway-zero-weights"
                ex.end(HTTP_ERROR, hint(key, target=plan.target), 500, name)
                return
            backend, upstream = picked, upstreams[plan.rule.backends.index(picked)]
        if upstream is None:
            ex.responder = "gateway-nginx"
            reason = hint("gateway-invalid-backend", target=plan.target, backend=backend.name,
                          reason=backend.reason, message=backend.message)  # fmt: skip
            ex.end(HTTP_ERROR, reason, 500, name)
            return
        ex.hops += (upstream.service_hop, upstream.endpoints_hop)
        serving = self._serving_version()
        endpoints = upstream.endpoints
        if endpoints is None or upstream.serving != serving:
            endpoints = upstream.endpoints = self.proxy.endpoints(*upstream.key)
            upstream.serving = serving
            upstream.deliveries = [None] * len(endpoints.ready)
        ready = endpoints.ready
        target = upstream.target
        if not ready:
            ex.responder = "gateway-nginx"
            why = self.proxy.explain_no_ready(upstream.service, upstream.key[2])
            ex.end(HTTP_ERROR, hint("gateway-no-ready-endpoints", target=target, why=why), 503,
                   name)  # fmt: skip
            return
        index = self.proxy.draw(len(ready))
        dropped: list[Delivery] = []
        # proxy_next_upstream "error timeout" (nginx's default, which NGF keeps): a refused
        # connection (an error) or one a policy drops (a timeout) makes nginx try the
        # upstream's next server, each at most once.
        for tried in range(len(ready)):
            known = self._gateway_delivery(ex, plan, upstream, ready, (index + tried) % len(ready))
            if known is None:  # an address outside the cluster answered
                return
            delivery, pod_hop, reason = known
            if delivery.verdict is DELIVERED:
                break
            if delivery.verdict is DROPPED:
                dropped.append(delivery)
        ex.hops += (pod_hop,)
        if delivery.verdict is DELIVERED:
            ex.responder, ex.body_from = "gateway", delivery.name
            if not dropped:
                ex.end(OK, reason, 200, delivery.name)
                return
            proxy = _proxy(name)
            ex.end(OK, retried(reason, proxy, dropped), 200, delivery.name)
            ex.elapsed_ms = retry_wait_ms(proxy, dropped)
            ex.trace.elapsed = ex.elapsed_ms / 1000
            return
        if delivery.verdict is DROPPED:
            upstream_timeout(ex, _proxy(name), target, dropped)
            ex.responder = "gateway-nginx"  # NGF's nginx error page, not ingress-nginx's
            return
        ex.responder = "gateway-nginx"
        ex.end(
            HTTP_ERROR,
            hint(
                "gateway-pod-not-listening",
                target=target,
                port=delivery.port,
                pod=delivery.name,
                declared=declared(delivery.pod),
            ),
            502,
            name,
        )

    def _upstream_of(self, backend: Backend, where: Hint) -> Upstream | None:
        """A backend as the plan keeps it: its Service's hops and endpoints' key; None for
        one that does not resolve."""
        svc, sp = backend.service, backend.service_port
        if not backend.valid or svc is None or sp is None:
            return None
        ns = backend.namespace
        return Upstream(
            backend,
            svc,
            (ns, backend.name, sp.get("name", "")),
            self.hop("service", backend.name, svc["spec"].get("clusterIP"), sp["port"],
                     namespace=ns),
            self.hop("endpoints", backend.name, namespace=ns),
            hint("proxied-to-service", route=where, service=backend.name, port=backend.port),
        )  # fmt: skip

    def _gateway_delivery(
        self,
        ex: Exchange,
        plan: GatewayPlan,
        upstream: Upstream,
        ready: tuple[Address, ...],
        index: int,
    ) -> tuple[Delivery, Hop, Hint] | None:
        """The delivery step's answer for one ready endpoint, kept per endpoint with the pod
        hop (the path it received) and the reason: `(Delivery, Hop, Hint)`, or None when the
        endpoint is an address outside the cluster (the exchange then ends here)."""
        known = upstream.deliveries[index]
        if known is not None:
            return known
        endpoint = ready[index]
        pod = self.store.get("Pod", upstream.key[0], endpoint.pod) if endpoint.pod else None
        if pod is None:
            pod = self.state.pod_by_ip(endpoint.ip)
        if pod is None:
            ex.add(self.hop("external", endpoint.ip, endpoint.ip, endpoint.port))
            ex.responder, ex.body_from = "gateway-external", endpoint.ip
            ex.end(OK, proxied_to(upstream.target, endpoint.ip, endpoint.port), 200, endpoint.ip)
            return None
        delivery = self.delivery.deliver(
            pod, endpoint.ip, endpoint.port, src_ip=plan.src_ip, sender=plan.sender
        )
        reason = hint(
            "gateway-to-pod",
            target=upstream.target,
            pod=delivery.name,
            ip=delivery.ip,
            port=delivery.port,
            path=plan.path,
        )
        known = upstream.deliveries[index] = (
            delivery, self._path_hop(delivery.hop, plan.path), reason
        )  # fmt: skip
        return known

    def _gateway_hop(self, *key) -> Hop:
        """The gateway hop with its listener, route and rule (shared, like every hop)."""
        hop = self._gateway_hops.get(key)
        if hop is None:
            if len(self._gateway_hops) > 10_000:
                self._gateway_hops.clear()
            name, address, port, namespace, listener, route, rule = key
            hop = self._gateway_hops[key] = Hop(
                "gateway", name, address, port, None, None, namespace, listener, route, rule
            )
        return hop

    def _path_hop(self, hop: Hop, path: str) -> Hop:
        """The pod's hop with the path it received (shared, like every hop)."""
        key = (hop, path)
        found = self._path_hops.get(key)
        if found is None:
            if len(self._path_hops) > 10_000:
                self._path_hops.clear()
            found = self._path_hops[key] = replace(hop, path=path)
        return found

    def _data_plane(self, gateway) -> tuple[str, dict | None]:
        """The Gateway's nginx pod (a ready endpoint of its data-plane Service) and its IP."""
        name = data_plane_name(gateway.name)
        service = self.store.get("Service", gateway.namespace, name)
        ports = (service or {}).get("spec", {}).get("ports") or ()
        if not ports:
            return "", None
        ready = self.proxy.endpoints(gateway.namespace, name, ports[0].get("name", "")).ready
        for endpoint in ready:
            pod = self.store.get("Pod", gateway.namespace, endpoint.pod) if endpoint.pod else None
            if pod is not None:
                return endpoint.ip, pod
        return "", None

    def _gateway_certificate(self, listener):
        for namespace, secret_name in listener.certificates:
            cert = self._certificate(self.store.get("Secret", namespace, secret_name))
            if cert is not None:
                return cert
        return tls.FAKE_CERTIFICATE

    @staticmethod
    def _entry_listener(ports, gateway_key, entry) -> str:
        for listener in ports.listeners:
            for parent in entry.route.parents:
                if parent.gateway == gateway_key and entry.hostname in parent.hostnames.get(
                    listener.name, ()
                ):
                    return listener.name
        return ports.listeners[0].name

    @staticmethod
    def _gateway_no_match(name: str, server, host: str, path: str) -> Hint:
        if server is None:
            return hint("gateway-no-route-for-host", gateway=name, host=host)
        return hint("gateway-no-rule-for-path", gateway=name, host=host, path=path)
