"""Routing tables: what each Gateway's nginx serves, per port and hostname.

NGINX Gateway Fabric writes one nginx ``server`` per hostname and port from the routes
attached to a Gateway's listeners (only programmed listeners count); a request picks the
server by its Host header (exact name, then the most specific wildcard, then the server of
routes that name no host), then the first match in precedence order (`matching`). No
server or no match: nginx's default server answers 404. HTTPS picks the certificate of the
listener whose hostname best matches the TLS SNI; without one, nginx rejects the
handshake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .hostnames import ANY_HOST, hostname_matches, specificity
from .matching import Request, match_applies, order_key
from .model import Backend, Gateway, Graph, Listener, Route, Rule


@dataclass(frozen=True, slots=True)
class Entry:
    """One match of one rule, as the table orders it.

    Attributes:
        route, rule: where it comes from.
        index: the match's position in ``rule.matches``.
        match: the match (defaulted).
        hostname: the hostname it is served under.
    """

    route: Route
    rule: Rule
    index: int
    match: dict
    hostname: str


@dataclass(slots=True)
class Server:
    """One nginx server: a hostname's entries, in precedence order."""

    hostname: str
    entries: list[Entry] = field(default_factory=list)

    def first_match(self, request: Request) -> Entry | None:
        """The entry that serves ``request``, or None (404)."""
        for entry in self.entries:
            if match_applies(entry.match, request):
                return entry
        return None


@dataclass(slots=True)
class PortTable:
    """A Gateway's programmed listeners on one port and their servers."""

    port: int
    protocol: str
    listeners: list[Listener] = field(default_factory=list)
    servers: dict[str, Server] = field(default_factory=dict)
    _order: list[Server] = field(default_factory=list)

    def server_for(self, host: str) -> Server | None:
        """The server for a Host header (lower-case, no port): exact, wildcard, then any."""
        server = self.servers.get(host)
        if server is not None:
            return server
        for candidate in self._order:
            if candidate.hostname != host and hostname_matches(candidate.hostname, host):
                return candidate
        return None

    def listener_for_sni(self, sni: str) -> Listener | None:
        """The HTTPS listener whose certificate nginx presents for ``sni``."""
        best = None
        for listener in self.listeners:
            pattern = listener.hostname or ANY_HOST
            if hostname_matches(pattern, sni) and (
                best is None or specificity(pattern) < specificity(best.hostname or ANY_HOST)
            ):
                best = listener
        return best


@dataclass(slots=True)
class GatewayTable:
    """Everything one Gateway serves at its address."""

    gateway: Gateway
    ports: dict[int, PortTable] = field(default_factory=dict)


def _gateway_table(gateway: Gateway, graph: Graph) -> GatewayTable:
    table = GatewayTable(gateway)
    if not gateway.valid:
        return table
    for listener in gateway.listeners:
        if not listener.valid or listener.protocol not in ("HTTP", "HTTPS"):
            continue
        port = table.ports.setdefault(listener.port, PortTable(listener.port, listener.protocol))
        port.listeners.append(listener)
        for route_key in listener.routes:
            route = graph.routes[route_key]
            for parent in route.parents:
                if parent.gateway != gateway.key or listener.name not in parent.hostnames:
                    continue
                for hostname in parent.hostnames[listener.name]:
                    server = port.servers.setdefault(hostname, Server(hostname))
                    for rule in route.rules:
                        for index, match in enumerate(rule.matches):
                            entry = Entry(route, rule, index, match, hostname)
                            if entry not in server.entries:
                                server.entries.append(entry)
    for port in table.ports.values():
        for server in port.servers.values():
            server.entries.sort(
                key=lambda e: order_key(
                    e.match, e.route.created, e.route.namespace, e.route.name, e.rule.index,
                    e.index,
                )
            )  # fmt: skip
        port._order = sorted(port.servers.values(), key=lambda s: specificity(s.hostname))
    return table


def build_tables(graph: Graph) -> dict[str, GatewayTable]:
    """Each managed Gateway's table, by its address (Gateways without one are left out)."""
    return {
        gateway.address: _gateway_table(gateway, graph)
        for gateway in graph.gateways.values()
        if gateway.address
    }


def host_addresses(graph: Graph) -> dict[str, str]:
    """Exact hostnames of accepted routes -> their Gateway's address (the host's /etc/hosts).

    When two Gateways serve one name, the oldest Gateway's address wins.
    """
    out: dict[str, str] = {}
    for gateway in graph.gateways.values():
        if not gateway.address or not gateway.valid:
            continue
        for listener in gateway.listeners:
            if not listener.valid:
                continue
            for route_key in listener.routes:
                for parent in graph.routes[route_key].parents:
                    if parent.gateway != gateway.key:
                        continue
                    for hostname in parent.hostnames.get(listener.name, ()):
                        if hostname != ANY_HOST and not hostname.startswith("*."):
                            out.setdefault(hostname, gateway.address)
    return out


def pick_backend(rule: Rule, draw: float) -> Backend | None:
    """The backend a draw in ``[0, 1)`` selects, each in proportion to its weight.

    Returns:
        The backend (valid or not: an invalid one means a 500), or None when the rule has
        no backendRefs or every weight is 0.
    """
    total = sum(backend.weight for backend in rule.backends if backend.weight > 0)
    if total <= 0:
        return None
    point = draw * total
    for backend in rule.backends:
        if backend.weight <= 0:
            continue
        if point < backend.weight:
            return backend
        point -= backend.weight
    return next(b for b in reversed(rule.backends) if b.weight > 0)
