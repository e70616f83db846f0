"""Plain sentences about policies: what a rule allows, and why a connection was dropped.

A dropped connection's reason names the policies that isolate the end that dropped it
and says what none of their rules allows, e.g.::

    NetworkPolicy web-deny-all isolates pod web-5d8f (default) for ingress, and none of
    its rules allows pod client (default) to TCP port 80: web-deny-all has no ingress rules

Each policy then gets a short clause saying how close its rules came: right peer but
other ports, right port but other peers, or neither.
"""

from __future__ import annotations

from simulator.labels import format_selector

from .engine import Decision, Party, PolicySet, port_allowed
from .model import EGRESS, Peer, Policy, Port, Rule


def connection_text(protocol: str, port: int | None) -> str:
    """`TCP port 8080`, `UDP port 53`, or `ICMP (ping)`."""
    return "ICMP (ping)" if port is None else f"{protocol} port {port}"


def peer_text(policy: Policy, peer: Peer) -> str:
    """One `from`/`to` element in words."""
    if peer.block is not None:
        return f"addresses {peer.block}"
    pods = "every pod" if not peer.pods else f"pods {format_selector(peer.pods)}"
    if peer.namespaces is None:
        return f"{pods} of namespace {policy.ref.namespace}"
    if not peer.namespaces:
        return f"{pods} in every namespace"
    return f"{pods} in namespaces {format_selector(peer.namespaces)}"


def ports_text(ports: tuple[Port, ...]) -> str:
    """A rule's ports in words: `TCP 80, UDP 53`, or `every port` without any."""
    return ", ".join(str(port) for port in ports) if ports else "every port"


def rule_text(policy: Policy, rule: Rule, direction: str) -> str:
    """One rule in words, e.g. `from pods app=web of namespace default on TCP 80`."""
    word = "to" if direction == EGRESS else "from"
    if rule.peers:
        peers = " or ".join(peer_text(policy, peer) for peer in rule.peers)
    else:
        peers = "any destination" if direction == EGRESS else "any source"
    return f"{word} {peers} on {ports_text(rule.ports)}"


def drop_reason(
    policies: PolicySet,
    decision: Decision,
    src: Party,
    dst: Party,
    protocol: str,
    port: int | None,
    seen: Party | None = None,
) -> str:
    """Why `decision` (a direction that did not allow the connection) dropped it.

    `seen` is the source as the destination's policy saw it, when SNAT changed it.
    """
    direction = decision.direction
    isolated, other = (src, dst) if direction == EGRESS else (dst, seen or src)
    names = [p.ref.name for p in decision.isolating]
    if len(names) == 1:
        head = f"NetworkPolicy {names[0]} isolates {isolated} for {direction}, and none of its"
    else:
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        head = f"NetworkPolicies {listed} isolate {isolated} for {direction}, and none of their"
    target = f"{other} on" if direction == EGRESS else f"{other} to"
    clauses = "; ".join(
        _closest(policies, policy, direction, other, dst, protocol, port)
        for policy in decision.isolating
    )
    return f"{head} rules allows {target} {connection_text(protocol, port)}: {clauses}"


def _closest(
    policies: PolicySet,
    policy: Policy,
    direction: str,
    other: Party,
    dst: Party,
    protocol: str,
    port: int | None,
) -> str:
    """How near `policy`'s rules came to allowing the connection, in one clause."""
    rules = policy.rules(direction) or ()
    name = policy.ref.name
    if not rules:
        return f"{name} has no {direction} rules, so it allows no {direction} traffic"
    right_peer = [r for r in rules if policies.peer_allowed(policy, r, other)]
    if right_peer:
        ports = ", ".join(ports_text(r.ports) for r in right_peer)
        return f"{name} allows {other} only on {ports}"
    right_port = [r for r in rules if port_allowed(r, dst, protocol, port)]
    word = "to" if direction == EGRESS else "from"
    if right_port:
        peers = " or ".join(peer_text(policy, peer) for rule in right_port for peer in rule.peers)
        return f"{name} allows {connection_text(protocol, port)} only {word} {peers}"
    allowed = "; or ".join(rule_text(policy, rule, direction) for rule in rules)
    return f"{name} allows only traffic {allowed}"


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
