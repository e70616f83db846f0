"""NetworkPolicies compiled once into values the engine can test quickly.

A stored NetworkPolicy (a validated, defaulted API dict) becomes a `Policy`: its pod
selector, and per direction either None (the policy does not cover that direction) or
its rules. A `Rule` allows a connection when one of its peers matches the other end
(no peers: every peer) and one of its ports matches (no ports: every port and protocol,
ICMP included). Selectors are `simulator.labels` selectors; CIDRs are integer ranges.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from simulator.labels import Selector, from_label_selector, matches

INGRESS = "ingress"
EGRESS = "egress"
#: What a connection may be: the three protocols policy ports name, and ping's ICMP.
PROTOCOLS = ("TCP", "UDP", "SCTP", "ICMP")


@dataclass(frozen=True, slots=True)
class PolicyRef:
    """A NetworkPolicy's identity; prints as `namespace/name`."""

    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.namespace}/{self.name}"


@lru_cache(maxsize=4096)
def address(ip: str) -> tuple[int, int] | None:
    """`(IP version, integer)` of an address, or None when `ip` is not one."""
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return parsed.version, int(parsed)


def _range(text: str) -> tuple[int, int, int] | None:
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    return network.version, int(network.network_address), int(network.broadcast_address)


@dataclass(frozen=True, slots=True)
class IPBlock:
    """An `ipBlock` peer: `cidr` minus its `except` ranges."""

    cidr: str
    excepts: tuple[str, ...] = ()

    def contains(self, ip: str) -> bool:
        """Whether `ip` is inside `cidr` and outside every `except`."""
        found = address(ip)
        if found is None:
            return False
        ranges = _ranges(self.cidr, self.excepts)
        version, value = found
        outer = ranges[0]
        if outer is None or outer[0] != version or not outer[1] <= value <= outer[2]:
            return False
        return not any(
            inner is not None and inner[0] == version and inner[1] <= value <= inner[2]
            for inner in ranges[1:]
        )

    def __str__(self) -> str:
        return f"{self.cidr} except {', '.join(self.excepts)}" if self.excepts else self.cidr


@lru_cache(maxsize=1024)
def _ranges(cidr: str, excepts: tuple[str, ...]) -> tuple[tuple[int, int, int] | None, ...]:
    return (_range(cidr), *(_range(text) for text in excepts))


@dataclass(frozen=True, slots=True)
class Peer:
    """One `from`/`to` element. Both selectors in one element must both match (AND).

    Attributes:
        pods: the element's `podSelector`, or None when it has none.
        namespaces: its `namespaceSelector`, or None. With `pods` alone the peer's pods
            are in the policy's own namespace.
        block: its `ipBlock`, or None (then it is the only field).
    """

    pods: Selector | None = None
    namespaces: Selector | None = None
    block: IPBlock | None = None


@dataclass(frozen=True, slots=True)
class Port:
    """One `ports` element.

    Attributes:
        protocol: TCP, UDP or SCTP.
        port: a number, a port name (resolved on the destination pod), or None (every
            port of the protocol).
        end_port: the last port of a `port`-`endPort` range, or None.
    """

    protocol: str = "TCP"
    port: int | str | None = None
    end_port: int | None = None

    def __str__(self) -> str:
        if self.port is None:
            return f"every {self.protocol} port"
        if self.end_port is not None:
            return f"{self.protocol} {self.port}-{self.end_port}"
        return f"{self.protocol} {self.port}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One ingress or egress rule: who (`peers`) on what (`ports`); empty means any."""

    peers: tuple[Peer, ...] = ()
    ports: tuple[Port, ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    """A compiled NetworkPolicy.

    Attributes:
        ref: namespace and name.
        selector: `spec.podSelector` (empty: every pod of the namespace).
        ingress: the ingress rules when `policyTypes` has Ingress, else None.
        egress: the egress rules when `policyTypes` has Egress, else None.
    """

    ref: PolicyRef
    selector: Selector
    ingress: tuple[Rule, ...] | None
    egress: tuple[Rule, ...] | None

    def rules(self, direction: str) -> tuple[Rule, ...] | None:
        """The rules of `direction` (`INGRESS` or `EGRESS`), or None when not covered."""
        return self.ingress if direction == INGRESS else self.egress

    def selects(self, pod) -> bool:
        """Whether the policy applies to `pod` (a `PodInfo`): its namespace, its pod
        selector, and not a pod on its node's network (which no CNI polices)."""
        return (
            not pod.host_network
            and pod.namespace == self.ref.namespace
            and matches(self.selector, pod.labels)
        )


def compile_policy(obj: Mapping) -> Policy:
    """Compile a validated, defaulted NetworkPolicy dict.

    `policyTypes` decides the directions, as the API server's defaulting left it; a rule
    list for a direction the policy does not cover is ignored, as CNIs ignore it.
    """
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    types = spec.get("policyTypes") or ()
    return Policy(
        PolicyRef(meta.get("namespace") or "default", meta.get("name", "")),
        from_label_selector(spec.get("podSelector") or {}),
        _rules(spec.get("ingress"), "from") if "Ingress" in types else None,
        _rules(spec.get("egress"), "to") if "Egress" in types else None,
    )


def _rules(rules: list | None, peers_key: str) -> tuple[Rule, ...]:
    out = []
    for rule in rules or ():
        rule = rule or {}
        peers = tuple(_peer(peer) for peer in rule.get(peers_key) or ())
        ports = tuple(
            Port(port.get("protocol") or "TCP", port.get("port"), port.get("endPort"))
            for port in rule.get("ports") or ()
        )
        out.append(Rule(peers, ports))
    return tuple(out)


def _peer(peer: Mapping) -> Peer:
    pods, namespaces, block = (
        peer.get("podSelector"),
        peer.get("namespaceSelector"),
        peer.get("ipBlock"),
    )
    return Peer(
        None if pods is None else from_label_selector(pods),
        None if namespaces is None else from_label_selector(namespaces),
        None if block is None else IPBlock(block["cidr"], tuple(block.get("except") or ())),
    )
