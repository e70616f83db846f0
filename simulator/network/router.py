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

Everything per Service, per Endpoints object and per address is cached and
the hops are shared immutable values, so a routed request costs a few dict
lookups, one random draw and one Trace.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.ipam import DNS_SERVICE_IP, HOST_IP, HOST_NETWORK, INGRESS_IP
from simulator.labels import from_match_labels
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
from .ingress import CATCH_ALL, IngressController, Location
from .proxy import KubeProxy, PortEndpoints

#: How long the kernel retries an unanswered SYN before giving up (tcp_syn_retries=6).
KERNEL_SYN_TIMEOUT_MS = 130_002
#: How long an ARP-less "No route to host" takes to come back.
NO_ROUTE_MS = 3_071
APISERVER_PORT = 6443
EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers"
_CACHE_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request starts.

    Attributes:
        source: the source string as given.
        name: `host` or the pod's name.
        namespace: the pod's namespace (None for the host).
        ip: the client's address.
        node: the pod's node (None for the host).
        pod: the pod object (None for the host).
        hop: the trace's first hop.
    """

    source: str
    name: str
    namespace: str | None
    ip: str
    node: str | None
    pod: dict | None
    hop: Hop


@dataclass(slots=True)
class Exchange:
    """A request's Trace plus what a client program needs to print it.

    Attributes:
        trace: the Trace.
        scheme: `http` or `https`.
        host: the URL's host as typed.
        port: the URL's port.
        path: path and query.
        ip: the address connected to (or tried), None when resolution failed.
        via: how the name became an address: `literal`, `resolve`, `hosts`, `dns`.
        failure: empty on a response, else `url`, `protocol`, `resolve`, `refused`,
            `timeout`, `noroute`, `tls_version`, `tls_verify`.
        elapsed_ms: how long the client waited.
        responder: who answered: `pod`, `ingress` (proxied), `nginx` (its own page),
            `external`, `apiserver`.
        body_from: the pod or external host whose text is in the body.
        location: a redirect's Location.
        cert: the server certificate (HTTPS).
        http2: ALPN agreed on h2.
    """

    trace: Trace
    scheme: str
    host: str
    port: int
    path: str
    ip: str | None = None
    via: str = ""
    failure: str = ""
    elapsed_ms: int = 0
    responder: str = ""
    body_from: str = ""
    location: str | None = None
    cert: tls.Certificate | None = None
    http2: bool = False


@dataclass(frozen=True, slots=True)
class _PortRoute:
    """What kube-proxy does with one `(cluster IP, port)`, precomputed per Service version."""

    svc: dict
    ns: str
    name: str
    service_port: dict | None
    port_name: str
    service_hop: Hop
    endpoints_hop: Hop
    via: str
    local: bool
    affinity: bool
    version: str | None


@dataclass(frozen=True, slots=True)
class _Plan:
    """A request already routed once to a Service port: everything before the endpoint choice.

    Valid while the store's epoch (`Router._epoch`) is the one it was made at: no
    object was written and no Service, Ingress or IngressClass removed since, so
    the DNS answer, the port rule and the hops still hold. Endpoints are read
    again on every request (readiness changes without any write to the store).
    """

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    route: _PortRoute
    port: int
    scheme: str
    host: str
    path: str
    ip: str
    via: str


@dataclass(frozen=True, slots=True)
class _IngressPlan:
    """An HTTP request already routed once through ingress-nginx to an upstream (see `_Plan`)."""

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    namespace: str
    upstream: tuple[str, str, str]
    target: str
    src_ip: str
    scheme: str
    host: str
    port: int
    path: str
    ip: str
    via: str


def parse_url(url: str) -> tuple[str, str, int, str] | tuple[str, str]:
    """`(scheme, host, port, path)` as curl reads a URL, or `(error, detail)`.

    Errors: `("protocol", scheme)` for an unsupported scheme, `("url", "")` for
    a malformed URL. A URL without a scheme is http, as curl guesses.
    """
    sep = url.find("://")
    if sep >= 0:
        scheme = url[:sep].lower()
        rest = url[sep + 3 :]
    else:
        scheme, rest = "http", url
    if scheme not in ("http", "https"):
        return ("protocol", scheme)
    end = len(rest)
    for ch in "/?#":
        pos = rest.find(ch)
        if 0 <= pos < end:
            end = pos
    authority, path = rest[:end], rest[end:]
    hash_at = path.find("#")
    if hash_at >= 0:
        path = path[:hash_at]
    if not path.startswith("/"):
        path = "/" + path
    if "@" in authority:
        authority = authority.rsplit("@", 1)[1]
    host, _, port_text = authority.partition(":")
    if not host or any(c in host for c in " []\\"):
        return ("url", "")
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return ("url", "")
        port = int(port_text)
    else:
        port = 443 if scheme == "https" else 80
    return scheme, host, port, path


def resolve_entry(entries: list[str] | None, host: str, port: int) -> str | None:
    """The address a `--resolve host:port:addr` entry gives `host:port`, or None."""
    for entry in entries or ():
        parts = entry.split(":")
        if (
            len(parts) >= 3
            and parts[1].isdigit()
            and int(parts[1]) == port
            and (parts[0] == "*" or parts[0].lower() == host.lower())
        ):
            return parts[2].strip("[]").split(",")[0]
    return None


class Router:
    """Follows requests through the simulated network (see the module docstring)."""

    def __init__(self, state) -> None:
        self.state = state
        self.store = state.store
        self.proxy = KubeProxy(state)
        self.ingress = IngressController(state)
        self.dns = ClusterDns(
            state,
            lambda host: self.ingress.table().knows_host(host),
            self.proxy.explain_no_ready,
        )
        self._clients: dict[str, tuple] = {}
        self._urls: dict[str, tuple] = {}
        self._hops: dict[tuple, Hop] = {}
        self._certs: dict[tuple, tuple] = {}
        # cleared whenever kube-proxy's tables are rebuilt (a Service or Node changed)
        self._tables = None
        self._port_routes: dict[tuple[str, int], _PortRoute] = {}
        self._plans: dict[tuple[str, str], _Plan] = {}
        self._ingress_targets: dict[int, tuple] = {}
        self._controller: tuple[object, str] | None = None
        self._random = state.rng.random
        self._count = state.store.count
        self._has_revision = hasattr(state.store, "revision")

    # -- clients -----------------------------------------------------------------

    def client(self, source: str) -> Client | str:
        """The client for a source string, or the kubectl-style error text."""
        cached = self._clients.get(source)
        if cached is not None:
            pod_key, version, client = cached
            if pod_key is None:
                return client
            pod = self.store.get("Pod", *pod_key)
            if pod is client.pod and pod["metadata"].get("resourceVersion") == version:
                return client
        if source == "host":
            client = Client(
                "host", "host", None, HOST_IP, None, None, Hop("client", "host", HOST_IP)
            )
            self._clients[source] = (None, None, client)
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
        client = Client(source, name, namespace, ip, node, pod, Hop("client", name, ip, node=node))
        if len(self._clients) > 4096:
            self._clients.clear()
        self._clients[source] = ((namespace, name), pod["metadata"].get("resourceVersion"), client)
        return client

    # -- the request -------------------------------------------------------------

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
                ex = self._run_plan(plan, client, insecure, url)
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
                ip = self._host_resolves(host_l)
                if ip is None:
                    ex.failure = "resolve"
                    ex.trace = self._trace(
                        client, url, DNS_ERROR, self._host_dns_reason(host_l), tuple(hops)
                    )
                    return ex
                ex.via = "hosts" if ip == INGRESS_IP else "dns"
            elif host_l == client.name:
                ip, ex.via = client.ip, "hosts"  # the pod's own /etc/hosts entry
            else:
                found = self.dns.resolve(host_l, client.namespace or "default")
                if isinstance(found, NotFound):
                    hops.append(self._hop("dns", found.tried[0], DNS_SERVICE_IP, 53))
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
                hops.append(self._hop("dns", found.name, DNS_SERVICE_IP, 53))
                ip, ex.via = found.addresses[0], "dns"
                if found.kind == "externalname":
                    hops.append(self._hop("service", found.service["metadata"]["name"]))
        ex.ip = ip
        self._connect(ex, client, ip, port, hops, answer, headers, insecure, method, url, plan_key)
        if ex.failure:
            self._failure_time(ex, connect_timeout, max_time)
        return ex

    def _run_plan(
        self, plan: _Plan | _IngressPlan, client: Client, insecure: bool, url: str
    ) -> Exchange | None:
        """Replay a routed request from its endpoint choice on (None: take the slow path)."""
        if type(plan) is _Plan:
            route = plan.route
            ex = Exchange(None, plan.scheme, plan.host, plan.port, plan.path, plan.ip, plan.via)
            endpoints = self.proxy.endpoints(route.ns, route.name, route.port_name)
            hops = list(plan.hops)
            self._service_endpoint(ex, client, route, plan.port, hops, insecure, url, endpoints)
            return ex
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

    def _epoch(self) -> object:
        """A stamp that changes whenever any routing decision might change.

        With a store `revision` (bumped by every put and every remove, like etcd's)
        that is the stamp. Otherwise: any put bumps the resourceVersion counter, and
        removing a Service, Ingress or IngressClass changes that kind's count.
        (Endpoints are not part of it: they are read on every request.)
        """
        store = self.store
        if self._has_revision:
            return store.revision
        count = self._count
        return (
            store._resource_version,
            count("Service"),
            count("Ingress"),
            count("IngressClass"),
        )

    def _failure_time(
        self, ex: Exchange, connect_timeout: float | None, max_time: float | None
    ) -> None:
        """How long the client waited before failing (SYN retries, timeouts, no route)."""
        if ex.failure == "timeout":
            ex.elapsed_ms = _timeout_ms(connect_timeout, max_time)
        elif ex.failure == "noroute":
            limit = _limit_ms(connect_timeout, max_time)
            if limit is not None and limit < NO_ROUTE_MS:
                ex.failure, ex.elapsed_ms = "timeout", _timeout_ms(connect_timeout, max_time)
            else:
                ex.elapsed_ms = NO_ROUTE_MS
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

    def _hop(
        self,
        kind: str,
        name: str | None = None,
        ip: str | None = None,
        port: int | None = None,
        node: str | None = None,
        src_ip: str | None = None,
    ) -> Hop:
        """A shared Hop value (hops are immutable, so equal ones are built once)."""
        key = (kind, name, ip, port, node, src_ip)
        hop = self._hops.get(key)
        if hop is None:
            if len(self._hops) > _CACHE_LIMIT:
                self._hops.clear()
            hop = self._hops[key] = Hop(kind, name, ip, port, node, src_ip)
        return hop

    # -- the host's resolver -----------------------------------------------------

    def _host_resolves(self, host: str) -> str | None:
        """The host's /etc/hosts (every Ingress host) then public DNS."""
        if self.ingress.table().knows_host(host):
            return INGRESS_IP
        if host.endswith(".cluster.local") or "." not in host:
            return None
        return external_address(host)

    def _host_dns_reason(self, host: str) -> str:
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

    # -- where the packet goes ---------------------------------------------------

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
            self._ingress_targets.clear()
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
        hops.append(self._hop("external", name, ip, port))
        self._external(ex, client, name, hops, insecure, url, f"{name} is outside the cluster")

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
            hops.append(self._hop("service", name, ip, port))
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
            if len(self._plans) > _CACHE_LIMIT:
                self._plans.clear()
            self._plans[plan_key] = _Plan(
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
            )
        self._service_endpoint(ex, client, route, port, hops, insecure, url, endpoints)

    def _service_endpoint(
        self,
        ex: Exchange,
        client: Client,
        route: _PortRoute,
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
            # kube-proxy's REJECT rule for a Service without endpoints.
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"service {name} has no ready endpoints: "
                + self.proxy.explain_no_ready(svc, port_name),
                hops,
                url,
            )
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
            why = "kept by sessionAffinity ClientIP" if kept else _why_random(n)
        elif n == 1:
            backend, why = candidates[0], "its only ready endpoint"
        else:
            # the same draw KubeProxy.choose makes, inlined on the hot path
            backend, why = candidates[int(self._random() * n)], _why_random(n)
        src_ip = client.ip
        if backend.ip == client.ip:
            src_ip = _bridge_ip(client.ip)  # hairpin traffic is masqueraded
        self._endpoint(ex, client, ns, backend, hops, src_ip, route.via, why, insecure, url)

    def _port_route(self, key: tuple[str, str], ip: str, port: int) -> _PortRoute:
        svc = self.store.get("Service", *key)
        service_port = None
        for sp in svc["spec"].get("ports") or ():
            if sp.get("port") == port and sp.get("protocol", "TCP") == "TCP":
                service_port = sp
                break
        ns, name = key
        route = _PortRoute(
            svc,
            ns,
            name,
            service_port,
            (service_port or {}).get("name", ""),
            self._hop("service", name, ip, port),
            self._hop("endpoints", name),
            f"kube-proxy sent service {name}:{port}",
            svc["spec"].get("internalTrafficPolicy") == "Local",
            svc["spec"].get("sessionAffinity") == "ClientIP",
            svc["metadata"].get("resourceVersion"),
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
        hop = self._hops.get(("pod", pod_name, backend.ip, backend.port, node, src_ip))
        if hop is None:
            hop = self._hop("pod", pod_name, backend.ip, backend.port, node, src_ip)
        hops.append(hop)
        if not self.state.pod_listens(pod, backend.port):
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"{via} to pod {pod_name}, but nothing listens on port {backend.port} in pod "
                f"{pod_name}{_declared(pod)}",
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
            hops.append(self._hop("node", node, backend.ip, backend.port))
            self._apiserver(ex, client, hops, insecure, url, f"{via} to the API server on {node}")
            return
        hops.append(self._hop("external", backend.ip, backend.ip, backend.port))
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
        name = pod["metadata"]["name"]
        node = pod["spec"].get("nodeName")
        if client.pod is None:
            hops.append(self._hop("pod", name, ip, port, node, None))
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
        hops.append(self._hop("pod", name, ip, port, node, src_ip))
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
                f"nothing listens on port {port} in pod {name}{_declared(pod)}{hint}",
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
        hops.append(self._hop("external", ip, ip, port))
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
            hops.append(self._hop("node", node, ip, port))
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
        hops.append(self._hop("node", node, node_ip, sp["nodePort"]))
        hops.append(self._hop("service", name, spec.get("clusterIP"), sp["port"]))
        hops.append(self._hop("endpoints", name))
        port_name = sp.get("name", "")
        endpoints = self.proxy.endpoints(ns, name, port_name)
        entry = f"node {node} forwarded NodePort {sp['nodePort']} of service {name}"
        if lb:
            entry = f"load balancer {lb} chose node {node}, which forwarded NodePort " + (
                f"{sp['nodePort']} of service {name}"
            )
        if not endpoints.ready:
            self._fail(
                ex,
                client,
                "refused",
                REFUSED,
                f"service {name} has no ready endpoints: "
                + self.proxy.explain_no_ready(svc, port_name),
                hops,
                url,
            )
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
                hops.append(self._hop("node", backend.node, tables.node_ip.get(backend.node)))
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
        hops.append(self._hop("loadbalancer", name, ip, port))
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

    # -- ingress-nginx -------------------------------------------------------------

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
            hops.append(self._hop("ingress", "ingress-nginx", INGRESS_IP, port))
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
            hops.append(self._hop("ingress", "ingress-nginx", INGRESS_IP, port))
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
                hops.append(self._hop("ingress", "ingress-nginx", INGRESS_IP, port))
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
        hops.append(self._hop("ingress", ingress_name, INGRESS_IP, port))
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
            hops.append(self._hop("service", svc_name))
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
                self._hop(
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
        hops.append(self._hop("service", svc_name, spec.get("clusterIP"), sp["port"]))
        hops.append(self._hop("endpoints", svc_name))
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
            if len(self._plans) > _CACHE_LIMIT:
                self._plans.clear()
            self._plans[plan_key] = _IngressPlan(
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
                hops.append(self._hop("external", backend.ip, backend.ip, backend.port))
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
                key = ("pod", pod_name, backend.ip, backend.port, backend.node, src_ip)
                hop = self._hops.get(key) or self._hop(*key)
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
        hops.append(self._hop("pod", pod_name, backend.ip, backend.port, backend.node, src_ip))
        ex.responder = "nginx"
        ex.trace = self._trace(
            client,
            url,
            HTTP_ERROR,
            f"{target}, but nothing listens on port {backend.port} in pod {pod_name}"
            f"{_declared(pod)}, so ingress-nginx answered 502",
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

    # -- other servers ---------------------------------------------------------------

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


_WHY_RANDOM: dict[int, str] = {}


def _why_random(n: int) -> str:
    why = _WHY_RANDOM.get(n)
    if why is None:
        why = _WHY_RANDOM[n] = f"picked at random among {n} ready endpoints"
    return why


def _declared(pod: dict) -> str:
    ports = sorted(
        {
            cp.get("containerPort")
            for c in (pod.get("spec") or {}).get("containers") or ()
            for cp in c.get("ports") or ()
            if cp.get("containerPort") is not None
        }
    )
    if not ports:
        return " (it declares no container port)"
    return f" (it declares {', '.join(map(str, ports))})"


def _bridge_ip(pod_ip: str) -> str:
    """The node bridge address of a pod's /24 (the source of masqueraded hairpin traffic)."""
    return pod_ip.rsplit(".", 1)[0] + ".1"


def _limit_ms(connect_timeout: float | None, max_time: float | None) -> int | None:
    limits = [t for t in (connect_timeout, max_time) if t]
    return int(min(limits) * 1000) if limits else None


def _timeout_ms(connect_timeout: float | None, max_time: float | None) -> int:
    limit = _limit_ms(connect_timeout, max_time)
    if limit is None:
        return KERNEL_SYN_TIMEOUT_MS
    return min(limit, KERNEL_SYN_TIMEOUT_MS)
