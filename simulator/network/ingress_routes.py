"""Request paths through ingress-nginx: server and location choice, TLS, redirects, upstreams.

A mixin of `Router` (router.py), which owns the caches and helpers these
methods use. The routing table and balancer are in ingress.py; the semantics
are k8s-semantics.md section 7.
"""

from __future__ import annotations

from functools import lru_cache

from simulator.hints import Hint, hint
from simulator.ipam import INGRESS_IP
from simulator.labels import from_match_labels
from simulator.trace import HTTP_ERROR, OK, REFUSED, TLS_ERROR

from . import tls
from .delivery import DELIVERED, DROPPED, Delivery
from .dns import external_address
from .exchange import Exchange, IngressPlan, declared
from .ingress import CATCH_ALL, SSL_REDIRECT, Location
from .proxy_drops import (
    INGRESS_NGINX,
    entry_dropped,
    retried,
    retry_wait_ms,
    upstream_timeout,
)
from .route_base import RouteBase

#: Reasons that name nothing variable, made once.
TLS_TO_PORT_80 = hint("ingress-tls-to-port-80")
HTTP_TO_PORT_443 = hint("ingress-http-to-port-443")
FAKE = hint("certificate-fake")


@lru_cache(maxsize=10_000)
def proxied_to(target: str, ip: str | None, port: int | None) -> Hint:
    """`<target> -> 10.244.1.5:8080`: the endpoint a proxy sent the request to (made once
    per target and endpoint)."""
    return hint("proxied-to", target=target, ip=ip, port=port)


def certificate_origin(cert: tls.Certificate) -> Hint | str:
    """Where a certificate a proxy serves comes from, as a reason names it: `secret NS/NAME`,
    or `fake` (ingress-nginx's own)."""
    if cert.origin.startswith("secret "):
        return hint("certificate-of-secret", secret=cert.origin.removeprefix("secret "))
    if cert.origin == "fake":
        return FAKE
    return cert.origin


class IngressRoutes(RouteBase):
    """What ingress-nginx does with a request (mixed into Router)."""

    def _front(self) -> str:
        """The address the client reached the controller at."""
        return self._entry[0] if self._entry is not None else INGRESS_IP

    def _ingress(self, ex: Exchange, port: int) -> None:
        """A request to the Ingress controller's address: server, location, TLS, upstream."""
        request = ex.request
        if port not in (80, 443):
            ex.add(self.hop("ingress", "ingress-nginx", self._front(), port))
            ex.fail("refused", REFUSED, hint("ingress-wrong-port", port=port))
            return
        if self.delivery.policing.active() and self._controller_dropped(ex, port):
            return
        table = self.ingress.table()
        host_header = request.host_header
        if host_header is None:
            host_header = ex.host if ex.port in (80, 443) else f"{ex.host}:{ex.port}"
        host = host_header.partition(":")[0].lower()
        https = ex.scheme == "https"
        if https and port == 80:
            ex.add(self.hop("ingress", "ingress-nginx", self._front(), port))
            ex.fail("tls_version", TLS_ERROR, TLS_TO_PORT_80)
            return
        server = table.server_for(host)
        if https:
            sni = ex.host.lower()
            sni_server = table.server_for(sni)
            cert = tls.FAKE_CERTIFICATE
            if sni_server.tls is not None and sni_server.tls.secret:
                secret = self.store.get("Secret", sni_server.tls.namespace, sni_server.tls.secret)
                cert = self._certificate(secret) or tls.FAKE_CERTIFICATE
            ex.cert, ex.http2 = cert, True
            if not request.options.insecure:
                ex.add(self.hop("ingress", "ingress-nginx", self._front(), port))
                ex.fail("tls_verify", TLS_ERROR, self._tls_reason(sni, sni_server, cert))
                return
        path = ex.path.split("?", 1)[0]
        location = server.match(path)
        ingress_name = (
            location.ingress
            if location
            else (server.ingresses[0] if server.ingresses else "ingress-nginx")
        )
        ex.add(
            self.hop("ingress", ingress_name, self._front(), port,
                     namespace=location.namespace if location else None)
        )  # fmt: skip
        if not https and port == 443:
            ex.responder = "nginx"
            ex.end(HTTP_ERROR, HTTP_TO_PORT_443, 400, "ingress-nginx")
            return
        if not https and (
            (
                location is not None
                and (
                    location.force_ssl_redirect
                    or (server.tls is not None and location.ssl_redirect)
                )
            )
            or (location is None and server.tls is not None)
        ):
            uri = ex.path
            if uri.endswith("/"):
                uri = uri[:-1]  # preserve-trailing-slash is false by default
            ex.responder, ex.location = "nginx", f"https://{host_header.partition(':')[0]}{uri}"
            tls_ing = server.tls.ingress if server.tls else ingress_name
            reason = hint(
                "ingress-ssl-redirect",
                ingress=tls_ing,
                host=host,
                location=ex.location,
                annotation=SSL_REDIRECT,
            )
            ex.end(OK, reason, 308, "ingress-nginx")
            return
        if location is None:
            ex.responder = "nginx"
            ex.end(
                HTTP_ERROR, self._no_match_reason(table, server, host, path), 404, "ingress-nginx"
            )
            return
        self._ingress_backend(ex, location, host, https)

    def _certificate(self, secret: dict | None) -> tls.Certificate | None:
        if secret is None:
            return None
        key = ("cert", secret["metadata"].get("namespace"), secret["metadata"]["name"])
        version = secret["metadata"].get("resourceVersion")
        cached = self._certs.get(key)
        if cached is not None and cached[0] is secret and cached[1] == version:
            return cached[2]
        cert = tls.certificate_from_secret(secret)
        self._certs[key] = (secret, version, cert)
        return cert

    def _tls_reason(self, sni: str, server, cert: tls.Certificate) -> Hint:
        error = cert.verify_error()
        text = error[0] if error else "untrusted certificate"
        if cert.origin == "fake":
            why: Hint
            if server.tls is None:
                why = hint("ingress-no-tls-entry", host=sni)
            elif not server.tls.secret:
                why = hint("ingress-tls-no-secret", ingress=server.tls.ingress)
            else:
                why = hint(
                    "ingress-tls-bad-secret", secret=server.tls.secret, ingress=server.tls.ingress
                )
            return hint("ingress-fake-certificate", why=why, error=text)
        return hint(
            "ingress-unverified-certificate",
            origin=certificate_origin(cert),
            subject=cert.subject,
            error=text,
        )

    def _no_match_reason(self, table, server, host: str, path: str) -> Hint:
        if server.name == CATCH_ALL:
            ignored = table.ignored_hosts.get(host)
            if ignored is not None:
                why = next((w for n, w in table.ignored if n == ignored), "")
                return hint(
                    "ingress-host-ignored", ingress=ignored.split("/")[1], host=host, why=why
                )
            if server.ingresses or server.prefixes or server.exact:
                return hint("ingress-no-rule-catch-all", host=host, path=path)
            return hint("ingress-no-rule", host=host, path=path)
        return hint(
            "ingress-no-path",
            host=host,
            path=path,
            ingresses=", ".join(server.ingresses),
            server=server.name,
        )

    def _ingress_backend(self, ex: Exchange, location: Location, host: str, https: bool) -> None:
        """The matched location's backend: a Service's endpoints, an ExternalName, or a 5xx."""
        ns, svc_name = location.namespace, location.service
        if location.path_type == "defaultBackend":
            route = hint("ingress-default-backend", ingress=location.ingress)
        else:
            route = hint(
                "ingress-rule",
                ingress=location.ingress,
                host=host if host else "*",
                path=location.path,
                path_type=location.path_type,
            )
        if svc_name is None:
            ex.responder = "nginx"
            ex.end(HTTP_ERROR, hint("ingress-resource-backend", route=route), 503, "ingress-nginx")
            return
        svc = self.store.get("Service", ns, svc_name)
        if svc is None:
            ex.responder = "nginx"
            ex.end(
                HTTP_ERROR,
                hint("ingress-no-such-service", route=route, service=svc_name, namespace=ns),
                503,
                "ingress-nginx",
            )
            return
        spec = svc["spec"]
        sp = None
        for candidate in spec.get("ports") or ():
            if location.port in (candidate.get("port"), candidate.get("name")):
                sp = candidate
                break
        if spec.get("type") == "ExternalName":
            target = spec.get("externalName", "")
            ex.add(self.hop("service", svc_name, namespace=ns))
            address = external_address(target.lower().rstrip("."))
            if address is None:
                ex.responder = "nginx"
                ex.end(
                    HTTP_ERROR,
                    hint(
                        "ingress-external-name-unresolved",
                        route=route,
                        service=svc_name,
                        target=target,
                    ),
                    502,
                    "ingress-nginx",
                )
                return
            ex.add(
                self.hop(
                    "external",
                    target,
                    address,
                    location.port if isinstance(location.port, int) else 80,
                )
            )
            ex.responder, ex.body_from = "ingress-external", target
            reason = hint("ingress-external-name", route=route, service=svc_name, target=target)
            ex.end(OK, reason, 200, target)
            return
        if sp is None:
            ex.responder = "nginx"
            ex.end(
                HTTP_ERROR,
                hint("ingress-no-such-port", route=route, port=location.port, service=svc_name),
                503,
                "ingress-nginx",
            )
            return
        port_name = sp.get("name", "")
        # Shown for the learner: ingress-nginx reads the endpoints and sends to pod IPs itself.
        ex.add(self.hop("service", svc_name, spec.get("clusterIP"), sp["port"], namespace=ns))
        ex.add(self.hop("endpoints", svc_name, namespace=ns))
        endpoints = self.proxy.endpoints(ns, svc_name, port_name)
        ready = endpoints.ready
        if not ready:
            ex.responder = "nginx"
            ex.end(
                HTTP_ERROR,
                hint(
                    "ingress-no-ready-endpoints",
                    service=svc_name,
                    why=self.proxy.explain_no_ready(svc, port_name),
                ),
                503,
                "ingress-nginx",
            )
            return
        target = hint("proxied-to-service", route=route, service=svc_name, port=sp["port"])
        src_ip, sender = self._controller()
        request = ex.request
        plan = IngressPlan(
            request.client,
            self._epoch(),
            ex.hops,
            (ns, svc_name, port_name),
            target,
            sender,
            src_ip,
            ex.ip,
            ex.via,
            self._serving_version(),
            endpoints,
            [None] * len(ready),
        )
        if not https:
            self._keep_plan(request, plan)
        self._upstream(ex, plan)

    def _upstream(self, ex: Exchange, plan: IngressPlan) -> bool:
        """ingress-nginx's balancer: the next endpoint round robin, skipping refused ones.

        Every request through an upstream comes here with its plan, the first one
        and every replay alike; the controller pod opens the connection, so the
        delivery step sees its address as the source. False when the upstream has
        no ready endpoint (left to the slow path, which explains the 503).
        """
        serving = self._serving_version()
        endpoints = plan.endpoints
        if endpoints is None or plan.serving != serving:
            endpoints = plan.endpoints = self.proxy.endpoints(*plan.upstream)
            plan.serving, plan.deliveries = serving, [None] * len(endpoints.ready)
        ready = endpoints.ready
        if not ready:
            return False
        upstream, deliveries = plan.upstream, plan.deliveries
        dropped: list[Delivery] = []
        # proxy_next_upstream "error timeout" with 3 tries: a refused or silent endpoint is
        # skipped, a silent one after proxy_connect_timeout.
        delivery: Delivery | None = None
        for _ in range(min(3, len(ready))):
            index = self.ingress.next_endpoint(upstream, ready)
            delivery = deliveries[index]
            if delivery is None:
                backend = ready[index]
                pod = self.store.get("Pod", upstream[0], backend.pod) if backend.pod else None
                if pod is None:
                    pod = self.state.pod_by_ip(backend.ip)
                if pod is None:
                    ex.add(self.hop("external", backend.ip, backend.ip, backend.port))
                    ex.responder, ex.body_from = "ingress-external", backend.ip
                    reason = proxied_to(plan.target, backend.ip, backend.port)
                    ex.end(OK, reason, 200, backend.ip)
                    return True
                delivery = deliveries[index] = self.delivery.deliver(
                    pod, backend.ip, backend.port, src_ip=plan.src_ip, sender=plan.sender
                )
            if delivery.verdict is DELIVERED:
                ex.hops += (delivery.hop,)
                ex.responder, ex.body_from = "ingress", delivery.name
                hop = delivery.hop
                reason = proxied_to(plan.target, hop.ip, hop.port)
                ex.end(OK, retried(reason, INGRESS_NGINX, dropped), 200, delivery.name)
                ex.elapsed_ms = retry_wait_ms(INGRESS_NGINX, dropped)
                ex.trace.elapsed = ex.elapsed_ms / 1000
                return True
            if delivery.verdict is DROPPED:
                dropped.append(delivery)
        assert delivery is not None  # `ready` is not empty: at least one try was made
        ex.hops += (delivery.hop,)
        if dropped and delivery.verdict is DROPPED:
            upstream_timeout(ex, INGRESS_NGINX, plan.target, dropped)
            return True
        ex.responder = "nginx"
        ex.end(
            HTTP_ERROR,
            hint(
                "ingress-pod-not-listening",
                target=plan.target,
                port=delivery.port,
                pod=delivery.name,
                declared=declared(delivery.pod),
            ),
            502,
            "ingress-nginx",
        )
        return True

    def _controller_dropped(self, ex: Exchange, port: int) -> bool:
        """Whether a NetworkPolicy drops the connection to the controller pod itself (the
        client's egress, or ingress to the controller); the walk then ends as a drop."""
        _ip, pod = self._controller()
        if pod is None:
            return False
        hop = self.hop("ingress", "ingress-nginx", self._front(), port)
        where = hint("ingress-to-controller-pod", pod=pod["metadata"]["name"])
        return entry_dropped(ex, self.delivery.policing, pod, port, hop, where)

    def _controller(self) -> tuple[str, dict | None]:
        """The ingress-nginx controller pod's IP (what upstream pods see as the client),
        and the pod.

        Found by label in namespace ingress-nginx; the host-facing address and no pod
        when the cluster runs no such pod. Cached until the store changes.
        """
        if self._entry is not None:
            return self._entry[1], self._entry[2]
        version = getattr(self.store, "_resource_version", None)
        cached = self._controller_pod
        if cached is not None and version is not None and cached[0] == version:
            return cached[1], cached[2]
        ip, found = INGRESS_IP, None
        selector = from_match_labels({"app.kubernetes.io/component": "controller"})
        for pod in self.store.pods_selected("ingress-nginx", selector):
            if (pod.get("status") or {}).get("podIP"):
                ip, found = pod["status"]["podIP"], pod
                break
        self._controller_pod = (version, ip, found)
        return ip, found
