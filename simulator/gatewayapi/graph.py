"""Build the Gateway API graph from the cluster's objects (a pure function of them).

`build_graph` reads GatewayClasses, Gateways, HTTPRoutes, ReferenceGrants and what they
refer to (Services, Secrets, Namespaces) through a read-only store, and returns the
`model.Graph` that status and routing are derived from. It changes nothing: the caller
(the cluster state) writes the statuses it renders.

ReferenceGrants (``referencegrant_types.go``): an object in another namespace may be
referred to when a ReferenceGrant in *its* namespace lists the referrer's group, kind and
namespace in ``from`` and the referent's group and kind (and, when given, name) in ``to``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .listeners import build_gateway, gateway_class_conditions
from .model import CLASS_NAME, CONTROLLER_NAME, GROUP, Graph
from .routes import build_route

#: The API group of each kind a ReferenceGrant can name here.
_GROUPS = {"Gateway": GROUP, "HTTPRoute": GROUP, "Service": "", "Secret": ""}


class ReadStore(Protocol):
    """The part of `simulator.store.Store` the graph reads."""

    def get(self, kind: str, namespace: str, name: str) -> dict | None: ...

    def list(self, kind: str, namespace: str | None = None) -> list[dict]: ...


def reference_permitted(store: ReadStore) -> Callable[..., bool]:
    """A ReferenceGrant check over ``store``.

    Returns:
        ``permitted(from_kind, from_ns, to_kind, to_ns, to_name) -> bool``.
    """
    by_namespace: dict[str, list[dict]] = {}
    for grant in store.list("ReferenceGrant"):
        by_namespace.setdefault(grant["metadata"].get("namespace", ""), []).append(grant)

    def permitted(from_kind: str, from_ns: str, to_kind: str, to_ns: str, to_name: str) -> bool:
        for grant in by_namespace.get(to_ns, ()):
            spec = grant.get("spec") or {}
            sources = spec.get("from") or ()
            targets = spec.get("to") or ()
            if not any(
                s.get("group") == _GROUPS[from_kind]
                and s.get("kind") == from_kind
                and s.get("namespace") == from_ns
                for s in sources
            ):
                continue
            if any(
                t.get("group") == _GROUPS[to_kind]
                and t.get("kind") == to_kind
                and t.get("name", to_name) in ("", to_name)
                for t in targets
            ):
                return True
        return False

    return permitted


def build_graph(
    store: ReadStore,
    addresses: dict[tuple[str, str], str],
    certificate_problem: Callable[[dict], str | None],
) -> Graph:
    """Everything NGINX Gateway Fabric would resolve from ``store``.

    Args:
        store: the cluster's objects (read only).
        addresses: each managed Gateway's load-balancer address, by ``(namespace, name)``.
        certificate_problem: why a Secret cannot serve TLS (None when it can).

    Returns:
        The graph: classes, managed Gateways (listeners and their attached routes) and every
        HTTPRoute. Routes are taken oldest first (then by ``namespace/name``), so listeners
        list their routes in that order.
    """
    graph = Graph()
    for gateway_class in store.list("GatewayClass"):
        if (gateway_class.get("spec") or {}).get("controllerName") == CONTROLLER_NAME:
            name = gateway_class["metadata"]["name"]
            graph.classes[name] = gateway_class_conditions(gateway_class)
    class_exists = CLASS_NAME in graph.classes
    permitted = reference_permitted(store)

    def lookup(kind: str, namespace: str, name: str) -> dict | None:
        return store.get(kind, namespace, name)

    def labels(namespace: str) -> dict:
        obj = store.get("Namespace", "", namespace)
        return ((obj or {}).get("metadata") or {}).get("labels") or {}

    for gateway_obj in sorted(store.list("Gateway"), key=_age):
        if (gateway_obj.get("spec") or {}).get("gatewayClassName") != CLASS_NAME:
            continue
        key = (gateway_obj["metadata"].get("namespace", ""), gateway_obj["metadata"]["name"])
        graph.gateways[key] = build_gateway(
            gateway_obj, class_exists, addresses.get(key), lookup, permitted, certificate_problem
        )
    for route_obj in sorted(store.list("HTTPRoute"), key=_age):
        route = build_route(route_obj, graph.gateways, lookup, permitted, labels)
        graph.routes[route.key] = route
    return graph


def _age(obj: dict) -> tuple[str, str, str]:
    meta = obj["metadata"]
    return (meta.get("creationTimestamp", ""), meta.get("namespace", ""), meta["name"])
