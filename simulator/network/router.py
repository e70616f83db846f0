"""The path of one request: resolve the name, follow the packet, build the Trace.

`Router.exchange` is the one place that decides what happens to a `Request`
(request.py); curl, ping and `Network.request` only format its `Exchange`.
Which address answers is decided in this order:

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

Whatever the way, a packet reaches a pod only through the delivery step
(delivery.py), the one place that knows the pod, port, protocol and the source
address the pod sees. The paths are mixed into `Router`: kube-proxy's Service
rules in service_routes.py, NodePorts and load balancers in node_routes.py,
ingress-nginx in ingress_routes.py, addresses no proxy takes in
direct_routes.py, each stating in its bases what it uses (the shared
attributes are declared in route_base.py); this module holds the clients, name
resolution, the dispatch
by address and the caches.

Caches: per Service port, the route (valid while kube-proxy's tables hold);
per request, a plan (valid while the store's revision holds) that keeps the
hops up to the endpoint choice, so an equal request starts at that choice and
goes on through the same code as the first one; per client and ready endpoint
of a Service port, the delivery step's answer (valid while the state's serving
version holds too). Hops are shared immutable values. So a routed request
costs a few dict lookups, two stamp comparisons, one random draw and one
Trace. `caching=False` turns plans and routes off: the slow path, which tests
compare with the fast one.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from simulator.hints import Hint, hint
from simulator.ipam import DNS_SERVICE_IP, HOST_IP, HOST_NETWORK, INGRESS_IP
from simulator.trace import (
    DNS_ERROR,
    TIMEOUT,
    UNREACHABLE,
    Hop,
    Trace,
)

from .access_log import log_served
from .delivery import Deliverer, DnsDropped
from .dns import Answer, ClusterDns, NotFound, external_address
from .exchange import Exchange, HopCache, Plan, Refusal
from .gateway_plan import GatewayPlan
from .gateway_routes import GatewayRoutes
from .ingress import IngressController
from .node_routes import NodeRoutes
from .proxy import KubeProxy
from .request import BadUrl, Client, Options, Request, RequestCache, resolve_entry

if TYPE_CHECKING:
    from .cluster_view import ClusterView

__all__ = ["Router"]

#: How long the kernel retries an unanswered SYN before giving up (tcp_syn_retries=6).
KERNEL_SYN_TIMEOUT_MS = 130_002
#: How long an ARP-less "No route to host" takes to come back.
NO_ROUTE_MS = 3_071
#: How long glibc's resolver waits for a DNS answer that never comes: two tries of 5 s
#: (resolv.conf's defaults, `timeout:5 attempts:2`, one nameserver).
RESOLVER_TIMEOUT_MS = 10_000


class Router(NodeRoutes, GatewayRoutes):
    """Follows requests through the simulated network (see the module docstring)."""

    def __init__(self, state: ClusterView, *, caching: bool = True) -> None:
        """Attach to a cluster; every cache starts empty.

        Args:
            state: the cluster.
            caching: keep route plans and Service port routes between requests
                (False: every request takes the slow path; results are the same).
        """
        self.state = state
        self.store = state.store
        self.runtime = state.runtime
        self.caching = caching
        #: Whether answered requests go to the containers' logs (an observation turns it off).
        self.logging = True
        self.proxy = KubeProxy(state)
        self.ingress = IngressController(state)
        ingress = self.ingress  # captured alone: a lambda over `self` would make a cycle
        self.dns = ClusterDns(
            state,
            lambda host: ingress.table().knows_host(host),
            self.proxy.explain_no_ready,
        )
        self.hops = HopCache()
        self.hop = self.hops.get
        self.delivery = Deliverer(state, self.hop, self.dns)
        self.requests = RequestCache()
        self._host = Client(
            "host", "host", None, HOST_IP, None, None, Hop("client", "host", HOST_IP)
        )
        self._clients = {}
        self._certs = {}
        # cleared whenever kube-proxy's tables are rebuilt (a Service or Node changed)
        self._tables = None
        self._port_routes = {}
        self._plans = {}
        self._controller_pod = None
        self._serving_version = state.serving_version
        # (graph, routing tables by address, host names -> address), rebuilt with the graph
        self._gateway_view = None
        self._path_hops = {}
        self._gateway_hops = {}

    # -- clients and requests ------------------------------------------------------------

    def client(self, source: str) -> Client | str:
        """The client for a source string, or the kubectl-style error text.

        A pod's client is kept while its pod is the same, unchanged object: while the
        store's revision holds (no put or remove since the last check) the pod is
        still the stored object and only its resourceVersion, bumped in place by
        readiness changes, needs comparing.
        """
        if source == "host":
            return self._host
        cached = self._clients.get(source)
        if cached is not None:
            pod_key, version, client, checked = cached
            revision = self.store.revision
            pod = client.pod if checked == revision else self.store.get("Pod", *pod_key)
            if (
                pod is not None
                and pod is client.pod
                and pod["metadata"].get("resourceVersion") == version
            ):
                if checked != revision:
                    self._clients[source] = (pod_key, version, client, revision)
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
        self._clients[source] = ((namespace, name), version, client, self.store.revision)
        return client

    def exchange(self, request: Request | BadUrl) -> Exchange | Refusal:
        """Send one request and follow it to its end (no redirect is followed).

        `request` comes from `requests`, which builds each distinct one once; a
        URL curl refuses ends here without anything sent (a `Refusal`). A request a
        pod answered goes to its container's log (access_log.py) unless `logging` is off.
        """
        ex = self._exchange(request)
        if self.logging and ex.trace.served_by is not None and not isinstance(ex, Refusal):
            log_served(self.runtime, ex, self.state.clock.now)
        return ex

    def _exchange(self, request: Request | BadUrl) -> Exchange | Refusal:
        if isinstance(request, BadUrl):
            return Refusal(request.error, _bad_url_trace(request))
        plan = self._plans.get(request)
        if plan is not None and plan.epoch == self.store.revision:
            ex = Exchange(request, plan.hops, plan.ip, plan.via)
            if isinstance(plan, Plan):
                self._service_endpoint(ex, plan)
            elif isinstance(plan, GatewayPlan):
                self._gateway_upstream(ex, plan)
            elif not self._upstream(ex, plan):
                ex = self._route(request)  # no ready endpoint: the slow path explains the 503
            if ex.failure:
                self._failure_time(ex)
            return ex
        ex = self._route(request)
        if ex.failure:
            self._failure_time(ex)
        return ex

    # -- name resolution and dispatch ---------------------------------------------------

    def _route(self, request: Request) -> Exchange:
        """The slow path: resolve the host, then follow the packet from its address."""
        client = request.client
        ex = Exchange(request, (client.hop,))
        host, name = request.host, request.name
        answer: Answer | None = None
        ip: str | None
        if request.literal:
            ip, ex.via = host, "literal"
        else:
            ip = resolve_entry(request.options.resolve, host, request.port)
            if ip is not None:
                ex.via = "resolve"
            elif name == "localhost":
                ip, ex.via = "127.0.0.1", "hosts"
            elif client.pod is None:
                ip = self.host_resolves(name)
                if ip is None:
                    ex.fail("resolve", DNS_ERROR, self.host_dns_reason(name))
                    return ex
                ex.via = "hosts" if ip == INGRESS_IP or ip in self.gateway_view()[1] else "dns"
            elif name == client.name:
                ip, ex.via = client.ip, "hosts"  # the pod's own /etc/hosts entry
            else:
                found = self.delivery.query_dns(client, name)
                if isinstance(found, DnsDropped):
                    ex.add(self.hop("dns", name, DNS_SERVICE_IP, 53))
                    ex.drop(found.drop, hint("dns-query-went", host=host), failure="resolve")
                    ex.trace.outcome = DNS_ERROR
                    return ex
                if isinstance(found, NotFound):
                    ex.add(self.hop("dns", found.tried[0], DNS_SERVICE_IP, 53))
                    ex.fail("resolve", DNS_ERROR, could_not_resolve(host, found.reason))
                    return ex
                answer = found
                ex.add(self.hop("dns", found.name, DNS_SERVICE_IP, 53))
                ip, ex.via = found.addresses[0], "dns"
                if found.kind == "externalname" and found.service is not None:
                    meta = found.service["metadata"]
                    ex.add(self.hop("service", meta["name"], namespace=meta.get("namespace")))
        ex.ip = ip
        self._connect(ex, ip, answer)
        return ex

    def _connect(self, ex: Exchange, ip: str, answer: Answer | None) -> None:
        """Follow the packet from the address it was sent to."""
        port = ex.request.port
        tables = self.proxy.tables()
        if tables is not self._tables:
            self._tables = tables
            self._port_routes.clear()
            self._plans.clear()
        key = tables.vips.get(ip)
        if key is not None:
            self._cluster_ip(ex, key, ip, port)
            return
        node = tables.node_by_ip.get(ip)
        if node is not None:
            self._node(ex, node, ip, port)
            return
        gateway = self.gateway_view()[1].get(ip)
        if gateway is not None:
            self._gateway(ex, gateway, port)
            return
        key = tables.lbs.get(ip)
        if key is not None:
            self._load_balancer(ex, key, ip, port)
            return
        if ip == INGRESS_IP:
            self._ingress(ex, port)
            return
        if ip == "127.0.0.1":
            self._loopback(ex, port)
            return
        pod = self.state.pod_by_ip(ip)
        if pod is not None:
            self._pod_ip(ex, pod, ip, port, answer)
            return
        if ip.startswith("10.244.") or ip.startswith("10.96.") or ip.startswith(HOST_NETWORK + "."):
            self._nowhere(ex, ip, port)
            return
        name = ex.host if not ex.request.literal else ip
        if answer is not None and answer.cname:
            name = answer.cname
        ex.add(self.hop("external", name, ip, port))
        self._external(ex, name, hint("outside-cluster", host=name))

    def host_resolves(self, host: str) -> str | None:
        """The host's /etc/hosts (every hostname of an accepted HTTPRoute, with its
        Gateway's address; then every Ingress host) then public DNS. A host that both an
        HTTPRoute and an Ingress name goes to the Gateway: the way a migration to Gateway
        API moves a name once the routes are accepted."""
        address = self.gateway_view()[2].get(host)
        if address is not None:
            return address
        if self.ingress.table().knows_host(host):
            return INGRESS_IP
        if host.endswith(".cluster.local") or "." not in host:
            return None
        return external_address(host)

    def host_dns_reason(self, host: str) -> Hint:
        """Why the host could not resolve `host`: the sentence for the Trace."""
        return _host_dns_reason(host)

    # -- waiting -----------------------------------------------------------------------------

    def _failure_time(self, ex: Exchange) -> None:
        """How long the client waited before failing (SYN retries, timeouts, no route).

        A wait for an answer that never comes is told in the reason too: curl's own
        limit when one was given, else the kernel's ~130 s of SYN retries.
        """
        limit = _limit_ms(ex.request.options)
        if ex.failure == "resolve" and ex.trace.blocked is not None:
            # The resolver's tries time out (resolv.conf timeout:5 attempts:2), unless
            # curl's own limit comes first.
            if limit is not None and limit < RESOLVER_TIMEOUT_MS:
                ex.failure, ex.trace.outcome, ex.elapsed_ms = "resolve_timeout", TIMEOUT, limit
                waited = curl_gave_up(limit)
            else:
                ex.elapsed_ms = RESOLVER_TIMEOUT_MS
                waited = RESOLVER_GAVE_UP
            ex.trace.reason = hint("with-wait", reason=ex.trace.reason, waited=waited)
        if ex.failure == "noroute":
            if limit is not None and limit < NO_ROUTE_MS:
                ex.failure = "timeout"
            else:
                ex.elapsed_ms = NO_ROUTE_MS
        if ex.failure == "timeout":
            ex.elapsed_ms = (
                KERNEL_SYN_TIMEOUT_MS if limit is None else min(limit, KERNEL_SYN_TIMEOUT_MS)
            )
            if ex.elapsed_ms == KERNEL_SYN_TIMEOUT_MS:
                waited = KERNEL_GAVE_UP
            else:
                waited = curl_gave_up(ex.elapsed_ms)
            ex.trace.reason = hint("with-wait", reason=ex.trace.reason, waited=waited)
        ex.trace.elapsed = ex.elapsed_ms / 1000


NO_CLUSTER_DNS = hint("host-no-cluster-dns")
NAME_UNKNOWN = hint("host-name-unknown")
RESOLVER_GAVE_UP = hint("resolver-gave-up")
KERNEL_GAVE_UP = hint("kernel-gave-up")


def could_not_resolve(host: str, why: str) -> Hint:
    """`could not resolve HOST: WHY`, the reason of a name that did not resolve."""
    return hint("could-not-resolve", host=host, why=why)


def curl_gave_up(waited_ms: int) -> Hint:
    """`curl gave up after 2.5 s`: its own limit (`-m`, `--connect-timeout`) came first."""
    return hint("curl-gave-up", seconds=f"{waited_ms / 1000:g}")


@lru_cache(maxsize=1024)
def _host_dns_reason(host: str) -> Hint:
    """`Router.host_dns_reason`, made once per name (a name that does not resolve is
    often asked again)."""
    if "." not in host or host.endswith(".svc") or host.endswith(".cluster.local"):
        return could_not_resolve(host, NO_CLUSTER_DNS)
    return could_not_resolve(host, NAME_UNKNOWN)


def _limit_ms(options: Options) -> int | None:
    limits = [t for t in (options.connect_timeout, options.max_time) if t]
    return int(min(limits) * 1000) if limits else None


def _bad_url_trace(request: BadUrl) -> Trace:
    """The Trace of a URL curl refused: nothing was sent."""
    client = request.client
    return Trace(
        client.source, request.url, UNREACHABLE, None, None, request.reason(), (client.hop,)
    )
