"""Request paths through ingress-nginx: server and location choice, TLS, redirects, upstreams.

A mixin of `Router` (router.py), which owns the caches and helpers these
methods use. The routing table and balancer are in ingress.py; the semantics
are k8s-semantics.md section 7.
"""

from __future__ import annotations

from simulator.ipam import INGRESS_IP
from simulator.labels import from_match_labels
from simulator.trace import HTTP_ERROR, OK, REFUSED, TLS_ERROR, Hop, Trace

from . import tls
from .dns import external_address
from .exchange import Client, Exchange, IngressPlan, declared
from .ingress import CATCH_ALL, Location

CACHE_LIMIT = 100_000


class IngressRoutes:
    """What ingress-nginx does with a request (mixed into Router)."""

    def _ingress(
        self,
        ex: Exchange,
        client: Client,
        port: int,
        hops: list[Hop],
        headers: dict[str, str] | None,
        insecure: bool,
        method: str,
        url: str,
        plan_key: tuple | None = None,
    ) -> None:
        if port not in (80, 443):
            hops.append(self.hop("ingress", "ingress-nginx", INGRESS_IP, port))
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"the Ingress controller listens only on ports 80 and 443, not {port}",
                hops,
                url,
            )
            return
        table = self.ingress.table()
        host_header = None
        if headers:
            for key, value in headers.items():
                if key.lower() == "host":
                    host_header = value
        if host_header is None:
            host_header = ex.host if ex.port in (80, 443) else f"{ex.host}:{ex.port}"
        host = host_header.partition(":")[0].lower()
        https = ex.scheme == "https"
        if https and port == 80:
            hops.append(self.hop("ingress", "ingress-nginx", INGRESS_IP, port))
            ex.failure = "tls_version"
            ex.trace = self._trace(
                client,
                url,
                TLS_ERROR,
                "port 80 of the Ingress controller speaks plain HTTP, not TLS; use http:// "
                "or port 443",
                tuple(hops),
            )
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
            if not insecure:
                hops.append(self.hop("ingress", "ingress-nginx", INGRESS_IP, port))
                ex.failure = "tls_verify"
                ex.trace = self._trace(
                    client, url, TLS_ERROR, self._tls_reason(sni, sni_server, cert), tuple(hops)
                )
                return
        path = ex.path.split("?", 1)[0]
        location = server.match(path)
        ingress_name = (
            location.ingress
            if location
            else (server.ingresses[0] if server.ingresses else "ingress-nginx")
        )
        hops.append(
            self.hop("ingress", ingress_name, INGRESS_IP, port,
                     namespace=location.namespace if location else None)
        )  # fmt: skip
        if not https and port == 443:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                "plain HTTP was sent to the Ingress controller's HTTPS port 443, so nginx "
                "answered 400; use https:// or port 80",
                tuple(hops),
                400,
                "ingress-nginx",
            )
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
            ex.trace = self._trace(
                client,
                url,
                OK,
                f"ingress {tls_ing} has a TLS entry for {host}, so ingress-nginx redirects plain "
                f"HTTP to {ex.location} with 308 (annotation "
                f'nginx.ingress.kubernetes.io/ssl-redirect: "false" turns this off)',
                tuple(hops),
                308,
                "ingress-nginx",
            )
            return
        if location is None:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                self._no_match_reason(table, server, host, path),
                tuple(hops),
                404,
                "ingress-nginx",
            )
            return
        self._ingress_backend(ex, client, location, host, hops, url, https, plan_key)

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

    def _tls_reason(self, sni: str, server, cert: tls.Certificate) -> str:
        error = cert.verify_error()
        text = error[0] if error else "untrusted certificate"
        if cert.origin == "fake":
            if server.tls is None:
                why = f"no Ingress has a TLS entry for {sni}"
            elif not server.tls.secret:
                why = f"the TLS entry of ingress {server.tls.ingress} names no secret"
            else:
                why = (
                    f"secret {server.tls.secret} (TLS entry of ingress {server.tls.ingress}) "
                    f"is missing or not a valid kubernetes.io/tls secret"
                )
            return (
                f"{why}, so ingress-nginx serves its self-signed fake certificate and curl "
                f"refuses it ({text}); add -k to skip verification"
            )
        return (
            f"ingress-nginx serves the certificate of {cert.origin} ({cert.subject}), which curl "
            f"cannot verify ({text}); add -k to skip verification"
        )

    def _no_match_reason(self, table, server, host: str, path: str) -> str:
        tail = "so ingress-nginx's default backend answered 404"
        if server.name == CATCH_ALL:
            ignored = table.ignored_hosts.get(host)
            if ignored is not None:
                why = next((w for n, w in table.ignored if n == ignored), "")
                return (
                    f"only ingress {ignored.split('/')[1]} names host {host} and ingress-nginx "
                    f"does not serve it ({why}), {tail}"
                )
            if server.ingresses or server.prefixes or server.exact:
                return (
                    f"no Ingress rule matches host {host} path {path} (rules without a host "
                    f"do not match it either), {tail}"
                )
            return f"no Ingress rule matches host {host} path {path}, {tail}"
        names = ", ".join(server.ingresses)
        return (
            f"no Ingress rule matches host {host} path {path} (ingress {names} has rules for "
            f"{server.name} but none for this path), {tail}"
        )

    def _ingress_backend(
        self,
        ex: Exchange,
        client: Client,
        location: Location,
        host: str,
        hops: list[Hop],
        url: str,
        https: bool,
        plan_key: tuple | None = None,
    ) -> None:
        ns, svc_name = location.namespace, location.service
        if location.path_type == "defaultBackend":
            route = f"ingress {location.ingress}: default backend"
        else:
            shown = host if host else "*"
            route = (
                f"ingress {location.ingress}: host {shown} path {location.path} "
                f"({location.path_type})"
            )
        if svc_name is None:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                f"{route} uses a resource backend, which ingress-nginx does not serve, so it "
                f"answered 503",
                tuple(hops),
                503,
                "ingress-nginx",
            )
            return
        svc = self.store.get("Service", ns, svc_name)
        if svc is None:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                f"{route} sends to service {svc_name}, which does not exist in namespace {ns}, "
                f"so ingress-nginx answered 503",
                tuple(hops),
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
            hops.append(self.hop("service", svc_name, namespace=ns))
            address = external_address(target.lower().rstrip("."))
            if address is None:
                ex.responder = "nginx"
                ex.trace = self._trace(
                    client,
                    url,
                    HTTP_ERROR,
                    f"{route} -> ExternalName service {svc_name} -> {target}, which does not "
                    f"resolve, so ingress-nginx answered 502",
                    tuple(hops),
                    502,
                    "ingress-nginx",
                )
                return
            hops.append(
                self.hop(
                    "external",
                    target,
                    address,
                    location.port if isinstance(location.port, int) else 80,
                )
            )
            ex.responder, ex.body_from = "ingress-external", target
            ex.trace = self._trace(
                client,
                url,
                OK,
                f"{route} -> ExternalName service {svc_name} -> {target}",
                tuple(hops),
                200,
                target,
            )
            return
        if sp is None:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                f"{route} sends to port {location.port} of service {svc_name}, which has no such "
                f"port, so ingress-nginx answered 503",
                tuple(hops),
                503,
                "ingress-nginx",
            )
            return
        port_name = sp.get("name", "")
        # Shown for the learner: ingress-nginx reads the endpoints and sends to pod IPs itself.
        hops.append(self.hop("service", svc_name, spec.get("clusterIP"), sp["port"], namespace=ns))
        hops.append(self.hop("endpoints", svc_name, namespace=ns))
        endpoints = self.proxy.endpoints(ns, svc_name, port_name)
        ready = endpoints.ready
        if not ready:
            ex.responder = "nginx"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                f"service {svc_name} has no ready endpoints: "
                f"{self.proxy.explain_no_ready(svc, port_name)}, so ingress-nginx answered 503",
                tuple(hops),
                503,
                "ingress-nginx",
            )
            return
        target = f"{route} -> service {svc_name}:{sp['port']}"
        src_ip = self._controller_ip()
        if plan_key is not None and not https:
            if len(self._plans) > CACHE_LIMIT:
                self._plans.clear()
            self._plans[plan_key] = IngressPlan(
                client,
                self._epoch(),
                tuple(hops),
                ns,
                (ns, svc_name, port_name),
                target,
                src_ip,
                ex.scheme,
                ex.host,
                ex.port,
                ex.path,
                ex.ip,
                ex.via,
            )
        self._upstream(ex, client, ns, (ns, svc_name, port_name), ready, hops, url, target, src_ip)

    def _upstream(
        self,
        ex: Exchange,
        client: Client,
        ns: str,
        upstream: tuple[str, str, str],
        ready: tuple,
        hops: list[Hop],
        url: str,
        target: str,
        src_ip: str,
    ) -> None:
        """ingress-nginx's balancer: the next endpoint round robin, skipping refused ones."""
        # proxy_next_upstream "error timeout" with 3 tries: a refused endpoint is skipped.
        for _ in range(min(3, len(ready))):
            backend = ready[self.ingress.next_endpoint(upstream, ready)]
            pod = self.store.get("Pod", ns, backend.pod) if backend.pod else None
            if pod is None:
                pod = self.state.pod_by_ip(backend.ip)
            if pod is None:
                hops.append(self.hop("external", backend.ip, backend.ip, backend.port))
                ex.responder, ex.body_from = "ingress-external", backend.ip
                ex.trace = self._trace(
                    client,
                    url,
                    OK,
                    f"{target} -> {backend.ip}:{backend.port}",
                    tuple(hops),
                    200,
                    backend.ip,
                )
                return
            if self.state.pod_listens(pod, backend.port):
                pod_name = pod["metadata"]["name"]
                key = ("pod", pod_name, backend.ip, backend.port, backend.node, src_ip, ns)
                hop = self._hops.get(key) or self.hop(*key)
                hops.append(hop)
                ex.responder, ex.body_from = "ingress", pod_name
                ex.trace = Trace(
                    client.source,
                    url,
                    OK,
                    200,
                    pod_name,
                    f"{target} -> {backend.ip}:{backend.port}",
                    tuple(hops),
                )
                return
            failed = (pod, backend)
        pod, backend = failed
        pod_name = pod["metadata"]["name"]
        hops.append(self.hop("pod", pod_name, backend.ip, backend.port, backend.node, src_ip, ns))
        ex.responder = "nginx"
        ex.trace = self._trace(
            client,
            url,
            HTTP_ERROR,
            f"{target}, but nothing listens on port {backend.port} in pod {pod_name}"
            f"{declared(pod)}, so ingress-nginx answered 502",
            tuple(hops),
            502,
            "ingress-nginx",
        )

    def _controller_ip(self) -> str:
        """The ingress-nginx controller pod's IP (what upstream pods see as the client).

        Found by label in namespace ingress-nginx; the host-facing address when the
        cluster runs no such pod. Cached until the store changes.
        """
        version = getattr(self.store, "_resource_version", None)
        cached = self._controller
        if cached is not None and version is not None and cached[0] == version:
            return cached[1]
        ip = INGRESS_IP
        selector = from_match_labels({"app.kubernetes.io/component": "controller"})
        for pod in self.store.pods_selected("ingress-nginx", selector):
            if (pod.get("status") or {}).get("podIP"):
                ip = pod["status"]["podIP"]
                break
        self._controller = (version, ip)
        return ip
