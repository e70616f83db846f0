"""What a request routed through a Gateway keeps for its replays (see `exchange.Plan`):
the matched rule's backends, each with its hops and, per ready endpoint, the delivery
step's answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.trace import Hop

from .proxy import PortEndpoints


@dataclass(slots=True)
class Upstream:
    """One backend of a rule, as the data plane proxies to it."""

    backend: object
    service_hop: Hop | None = None
    endpoints_hop: Hop | None = None
    key: tuple[str, str, str] | None = None
    target: str = ""
    serving: object = None
    endpoints: PortEndpoints | None = None
    # Per ready endpoint, once delivered: (Delivery, the pod hop with the path, reason).
    deliveries: list = field(default_factory=list)


@dataclass(slots=True)
class GatewayPlan:
    """A request routed once through a Gateway up to the backend draw (see `exchange.Plan`).

    Attributes:
        hops: the client's and the gateway's.
        rule: the rule that matched (its backends and weights).
        upstreams: one per backend of the rule, in its order.
        target: the reason's route part.
        path: the path (and query) the backend receives.
        headers: the rule's ResponseHeaderModifier, None for none.
        sender, src_ip: the data-plane pod and its address (what backends see).
    """

    client: object
    epoch: object
    hops: tuple[Hop, ...]
    rule: object
    upstreams: list[Upstream]
    target: str
    path: str
    headers: dict | None
    sender: dict | None
    src_ip: str
    ip: str
    via: str
