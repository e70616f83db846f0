"""What every request path of the router shares: the cluster, the proxies, the caches.

`Router.__init__` (router.py) sets these attributes; the path mixins
(direct_routes, service_routes, node_routes, ingress_routes, gateway_routes) inherit them from
here, so each mixin states what it reads and the type checker holds them to it.
Plans are kept and stamped here because every path that plans does both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from simulator.trace import Hop

from . import tls
from .delivery import Deliverer
from .dns import ClusterDns
from .exchange import Exchange, HopCache, IngressPlan, Plan, PortRoute
from .gateway_plan import GatewayPlan
from .ingress import IngressController
from .proxy import KubeProxy, Tables
from .request import Client, Request, RequestCache

if TYPE_CHECKING:
    from simulator.gatewayapi.model import Graph
    from simulator.gatewayapi.table import GatewayTable
    from simulator.store import Key, Store

    from .cluster_view import ClusterView


class RouteBase:
    """The attributes the request paths share (set by `Router.__init__`)."""

    state: ClusterView
    store: Store
    caching: bool
    proxy: KubeProxy
    ingress: IngressController
    dns: ClusterDns
    hops: HopCache
    hop: Callable[..., Hop]
    delivery: Deliverer
    requests: RequestCache
    _host: Client
    # pod source -> (pod key, its resourceVersion, client, store revision it was checked at)
    _clients: dict[str, tuple[Key, str | None, Client, int]]
    # ("cert", namespace, name) -> (secret, its resourceVersion, parsed certificate)
    _certs: dict[tuple[str, str | None, str], tuple[dict, str | None, tls.Certificate | None]]
    _tables: Tables | None
    _port_routes: dict[tuple[str, int], PortRoute]
    _plans: dict[Request, Plan | IngressPlan | GatewayPlan]
    _controller_pod: tuple[object, str, dict | None] | None
    _serving_version: Callable[[], int]
    # (graph, routing tables by address, host names -> address), rebuilt with the graph
    _gateway_view: tuple[Graph, dict[str, GatewayTable], dict[str, str]] | None
    # (pod hop, path) -> the pod hop with the path it received
    _path_hops: dict[tuple[Hop, str], Hop]
    # (gateway, address, port, namespace, listener, route, rule) -> the gateway hop
    _gateway_hops: dict[tuple, Hop]

    #: An Ingress controller's pod reached another way than the built-in address (its
    #: node's address, a port-forward): `(address, pod IP, pod)`; None otherwise.
    _entry: tuple[str, str, dict] | None = None

    def _ingress(self, ex: Exchange, port: int) -> None:
        """ingress-nginx's handling of a request (ingress_routes.py)."""
        raise NotImplementedError

    def _through_controller(self, ex: Exchange, port: int, entry: tuple[str, str, dict],
                            forwarding: bool = False) -> None:  # fmt: skip
        """An Ingress controller's pod reached at `entry` (`(address, pod IP, pod)`) routes
        the request by the Ingress rules, as at the built-in address."""
        self._entry, self._forwarding = entry, forwarding
        try:
            self._ingress(ex, port)
        finally:
            self._entry, self._forwarding = None, False

    #: A port-forward carries this request: no plan, since a forward ends without any
    #: change to the store (`kill %1`), which is what plans are checked against.
    _forwarding = False

    def _keep_plan(self, request: Request, plan: Plan | IngressPlan | GatewayPlan) -> None:
        """Remember how `request` was routed, for the next equal request."""
        if self.caching and request.plannable and not self._forwarding:
            # A plan is found through its request object, so it lives no longer than
            # the request cache keeps that object (a new client makes new requests).
            if len(self._plans) > RequestCache.LIMIT:
                self._plans.clear()
            self._plans[request] = plan

    def _service(self, key: Key) -> dict:
        """A Service that kube-proxy's tables name (they are rebuilt when one changes)."""
        svc = self.store.get("Service", *key)
        if svc is None:
            raise LookupError(f"kube-proxy's tables name a deleted Service {key}")
        return svc

    def _epoch(self) -> int:
        """A stamp that changes whenever any object is written or removed: the store's
        revision (like etcd's). What changes without a write (endpoints, closed ports)
        is the state's serving version.
        """
        return self.store.revision
