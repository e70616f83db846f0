"""kube-proxy in iptables mode: which addresses it owns and which endpoint it picks.

Facts reproduced (k8s-semantics.md section 5):

* a connection to a Service port goes to one READY endpoint picked uniformly
  at random (the `--probability 1/(N-i)` rule chain), independently per
  connection;
* `sessionAffinity: ClientIP` keeps a client IP on the endpoint it last used
  until `timeoutSeconds` of inactivity pass (the `recent` module's
  `--rcheck --seconds`, refreshed by `--set` on every connection);
* no ready endpoint: a REJECT rule, so the client's SYN is refused;
* `externalTrafficPolicy: Local` (NodePort, LoadBalancer) and
  `internalTrafficPolicy: Local` only use endpoints on the node the packet is
  on, and DROP (client timeout) when there is none.

Lookups are cached: address tables are rebuilt only when a Service or Node
changed, and each Service port's endpoint list only when `state.backends`
returns something new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.endpoints import Backend
from simulator.hints import Hint, hint
from simulator.labels import format_selector, from_match_labels
from simulator.store import Key

from .cluster_view import ClusterView
from .topology import categorize_endpoints, hinted


@dataclass(frozen=True, slots=True)
class PortEndpoints:
    """One Service port's endpoints, as kube-proxy programs them.

    Attributes:
        ready: the ready endpoints (what ingress-nginx balances over), in IP order.
        all: every listed endpoint, not-ready and terminating ones included.
        by_addr: the indexes of `usable` endpoints by `(ip, port)`, for session affinity.
        usable: what a connection under the Cluster policy goes to wherever it comes
            from: the ready endpoints, or the serving terminating ones when none is
            ready (topology.py); meaningless when `hinted`.
        hinted: some endpoint carries a trafficDistribution hint, so the choice depends
            on the node (`KubeProxy.usable`).
        places: `KubeProxy.usable`'s answers by `(node, zone, local)`.
    """

    ready: tuple[Backend, ...]
    all: tuple[Backend, ...]
    by_addr: dict[tuple[str, int], int]
    usable: tuple[Backend, ...] = ()
    hinted: bool = False
    places: dict = field(default_factory=dict)


@dataclass(slots=True)
class Tables:
    """Addresses kube-proxy (and the cluster's network) answers for, built from the store.

    Attributes:
        vips: cluster IP -> Service key.
        lbs: load-balancer IP -> Service key.
        node_ports: nodePort -> (Service key, index in spec.ports).
        node_by_ip: InternalIP -> node name.
        node_ip: node name -> InternalIP.
        nodes: names of Ready nodes, sorted.
    """

    vips: dict[str, Key]
    lbs: dict[str, Key]
    node_ports: dict[int, tuple[Key, int]]
    node_by_ip: dict[str, str]
    node_ip: dict[str, str]
    nodes: tuple[str, ...]


def kind_signature(store, kind: str) -> tuple[int, int]:
    """`(count, newest resourceVersion)` of a kind: changes on every put or remove of it.

    A put always gives the object the store's newest resourceVersion, and a
    remove changes the count, so equal signatures mean nothing of the kind changed.
    """
    newest = 0
    for _, obj in store.items(kind):
        rv = obj["metadata"].get("resourceVersion")
        if rv is not None:
            value = int(rv)
            if value > newest:
                newest = value
    return store.count(kind), newest


class StoreWatch:
    """Tells whether objects of some kinds changed since the last call, cheaply.

    The store's global resourceVersion counter and the kinds' counts are read
    first: while none moved, nothing changed and no scan is made. (A per-kind
    version counter in the store would make this O(1) in every case.)
    """

    def __init__(self, store, kinds: tuple[str, ...]) -> None:
        self._store = store
        self._kinds = kinds
        self._count = store.count
        self._seen: list | None = None
        self._signature: tuple | None = None

    def changed(self) -> bool:
        """True the first time, and whenever a watched kind changed since the last call."""
        store = self._store
        # put() bumps the counter and remove() changes a count: both are O(1) to read.
        rv = getattr(store, "_resource_version", None)
        seen = self._seen
        if seen is not None and rv is not None and rv == seen[0]:
            count = self._count
            for index, kind in enumerate(self._kinds, 1):
                if count(kind) != seen[index]:
                    break
            else:
                return False
        self._seen = [rv, *map(self._count, self._kinds)]
        signature = tuple(kind_signature(store, kind) for kind in self._kinds)
        if signature == self._signature:
            return False
        self._signature = signature
        return True


def node_internal_ip(node: dict) -> str | None:
    """A Node's InternalIP from `status.addresses`."""
    for address in (node.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address.get("address")
    return None


def node_is_ready(node: dict) -> bool:
    """Whether the Node's Ready condition is True (nodes without conditions count as ready)."""
    conditions = (node.get("status") or {}).get("conditions")
    if not conditions:
        return True
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


class KubeProxy:
    """Address tables, per-port endpoint lists and endpoint choice, over a ClusterState."""

    def __init__(self, state: ClusterView) -> None:
        self._state = state
        self._store = state.store
        self._watch = StoreWatch(state.store, ("Service", "Node"))
        self._tables: Tables | None = None
        self._endpoints: dict[tuple[str, str, str], tuple[object, PortEndpoints]] = {}
        self._random = state.rng.random
        # (namespace, service, port, client IP) -> [(ip, port), last seen]
        self._affinity: dict[tuple[str, str, int, str], list] = {}

    # -- tables ------------------------------------------------------------------

    def tables(self) -> Tables:
        """The current address tables (rebuilt only when a Service or Node changed)."""
        if self._watch.changed() or self._tables is None:
            self._tables = self._build()
        return self._tables

    def _build(self) -> Tables:
        vips: dict[str, Key] = {}
        lbs: dict[str, Key] = {}
        node_ports: dict[int, tuple[Key, int]] = {}
        for key, svc in self._store.items("Service"):
            spec = svc["spec"]
            ip = spec.get("clusterIP")
            if ip and ip != "None":
                vips[ip] = key
            for address in (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or ():
                if address.get("ip"):
                    lbs[address["ip"]] = key
            if spec.get("type") in ("NodePort", "LoadBalancer"):
                for index, port in enumerate(spec.get("ports") or ()):
                    if port.get("nodePort"):
                        node_ports[int(port["nodePort"])] = (key, index)
        node_by_ip: dict[str, str] = {}
        node_ip: dict[str, str] = {}
        ready: list[str] = []
        for (_, name), node in self._store.items("Node"):
            ip = node_internal_ip(node)
            if ip is None:
                try:
                    ip = self._state.node_ip(name)
                except (KeyError, LookupError):
                    continue
            node_by_ip[ip] = name
            node_ip[name] = ip
            if node_is_ready(node):
                ready.append(name)
        return Tables(vips, lbs, node_ports, node_by_ip, node_ip, tuple(sorted(ready)))

    # -- endpoints ---------------------------------------------------------------

    def endpoints(self, namespace: str, name: str, port_name: str) -> PortEndpoints:
        """A Service port's endpoints, rebuilt only when `state.backends` reports a change.

        `state.backends` may return the same list object while nothing changed (the
        endpoints controller caches it); a new list with the same endpoints keeps the
        previous value too, so callers can rely on `ready` keeping its identity (the
        Ingress balancer does).
        """
        listed = self._state.backends(namespace, name, port_name)
        key = (namespace, name, port_name)
        cached = self._endpoints.get(key)
        if cached is not None:
            if cached[0] is listed:
                return cached[1]
            if cached[1].all == tuple(listed):
                self._endpoints[key] = (listed, cached[1])
                return cached[1]
        every = tuple(listed)
        ready = tuple(b for b in every if b.ready)
        usable = ready or categorize_endpoints(every, None, None, False)[0]
        by_addr = {(b.ip, b.port): i for i, b in enumerate(usable)}
        value = PortEndpoints(ready, every, by_addr, usable, hinted(every))
        if len(self._endpoints) > 100_000:
            self._endpoints.clear()
        self._endpoints[key] = (listed, value)
        return value

    def usable(self, endpoints: PortEndpoints, node: str | None, local: bool,
               ) -> tuple[tuple[Backend, ...], str]:  # fmt: skip
        """The endpoints a connection on `node` may use under the Cluster or Local policy,
        and why (`topology.categorize_endpoints`), cached per endpoint list."""
        if not local and not endpoints.hinted:
            return (
                endpoints.usable,
                "terminating" if endpoints.usable and not endpoints.ready else "",
            )
        zone = self._state.zones.get(node or "")
        place = (node, zone, local)
        found = endpoints.places.get(place)
        if found is None:
            found = endpoints.places[place] = categorize_endpoints(endpoints.all, node, zone, local)
        return found

    def draw(self, n: int) -> int:
        """kube-proxy's random choice among `n` endpoints: the index of the one a new
        connection goes to (the `--probability 1/(N-i)` chain is uniform). The only
        random draw a Service connection makes; no draw for a single endpoint."""
        return int(self._random() * n) if n > 1 else 0

    def choose(
        self,
        svc: dict,
        port: int,
        candidates: tuple[Backend, ...],
        client_ip: str,
        by_addr: dict[tuple[str, int], int] | None = None,
    ) -> tuple[int, bool]:
        """Pick the endpoint for one new connection.

        Args:
            svc: the Service.
            port: the Service port (affinity is kept per Service port).
            candidates: the endpoints allowed for this packet (non-empty).
            client_ip: the source address kube-proxy sees (affinity key).
            by_addr: the indexes of `candidates` by `(ip, port)` when already built.

        Returns:
            The endpoint's index in `candidates`, and whether session affinity
            (rather than chance) chose it.
        """
        spec = svc["spec"]
        if spec.get("sessionAffinity") != "ClientIP":
            return self.draw(len(candidates)), False
        meta = svc["metadata"]
        timeout = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get(
            "timeoutSeconds"
        ) or 10800
        now = self._state.clock.now
        key = (meta.get("namespace", ""), meta["name"], port, client_ip)
        entry = self._affinity.get(key)
        if entry is not None and now - entry[1] <= timeout:
            if by_addr is None:
                by_addr = {(b.ip, b.port): i for i, b in enumerate(candidates)}
            kept = by_addr.get(entry[0])
            if kept is not None:
                entry[1] = now
                return kept, True
        index = self.draw(len(candidates))
        chosen = candidates[index]
        self._affinity[key] = [(chosen.ip, chosen.port), now]
        return index, False

    # -- explanations --------------------------------------------------------------

    def explain_no_ready(self, svc: dict, port_name: str) -> Hint:
        """Why a Service port has no ready endpoint, naming the cause (no leading subject)."""
        meta, spec = svc["metadata"], svc["spec"]
        ns, name = meta.get("namespace", ""), meta["name"]
        listed = self.endpoints(ns, name, port_name).all
        if listed:
            not_ready = [b for b in listed if not b.ready]
            first = not_ready[0]
            detail = self._pod_not_ready(ns, first.pod) if first.pod else hint("is-not-ready")
            who = hint("who-pod", pod=first.pod) if first.pod else hint("who-address", ip=first.ip)
            if len(not_ready) == 1:
                return hint("one-not-ready", who=who, detail=detail)
            return hint("none-ready", count=len(not_ready), who=who, detail=detail)
        selector = spec.get("selector")
        if not selector:
            if self._store.get("Endpoints", ns, name) is None:
                return hint("no-selector-no-endpoints", service=name)
            return hint("no-selector-empty-endpoints", service=name)
        pods = self._store.pods_selected(ns, from_match_labels(selector))
        if not pods:
            shown = format_selector(from_match_labels(selector))
            return hint("selector-matches-no-pod", selector=shown, namespace=ns)
        for pod in pods:
            if not (pod.get("status") or {}).get("podIP"):
                return hint("pod-has-no-ip", pod=pod["metadata"]["name"])
        port: dict = next(
            (p for p in spec.get("ports") or () if p.get("name", "") == port_name), {}
        )
        target = port.get("targetPort", port.get("port"))
        return hint("no-port-named", target=repr(target))

    def _pod_not_ready(self, namespace: str, pod: str) -> Hint:
        runtime = getattr(self._state, "runtime", {}).get((namespace, pod))
        output = getattr(runtime, "last_probe_output", "") if runtime is not None else ""
        if output:
            return hint("fails-readiness", output=output.strip())
        return hint("not-ready-yet")
