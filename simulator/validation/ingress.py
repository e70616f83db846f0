"""Ingress (networking.k8s.io/v1) and IngressClass validation, as
``pkg/apis/networking/validation``."""

from __future__ import annotations

from simulator.validation import names
from simulator.validation.common import Issues, get_int, get_list, get_map, get_str

PATH_TYPES = ("Exact", "ImplementationSpecific", "Prefix")
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
MAX_CONTROLLER_LENGTH = 250


def check_ingress(issues: Issues, obj: dict) -> None:
    """ValidateIngress (v1 shape; legacy objects are converted before this)."""
    spec = get_map(issues, obj, "spec", "", "Ingress", "v1.IngressSpec") or {}
    struct = "IngressSpec"
    rules = get_list(issues, spec, "rules", "spec", struct, "[]v1.IngressRule")
    default_backend = get_map(issues, spec, "defaultBackend", "spec", struct, "v1.IngressBackend")
    if not rules and default_backend is None:
        issues.invalid(
            "spec", rules or None, "either `defaultBackend` or `rules` must be specified"
        )
    if default_backend is not None:
        _check_backend(issues, default_backend, "spec.defaultBackend")
    for index, rule in enumerate(rules):
        path = f"spec.rules[{index}]"
        if type(rule) is not dict:
            if rule is not None:
                issues.bad_type(path, rule, "v1.IngressRule", struct)
            continue
        host = get_str(issues, rule, "host", path, "IngressRule")
        if host:
            _check_host(issues, host, f"{path}.host", rule_host=True)
        http = get_map(issues, rule, "http", path, "IngressRule", "v1.HTTPIngressRuleValue")
        if http is not None:
            paths = get_list(
                issues,
                http,
                "paths",
                f"{path}.http",
                "HTTPIngressRuleValue",
                "[]v1.HTTPIngressPath",
            )
            if not paths:
                issues.required(f"{path}.http.paths")
            for position, entry in enumerate(paths):
                _check_path(issues, entry, f"{path}.http.paths[{position}]")
    tls = get_list(issues, spec, "tls", "spec", struct, "[]v1.IngressTLS")
    for index, entry in enumerate(tls):
        path = f"spec.tls[{index}]"
        if type(entry) is not dict:
            if entry is not None:
                issues.bad_type(path, entry, "v1.IngressTLS", struct)
            continue
        hosts = get_list(issues, entry, "hosts", path, "IngressTLS", "[]string")
        for position, host in enumerate(hosts):
            if type(host) is str:
                _check_host(issues, host, f"{path}.hosts[{position}]", rule_host=False)
        secret = get_str(issues, entry, "secretName", path, "IngressTLS")
        if secret:
            for message in names.dns1123_subdomain(secret):
                issues.invalid(f"{path}.secretName", secret, message)
    class_name = get_str(issues, spec, "ingressClassName", "spec", struct)
    if class_name:
        for message in names.dns1123_subdomain(class_name):
            issues.invalid("spec.ingressClassName", class_name, message)


def _check_host(issues: Issues, host: str, field: str, *, rule_host: bool) -> None:
    if rule_host and names.ip_address(host) is not None:
        issues.invalid(field, host, "must be a DNS name, not an IP address")
    if "*" in host:
        for message in names.wildcard_dns1123_subdomain(host):
            issues.invalid(field, host, message)
    else:
        for message in names.dns1123_subdomain(host):
            issues.invalid(field, host, message)


def _check_path(issues: Issues, entry: object, path: str) -> None:
    if type(entry) is not dict:
        if entry is not None:
            issues.bad_type(path, entry, "v1.HTTPIngressPath", "HTTPIngressRuleValue")
        return
    struct = "HTTPIngressPath"
    value = get_str(issues, entry, "path", path, struct)
    path_type = get_str(issues, entry, "pathType", path, struct)
    if not path_type:
        issues.required(f"{path}.pathType", "pathType must be specified")
    elif path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            issues.invalid(f"{path}.path", value, "must be an absolute path")
        if value:
            for sequence in INVALID_PATH_SEQUENCES:
                if sequence in value:
                    issues.invalid(f"{path}.path", value, f"must not contain '{sequence}'")
            for suffix in INVALID_PATH_SUFFIXES:
                if value.endswith(suffix):
                    issues.invalid(f"{path}.path", value, f"cannot end with '{suffix}'")
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            issues.invalid(f"{path}.path", value, "must be an absolute path")
    else:
        issues.not_supported(f"{path}.pathType", path_type, PATH_TYPES)
    backend = get_map(issues, entry, "backend", path, struct, "v1.IngressBackend")
    _check_backend(issues, backend or {}, f"{path}.backend")


def _check_backend(issues: Issues, backend: dict, path: str) -> None:
    struct = "IngressBackend"
    service = get_map(issues, backend, "service", path, struct, "v1.IngressServiceBackend")
    resource = get_map(issues, backend, "resource", path, struct, "v1.TypedLocalObjectReference")
    if service is not None and resource is not None:
        issues.invalid(path, "", "cannot set both resource and service backends")
        return
    if resource is not None:
        for key in ("kind", "name"):
            if not get_str(issues, resource, key, f"{path}.resource", "TypedLocalObjectReference"):
                issues.required(f"{path}.resource.{key}")
        return
    if service is None:
        issues.invalid(path, "", "resource or service backend is required")
        return
    spath = f"{path}.service"
    name = get_str(issues, service, "name", spath, "IngressServiceBackend")
    if not name:
        issues.required(f"{spath}.name")
    else:
        for message in names.dns1035_label(name):
            issues.invalid(f"{spath}.name", name, message)
    port = (
        get_map(issues, service, "port", spath, "IngressServiceBackend", "v1.ServiceBackendPort")
        or {}
    )
    port_name = get_str(issues, port, "name", f"{spath}.port", "ServiceBackendPort")
    number = get_int(issues, port, "number", f"{spath}.port", "ServiceBackendPort") or 0
    if not port_name and not number and (port.get("name") or port.get("number")) is not None:
        return  # the type error says it
    if port_name and number:
        issues.invalid(path, "", "cannot set both port name & port number")
    elif port_name:
        for message in names.port_name(port_name):
            issues.invalid(f"{spath}.port.name", port_name, message)
    elif number:
        if not 1 <= number <= 65535:
            issues.invalid(f"{spath}.port.number", number, names.PORT_RANGE_ERROR)
    else:
        issues.required(path, "port name or number is required", f"{spath}.port")


def check_ingress_class(issues: Issues, obj: dict) -> None:
    """ValidateIngressClass: ``spec.controller`` is a required domain-prefixed path."""
    spec = get_map(issues, obj, "spec", "", "IngressClass", "v1.IngressClassSpec") or {}
    controller = get_str(issues, spec, "controller", "spec", "IngressClassSpec")
    field = "spec.controller"
    if len(controller) > MAX_CONTROLLER_LENGTH:
        issues.add(field, f"Too long: may not be more than {MAX_CONTROLLER_LENGTH} bytes")
    if not controller:
        issues.required(field)
    else:
        host, slash, rest = controller.partition("/")
        if not slash or not host or not rest:
            issues.invalid(
                field, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'
            )
        else:
            for message in names.dns1123_subdomain(host):
                issues.invalid(field, host, message)
    parameters = get_map(
        issues, spec, "parameters", "spec", "IngressClassSpec", "v1.IngressClassParametersReference"
    )
    if parameters is not None:
        for key in ("kind", "name"):
            if not get_str(
                issues, parameters, key, "spec.parameters", "IngressClassParametersReference"
            ):
                issues.required(f"spec.parameters.{key}")
