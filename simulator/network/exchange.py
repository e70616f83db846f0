"""What a request becomes on its way: its exchange, the route plans cached for it, shared hops.

`Exchange` is one request's walk and result (its hops so far, then its Trace
and what a client program prints); `PortRoute`, `Plan` and `IngressPlan` are
what the router keeps of a request already routed once, so the next equal
request starts at the endpoint choice. Helpers shared by the request paths
close the module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.hints import Hint, hint
from simulator.trace import TIMEOUT, Blocked, Hop, Trace

from . import tls
from .proxy import PortEndpoints
from .request import Client, Request

if TYPE_CHECKING:
    from .delivery import Delivery
    from .policing import PolicyDrop

#: Bound of every per-router cache (cleared when full).
CACHE_LIMIT = 100_000


@dataclass(slots=True)
class Exchange:
    """A request's walk through the network and what a client program needs to print it.

    Attributes:
        request: the request.
        hops: the places the packet went through so far (`add` extends them); the
            Trace takes them.
        trace: the Trace, set when the walk ends (`end`, `fail`).
        ip: the address connected to (or tried), None when resolution failed.
        via: how the name became an address: `literal`, `resolve`, `hosts`, `dns`.
        failure: empty on a response, else `url`, `protocol`, `resolve`, `refused`,
            `timeout`, `noroute`, `tls_version`, `tls_verify`.
        elapsed_ms: how long the client waited.
        responder: who answered: `pod`, `ingress` (proxied), `nginx` (its own page),
            `gateway` (proxied by a Gateway's nginx), `gateway-nginx` (its own page),
            `gateway-external`, `external`, `apiserver`, `healthcheck` (kube-proxy's
            health-check port).
        body_from: the pod or external host whose text is in the body.
        location: a redirect's Location.
        cert: the server certificate (HTTPS).
        http2: ALPN agreed on h2.
        headers: a Gateway rule's ResponseHeaderModifier (`set`, `add`, `remove`), applied
            to the response its nginx sends.
    """

    request: Request
    hops: tuple[Hop, ...]
    trace: Trace = field(init=False)
    ip: str | None = None
    via: str = ""
    failure: str = ""
    elapsed_ms: int = 0
    responder: str = ""
    body_from: str = ""
    location: str | None = None
    cert: tls.Certificate | None = None
    http2: bool = False
    headers: dict | None = None

    @property
    def scheme(self) -> str:
        """`http` or `https`."""
        return self.request.scheme

    @property
    def host(self) -> str:
        """The URL's host as typed."""
        return self.request.host

    @property
    def port(self) -> int:
        """The URL's port."""
        return self.request.port

    @property
    def path(self) -> str:
        """Path and query."""
        return self.request.path

    def add(self, hop: Hop) -> None:
        """One more place on the way."""
        self.hops += (hop,)

    def end(
        self,
        outcome: str,
        reason: str,
        status: int | None = None,
        served_by: str | None = None,
    ) -> None:
        """Close the walk: its Trace from the hops so far."""
        request = self.request
        self.trace = Trace(
            request.client.source,
            request.url,
            outcome,
            status,
            served_by,
            reason,
            self.hops,
        )

    def fail(self, failure: str, outcome: str, reason: str) -> None:
        """Close the walk without a response (`failure` tells curl which error to print)."""
        self.failure = failure
        self.end(outcome, reason)

    def drop(
        self, drop: PolicyDrop, where: str, sender_at: int = 0, failure: str = "timeout"
    ) -> None:
        """Close the walk as a NetworkPolicy drop: nothing answers, the client waits.

        An ingress drop stops at the last hop (the pod, already added); an egress drop
        stops at the sender's hop (`sender_at`: the client, or a proxy), and the hops
        after it are left out, as the packet never went there.

        Args:
            drop: the policies and the reason.
            where: where the packet was going, e.g. `kube-proxy sent ... to pod web-x`.
            sender_at: the index of the sending hop.
            failure: what curl makes of it (`timeout`, or `resolve` for a DNS query).
        """
        if drop.direction == "ingress":
            at = len(self.hops) - 1
            reason = hint("dropped-at-ingress", where=where, why=drop.reason)
        else:
            at = sender_at
            self.hops = self.hops[: at + 1]
            sender = self.hops[at].name
            reason = hint("dropped-at-egress", where=where, sender=sender, why=drop.reason)
        self.fail(failure, TIMEOUT, reason)
        self.trace.blocked = Blocked(drop.direction, drop.namespace, drop.policies, at)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A URL curl refused before sending anything: no exchange took place.

    Attributes:
        failure: `protocol` (an unsupported scheme) or `url` (malformed).
        trace: the Trace telling why.
    """

    failure: str
    trace: Trace


@dataclass(slots=True)
class HopCache:
    """Hops are immutable values: equal ones are built once and shared by every Trace."""

    hops: dict[tuple, Hop] = field(default_factory=dict)

    def get(
        self,
        kind: str,
        name: str | None = None,
        ip: str | None = None,
        port: int | None = None,
        node: str | None = None,
        src_ip: str | None = None,
        namespace: str | None = None,
    ) -> Hop:
        """The shared Hop with these attributes."""
        key = (kind, name, ip, port, node, src_ip, namespace)
        hop = self.hops.get(key)
        if hop is None:
            if len(self.hops) > CACHE_LIMIT:
                self.hops.clear()
            hop = self.hops[key] = Hop(kind, name, ip, port, node, src_ip, namespace)
        return hop


@dataclass(slots=True)
class Deliveries:
    """What one client's packets met at a Service port's ready endpoints, one slot per
    endpoint, filled as endpoints are drawn: the delivery step's answer, and in
    `reasons` the Trace's reason when the pod answers.

    Shared by every plan of that client through the port (by name or by IP).
    Valid for one endpoint list, one store revision (the pods and whatever a
    delivery reads of them) and one serving version (they still listen).
    """

    endpoints: PortEndpoints
    epoch: object
    serving: object
    slots: list[Delivery | None]
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class PortRoute:
    """What kube-proxy does with one `(cluster IP, port)`, precomputed while its tables hold.

    `deliveries` (per client) are filled as requests through the route reach its
    endpoints.
    """

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
    deliveries: dict[Client, Deliveries] = field(default_factory=dict)


@dataclass(slots=True)
class Plan:
    """A request routed to a Service port: everything before kube-proxy's endpoint choice.

    Valid while the store's revision (`Router._epoch`) is the one it was made at:
    no object was written or removed since, so the DNS answer, the port rule and
    the hops still hold. Endpoints change, and ports close, without any write to
    the store, so the plan keeps the endpoint list and the deliveries it last read
    with the state's `serving_version()` at that moment, and reads them again when
    that version moves. The router also makes plans it does not keep (for a
    request with `--resolve`, or with caching off): every request to a Service
    port goes through `ServiceRoutes._service_endpoint` with one.

    Attributes:
        memo: deliveries may be kept per endpoint: plain HTTP to a Service port
            without session affinity nor internalTrafficPolicy Local (where the
            reason depends on the draw only through the endpoint).
        serving: the state's `serving_version()` when `endpoints` were read.
        endpoints: the Service port's endpoints as last read (None: not yet).
        deliveries: per ready endpoint, the delivery step's answer for this client
            (the route's `deliveries` slots, shared with the client's other plans
            through the port).
        reasons: per ready endpoint, the Trace's reason when the pod answers.
    """

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    route: PortRoute
    port: int
    ip: str | None
    via: str
    memo: bool
    serving: object = None
    endpoints: PortEndpoints | None = None
    deliveries: list[Delivery | None] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IngressPlan:
    """An HTTP request routed once through ingress-nginx to an upstream (see `Plan`).

    Attributes:
        upstream: `(namespace, service, port name)`.
        target: the reason's route part (`ingress X: host H path P -> service S:80`).
        sender: the ingress-nginx controller pod, which opens the upstream connection.
        src_ip: its address, which upstream pods see.
        serving, endpoints, deliveries: as in `Plan`, for the upstream's endpoints.
    """

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    upstream: tuple[str, str, str]
    target: str
    sender: dict | None
    src_ip: str
    ip: str | None
    via: str
    serving: object = None
    endpoints: PortEndpoints | None = None
    deliveries: list[Delivery | None] = field(default_factory=list)


WHY_RANDOM: dict[int, Hint] = {}


def why_random(n: int) -> Hint:
    """`picked at random among N ready endpoints`, made once per N."""
    why = WHY_RANDOM.get(n)
    if why is None:
        why = WHY_RANDOM[n] = hint("random-among", count=n)
    return why


ONLY_ONE = hint("only-ready-endpoint")


def why_chosen(n: int) -> Hint:
    """Why kube-proxy's random draw among `n` endpoints gave the one it gave."""
    return why_random(n) if n > 1 else ONLY_ONE


def answered(via: str, delivery: Delivery, why: str) -> Hint:
    """The Trace's reason when the pod kube-proxy chose answers."""
    return hint("answered", via=via, pod=delivery.name, ip=delivery.ip, port=delivery.port, why=why)


def declared(pod: dict) -> Hint:
    """`it declares 8080, 9090`: the pod's container ports, for refusal reasons."""
    ports = sorted(
        {
            cp.get("containerPort")
            for c in (pod.get("spec") or {}).get("containers") or ()
            for cp in c.get("ports") or ()
            if cp.get("containerPort") is not None
        }
    )
    if not ports:
        return hint("declares-no-port")
    return hint("declares-ports", ports=", ".join(map(str, ports)))


def bridge_ip(pod_ip: str) -> str:
    """The node bridge address of a pod's /24 (the source of masqueraded hairpin traffic)."""
    return pod_ip.rsplit(".", 1)[0] + ".1"
