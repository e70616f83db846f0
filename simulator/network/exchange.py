"""The values one request is made of: its client, its exchange, its cached route plans.

Also the small parsers curl applies before anything is sent (`parse_url`,
`--resolve` entries) and helpers shared by the request paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.trace import Hop, Trace

from . import tls


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


@dataclass(frozen=True, slots=True)
class PortRoute:
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
class Plan:
    """A request already routed once to a Service port: everything before the endpoint choice.

    Valid while the store's epoch (`Router._epoch`) is the one it was made at: no
    object was written and no Service, Ingress or IngressClass removed since, so
    the DNS answer, the port rule and the hops still hold. Endpoints are read
    again on every request (readiness changes without any write to the store).
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
