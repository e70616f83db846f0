"""ingress-nginx's routing: servers by host, locations by path, TLS, redirects, round robin.

What is reproduced (k8s-semantics.md section 7, ingress-nginx@dbb11b9):

* Only Ingresses for this controller are served: `ingressClassName` `nginx`
  or naming an IngressClass whose controller is `k8s.io/ingress-nginx` or
  `nginx.org/ingress-controller`; without a class name, the legacy
  annotation `kubernetes.io/ingress.class` must be `nginx` when present,
  and class-less Ingresses are served (`--watch-ingress-without-class`).
* One nginx `server` per host, merging the rules of every served Ingress for
  it (the oldest Ingress wins a conflicting path); `*.foo.com` matches one
  extra label; rules without a host go to the catch-all server `_`.
* Paths: Exact is the whole path; Prefix (and ImplementationSpecific,
  rewritten to Prefix) matches whole `/`-separated elements, trailing slash
  ignored; the longest matching path wins and Exact beats Prefix on a tie.
* A host with no matching path uses its Ingress's `defaultBackend`, if any;
  the catch-all server uses the `defaultBackend` of a rule-less Ingress.
  Otherwise the controller's default backend answers 404.
* A host with a `tls` entry redirects plain HTTP to HTTPS with 308 unless the
  Ingress says `nginx.ingress.kubernetes.io/ssl-redirect: "false"`;
  `force-ssl-redirect: "true"` redirects without TLS too.
* Upstreams are the Service's ready endpoints, used round robin (the
  `round_robin` balancer starts at a random endpoint and is re-created when
  the endpoint set changes); traffic goes straight to pod IPs.

The table is rebuilt only when an Ingress or IngressClass changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.hints import Hint, hint

from .cluster_view import ClusterView
from .proxy import StoreWatch

NGINX_CONTROLLERS = frozenset({"k8s.io/ingress-nginx", "nginx.org/ingress-controller"})
CLASS_NAME = "nginx"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect"
FORCE_SSL_REDIRECT = "nginx.ingress.kubernetes.io/force-ssl-redirect"
CATCH_ALL = "_"


@dataclass(frozen=True, slots=True)
class Location:
    """One routed path of one server.

    Attributes:
        path: the rule's path as written (`/` for a defaultBackend).
        path_type: `Exact`, `Prefix`, `ImplementationSpecific`, or `defaultBackend`.
        namespace: the Ingress's namespace (where its backend Service lives).
        ingress: the Ingress's name.
        service: the backend Service's name (None for a `resource` backend).
        port: the Service port, a number or a name.
        ssl_redirect: the Ingress allows the HTTP-to-HTTPS redirect.
        force_ssl_redirect: redirect even when the host has no TLS entry.
    """

    path: str
    path_type: str
    namespace: str
    ingress: str
    service: str | None
    port: int | str | None
    ssl_redirect: bool = True
    force_ssl_redirect: bool = False


@dataclass(frozen=True, slots=True)
class TlsHost:
    """A host's TLS entry: which Secret holds its certificate.

    Attributes:
        namespace: the Ingress's namespace.
        ingress: the Ingress's name.
        secret: the Secret's name, or None when the entry names none.
    """

    namespace: str
    ingress: str
    secret: str | None


@dataclass(slots=True)
class Server:
    """One nginx `server` block: a host's locations.

    Attributes:
        name: the host, `*.suffix` for a wildcard, or `_` for the catch-all server.
        exact: Exact locations (and the exact half of Prefix ones) by path.
        prefixes: `(normalized path, location)` pairs, longest first.
        default: the location used when no path matches (an Ingress defaultBackend).
        tls: the host's TLS entry.
        ingresses: names of the Ingresses contributing rules, for messages.
    """

    name: str
    exact: dict[str, Location] = field(default_factory=dict)
    prefixes: list[tuple[str, Location]] = field(default_factory=list)
    default: Location | None = None
    tls: TlsHost | None = None
    ingresses: list[str] = field(default_factory=list)

    def match(self, path: str) -> Location | None:
        """The location for a request path (query string already removed), or None."""
        found = self.exact.get(path)
        if found is not None:
            # An exact match is as long as the path itself: no prefix can be longer,
            # and on a tie Exact wins.
            return found
        for prefix, location in self.prefixes:
            if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
                return location
        return self.default


@dataclass(slots=True)
class RoutingTable:
    """Every server ingress-nginx has, plus what it ignored and why.

    Attributes:
        servers: exact hosts -> server.
        wildcards: `foo.com` (for `*.foo.com`) -> server.
        catch_all: the `_` server.
        tls_wildcards: TLS entries of wildcard hosts, by suffix.
        ignored: `(namespace/name, why)` for Ingresses of another class.
        ignored_hosts: hosts named only by ignored Ingresses -> `namespace/name`.
    """

    servers: dict[str, Server]
    wildcards: dict[str, Server]
    catch_all: Server
    ignored: list[tuple[str, Hint]]
    ignored_hosts: dict[str, str]

    def server_for(self, host: str) -> Server:
        """The server nginx picks for a Host header (exact, then one-label wildcard, then `_`)."""
        server = self.servers.get(host)
        if server is not None:
            return server
        if self.wildcards:
            dot = host.find(".")
            if dot > 0:
                server = self.wildcards.get(host[dot + 1 :])
                if server is not None:
                    return server
        return self.catch_all

    def knows_host(self, host: str) -> bool:
        """Whether any Ingress rule (served or not) names `host` (the host's /etc/hosts)."""
        if host in self.servers or host in self.ignored_hosts:
            return True
        dot = host.find(".")
        return dot > 0 and host[dot + 1 :] in self.wildcards


def _location(
    ingress: dict,
    path: str,
    path_type: str,
    backend: dict | None,
    ssl_redirect: bool,
    force_ssl_redirect: bool,
) -> Location:
    meta = ingress["metadata"]
    svc = (backend or {}).get("service") or {}
    port = svc.get("port") or {}
    port_ref = port.get("number") if port.get("number") is not None else port.get("name")
    return Location(
        path,
        path_type,
        meta.get("namespace", ""),
        meta["name"],
        svc.get("name"),
        port_ref,
        ssl_redirect,
        force_ssl_redirect,
    )


def normalize_prefix(path: str) -> str:
    """A Prefix path without its trailing slash (`/` stays `/`)."""
    stripped = path.rstrip("/")
    return stripped or "/"


class IngressController:
    """The built-in ingress-nginx: builds its routing table and balances upstreams."""

    def __init__(self, state: ClusterView) -> None:
        self._state = state
        self._store = state.store
        self._watch = StoreWatch(state.store, ("Ingress", "IngressClass"))
        self._table: RoutingTable | None = None
        # upstream (namespace, service, port name) -> [ready tuple it was built for, next index]
        self._round_robin: dict[tuple[str, str, str], list] = {}

    def table(self) -> RoutingTable:
        """The routing table, rebuilt only when an Ingress or IngressClass changed."""
        if self._watch.changed() or self._table is None:
            self._table = self._build()
        return self._table

    # -- which Ingresses are ours --------------------------------------------------

    def class_problem(self, ingress: dict) -> Hint | None:
        """Why ingress-nginx does not serve this Ingress, or None when it does."""
        spec = ingress.get("spec") or {}
        class_name = spec.get("ingressClassName")
        if class_name:
            ingress_class = self._store.get("IngressClass", "", class_name)
            if ingress_class is None:
                if class_name == CLASS_NAME:
                    return None
                return hint("ingress-class-unknown", ingress_class=class_name)
            controller = (ingress_class.get("spec") or {}).get("controller", "")
            if controller in NGINX_CONTROLLERS:
                return None
            if not controller:
                return hint("ingress-class-no-controller", ingress_class=class_name)
            return hint("ingress-class-elsewhere", ingress_class=class_name, controller=controller)
        annotations = (ingress.get("metadata") or {}).get("annotations") or {}
        legacy = annotations.get(LEGACY_CLASS_ANNOTATION)
        if legacy is not None and legacy != CLASS_NAME:
            return hint(
                "ingress-class-annotation", annotation=LEGACY_CLASS_ANNOTATION, value=legacy
            )
        return None

    # -- the table ---------------------------------------------------------------

    def _build(self) -> RoutingTable:
        servers: dict[str, Server] = {}
        wildcards: dict[str, Server] = {}
        catch_all = Server(CATCH_ALL)
        ignored: list[tuple[str, Hint]] = []
        ignored_hosts: dict[str, str] = {}

        def server(host: str | None) -> Server:
            """The server of a rule host (made on first use); `_` without a host."""
            if not host:
                return catch_all
            host = host.lower()
            if host.startswith("*."):
                return wildcards.setdefault(host[2:], Server(host))
            return servers.setdefault(host, Server(host))

        ingresses = [obj for _, obj in self._store.items("Ingress")]
        # The oldest Ingress wins a conflict, as ingress-nginx sorts by creation time.
        ingresses.sort(
            key=lambda o: (
                o["metadata"].get("creationTimestamp", ""),
                o["metadata"].get("namespace", ""),
                o["metadata"]["name"],
            )
        )
        for ing in ingresses:
            meta, spec = ing["metadata"], ing.get("spec") or {}
            ns, name = meta.get("namespace", ""), meta["name"]
            rules = spec.get("rules") or []
            problem = self.class_problem(ing)
            if problem is not None:
                ignored.append((f"{ns}/{name}", problem))
                for rule in rules:
                    if rule.get("host"):
                        ignored_hosts.setdefault(rule["host"].lower(), f"{ns}/{name}")
                continue
            annotations = meta.get("annotations") or {}
            ssl_redirect = annotations.get(SSL_REDIRECT, "true").lower() != "false"
            force = annotations.get(FORCE_SSL_REDIRECT, "false").lower() == "true"

            hosts: list[str | None] = []
            for rule in rules:
                host = rule.get("host")
                hosts.append(host)
                srv = server(host)
                if name not in srv.ingresses:
                    srv.ingresses.append(name)
                for path in (rule.get("http") or {}).get("paths") or ():
                    p = path.get("path") or "/"
                    path_type = path.get("pathType") or "ImplementationSpecific"
                    loc = _location(ing, p, path_type, path.get("backend"), ssl_redirect, force)
                    if path_type == "Exact":
                        # Exact beats the exact half of a Prefix, never an older Exact.
                        existing = srv.exact.get(p)
                        if existing is None or existing.path_type != "Exact":
                            srv.exact[p] = loc
                        continue
                    prefix = normalize_prefix(p)
                    if all(existing != prefix for existing, _ in srv.prefixes):
                        srv.prefixes.append((prefix, loc))
                    # nginx gets `location = /foo` too; an Exact path already there wins.
                    srv.exact.setdefault(prefix, loc)
            default_backend = spec.get("defaultBackend")
            if default_backend is not None:
                loc = _location(ing, "/", "defaultBackend", default_backend, ssl_redirect, force)
                if not rules:
                    if catch_all.default is None:
                        catch_all.default = loc
                        catch_all.ingresses.append(name)
                else:
                    for host in hosts:
                        srv = server(host)
                        if srv.default is None:
                            srv.default = loc
            for entry in spec.get("tls") or ():
                tls = TlsHost(ns, name, entry.get("secretName"))
                tls_hosts = entry.get("hosts") or [h for h in hosts if h]
                for host in tls_hosts:
                    srv = server(host)
                    if srv.tls is None:
                        srv.tls = tls
        for srv in (*servers.values(), *wildcards.values(), catch_all):
            # Longest first; the sort is stable so the oldest Ingress stays first on ties.
            srv.prefixes.sort(key=lambda item: -len(item[0]))
        return RoutingTable(servers, wildcards, catch_all, ignored, ignored_hosts)

    # -- balancing ---------------------------------------------------------------

    def next_endpoint(self, upstream: tuple[str, str, str], ready: tuple) -> int:
        """Index of the endpoint the round-robin balancer of `upstream` uses next.

        `ready` must be the same tuple object while the endpoint set is unchanged
        (kube-proxy's endpoint cache guarantees it); a new tuple re-creates the
        balancer at a random starting endpoint, as ingress-nginx's sync does.
        """
        state = self._round_robin.get(upstream)
        n = len(ready)
        if state is None or state[0] is not ready:
            state = [ready, int(self._state.rng.random() * n)]
            self._round_robin[upstream] = state
        index = state[1] % n
        state[1] = index + 1
        return index
