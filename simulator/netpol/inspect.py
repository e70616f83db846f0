"""What the inspector shows about a NetworkPolicy, as plain data.

For one policy: the pods it selects (and so isolates), per direction whether it covers it
and its rules in words, each rule's peers resolved to the pods and namespaces they match
now, and a note when it selects no pod at all (accepted by the API server, and harmless:
it isolates nothing). For one pod: the policies that isolate it, per direction.
"""

from __future__ import annotations

from simulator.hints import Hint, hint
from simulator.labels import matches

from .engine import Party
from .explain import peer_text, ports_text, rule_text
from .model import EGRESS, INGRESS, compile_policy
from .view import ClusterPolicies


def policy_details(view: ClusterPolicies, obj: dict) -> dict:
    """The inspector's view of the NetworkPolicy `obj` (a stored API dict).

    Returns:
        `{"selects": [pod names], "note": str, "directions": {"ingress"|"egress":
        {"covered": bool, "rules": [{"text", "ports", "peers": [{"text", "pods",
        "namespaces"}]}]}}}`; `pods` are `namespace/name`, `namespaces` the names a
        `namespaceSelector` matches (None for peers without one).
    """
    policy = compile_policy(obj)
    namespace = policy.ref.namespace
    pods = [view.pod_info(p) for p in view.pods()]
    policy_set = view.policy_set()
    selects = [
        p.name
        for p in pods
        if p.namespace == namespace and not p.host_network and matches(policy.selector, p.labels)
    ]
    note: Hint | str = ""
    if not selects and policy.selector:
        note = hint("netpol-selects-no-pod", namespace=namespace)
    elif not selects:
        note = hint("netpol-namespace-has-no-pod", namespace=namespace)
    namespaces = view.namespaces()
    directions = {}
    for direction in (INGRESS, EGRESS):
        rules = policy.rules(direction)
        out = []
        for rule in rules or ():
            peers = []
            for peer in rule.peers:
                matched_ns = None
                if peer.namespaces is not None:
                    matched_ns = [
                        ns
                        for ns in namespaces
                        if matches(peer.namespaces, view.namespace_labels(ns))
                    ]
                peers.append(
                    {
                        "text": peer_text(policy, peer),
                        "pods": [
                            f"{p.namespace}/{p.name}"
                            for p in pods
                            if p.ip and policy_set.peer_matches(policy, peer, Party(p.ip, p))
                        ],
                        "namespaces": matched_ns,
                    }
                )
            out.append(
                {
                    "text": rule_text(policy, rule, direction),
                    "ports": ports_text(rule.ports),
                    "peers": peers,
                }
            )
        directions[direction] = {"covered": rules is not None, "rules": out}
    return {"selects": selects, "note": note, "directions": directions}


def pod_isolation(view: ClusterPolicies, pod: dict) -> dict[str, list[str]]:
    """`{"ingress": [policy names], "egress": [...]}`: the policies isolating `pod`."""
    info = view.pod_info(pod)
    policy_set = view.policy_set()
    return {
        direction: [p.ref.name for p in policy_set.selecting(info, direction)]
        for direction in (INGRESS, EGRESS)
    }
