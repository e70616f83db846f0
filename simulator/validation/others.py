"""Namespace, Node, Endpoints, Secret and ConfigMap validation.

Kubernetes checks the base64 of ``Secret.data`` while decoding, so a bad value is reported
as a decoding error (``illegal base64 data at input byte N``), not as a field error.
"""

from __future__ import annotations

import re

from simulator.validation import names
from simulator.validation.common import (
    Issues,
    get_int,
    get_list,
    get_map,
    get_str,
    get_string_map,
    show,
)
from simulator.validation.workloads import PROTOCOLS, TAINT_EFFECTS

_BASE64_CHARS = re.compile(r"[^A-Za-z0-9+/=]")
MAX_SECRET_BYTES = 1024 * 1024


def check_namespace(issues: Issues, obj: dict) -> None:
    """Namespaces have nothing to validate beyond their name (a DNS-1123 label)."""


def check_node(issues: Issues, obj: dict) -> None:
    """ValidateNode: taints, podCIDR(s)."""
    spec = get_map(issues, obj, "spec", "", "Node", "v1.NodeSpec") or {}
    taints = get_list(issues, spec, "taints", "spec", "NodeSpec", "[]v1.Taint")
    seen: set[tuple[str, str]] = set()
    for index, taint in enumerate(taints):
        path = f"spec.taints[{index}]"
        if type(taint) is not dict:
            if taint is not None:
                issues.bad_type(path, taint, "v1.Taint", "NodeSpec")
            continue
        key = get_str(issues, taint, "key", path, "Taint")
        for message in names.qualified_name(key):
            issues.invalid(f"{path}.key", key, message)
        value = get_str(issues, taint, "value", path, "Taint")
        errors = names.label_value(value)
        if errors:
            issues.invalid(f"{path}.value", value, ";".join(errors))
        effect = get_str(issues, taint, "effect", path, "Taint")
        if not effect:
            issues.required(f"{path}.effect")
        elif effect not in TAINT_EFFECTS:
            issues.not_supported(f"{path}.effect", effect, TAINT_EFFECTS)
        if (key, effect) in seen:
            issues.add(
                path,
                f"Duplicate value: {_taint_text(taint)}: taints must be unique by "
                "key and effect pair",
            )
        seen.add((key, effect))
    cidrs = get_list(issues, spec, "podCIDRs", "spec", "NodeSpec", "[]string")
    pod_cidr = get_str(issues, spec, "podCIDR", "spec", "NodeSpec")
    for index, cidr in enumerate(cidrs):
        if type(cidr) is str:
            for message in names.valid_cidr(cidr):
                issues.invalid(f"spec.podCIDRs[{index}]", cidr, message)
    if pod_cidr and not cidrs:
        for message in names.valid_cidr(pod_cidr):
            issues.invalid("spec.podCIDR", pod_cidr, message)


def _taint_text(taint: dict) -> str:
    return show({key: taint[key] for key in ("key", "value", "effect") if key in taint})


def check_endpoints(issues: Issues, obj: dict) -> None:
    """ValidateEndpoints: every subset needs addresses; IPs and ports must be valid."""
    subsets = get_list(issues, obj, "subsets", "", "Endpoints", "[]v1.EndpointSubset")
    for index, subset in enumerate(subsets):
        path = f"subsets[{index}]"
        if type(subset) is not dict:
            if subset is not None:
                issues.bad_type(path, subset, "v1.EndpointSubset", "Endpoints")
            continue
        struct = "EndpointSubset"
        addresses = get_list(issues, subset, "addresses", path, struct, "[]v1.EndpointAddress")
        not_ready = get_list(
            issues, subset, "notReadyAddresses", path, struct, "[]v1.EndpointAddress"
        )
        if not addresses and not not_ready:
            issues.required(path, "must specify `addresses` or `notReadyAddresses`")
        for key, entries in (("addresses", addresses), ("notReadyAddresses", not_ready)):
            for position, address in enumerate(entries):
                _check_address(issues, address, f"{path}.{key}[{position}]")
        ports = get_list(issues, subset, "ports", path, struct, "[]v1.EndpointPort")
        for position, port in enumerate(ports):
            _check_endpoint_port(issues, port, f"{path}.ports[{position}]", len(ports) > 1)


def _check_address(issues: Issues, address: object, path: str) -> None:
    if type(address) is not dict:
        if address is not None:
            issues.bad_type(path, address, "v1.EndpointAddress", "EndpointSubset")
        return
    ip = get_str(issues, address, "ip", path, "EndpointAddress")
    errors = names.valid_ip(ip)
    for message in errors:
        issues.invalid(f"{path}.ip", ip, message)
    hostname = get_str(issues, address, "hostname", path, "EndpointAddress")
    if hostname:
        for message in names.dns1123_label(hostname):
            issues.invalid(f"{path}.hostname", hostname, message)
    node_name = get_str(issues, address, "nodeName", path, "EndpointAddress")
    if node_name:
        for message in names.dns1123_subdomain(node_name):
            issues.invalid(f"{path}.nodeName", node_name, message)
    if not errors:
        for message in names.non_special_ip(ip):
            issues.invalid(f"{path}.ip", ip, message)


def _check_endpoint_port(issues: Issues, port: object, path: str, require_name: bool) -> None:
    if type(port) is not dict:
        if port is not None:
            issues.bad_type(path, port, "v1.EndpointPort", "EndpointSubset")
        return
    struct = "EndpointPort"
    name = get_str(issues, port, "name", path, struct)
    if require_name and not name:
        issues.required(f"{path}.name")
    elif name:
        for message in names.dns1123_label(name):
            issues.invalid(f"{path}.name", name, message)
    number = get_int(issues, port, "port", path, struct)
    if number is None and port.get("port") is not None:
        pass  # the type error says it
    elif not 1 <= (number or 0) <= 65535:
        issues.invalid(f"{path}.port", number or 0, names.PORT_RANGE_ERROR)
    protocol = get_str(issues, port, "protocol", path, struct) or "TCP"
    if protocol not in PROTOCOLS:
        issues.not_supported(f"{path}.protocol", protocol, PROTOCOLS)


def base64_error(value: str) -> str | None:
    """Return Go's ``illegal base64 data at input byte N`` for invalid StdEncoding text."""
    text = value.replace("\r", "").replace("\n", "")
    bad = _BASE64_CHARS.search(text)
    if bad is not None:
        return f"illegal base64 data at input byte {bad.start()}"
    padding = text.find("=")
    if padding != -1 and (text[padding:].strip("=") or len(text) - padding > 2):
        return f"illegal base64 data at input byte {padding}"
    if len(text) % 4:
        return f"illegal base64 data at input byte {len(text) - len(text) % 4}"
    return None


def check_secret(issues: Issues, obj: dict) -> None:
    """ValidateSecret: data keys, base64 values, and the keys a TLS secret needs."""
    data = get_string_map(issues, obj, "data", "", "Secret")
    string_data = get_string_map(issues, obj, "stringData", "", "Secret")
    secret_type = get_str(issues, obj, "type", "", "Secret")
    size = 0
    for key, value in data.items():
        for message in names.config_map_key(key):
            issues.invalid(f"data[{key}]", key, message)
        error = base64_error(value)
        if error is not None and issues.decode is None:
            issues.decode = (error, f"data[{key}]")
        size += len(value) * 3 // 4
    for key, value in string_data.items():
        for message in names.config_map_key(key):
            issues.invalid(f"stringData[{key}]", key, message)
        size += len(value)
    if size > MAX_SECRET_BYTES:
        issues.add("data", f"Too long: must have at most {MAX_SECRET_BYTES} bytes")
    present = data.keys() | string_data.keys()
    if secret_type == "kubernetes.io/tls":
        for key in ("tls.crt", "tls.key"):
            if key not in present:
                issues.required(f"data[{key}]", where="data")
    elif secret_type == "kubernetes.io/basic-auth" and not present & {"username", "password"}:
        issues.required("data[username]", where="data")
        issues.required("data[password]", where="data")


def check_config_map(issues: Issues, obj: dict) -> None:
    """ValidateConfigMap: keys are config keys, not repeated in ``binaryData``."""
    data = get_string_map(issues, obj, "data", "", "ConfigMap")
    binary = get_string_map(issues, obj, "binaryData", "", "ConfigMap")
    for key in data:
        for message in names.config_map_key(key):
            issues.invalid(f"data[{key}]", key, message)
    for key, value in binary.items():
        for message in names.config_map_key(key):
            issues.invalid(f"binaryData[{key}]", key, message)
        if key in data:
            issues.invalid(f"binaryData[{key}]", key, "duplicate of key present in data")
        error = base64_error(value)
        if error is not None and issues.decode is None:
            issues.decode = (error, f"binaryData[{key}]")
