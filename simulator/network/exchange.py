"""The values one request is made of: its client, its exchange, its cached route plans.

Also the small parsers curl applies before anything is sent (`parse_url`,
`--resolve` entries) and helpers shared by the request paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.trace import Hop, Trace

from . import tls
from .proxy import PortEndpoints


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
            `external`, `apiserver`, `healthcheck` (kube-proxy's health-check port).
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


@dataclass(slots=True)  # never changed once built; not frozen, which makes building slower
class Delivery:
    """Where kube-proxy's choice of one ready endpoint leads when it is a pod that listens.

    Attributes:
        name: the pod's name (the Trace's `served_by`).
        ip: the endpoint's address.
        port: the endpoint's port.
        node: the pod's node.
        reason: the Trace's reason when the pod answers.
    """

    name: str
    ip: str
    port: int
    node: str | None
    reason: str


@dataclass(slots=True)
class Deliveries:
    """A Service port's deliveries, one slot per ready endpoint, filled as endpoints are drawn.

    Shared by every plan through the port (any client, by name or by IP), so
    each reason is written once per endpoint. Valid for one endpoint list, one
    store epoch (the pods exist) and one serving version (they still listen).

    Attributes:
        endpoints: the endpoint list the slots follow (None: not yet).
        epoch: the store's epoch (`Router._epoch`) the pods were read at.
        serving: the state's `serving_version()` they were read at.
        slots: a Delivery per ready endpoint; None while not drawn, or when the
            endpoint is not a pod that listens.
    """

    endpoints: PortEndpoints | None = None
    epoch: object = None
    serving: object = None
    slots: list[Delivery | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PortRoute:
    """What kube-proxy does with one `(cluster IP, port)`, precomputed while its tables hold.

    `deliveries` is filled as requests through the route reach its endpoints.
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
    deliveries: Deliveries = field(default_factory=Deliveries)


@dataclass(slots=True)
class Plan:
    """A request already routed once to a Service port: everything before the endpoint choice.

    Valid while the store's epoch (`Router._epoch`) is the one it was made at: no
    object was written or removed since, so the DNS answer, the port rule and the
    hops still hold. Endpoints change, and
    ports close, without any write to the store, so the plan keeps the endpoint
    list and deliveries it last read with the state's `serving_version()` at that
    moment, and reads them again only when that version moves.

    Attributes:
        direct: the common case, replayed from `deliveries`: plain HTTP to a
            Service port without session affinity nor internalTrafficPolicy Local.
        serving: the state's `serving_version()` when `endpoints` were read.
        endpoints: the Service port's endpoints as last read (None: not yet).
        deliveries: the route's delivery slots for them.
        pod_hops: this client's last hop to each ready endpoint, filled when drawn.
    """

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    route: PortRoute
    port: int
    scheme: str
    host: str
    path: str
    ip: str
    via: str
    direct: bool
    serving: object = None
    endpoints: PortEndpoints | None = None
    deliveries: list[Delivery | None] = field(default_factory=list)
    pod_hops: list[Hop | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IngressPlan:
    """An HTTP request already routed once through ingress-nginx to an upstream (see `Plan`)."""

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


WHY_RANDOM: dict[int, str] = {}


def why_random(n: int) -> str:
    """`picked at random among N ready endpoints`, built once per N."""
    why = WHY_RANDOM.get(n)
    if why is None:
        why = WHY_RANDOM[n] = f"picked at random among {n} ready endpoints"
    return why


def declared(pod: dict) -> str:
    """` (it declares 8080, 9090)`: the pod's container ports, for refusal reasons."""
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


def bridge_ip(pod_ip: str) -> str:
    """The node bridge address of a pod's /24 (the source of masqueraded hairpin traffic)."""
    return pod_ip.rsplit(".", 1)[0] + ".1"
