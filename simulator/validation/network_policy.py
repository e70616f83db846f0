"""NetworkPolicy (networking.k8s.io/v1) validation, as ``ValidateNetworkPolicy`` words it.

Kubernetes validates the pod selector, then each ingress rule (ports, then peers), each
egress rule, and ``policyTypes`` last; problems come out in that order. Peers take one
kind of selector, or both selectors together, or an ``ipBlock`` alone; ``except`` entries
must be strict subsets of their ``cidr``. A port is a number or an IANA name; ``endPort``
only follows a numeric ``port``. CIDRs are read as the API server reads its legacy CIDR
fields with strict validation off (the v1.33 default): ``10.0.0.1/24`` means ``10.0.0.0/24``.
"""

from __future__ import annotations

import ipaddress

from simulator.validation import names
from simulator.validation.common import (
    Issues,
    check_port_num_or_name,
    get_int,
    get_list,
    get_map,
    get_port,
    get_str,
)
from simulator.validation.workloads import check_label_selector

POLICY_TYPES = ("Ingress", "Egress")
PROTOCOLS = ("TCP", "UDP", "SCTP")  # the order the API server lists them in
SPEC_STRUCT = "NetworkPolicySpec"


def check_network_policy(issues: Issues, obj: dict) -> None:
    """ValidateNetworkPolicySpec (the name and metadata are checked by the caller)."""
    spec = get_map(issues, obj, "spec", "", "NetworkPolicy", "v1.NetworkPolicySpec") or {}
    selector = get_map(issues, spec, "podSelector", "spec", SPEC_STRUCT, "v1.LabelSelector")
    if selector is not None:
        check_label_selector(issues, selector, "spec.podSelector")
    for direction, peers_key, struct in (
        ("ingress", "from", "NetworkPolicyIngressRule"),
        ("egress", "to", "NetworkPolicyEgressRule"),
    ):
        rules = get_list(issues, spec, direction, "spec", SPEC_STRUCT, f"[]v1.{struct}")
        for index, rule in enumerate(rules):
            path = f"spec.{direction}[{index}]"
            if type(rule) is not dict:
                if rule is not None:
                    issues.bad_type(path, rule, f"v1.{struct}", SPEC_STRUCT)
                continue
            ports = get_list(issues, rule, "ports", path, struct, "[]v1.NetworkPolicyPort")
            for position, port in enumerate(ports):
                _check_port(issues, port, f"{path}.ports[{position}]")
            peers = get_list(issues, rule, peers_key, path, struct, "[]v1.NetworkPolicyPeer")
            for position, peer in enumerate(peers):
                _check_peer(issues, peer, f"{path}.{peers_key}[{position}]")
    _check_policy_types(issues, spec)


def _check_policy_types(issues: Issues, spec: dict) -> None:
    types = get_list(issues, spec, "policyTypes", "spec", SPEC_STRUCT, "[]v1.PolicyType")
    if len(types) > len(POLICY_TYPES):
        issues.invalid("spec.policyTypes", types, "may not specify more than two policyTypes")
        return
    for index, kind in enumerate(types):
        path = f"spec.policyTypes[{index}]"
        if type(kind) is not str:
            if kind is not None:
                issues.bad_type(path, kind, "v1.PolicyType", SPEC_STRUCT)
            continue
        if kind not in POLICY_TYPES:
            issues.not_supported(path, kind, POLICY_TYPES)


def _check_port(issues: Issues, port: object, path: str) -> None:
    """ValidateNetworkPolicyPort."""
    struct = "NetworkPolicyPort"
    if type(port) is not dict:
        if port is not None:
            issues.bad_type(path, port, "v1.NetworkPolicyPort", struct)
        return
    protocol = port.get("protocol")
    if type(protocol) is str:
        if protocol not in PROTOCOLS:
            issues.not_supported(f"{path}.protocol", protocol, PROTOCOLS)
    else:
        get_str(issues, port, "protocol", path, struct)  # records a value of the wrong type
    number = get_port(issues, port, "port", path, struct)
    end = get_int(issues, port, "endPort", path, struct)
    if type(number) is int:
        check_port_num_or_name(issues, f"{path}.port", number)
        if end is not None:
            if end < number:
                issues.invalid(f"{path}.endPort", end, "must be greater than or equal to `port`")
            if not 1 <= end <= 65535:
                issues.invalid(f"{path}.endPort", end, names.PORT_RANGE_ERROR)
    elif type(number) is str:
        if end is not None:
            issues.invalid(
                f"{path}.endPort", end, "may not be specified when `port` is non-numeric"
            )
        check_port_num_or_name(issues, f"{path}.port", number)
    elif end is not None:
        issues.invalid(f"{path}.endPort", end, "may not be specified when `port` is not specified")


def _check_peer(issues: Issues, peer: object, path: str) -> None:
    """ValidateNetworkPolicyPeer: one or both selectors, or an ipBlock alone."""
    struct = "NetworkPolicyPeer"
    if type(peer) is not dict:
        if peer is not None:
            issues.bad_type(path, peer, "v1.NetworkPolicyPeer", struct)
        return
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        selector = get_map(issues, peer, key, path, struct, "v1.LabelSelector")
        if selector is not None:
            count += 1
            check_label_selector(issues, selector, f"{path}.{key}")
    block = get_map(issues, peer, "ipBlock", path, struct, "v1.IPBlock")
    if block is not None:
        count += 1
        _check_ip_block(issues, block, f"{path}.ipBlock")
    if count == 0:
        issues.required(path, "must specify a peer")
    elif count > 1 and block is not None:
        issues.forbidden(path, "may not specify both ipBlock and another peer")


def _check_ip_block(issues: Issues, block: dict, path: str) -> None:
    """ValidateIPBlock: a valid ``cidr``; each ``except`` a valid CIDR strictly inside it."""
    cidr = get_str(issues, block, "cidr", path, "IPBlock")
    if not cidr:
        issues.required(f"{path}.cidr")
        return
    network = parse_cidr(cidr)
    if network is None:
        issues.invalid(f"{path}.cidr", cidr, names.CIDR_ERROR)
        return
    excepts = get_list(issues, block, "except", path, "IPBlock", "[]string")
    for index, text in enumerate(excepts):
        field = f"{path}.except[{index}]"
        if type(text) is not str:
            if text is not None:
                issues.bad_type(field, text, "string", "IPBlock")
            continue
        inner = parse_cidr(text)
        if inner is None:
            issues.invalid(field, text, names.CIDR_ERROR)
        elif (
            inner.version != network.version
            or inner.network_address not in network
            or network.prefixlen >= inner.prefixlen
        ):
            issues.invalid(field, text, "must be a strict subset of `cidr`")


def parse_cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR as Go's ``ParseCIDRSloppy`` reads it (host bits allowed and cleared), or None."""
    if "/" not in text or "%" in text:
        return None
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
