"""`kubectl describe networkpolicy`, as kubectl's `describeNetworkPolicy` writes it.

kubectl prints no Events for NetworkPolicies, and keeps a few quirks learners will meet
on a real cluster: the pod selector sits after two `Write` calls (hence the wide gap in
`  PodSelector:     app=web`), a port rule without a port prints `<nil>`, and an
`ipBlock` without `except` still prints an empty `Except:` line.
"""

from __future__ import annotations

from simulator.kubectl.age import go_time
from simulator.kubectl.tables.base import format_label_selector, format_selector_or_none

from .writer import Writer, annotations_multiline, labels_multiline, meta_of

_INDENT = "    "  # kubectl's initialIndent for the rules


def describe_networkpolicy(policy: dict) -> str:
    """The describe text of one NetworkPolicy."""
    w = Writer()
    meta = meta_of(policy)
    spec = policy.get("spec") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Created on:\t{go_time(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, "Spec:\n")
    w.write(1, "PodSelector: ")
    selector = format_label_selector(spec.get("podSelector") or {})
    if selector:
        w.write(2, f"{selector}\n")
    else:
        w.write(2, "<none> (Allowing the specific traffic to all pods in this namespace)\n")
    types = [t for t in spec.get("policyTypes") or () if type(t) is str]
    for direction, peers_key, peer_word in (
        ("ingress", "from", "From"),
        ("egress", "to", "To"),
    ):
        if direction.capitalize() in types:
            w.write(1, f"Allowing {direction} traffic:\n")
            _rules(w, spec.get(direction) or [], direction, peers_key, peer_word)
        else:
            w.write(1, f"Not affecting {direction} traffic\n")
    w.write(1, f"Policy Types: {', '.join(types) or '<none>'}\n")
    return w.text()


def _rules(w: Writer, rules: list, direction: str, peers_key: str, word: str) -> None:
    """`printNetworkPolicySpecIngressFrom` / `...EgressTo`."""
    if not rules:
        w.write(0, f"{_INDENT}<none> (Selected pods are isolated for {direction} connectivity)\n")
        return
    restricted = "source" if direction == "ingress" else "destination"
    for index, rule in enumerate(rules):
        rule = rule if type(rule) is dict else {}
        ports = rule.get("ports") or []
        if not ports:
            w.write(0, f"{_INDENT}To Port: <any> (traffic allowed to all ports)\n")
        for port in ports:
            protocol = port.get("protocol") or "TCP"
            number = port.get("port")
            shown = "<nil>" if number is None else str(number)
            if port.get("endPort") is None:
                w.write(0, f"{_INDENT}To Port: {shown}/{protocol}\n")
            else:
                w.write(0, f"{_INDENT}To Port Range: {shown}-{port['endPort']}/{protocol}\n")
        peers = rule.get(peers_key) or []
        if not peers:
            w.write(0, f"{_INDENT}{word}: <any> (traffic not restricted by {restricted})\n")
        for peer in peers:
            w.write(0, f"{_INDENT}{word}:\n")
            pods, namespaces = peer.get("podSelector"), peer.get("namespaceSelector")
            block = peer.get("ipBlock")
            if namespaces is not None:
                w.write(1, f"{_INDENT}NamespaceSelector: {format_selector_or_none(namespaces)}\n")
            if pods is not None:
                w.write(1, f"{_INDENT}PodSelector: {format_selector_or_none(pods)}\n")
            if pods is None and namespaces is None and block is not None:
                w.write(1, f"{_INDENT}IPBlock:\n")
                w.write(2, f"{_INDENT}CIDR: {block.get('cidr', '')}\n")
                w.write(2, f"{_INDENT}Except: {', '.join(block.get('except') or ())}\n")
        if index != len(rules) - 1:
            w.write(0, f"{_INDENT}----------\n")
