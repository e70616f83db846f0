"""Sentences about policies: what a rule allows, and why a connection was dropped.

A dropped connection's reason names the policies that isolate the end that dropped it
and says what none of their rules allows, e.g.::

    NetworkPolicy web-deny-all isolates pod web-5d8f (default) for ingress, and none of
    its rules allows pod client (default) to TCP port 80: web-deny-all has no ingress rules

Each policy then gets a short clause saying how close its rules came: right peer but
other ports, right port but other peers, or neither.

Each sentence is a hint (simulator/hints.py) under a key of simulator/reasons.py, so that
a page can word a trace's reason, which holds the drop's, in its language.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.hints import Hint, hint
from simulator.labels import format_selector

from .engine import Decision, Party, PolicySet, port_allowed
from .model import EGRESS, Peer, Policy, Port, Rule

ICMP_PING = hint("connection-icmp")
EVERY_PORT = hint("netpol-every-port")
EVERY_POD = hint("netpol-every-pod")
ANY_SOURCE = hint("netpol-any-source")
ANY_DESTINATION = hint("netpol-any-destination")


def connection_text(protocol: str, port: int | None) -> Hint:
    """`TCP port 8080`, `UDP port 53`, or `ICMP (ping)`."""
    return ICMP_PING if port is None else hint("connection-port", protocol=protocol, port=port)


def peer_text(policy: Policy, peer: Peer) -> Hint:
    """One `from`/`to` element in words."""
    if peer.block is not None:
        block = peer.block
        if block.excepts:
            shown = hint("netpol-cidr-except", cidr=block.cidr, excepts=", ".join(block.excepts))
            return hint("netpol-addresses", block=shown)
        return hint("netpol-addresses", block=block.cidr)
    pods = EVERY_POD if not peer.pods else hint("netpol-pods", selector=format_selector(peer.pods))
    if peer.namespaces is None:
        return hint("netpol-peer-own-namespace", pods=pods, namespace=policy.ref.namespace)
    if not peer.namespaces:
        return hint("netpol-peer-every-namespace", pods=pods)
    return hint("netpol-peer-namespaces", pods=pods, selector=format_selector(peer.namespaces))


def ports_text(ports: tuple[Port, ...]) -> str:
    """A rule's ports in words: `TCP 80, UDP 53`, or `every port` without any."""
    if not ports:
        return EVERY_PORT
    return listed((_port_text(port) for port in ports), "comma-list")


def _port_text(port: Port) -> str:
    """`TCP 80`, `TCP 8000-8080`, or `every UDP port` (a hint)."""
    if port.port is None:
        return hint("netpol-every-protocol-port", protocol=port.protocol)
    return str(port)


def rule_text(policy: Policy, rule: Rule, direction: str) -> Hint:
    """One rule in words, e.g. `from pods app=web of namespace default on TCP 80`."""
    peers: str
    if rule.peers:
        peers = listed((peer_text(policy, peer) for peer in rule.peers), "either")
    else:
        peers = ANY_DESTINATION if direction == EGRESS else ANY_SOURCE
    key = "netpol-rule-to" if direction == EGRESS else "netpol-rule-from"
    return hint(key, peers=peers, ports=ports_text(rule.ports))


def listed(items: Iterable[str], key: str) -> str:
    """`items` said one after the other, each pair joined by the sentence `key`
    (`comma-list`: `a, b, c`; `either`: `a or b`), the first item alone for one, "" for
    none."""
    said: str | None = None
    for item in items:
        said = item if said is None else hint(key, first=said, second=item)
    return "" if said is None else said


def party_text(party: Party) -> str:
    """One end of a connection in words: `pod web-1 (default)`, `node w1 (192.168.49.3)`,
    `the host 192.168.49.1`, `address 203.0.113.5` (a hint), or the label it was given."""
    if party.pod is not None:
        return hint("netpol-pod", pod=party.pod.name, namespace=party.pod.namespace)
    return party.label or hint("netpol-address", ip=party.ip)


def drop_reason(
    policies: PolicySet,
    decision: Decision,
    src: Party,
    dst: Party,
    protocol: str,
    port: int | None,
    seen: Party | None = None,
) -> Hint:
    """Why `decision` (a direction that did not allow the connection) dropped it.

    `seen` is the source as the destination's policy saw it, when SNAT changed it.
    """
    direction = decision.direction
    isolated, other = (src, dst) if direction == EGRESS else (dst, seen or src)
    names = [p.ref.name for p in decision.isolating]
    closest = listed(
        (
            _closest(policies, policy, direction, other, dst, protocol, port)
            for policy in decision.isolating
        ),
        "semicolon-list",
    )
    said = {
        "isolated": party_text(isolated),
        "other": party_text(other),
        "connection": connection_text(protocol, port),
        "closest": closest,
    }
    egress = direction == EGRESS
    if len(names) == 1:
        key = "netpol-isolates-egress" if egress else "netpol-isolates-ingress"
        return hint(key, policy=names[0], **said)
    key = "netpol-isolate-egress" if egress else "netpol-isolate-ingress"
    return hint(key, policies=hint("and", first=", ".join(names[:-1]), second=names[-1]), **said)


def _closest(
    policies: PolicySet,
    policy: Policy,
    direction: str,
    other: Party,
    dst: Party,
    protocol: str,
    port: int | None,
) -> Hint:
    """How near `policy`'s rules came to allowing the connection, in one clause."""
    rules = policy.rules(direction) or ()
    name = policy.ref.name
    egress = direction == EGRESS
    if not rules:
        return hint("netpol-no-egress-rules" if egress else "netpol-no-ingress-rules", policy=name)
    right_peer = [r for r in rules if policies.peer_allowed(policy, r, other)]
    if right_peer:
        ports = listed((ports_text(r.ports) for r in right_peer), "comma-list")
        return hint("netpol-allows-only-on", policy=name, other=party_text(other), ports=ports)
    right_port = [r for r in rules if port_allowed(r, dst, protocol, port)]
    if right_port:
        peers = listed(
            (peer_text(policy, peer) for rule in right_port for peer in rule.peers), "either"
        )
        return hint(
            "netpol-allows-only-to" if egress else "netpol-allows-only-from",
            policy=name,
            connection=connection_text(protocol, port),
            peers=peers,
        )
    allowed = listed((rule_text(policy, rule, direction) for rule in rules), "semicolon-or-list")
    return hint("netpol-allows-only-traffic", policy=name, rules=allowed)


def allow_reason(decision: Decision) -> str:
    """Which rule let a policed direction through, e.g. for a trace's reason; "" if none."""
    if decision.exempt:
        return f"{decision.exempt} is always allowed"
    if decision.allowed_by is None:
        return ""
    policy, index = decision.allowed_by
    rule = (policy.rules(decision.direction) or ())[index]
    return (
        f"NetworkPolicy {policy.ref.name} allows it ({decision.direction} rule {index + 1}: "
        f"{rule_text(policy, rule, decision.direction)})"
    )
