"""What a request routed through a Gateway keeps for its replays (see `exchange.Plan`):
the matched rule's backends, each with its hops and, per ready endpoint, the delivery
step's answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.gatewayapi.model import Backend, Rule
from simulator.hints import Hint
from simulator.trace import Hop

from .delivery import Delivery
from .proxy import PortEndpoints
from .request import Client


@dataclass(slots=True)
class Upstream:
    """One resolved backend of a rule, as the data plane proxies to it.

    Attributes:
        backend: the backendRef, resolved to its Service (`service`) and port.
        key: the Service port's endpoints, ``(namespace, service, port name)``.
        service_hop, endpoints_hop: the trace's hops through the Service.
        target: the reason's route and Service part.
        serving: the serving version `endpoints` and `deliveries` were read at.
        deliveries: per ready endpoint, once delivered: the delivery step's answer, the
            pod hop with the path it received, and the reason.
    """

    backend: Backend
    service: dict
    key: tuple[str, str, str]
    service_hop: Hop
    endpoints_hop: Hop
    target: Hint
    serving: int = -1
    endpoints: PortEndpoints | None = None
    deliveries: list[tuple[Delivery, Hop, Hint] | None] = field(default_factory=list)


@dataclass(slots=True)
class GatewayPlan:
    """A request routed once through a Gateway up to the backend draw (see `exchange.Plan`).

    Attributes:
        hops: the client's and the gateway's.
        rule: the rule that matched (its backends and weights).
        upstreams: one per backend of the rule, in its order; None for one that does not
            resolve (its requests get 500).
        target: the reason's route part.
        path: the path (and query) the backend receives.
        headers: the rule's ResponseHeaderModifier, None for none.
        sender, src_ip: the data-plane pod and its address (what backends see).
    """

    client: Client
    epoch: object
    hops: tuple[Hop, ...]
    rule: Rule
    upstreams: list[Upstream | None]
    target: Hint
    path: str
    headers: dict | None
    sender: dict | None
    src_ip: str
    ip: str | None
    via: str
