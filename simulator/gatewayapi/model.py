"""The values the Gateway API controller works with: conditions and the resolved graph.

The graph is what NGINX Gateway Fabric (the controller behind the built-in GatewayClass
``nginx``) computes from the cluster's objects before it writes status and configures
nginx: which Gateways it manages and their listeners, which routes attach to which
listeners with which hostnames, and which backend references resolve. `graph.build_graph`
makes it; `status` renders it as API status; `table` turns it into routing tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.hints import Hint

GROUP = "gateway.networking.k8s.io"
CONTROLLER_NAME = "gateway.nginx.org/nginx-gateway-controller"
#: The GatewayClass NGINX Gateway Fabric serves (its ``--gatewayclass`` flag).
CLASS_NAME = "nginx"
#: The route kinds an HTTP or HTTPS listener supports, in the order NGF reports them.
HTTP_ROUTE_KINDS = (
    {"group": GROUP, "kind": "HTTPRoute"},
    {"group": GROUP, "kind": "GRPCRoute"},
)
PROTOCOLS = ("HTTP", "HTTPS", "TLS", "TCP", "UDP")

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Condition:
    """A ``metav1.Condition`` without its time and generation (added when written)."""

    type: str
    status: str
    reason: str
    message: str


def dedupe(conditions: list[Condition]) -> list[Condition]:
    """One condition per type, the last one winning, in first-seen order (NGF's rule)."""
    last: dict[str, Condition] = {}
    for condition in conditions:
        last[condition.type] = condition
    seen, out = set(), []
    for condition in conditions:
        if condition.type not in seen:
            seen.add(condition.type)
            out.append(last[condition.type])
    return out


@dataclass(slots=True)
class Listener:
    """One listener of a managed Gateway, validated.

    Attributes:
        name, port, protocol, hostname: from the spec (hostname "" when unset).
        allowed_from: ``Same``, ``All`` or ``Selector`` (``allowedRoutes.namespaces.from``).
        selector: the namespace selector when ``allowed_from`` is ``Selector``.
        supported_kinds: route kinds it accepts (``status.listeners[].supportedKinds``).
        certificates: ``(namespace, name)`` of the TLS Secrets that resolved.
        conditions: its non-default conditions (failures).
        valid: programmed into nginx.
        attachable: routes may still attach (and count) even when not valid.
        routes: keys of the routes attached to it, in attachment order.
    """

    name: str
    port: int
    protocol: str
    hostname: str
    allowed_from: str = "Same"
    selector: dict | None = None
    supported_kinds: list[dict] = field(default_factory=list)
    certificates: list[Key] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    valid: bool = True
    attachable: bool = True
    routes: list[Key] = field(default_factory=list)


@dataclass(slots=True)
class Gateway:
    """A Gateway of class ``nginx`` (one NGF manages).

    Attributes:
        namespace, name: its key.
        obj: the stored object.
        listeners: its listeners, in spec order.
        conditions: its non-default conditions.
        valid: False when its class is missing or invalid (no traffic at all).
        address: the address the load-balancer controller gave its data plane, or None.
    """

    namespace: str
    name: str
    obj: dict
    listeners: list[Listener] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    valid: bool = True
    address: str | None = None

    @property
    def key(self) -> Key:
        """``(namespace, name)``."""
        return (self.namespace, self.name)


@dataclass(slots=True)
class Backend:
    """One ``backendRef`` of a rule, resolved or not.

    Attributes:
        namespace, name, port: the Service it names.
        weight: its share of the rule's traffic.
        valid: it resolved; requests to an invalid backend get 500.
        reason, message: the ``ResolvedRefs`` reason and message when not valid.
        service: the Service object when it exists.
        service_port: the Service port matching ``port``.
    """

    namespace: str
    name: str
    port: int | None
    weight: int
    valid: bool = True
    reason: str = ""
    message: str = ""
    service: dict | None = None
    service_port: dict | None = None


@dataclass(slots=True)
class Rule:
    """One rule of a route: its (defaulted) matches, filters and backends.

    Attributes:
        valid: False when a filter cannot be applied (requests get 500).
        problem: why the rule is not valid.
    """

    index: int
    name: str
    matches: list[dict]
    filters: list[dict]
    backends: list[Backend]
    valid: bool = True
    problem: str = ""


@dataclass(slots=True)
class Parent:
    """A ``parentRef`` to a Gateway NGF manages, and how the route attached to it.

    Attributes:
        ref: the parentRef as written (defaulted).
        gateway: the Gateway's key.
        attached: at least one listener took the route.
        conditions: attachment failures (Accepted False reasons).
        hostnames: listener name -> hostnames the route serves there.
    """

    ref: dict
    gateway: Key
    attached: bool = False
    conditions: list[Condition] = field(default_factory=list)
    hostnames: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Route:
    """An HTTPRoute as NGF sees it.

    Attributes:
        namespace, name, obj, created: identity and ``creationTimestamp`` (precedence).
        hostnames: ``spec.hostnames``.
        rules: its rules.
        parents: parentRefs to managed Gateways (these get a status entry).
        ignored: parentRefs no controller here answers for, with the reason (no status).
        conditions: route-wide conditions (``ResolvedRefs`` failures).
    """

    namespace: str
    name: str
    obj: dict
    created: str
    hostnames: list[str]
    rules: list[Rule] = field(default_factory=list)
    parents: list[Parent] = field(default_factory=list)
    ignored: list[tuple[dict, Hint]] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)

    @property
    def key(self) -> Key:
        """``(namespace, name)``."""
        return (self.namespace, self.name)


@dataclass(slots=True)
class Graph:
    """Everything NGF resolved.

    Attributes:
        classes: GatewayClass name -> its non-default conditions (classes with NGF's
            controllerName only).
        gateways: managed Gateways by key.
        routes: HTTPRoutes by key (every one, attached or not).
    """

    classes: dict[str, list[Condition]] = field(default_factory=dict)
    gateways: dict[Key, Gateway] = field(default_factory=dict)
    routes: dict[Key, Route] = field(default_factory=dict)
