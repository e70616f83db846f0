"""Service validation, as ``ValidateService`` plus the NodePort range check of the allocator.

Validation runs before defaulting here (Kubernetes defaults first), so absent fields are
read with their default: ``type`` ClusterIP, ``protocol`` TCP, ``targetPort`` = ``port``,
``sessionAffinity`` None. ``clusterIP`` is copied into ``clusterIPs`` as the API server
does, so messages name ``spec.clusterIPs[0]`` as v1.30 does; they point at the
``clusterIP`` line when that is what the learner wrote.
"""

from __future__ import annotations

from simulator.validation import names
from simulator.validation.common import (
    Issues,
    check_labels,
    check_port_num_or_name,
    get_bool,
    get_int,
    get_list,
    get_map,
    get_port,
    get_str,
    get_string_map,
)

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
PROTOCOLS = ("SCTP", "TCP", "UDP")
NODE_PORT_RANGE = (30000, 32767)
NODE_PORT_RANGE_ERROR = (
    f"provided port is not in the valid range. The range of valid ports is "
    f"{NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}"
)
KUBELET_PORT = 10250
MAX_AFFINITY_SECONDS = 86400
SPEC_STRUCT = "ServiceSpec"


def check_service(issues: Issues, obj: dict) -> list[tuple[int, int, str]]:
    """Validate a Service's spec.

    Returns:
        The explicit nodePorts of a NodePort/LoadBalancer Service that are in range, as
        (port index, nodePort, protocol), for the input-wide "already allocated" check.
    """
    spec = get_map(issues, obj, "spec", "", "Service", "v1.ServiceSpec") or {}
    kind = get_str(issues, spec, "type", "spec", SPEC_STRUCT) or "ClusterIP"
    cluster_ip = get_str(issues, spec, "clusterIP", "spec", SPEC_STRUCT)
    explicit_ips = [
        ip
        for ip in get_list(issues, spec, "clusterIPs", "spec", SPEC_STRUCT, "[]string")
        if type(ip) is str
    ]
    cluster_ips = explicit_ips or ([cluster_ip] if cluster_ip else [])
    # Messages about clusterIPs[0] point at the clusterIP line when that is what was written.
    ip0_where = None if explicit_ips else "spec.clusterIP"
    headless = cluster_ips == ["None"]
    ports = get_list(issues, spec, "ports", "spec", SPEC_STRUCT, "[]v1.ServicePort")
    families = get_list(issues, spec, "ipFamilies", "spec", SPEC_STRUCT, "[]v1.IPFamily")
    family_policy = get_str(issues, spec, "ipFamilyPolicy", "spec", SPEC_STRUCT)

    if not ports and not headless and kind != "ExternalName":
        issues.required("spec.ports")
    if kind in ("LoadBalancer", "NodePort"):
        if kind == "LoadBalancer":
            for index, port in enumerate(ports):
                if type(port) is dict and port.get("port") == KUBELET_PORT:
                    issues.invalid(
                        f"spec.ports[{index}]",
                        KUBELET_PORT,
                        f"may not expose port {KUBELET_PORT} externally since it is "
                        "used by kubelet",
                    )
        if headless:
            issues.invalid(
                "spec.clusterIPs[0]",
                "None",
                f"may not be set to 'None' for {kind} services",
                ip0_where,
            )
    elif kind == "ExternalName":
        if cluster_ips:
            issues.forbidden(
                "spec.clusterIPs", "may not be set for ExternalName services", ip0_where
            )
        if families:
            issues.forbidden("spec.ipFamilies", "may not be set for ExternalName services")
        if family_policy:
            issues.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services")
        external_name = get_str(issues, spec, "externalName", "spec", SPEC_STRUCT)
        cname = external_name.removesuffix(".")
        if cname:
            for message in names.dns1123_subdomain(cname):
                issues.invalid("spec.externalName", cname, message)
        else:
            issues.required("spec.externalName")

    checked_ports = _check_ports(issues, ports)

    if "selector" in spec:
        check_labels(
            issues, get_string_map(issues, spec, "selector", "spec", SPEC_STRUCT), "spec.selector"
        )

    _check_affinity(issues, spec)
    if kind != "ExternalName":
        _check_cluster_ips(
            issues, spec, cluster_ip, explicit_ips, cluster_ips, families, family_policy, ip0_where
        )

    external_ips = get_list(issues, spec, "externalIPs", "spec", SPEC_STRUCT, "[]string")
    for index, ip in enumerate(external_ips):
        field = f"spec.externalIPs[{index}]"
        if type(ip) is not str:
            issues.bad_type(field, ip, "string", SPEC_STRUCT)
            continue
        errors = names.valid_ip(ip) or names.non_special_ip(ip)
        for message in errors:
            issues.invalid(field, ip, message)

    if kind not in SERVICE_TYPES:
        issues.not_supported("spec.type", kind, SERVICE_TYPES)
    if kind == "ClusterIP":
        for index, _port, _protocol, node_port in checked_ports:
            if node_port:
                issues.forbidden(
                    f"spec.ports[{index}].nodePort", "may not be used when `type` is 'ClusterIP'"
                )

    seen_node_ports: set[tuple[str, int]] = set()
    seen_ports: set[tuple[str, int]] = set()
    for index, port, protocol, node_port in checked_ports:
        if node_port:
            if (protocol, node_port) in seen_node_ports:
                issues.duplicate(f"spec.ports[{index}].nodePort", node_port)
            seen_node_ports.add((protocol, node_port))
        if (protocol, port) in seen_ports:
            issues.duplicate(f"spec.ports[{index}]", {"port": port, "protocol": protocol})
        seen_ports.add((protocol, port))

    _check_load_balancer_fields(issues, spec, kind)
    _check_traffic_policies(issues, spec, kind, external_ips)

    allocations: list[tuple[int, int, str]] = []
    if kind in ("NodePort", "LoadBalancer"):
        low, high = NODE_PORT_RANGE
        for index, _port, protocol, node_port in checked_ports:
            if not node_port:
                continue
            if low <= node_port <= high:
                allocations.append((index, node_port, protocol))
            else:
                issues.invalid(f"spec.ports[{index}].nodePort", node_port, NODE_PORT_RANGE_ERROR)
    return allocations


def _check_ports(issues: Issues, ports: list) -> list[tuple[int, int, str, int]]:
    require_name = len(ports) > 1
    seen_names: set[str] = set()
    checked = []
    for index, port in enumerate(ports):
        path = f"spec.ports[{index}]"
        if type(port) is not dict:
            if port is not None:
                issues.bad_type(path, port, "v1.ServicePort", SPEC_STRUCT)
            continue
        name = get_str(issues, port, "name", path, "ServicePort")
        if require_name and not name:
            issues.required(f"{path}.name")
        elif name:
            for message in names.dns1123_label(name):
                issues.invalid(f"{path}.name", name, message)
            if name in seen_names:
                issues.duplicate(f"{path}.name", name)
            else:
                seen_names.add(name)
        number = get_int(issues, port, "port", path, "ServicePort")
        mistyped = number is None and port.get("port") is not None
        number = number or 0
        if not mistyped and not 1 <= number <= 65535:
            issues.invalid(f"{path}.port", number, names.PORT_RANGE_ERROR)
        protocol = get_str(issues, port, "protocol", path, "ServicePort") or "TCP"
        if protocol not in PROTOCOLS:
            issues.not_supported(f"{path}.protocol", protocol, PROTOCOLS)
        target = get_port(issues, port, "targetPort", path, "ServicePort")
        if target in (None, 0, ""):
            target = number  # defaulted to port
        check_port_num_or_name(issues, f"{path}.targetPort", target)
        app_protocol = get_str(issues, port, "appProtocol", path, "ServicePort")
        if app_protocol:
            for message in names.qualified_name(app_protocol):
                issues.invalid(f"{path}.appProtocol", app_protocol, message)
        node_port = get_int(issues, port, "nodePort", path, "ServicePort") or 0
        checked.append((index, number, protocol, node_port))
    return checked


def _check_affinity(issues: Issues, spec: dict) -> None:
    affinity = get_str(issues, spec, "sessionAffinity", "spec", SPEC_STRUCT) or "None"
    config = get_map(
        issues, spec, "sessionAffinityConfig", "spec", SPEC_STRUCT, "v1.SessionAffinityConfig"
    )
    if affinity not in ("ClientIP", "None"):
        issues.not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None"))
    elif affinity == "ClientIP":
        client_ip = get_map(
            issues,
            config or {},
            "clientIP",
            "spec.sessionAffinityConfig",
            "SessionAffinityConfig",
            "v1.ClientIPConfig",
        )
        timeout = get_int(
            issues,
            client_ip or {},
            "timeoutSeconds",
            "spec.sessionAffinityConfig.clientIP",
            "ClientIPConfig",
        )
        if timeout is not None and not 0 < timeout <= MAX_AFFINITY_SECONDS:
            issues.invalid(
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                timeout,
                f"must be greater than 0 and less than {MAX_AFFINITY_SECONDS}",
            )
    elif config is not None:
        issues.forbidden(
            "spec.sessionAffinityConfig", "must not be set when session affinity is None"
        )


def _check_cluster_ips(
    issues: Issues,
    spec: dict,
    cluster_ip: str,
    explicit_ips: list[str],
    cluster_ips: list[str],
    families: list,
    family_policy: str,
    ip0_where: str | None,
) -> None:
    if cluster_ip and explicit_ips and explicit_ips[0] != cluster_ip:
        issues.invalid("spec.clusterIPs", explicit_ips, "first value must match `clusterIP`")
    elif not cluster_ip and explicit_ips:
        issues.invalid(
            "spec.clusterIPs", explicit_ips, "must be empty when `clusterIP` is not specified"
        )
    seen: set[str] = set()
    for index, family in enumerate(families):
        if family not in ("IPv4", "IPv6"):
            issues.not_supported(f"spec.ipFamilies[{index}]", family, ("IPv4", "IPv6"))
        if family in seen:
            issues.duplicate(f"spec.ipFamilies[{index}]", family)
        seen.add(family)
    policies = ("PreferDualStack", "RequireDualStack", "SingleStack")
    if family_policy and family_policy not in policies:
        issues.not_supported("spec.ipFamilyPolicy", family_policy, policies)
    for index, ip in enumerate(cluster_ips):
        if index == 0 and ip == "None":
            if len(cluster_ips) > 1:
                issues.invalid(
                    "spec.clusterIPs", cluster_ips, "'None' must be the first and only value"
                )
            continue
        for message in names.valid_ip(ip):
            issues.invalid(
                f"spec.clusterIPs[{index}]", ip, message, ip0_where if index == 0 else None
            )
    if len(cluster_ips) > 2:
        issues.invalid("spec.clusterIPs", cluster_ips, "may only hold up to 2 values")


def _check_load_balancer_fields(issues: Issues, spec: dict, kind: str) -> None:
    only_lb = "may only be used when `type` is 'LoadBalancer'"
    ranges = get_list(issues, spec, "loadBalancerSourceRanges", "spec", SPEC_STRUCT, "[]string")
    if ranges:
        # Kubernetes spells this path with a capital L.
        if kind != "LoadBalancer":
            issues.forbidden(
                "spec.LoadBalancerSourceRanges", only_lb, "spec.loadBalancerSourceRanges"
            )
        for index, value in enumerate(ranges):
            text = value.strip() if type(value) is str else ""
            for message in names.valid_cidr(text):
                issues.invalid(
                    f"spec.LoadBalancerSourceRanges[{index}]",
                    text,
                    message,
                    f"spec.loadBalancerSourceRanges[{index}]",
                )
    allocate = get_bool(issues, spec, "allocateLoadBalancerNodePorts", "spec", SPEC_STRUCT)
    if allocate is not None and kind != "LoadBalancer":
        issues.forbidden("spec.allocateLoadBalancerNodePorts", only_lb)
    lb_class = get_str(issues, spec, "loadBalancerClass", "spec", SPEC_STRUCT)
    if lb_class:
        if kind != "LoadBalancer":
            issues.forbidden("spec.loadBalancerClass", only_lb)
        else:
            for message in names.qualified_name(lb_class):
                issues.invalid("spec.loadBalancerClass", lb_class, message)


def _check_traffic_policies(issues: Issues, spec: dict, kind: str, external_ips: list) -> None:
    external = get_str(issues, spec, "externalTrafficPolicy", "spec", SPEC_STRUCT)
    accessible = kind in ("NodePort", "LoadBalancer") or (
        kind == "ClusterIP" and bool(external_ips)
    )
    if external:
        if not accessible:
            issues.invalid(
                "spec.externalTrafficPolicy",
                external,
                "may only be set for externally-accessible services",
            )
        elif external not in ("Cluster", "Local"):
            issues.not_supported("spec.externalTrafficPolicy", external, ("Cluster", "Local"))
    health = get_int(issues, spec, "healthCheckNodePort", "spec", SPEC_STRUCT)
    if health:
        if kind != "LoadBalancer" or external != "Local":
            issues.invalid(
                "spec.healthCheckNodePort",
                health,
                "may only be set when `type` is 'LoadBalancer' and "
                "`externalTrafficPolicy` is 'Local'",
            )
        elif not 1 <= health <= 65535:
            issues.invalid("spec.healthCheckNodePort", health, names.PORT_RANGE_ERROR)
    internal = get_str(issues, spec, "internalTrafficPolicy", "spec", SPEC_STRUCT)
    if internal and internal not in ("Cluster", "Local"):
        issues.not_supported("spec.internalTrafficPolicy", internal, ("Cluster", "Local"))
