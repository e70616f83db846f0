"""The path of one request: resolve the name, follow the packet, build the Trace.

`Router.exchange` is the one place that decides what happens to a request;
curl, ping and `Network.request` only format its `Exchange`. Which address
answers is decided in this order:

* a Service cluster IP: kube-proxy's ClusterIP rules (pods only; the host
  has no route to the service CIDR);
* a node InternalIP: a NodePort (any node, all namespaces), or the
  API server on the control plane's port 6443;
* a LoadBalancer IP: the load balancer picks a node, then the NodePort path
  (from a pod, kube-proxy short-circuits it to the Service);
* the Ingress address: ingress-nginx on ports 80 and 443;
* a pod IP: the pod itself (pods only; the host has no route to pods);
* anything else in the cluster's ranges: no such host; outside them: the
  "Internet" (dns.external_address), which answers every request.

The kube-proxy paths are in service_routes.py and the ingress-nginx ones in
ingress_routes.py (both mixed into `Router`); this module holds the client,
name resolution, the dispatch by address, the other servers and the caches.
Per-Service routes and whole request "plans" are cached (valid while the
store's epoch holds); a plan keeps its Service port's endpoints and where each
leads (the pod, the Trace's reason: "deliveries", shared by every plan through
the port) while the state's serving version holds too; hops are shared
immutable values. So a routed request costs a few dict lookups, two stamp
comparisons, one random draw and one Trace.
"""

from __future__ import annotations

from simulator.ipam import DNS_SERVICE_IP, HOST_IP, HOST_NETWORK, INGRESS_IP
from simulator.trace import (
    DNS_ERROR,
    HTTP_ERROR,
    OK,
    REFUSED,
    TIMEOUT,
    TLS_ERROR,
    UNREACHABLE,
    Hop,
    Trace,
)

from . import tls
from .dns import Answer, ClusterDns, NotFound, external_address, is_ip
from .exchange import (
    Client,
    Delivery,
    Exchange,
    IngressPlan,
    Plan,
    PortRoute,
    bridge_ip,
    declared,
    parse_url,
    resolve_entry,
    why_random,
)
from .ingress import IngressController
from .ingress_routes import IngressRoutes
from .proxy import KubeProxy, PortEndpoints
from .service_routes import CACHE_LIMIT, ServiceRoutes

#: How long the kernel retries an unanswered SYN before giving up (tcp_syn_retries=6).
KERNEL_SYN_TIMEOUT_MS = 130_002
#: How long an ARP-less "No route to host" takes to come back.
NO_ROUTE_MS = 3_071


class Router(ServiceRoutes, IngressRoutes):
    """Follows requests through the simulated network (see the module docstring)."""

    def __init__(self, state) -> None:
        """Attach to a ClusterState; every cache starts empty."""
        self.state = state
        self.store = state.store
        self.proxy = KubeProxy(state)
        self.ingress = IngressController(state)
        ingress = self.ingress  # captured alone: a lambda over `self` would make a cycle
        self.dns = ClusterDns(
            state,
            lambda host: ingress.table().knows_host(host),
            self.proxy.explain_no_ready,
        )
        self._host = Client(
            "host", "host", None, HOST_IP, None, None, Hop("client", "host", HOST_IP)
        )
        # pod source -> (pod key, its resourceVersion, client, epoch it was last checked at)
        self._clients: dict[str, tuple] = {}
        self._urls: dict[str, tuple] = {}
        self._hops: dict[tuple, Hop] = {}
        self._certs: dict[tuple, tuple] = {}
        # cleared whenever kube-proxy's tables are rebuilt (a Service or Node changed)
        self._tables = None
        self._port_routes: dict[tuple[str, int], PortRoute] = {}
        self._plans: dict[tuple, Plan | IngressPlan] = {}
        self._controller: tuple[object, str] | None = None
        self._random = state.rng.random
        self._serving_version = state.serving_version

    def client(self, source: str) -> Client | str:
        """The client for a source string, or the kubectl-style error text."""
        if source == "host":
            return self._host
        client = self._cached_client(source)
        if client is not None:
            return client
        parts = source[4:].split("/") if source.startswith("pod/") else []
        if len(parts) == 1:
            namespace, name = "default", parts[0]
        elif len(parts) == 2:
            namespace, name = parts
        else:
            return (
                f'error: source must be "host", "pod/NAME" or "pod/NAMESPACE/NAME", not "{source}"'
            )
        pod = self.store.get("Pod", namespace, name)
        if pod is None:
            return f'Error from server (NotFound): pods "{name}" not found'
        ip = (pod.get("status") or {}).get("podIP")
        node = (pod.get("spec") or {}).get("nodeName")
        if not ip:
            return (
                f"error: pod {name} has no IP yet (it is not running), so it cannot send requests"
            )
        client = Client(
            source,
            name,
            namespace,
            ip,
            node,
            pod,
            Hop("client", name, ip, node=node, namespace=namespace),
        )
        if len(self._clients) > 4096:
            self._clients.clear()
        version = pod["metadata"].get("resourceVersion")
        self._clients[source] = ((namespace, name), version, client, self._epoch())
        return client

    def _cached_client(self, source: str) -> Client | None:
        """The cached client for `source` while its pod is the same, unchanged object.

        While the epoch holds (no put or remove since the last check), the pod is
        still the stored object and only its resourceVersion, bumped in place by
        readiness changes, needs comparing.
        """
        cached = self._clients.get(source)
        if cached is None:
            return None
        pod_key, version, client, checked = cached
        epoch = self._epoch()
        pod = client.pod if checked == epoch else self.store.get("Pod", *pod_key)
        if pod is not client.pod or pod["metadata"].get("resourceVersion") != version:
            return None
        if checked != epoch:
            self._clients[source] = (pod_key, version, client, epoch)
        return client

    def exchange(
        self,
        url: str,
        client: Client,
        *,
        headers: dict[str, str] | None = None,
        resolve: list[str] | None = None,
        insecure: bool = False,
        method: str = "GET",
        connect_timeout: float | None = None,
        max_time: float | None = None,
    ) -> Exchange:
        """Send one request from `client` and follow it to its end."""
        plan_key = None
        if resolve is None:
            host_override = None
            if headers:
                for key, value in headers.items():
                    if key.lower() == "host":
                        host_override = value
            plan_key = (client.source, url, host_override)
            plan = self._plans.get(plan_key)
            if plan is not None and plan.client is client and plan.epoch == self._epoch():
                if type(plan) is Plan:
                    ex = self._run_plan(plan, client, insecure, url)
                else:
                    ex = self._run_ingress_plan(plan, client, url)
                if ex is not None:
                    if ex.failure:
                        self._failure_time(ex, connect_timeout, max_time)
                    return ex
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = parse_url(url)
            if len(parsed) == 4:
                parsed = (*parsed, parsed[1].lower(), is_ip(parsed[1]))
            if len(self._urls) > 4096:
                self._urls.clear()
            self._urls[url] = parsed
        if len(parsed) == 2:
            error, scheme = parsed
            if error == "protocol":
                why = f"curl does not speak {scheme}; use an http:// or https:// URL"
            else:
                why = f"{url} is not a valid URL"
            ex = Exchange(self._trace(client, url, UNREACHABLE, why, (client.hop,)), "", "", 0, "")
            ex.failure = error
            return ex
        scheme, host, port, path, host_l, literal = parsed
        ex = Exchange(None, scheme, host, port, path)  # type: ignore[arg-type]
        hops = [client.hop]

        # -- name resolution --
        answer: Answer | None = None
        if literal:
            ip, ex.via = host, "literal"
        else:
            ip = resolve_entry(resolve, host, port)
            if ip is not None:
                ex.via = "resolve"
            elif host_l == "localhost":
                ip, ex.via = "127.0.0.1", "hosts"
            elif client.pod is None:
                ip = self.host_resolves(host_l)
                if ip is None:
                    ex.failure = "resolve"
                    ex.trace = self._trace(
                        client, url, DNS_ERROR, self.host_dns_reason(host_l), tuple(hops)
                    )
                    return ex
                ex.via = "hosts" if ip == INGRESS_IP else "dns"
            elif host_l == client.name:
                ip, ex.via = client.ip, "hosts"  # the pod's own /etc/hosts entry
            else:
                found = self.dns.resolve(host_l, client.namespace or "default")
                if isinstance(found, NotFound):
                    hops.append(self.hop("dns", found.tried[0], DNS_SERVICE_IP, 53))
                    ex.failure = "resolve"
                    ex.trace = self._trace(
                        client,
                        url,
                        DNS_ERROR,
                        f"could not resolve {host}: {found.reason}",
                        tuple(hops),
                    )
                    return ex
                answer = found
                hops.append(self.hop("dns", found.name, DNS_SERVICE_IP, 53))
                ip, ex.via = found.addresses[0], "dns"
                if found.kind == "externalname":
                    meta = found.service["metadata"]
                    hops.append(self.hop("service", meta["name"], namespace=meta.get("namespace")))
        ex.ip = ip
        self._connect(ex, client, ip, port, hops, answer, headers, insecure, method, url, plan_key)
        if ex.failure:
            self._failure_time(ex, connect_timeout, max_time)
        return ex

    def _run_plan(self, plan: Plan, client: Client, insecure: bool, url: str) -> Exchange:
        """Replay a request routed to a Service port from its endpoint choice on."""
        ex = Exchange(None, plan.scheme, plan.host, plan.port, plan.path, plan.ip, plan.via)
        endpoints = self._plan_endpoints(plan)
        ready = endpoints.ready
        n = len(ready)
        route = plan.route
        if not (n and plan.direct):
            hops = list(plan.hops)
            self._service_endpoint(ex, client, route, plan.port, hops, insecure, url, endpoints)
            return ex
        # The common case: one random draw (as _service_endpoint makes it), a pod that
        # listens, a 200. Anything else continues in _endpoint with the same endpoint,
        # so no second draw is ever made.
        index = int(self._random() * n) if n > 1 else 0
        delivery = plan.deliveries[index] or self._delivery(plan, index)
        if delivery is not None:
            hop = plan.pod_hops[index] or self._pod_hop(plan, index, delivery)
            if hop is not None:
                name = delivery.name
                ex.responder, ex.body_from = "pod", name
                trace = Trace(client.source, url, OK, 200, name, delivery.reason, (*plan.hops, hop))
                ex.trace = trace
                return ex
        backend = ready[index]
        src_ip = bridge_ip(client.ip) if backend.ip == client.ip else client.ip
        why = _why_chosen(n)
        hops = list(plan.hops)
        self._endpoint(ex, client, route.ns, backend, hops, src_ip, route.via, why, insecure, url)
        return ex

    def _plan_endpoints(self, plan: Plan) -> PortEndpoints:
        """The plan's Service port endpoints, read again only when the serving version moved.

        The deliveries are taken again with them; the client's hops only when the
        endpoint list is a new one (they follow its indexes).
        """
        serving = self._serving_version()
        if plan.serving == serving:
            return plan.endpoints  # type: ignore[return-value]
        route = plan.route
        endpoints = self.proxy.endpoints(route.ns, route.name, route.port_name)
        if endpoints is not plan.endpoints:
            plan.endpoints = endpoints
            plan.pod_hops = [None] * len(endpoints.ready)
        plan.deliveries = self._route_deliveries(route, endpoints, plan.epoch, serving)
        plan.serving = serving
        return endpoints

    def _route_deliveries(
        self, route: PortRoute, endpoints: PortEndpoints, epoch: object, serving: object
    ) -> list[Delivery | None]:
        """The route's delivery slots for `endpoints`, emptied when anything they hold moved."""
        shared = route.deliveries
        if shared.endpoints is not endpoints or shared.epoch != epoch or shared.serving != serving:
            shared.endpoints, shared.epoch, shared.serving = endpoints, epoch, serving
            shared.slots = [None] * len(endpoints.ready)
        return shared.slots

    def _delivery(self, plan: Plan, index: int) -> Delivery | None:
        """Fill the delivery slot of the plan's ready endpoint `index`.

        None when the endpoint is not a pod that listens: a manual address, or a
        closed port, which _endpoint explains.
        """
        ready = plan.endpoints.ready  # type: ignore[union-attr]
        backend = ready[index]
        route = plan.route
        pod = self.store.get("Pod", route.ns, backend.pod) if backend.pod else None
        if pod is None or not self.state.pod_listens(pod, backend.port):
            return None
        name = backend.pod  # the Endpoints targetRef: the pod just fetched by it
        node = backend.node or pod["spec"].get("nodeName")
        reason = (
            f"{route.via} to pod {name} ({backend.ip}:{backend.port}), {_why_chosen(len(ready))}"
        )
        delivery = Delivery(name, backend.ip, backend.port, node, reason)
        plan.deliveries[index] = delivery
        return delivery

    def _pod_hop(self, plan: Plan, index: int, delivery: Delivery) -> Hop | None:
        """Fill the plan's hop to its ready endpoint `index`: the pod, as its client reaches it.

        None when the pod is the client itself: hairpin traffic, which _endpoint masquerades.
        """
        if delivery.ip == plan.client.ip:
            return None
        hop = self.hop(
            "pod", delivery.name, delivery.ip, delivery.port, delivery.node, plan.client.ip,
            plan.route.ns,
        )  # fmt: skip
        plan.pod_hops[index] = hop
        return hop

    def _run_ingress_plan(self, plan: IngressPlan, client: Client, url: str) -> Exchange | None:
        """Replay an Ingress request from the upstream choice on (None: take the slow path)."""
        upstream = plan.upstream
        ready = self.proxy.endpoints(*upstream).ready
        if not ready:
            return None  # the slow path explains the 503
        ex = Exchange(None, plan.scheme, plan.host, plan.port, plan.path, plan.ip, plan.via)
        hops = list(plan.hops)
        self._upstream(
            ex, client, plan.namespace, upstream, ready, hops, url, plan.target, plan.src_ip
        )
        return ex

    def _epoch(self) -> int:
        """A stamp that changes whenever any object is written or removed: the store's
        revision (like etcd's). What changes without a write (endpoints, closed ports)
        is the state's serving version.
        """
        return self.store.revision

    def _failure_time(
        self, ex: Exchange, connect_timeout: float | None, max_time: float | None
    ) -> None:
        """How long the client waited before failing (SYN retries, timeouts, no route).

        A wait for an answer that never comes is told in the reason too: curl's own
        limit when one was given, else the kernel's ~130 s of SYN retries.
        """
        if ex.failure == "noroute":
            limit = _limit_ms(connect_timeout, max_time)
            if limit is not None and limit < NO_ROUTE_MS:
                ex.failure = "timeout"
            else:
                ex.elapsed_ms = NO_ROUTE_MS
        if ex.failure == "timeout":
            ex.elapsed_ms = _timeout_ms(connect_timeout, max_time)
            if ex.elapsed_ms == KERNEL_SYN_TIMEOUT_MS:
                waited = "the kernel gave up after ~130 s of unanswered SYN retries"
            else:
                waited = f"curl gave up after {ex.elapsed_ms / 1000:g} s"
            ex.trace.reason = f"{ex.trace.reason} ({waited})"
        ex.trace.elapsed = ex.elapsed_ms / 1000

    def _trace(
        self,
        client: Client,
        url: str,
        outcome: str,
        reason: str,
        hops: tuple[Hop, ...],
        status: int | None = None,
        served_by: str | None = None,
    ) -> Trace:
        return Trace(client.source, url, outcome, status, served_by, reason, hops)

    def hop(
        self,
        kind: str,
        name: str | None = None,
        ip: str | None = None,
        port: int | None = None,
        node: str | None = None,
        src_ip: str | None = None,
        namespace: str | None = None,
    ) -> Hop:
        """A shared Hop value (hops are immutable, so equal ones are built once)."""
        key = (kind, name, ip, port, node, src_ip, namespace)
        hop = self._hops.get(key)
        if hop is None:
            if len(self._hops) > CACHE_LIMIT:
                self._hops.clear()
            hop = self._hops[key] = Hop(kind, name, ip, port, node, src_ip, namespace)
        return hop

    def host_resolves(self, host: str) -> str | None:
        """The host's /etc/hosts (every Ingress host) then public DNS."""
        if self.ingress.table().knows_host(host):
            return INGRESS_IP
        if host.endswith(".cluster.local") or "." not in host:
            return None
        return external_address(host)

    def host_dns_reason(self, host: str) -> str:
        """Why the host could not resolve `host`: the sentence for the Trace."""
        if "." not in host or host.endswith(".svc") or host.endswith(".cluster.local"):
            return (
                f"could not resolve {host}: the host does not use the cluster's DNS, so "
                f"service names resolve only inside pods; from the host use a NodePort, a "
                f"LoadBalancer address or an Ingress host"
            )
        return (
            f"could not resolve {host}: no Ingress rule names this host (the host resolves "
            f"Ingress hosts as if they were in its /etc/hosts) and it is not in public DNS"
        )

    def _connect(
        self,
        ex: Exchange,
        client: Client,
        ip: str,
        port: int,
        hops: list[Hop],
        answer: Answer | None,
        headers: dict[str, str] | None,
        insecure: bool,
        method: str,
        url: str,
        plan_key: tuple | None = None,
    ) -> None:
        tables = self.proxy.tables()
        if tables is not self._tables:
            self._tables = tables
            self._port_routes.clear()
            self._plans.clear()
        key = tables.vips.get(ip)
        if key is not None:
            self._cluster_ip(ex, client, key, ip, port, hops, insecure, url, plan_key)
            return
        node = tables.node_by_ip.get(ip)
        if node is not None:
            self._node(ex, client, node, ip, port, hops, insecure, url)
            return
        key = tables.lbs.get(ip)
        if key is not None:
            self._load_balancer(ex, client, key, ip, port, hops, insecure, url)
            return
        if ip == INGRESS_IP:
            self._ingress(ex, client, port, hops, headers, insecure, method, url, plan_key)
            return
        if ip == "127.0.0.1":
            self._loopback(ex, client, port, hops, url)
            return
        pod = self.state.pod_by_ip(ip)
        if pod is not None:
            self._pod_ip(ex, client, pod, ip, port, hops, answer, url)
            return
        if ip.startswith("10.244.") or ip.startswith("10.96.") or ip.startswith(HOST_NETWORK + "."):
            self._nowhere(ex, client, ip, port, hops, url)
            return
        name = ex.host if not is_ip(ex.host) else ip
        if answer is not None and answer.cname:
            name = answer.cname
        hops.append(self.hop("external", name, ip, port))
        self._external(ex, client, name, hops, insecure, url, f"{name} is outside the cluster")

    def _pod_ip(
        self,
        ex: Exchange,
        client: Client,
        pod: dict,
        ip: str,
        port: int,
        hops: list[Hop],
        answer: Answer | None,
        url: str,
        src_ip: str | None = None,
    ) -> None:
        name, namespace = pod["metadata"]["name"], pod["metadata"].get("namespace")
        node = pod["spec"].get("nodeName")
        if client.pod is None:
            hops.append(self.hop("pod", name, ip, port, node, None, namespace))
            self._fail(
                ex,
                client,
                "timeout",
                UNREACHABLE,
                f"{ip} is the IP of pod {name}, which is reachable only inside the cluster; "
                f"from the host use a NodePort, a LoadBalancer address or an Ingress",
                hops,
                url,
            )
            return
        src_ip = src_ip or client.ip
        hops.append(self.hop("pod", name, ip, port, node, src_ip, namespace))
        headless = ""
        if answer is not None and answer.kind == "headless":
            headless = (
                f"headless service {answer.service['metadata']['name']} resolved to "
                f"{len(answer.addresses)} pod IP{'s' if len(answer.addresses) > 1 else ''} "
                f"and the connection went straight to one of them"
            )
        if not self.state.pod_listens(pod, port):
            hint = ""
            if headless:
                hint = "; a headless service has no port mapping, so the URL's port is used as is"
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"nothing listens on port {port} in pod {name}{declared(pod)}{hint}",
                hops,
                url,
            )
            return
        if ex.scheme == "https":
            self._plain_server_tls(ex, client, name, hops, url)
            return
        ex.responder, ex.body_from = "pod", name
        reason = (
            f"{headless}: pod {name} answered on {ip}:{port}"
            if headless
            else (f"pod {name} answered on {ip}:{port}")
        )
        ex.trace = Trace(client.source, url, OK, 200, name, reason, tuple(hops))

    def _loopback(self, ex: Exchange, client: Client, port: int, hops: list[Hop], url) -> None:
        if client.pod is None:
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"nothing listens on the host's own port {port}",
                hops,
                url,
            )
            return
        self._pod_ip(ex, client, client.pod, "127.0.0.1", port, hops, None, url, "127.0.0.1")

    def _nowhere(self, ex: Exchange, client: Client, ip: str, port: int, hops, url) -> None:
        hops.append(self.hop("external", ip, ip, port))
        if ip.startswith("10.96."):
            self._fail(
                ex,
                client,
                "timeout",
                TIMEOUT,
                f"no service has the cluster IP {ip}, so no kube-proxy rule matches and the "
                f"packet is dropped",
                hops,
                url,
            )
        elif ip == HOST_IP:
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"nothing listens on the host's port {port}",
                hops,
                url,
            )
        elif client.pod is None and ip.startswith("10.244."):
            self._fail(
                ex,
                client,
                "timeout",
                UNREACHABLE,
                f"no pod has the IP {ip}, and pod IPs are reachable only inside the cluster",
                hops,
                url,
            )
        else:
            what = "pod" if ip.startswith("10.244.") else "node or load balancer"
            self._fail(
                ex,
                client,
                "noroute",
                UNREACHABLE,
                f"no {what} has the IP {ip}",
                hops,
                url,
            )

    def _external(
        self, ex: Exchange, client: Client, name: str, hops, insecure: bool, url: str, why: str
    ) -> None:
        if ex.scheme == "https":
            ex.cert = tls.public_certificate(ex.host)
        ex.responder, ex.body_from = "external", name
        ex.trace = self._trace(client, url, OK, why, tuple(hops), 200, name)

    def _apiserver(
        self, ex: Exchange, client: Client, hops, insecure: bool, url: str, via: str
    ) -> None:
        if ex.scheme == "https":
            ex.cert, ex.http2 = tls.APISERVER_CERTIFICATE, True
            if not insecure:
                ex.failure = "tls_verify"
                ex.trace = self._trace(
                    client,
                    url,
                    TLS_ERROR,
                    f"{via}, whose certificate is signed by the cluster's own CA, which curl does "
                    f"not trust (unable to get local issuer certificate); add -k",
                    tuple(hops),
                )
                return
            ex.responder = "apiserver"
            ex.trace = self._trace(
                client,
                url,
                HTTP_ERROR,
                f"{via}, which answered 403: an anonymous client may not read this path",
                tuple(hops),
                403,
                "kube-apiserver",
            )
            return
        ex.responder = "apiserver"
        ex.trace = self._trace(
            client,
            url,
            HTTP_ERROR,
            f"{via}, which answered 400: it speaks only HTTPS; use https://",
            tuple(hops),
            400,
            "kube-apiserver",
        )

    def _plain_server_tls(self, ex: Exchange, client: Client, pod: str, hops, url: str) -> None:
        ex.failure = "tls_version"
        ex.trace = self._trace(
            client,
            url,
            TLS_ERROR,
            f"pod {pod} speaks plain HTTP, so the TLS handshake fails (wrong version number); "
            f"use http://",
            tuple(hops),
        )

    def _fail(
        self,
        ex: Exchange,
        client: Client,
        failure: str,
        outcome: str,
        reason: str,
        hops: list[Hop],
        url: str,
    ) -> None:
        ex.failure = failure
        ex.trace = Trace(client.source, url, outcome, None, None, reason, tuple(hops))


def _why_chosen(ready: int) -> str:
    """Why kube-proxy's random draw among `ready` endpoints gave the one it gave."""
    return why_random(ready) if ready > 1 else "its only ready endpoint"


def _limit_ms(connect_timeout: float | None, max_time: float | None) -> int | None:
    limits = [t for t in (connect_timeout, max_time) if t]
    return int(min(limits) * 1000) if limits else None


def _timeout_ms(connect_timeout: float | None, max_time: float | None) -> int:
    limit = _limit_ms(connect_timeout, max_time)
    if limit is None:
        return KERNEL_SYN_TIMEOUT_MS
    return min(limit, KERNEL_SYN_TIMEOUT_MS)
