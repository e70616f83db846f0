"""Traces: what happened to one request, hop by hop (CONTRACT.md section 5).

Every request made by `curl`, `ping`, `Network.request` or the UI yields a
`Trace`. Hops are immutable values so the network code can build each one
once (the client, a Service's VIP, an endpoint) and share it between traces;
that is what keeps a routed request in the microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

OK = "ok"
HTTP_ERROR = "http_error"
REFUSED = "refused"
TIMEOUT = "timeout"
DNS_ERROR = "dns_error"
TLS_ERROR = "tls_error"
UNREACHABLE = "unreachable"

#: Every value `Trace.outcome` may take.
OUTCOMES = (OK, HTTP_ERROR, REFUSED, TIMEOUT, DNS_ERROR, TLS_ERROR, UNREACHABLE)

#: Every value `Hop.kind` may take, in the order a packet usually meets them.
HOP_KINDS = (
    "client",
    "dns",
    "loadbalancer",
    "ingress",
    "gateway",
    "node",
    "service",
    "endpoints",
    "pod",
    "external",
)


@dataclass(frozen=True, slots=True)
class Hop:
    """One place a packet passes through.

    Attributes:
        kind: one of `HOP_KINDS`.
        name: the object's name (pod, Service, Ingress, node), or a host name.
        ip: the address the packet is sent to at this hop.
        port: the port at this hop.
        node: the node a pod (or client pod) runs on.
        src_ip: on the last `pod` hop, the client address the pod sees.
        namespace: the namespace of a Service, Endpoints, Ingress, Gateway or pod hop. Not
            in `to_dict`, which keeps the contract's shape; the playground sends it along so
            a dot finds the right box when two namespaces use the same name.
        listener: on a `gateway` hop, the listener the request came in on.
        route: on a `gateway` hop, the HTTPRoute whose rule matched.
        rule: on a `gateway` hop, that rule's index in the route's `spec.rules`.
        path: on the `pod` hop of a request a Gateway routed, the path the pod received
            (after any URLRewrite), with its query string.
    """

    kind: str
    name: str | None = None
    ip: str | None = None
    port: int | None = None
    node: str | None = None
    src_ip: str | None = None
    namespace: str | None = None
    listener: str | None = None
    route: str | None = None
    rule: int | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; absent attributes are left out."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.name is not None:
            out["name"] = self.name
        if self.ip is not None:
            out["ip"] = self.ip
        if self.port is not None:
            out["port"] = self.port
        if self.node is not None:
            out["node"] = self.node
        if self.src_ip is not None:
            out["src_ip"] = self.src_ip
        if self.listener is not None:
            out["listener"] = self.listener
        if self.route is not None:
            out["route"] = self.route
        if self.rule is not None:
            out["rule"] = self.rule
        if self.path is not None:
            out["path"] = self.path
        return out


@dataclass(frozen=True, slots=True)
class Blocked:
    """Where and why a NetworkPolicy dropped a request's packet.

    Attributes:
        direction: `ingress` (the destination pod's policies) or `egress` (the sender's).
        namespace: the namespace of those policies.
        policies: the names of the policies isolating that pod for that direction.
        at: the index in `Trace.hops` of the hop where the packet stopped (the pod for
            ingress, the sender for egress).
    """

    direction: str
    namespace: str
    policies: tuple[str, ...]
    at: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "direction": self.direction,
            "namespace": self.namespace,
            "policies": list(self.policies),
            "at": self.at,
        }


@dataclass(slots=True)
class Trace:
    """The story of one request.

    Attributes:
        source: `"host"` or `"pod/NAMESPACE/NAME"` as the caller gave it.
        url: the URL requested (for ping, the host as typed).
        outcome: one of `OUTCOMES`.
        status: the HTTP status received, or None when no response came.
        served_by: who answered: a pod's name, `ingress-nginx`, an external host; or None.
        reason: one plain sentence naming the cause, for the learner: a `Hint`
            (simulator/hints.py), so a page can word it in its own language.
        hops: the places the packet went through, in order.
        elapsed: simulated seconds the client waited (not part of `to_dict`, which
            follows the contract; the caller may advance the clock by it).
        blocked: the NetworkPolicy drop that ended it, if one did (not part of
            `to_dict` either; the playground's frames add it as `blocked`).
    """

    source: str
    url: str
    outcome: str
    status: int | None
    served_by: str | None
    reason: str
    hops: tuple[Hop, ...]
    elapsed: float = 0.0
    blocked: Blocked | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, exactly the keys of CONTRACT.md section 5."""
        return {
            "source": self.source,
            "url": self.url,
            "outcome": self.outcome,
            "status": self.status,
            "served_by": self.served_by,
            "reason": str(self.reason),  # plain text: a hint's key and values stay here
            "hops": [hop.to_dict() for hop in self.hops],
        }
