"""Pods, pod templates, containers, probes and the controllers that own pods.

Mirrors ``ValidatePodSpec``, ``validateContainers``, ``validateProbe``, and the RC / apps
validators (selector required and matching the template labels, replicas >= 0, strategy).
Fields Kubernetes would default before validating are read with their default value.
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
    selector_matches,
)
from simulator.validation.metadata import check_meta_maps

PROTOCOLS = ("SCTP", "TCP", "UDP")
RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
PROBE_COUNTERS = (
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
)
SELECTOR_MISMATCH = "`selector` does not match template `labels`"


# --- pods -------------------------------------------------------------------------------


def check_pod(issues: Issues, obj: dict) -> None:
    """ValidatePod (spec part; metadata is checked by the caller)."""
    spec = get_map(issues, obj, "spec", "", "Pod", "v1.PodSpec") or {}
    check_pod_spec(issues, spec, "spec")


def check_pod_spec(issues: Issues, spec: dict, path: str) -> None:
    """ValidatePodSpec: containers, restart and DNS policies, scheduling fields."""
    struct = "PodSpec"
    containers = get_list(issues, spec, "containers", path, struct, "[]v1.Container")
    init_containers = get_list(issues, spec, "initContainers", path, struct, "[]v1.Container")
    host_network = get_bool(issues, spec, "hostNetwork", path, struct) or False
    seen_names: set[str] = set()
    for index, container in enumerate(init_containers):
        _check_container(
            issues,
            container,
            f"{path}.initContainers[{index}]",
            seen_names,
            host_network,
            init=True,
        )
    if not containers:
        issues.required(f"{path}.containers")
    for index, container in enumerate(containers):
        _check_container(
            issues, container, f"{path}.containers[{index}]", seen_names, host_network, init=False
        )

    restart = get_str(issues, spec, "restartPolicy", path, struct)
    if restart and restart not in RESTART_POLICIES:
        issues.not_supported(f"{path}.restartPolicy", restart, RESTART_POLICIES)
    dns = get_str(issues, spec, "dnsPolicy", path, struct)
    if dns:
        if dns not in DNS_POLICIES:
            issues.not_supported(f"{path}.dnsPolicy", dns, DNS_POLICIES)
        elif dns == "None" and spec.get("dnsConfig") is None:
            issues.required(
                f"{path}.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None"
            )
    if "nodeSelector" in spec:
        check_labels(
            issues,
            get_string_map(issues, spec, "nodeSelector", path, struct),
            f"{path}.nodeSelector",
        )
    _check_tolerations(
        issues,
        get_list(issues, spec, "tolerations", path, struct, "[]v1.Toleration"),
        f"{path}.tolerations",
    )
    issues.nonnegative(
        f"{path}.terminationGracePeriodSeconds",
        get_int(issues, spec, "terminationGracePeriodSeconds", path, struct, "int64"),
    )
    for key in ("hostname", "subdomain"):
        value = get_str(issues, spec, key, path, struct)
        if value:
            for message in names.dns1123_label(value):
                issues.invalid(f"{path}.{key}", value, message)
    for key in ("serviceAccountName", "nodeName"):
        value = get_str(issues, spec, key, path, struct)
        if value:
            for message in names.dns1123_subdomain(value):
                issues.invalid(f"{path}.{key}", value, message)


def _check_container(
    issues: Issues,
    container: object,
    path: str,
    seen_names: set[str],
    host_network: bool,
    *,
    init: bool,
) -> None:
    if type(container) is not dict:
        if container is not None:
            issues.bad_type(path, container, "v1.Container", "PodSpec")
        return
    struct = "Container"
    name = get_str(issues, container, "name", path, struct)
    if not name:
        issues.required(f"{path}.name")
    else:
        for message in names.dns1123_label(name):
            issues.invalid(f"{path}.name", name, message)
        if name in seen_names:
            issues.duplicate(f"{path}.name", name)
        seen_names.add(name)
    image = get_str(issues, container, "image", path, struct)
    if not image:
        issues.required(f"{path}.image")
    elif image != image.strip():
        issues.invalid(f"{path}.image", image, "must not have leading or trailing whitespace")
    pull = get_str(issues, container, "imagePullPolicy", path, struct)
    if pull and pull not in PULL_POLICIES:
        issues.not_supported(f"{path}.imagePullPolicy", pull, PULL_POLICIES)
    ports = get_list(issues, container, "ports", path, struct, "[]v1.ContainerPort")
    if ports:
        _check_container_ports(issues, ports, f"{path}.ports", host_network)
    env = get_list(issues, container, "env", path, struct, "[]v1.EnvVar")
    for index, variable in enumerate(env):
        if type(variable) is dict and not variable.get("name"):
            issues.required(f"{path}.env[{index}].name")
    for key in ("readinessProbe", "livenessProbe", "startupProbe"):
        probe = get_map(issues, container, key, path, struct, "v1.Probe")
        if probe is None:
            continue
        if init:
            issues.forbidden(
                f"{path}.{key}", "may not be set for init containers without restartPolicy=Always"
            )
            continue
        _check_probe(issues, probe, f"{path}.{key}")
        if key != "readinessProbe":
            threshold = probe.get("successThreshold") or 1  # 0 is defaulted to 1
            if threshold != 1:
                issues.invalid(f"{path}.{key}.successThreshold", threshold, "must be 1")


def _check_container_ports(issues: Issues, ports: list, path: str, host_network: bool) -> None:
    seen: set[str] = set()
    for index, port in enumerate(ports):
        item = f"{path}[{index}]"
        if type(port) is not dict:
            if port is not None:
                issues.bad_type(item, port, "v1.ContainerPort", "Container")
            continue
        name = get_str(issues, port, "name", item, "ContainerPort")
        if name:
            errors = names.port_name(name)
            for message in errors:
                issues.invalid(f"{item}.name", name, message)
            if not errors:
                if name in seen:
                    issues.duplicate(f"{item}.name", name)
                seen.add(name)
        number = get_int(issues, port, "containerPort", item, "ContainerPort")
        if number is None and port.get("containerPort") is not None:
            pass  # the type error says it
        elif not number:
            issues.required(f"{item}.containerPort")
        elif not 1 <= number <= 65535:
            issues.invalid(f"{item}.containerPort", number, names.PORT_RANGE_ERROR)
        host_port = get_int(issues, port, "hostPort", item, "ContainerPort")
        if host_port:
            if not 1 <= host_port <= 65535:
                issues.invalid(f"{item}.hostPort", host_port, names.PORT_RANGE_ERROR)
            elif host_network and number and host_port != number:
                issues.invalid(
                    f"{item}.hostPort",
                    host_port,
                    "must match `containerPort` when `hostNetwork` is true",
                )
        protocol = get_str(issues, port, "protocol", item, "ContainerPort") or "TCP"
        if protocol not in PROTOCOLS:
            issues.not_supported(f"{item}.protocol", protocol, PROTOCOLS)


def _check_probe(issues: Issues, probe: dict, path: str) -> None:
    handlers = [key for key in PROBE_HANDLERS if probe.get(key) is not None]
    if not handlers:
        issues.required(path, "must specify a handler type")
    for extra in handlers[1:]:
        issues.forbidden(f"{path}.{extra}", "may not specify more than 1 handler type")
    if handlers:
        handler = handlers[0]
        hpath = f"{path}.{handler}"
        action = (
            get_map(
                issues,
                probe,
                handler,
                path,
                "Probe",
                "v1." + handler[0].upper() + handler[1:] + "Action",
            )
            or {}
        )
        if handler == "exec":
            command = get_list(issues, action, "command", hpath, "ExecAction", "[]string")
            if not command:
                issues.required(f"{hpath}.command")
        elif handler in ("httpGet", "tcpSocket"):
            struct = "HTTPGetAction" if handler == "httpGet" else "TCPSocketAction"
            port = get_port(issues, action, "port", hpath, struct)
            check_port_num_or_name(issues, f"{hpath}.port", 0 if port is None else port)
            if handler == "httpGet":
                scheme = get_str(issues, action, "scheme", hpath, struct)
                if scheme and scheme not in ("HTTP", "HTTPS"):
                    issues.not_supported(f"{hpath}.scheme", scheme, ("HTTP", "HTTPS"))
                get_str(issues, action, "path", hpath, struct)
        else:
            port = get_int(issues, action, "port", hpath, "GRPCAction") or 0
            if not 1 <= port <= 65535:
                issues.invalid(f"{hpath}.port", port, names.PORT_RANGE_ERROR)
    for key in PROBE_COUNTERS:
        issues.nonnegative(f"{path}.{key}", get_int(issues, probe, key, path, "Probe"))


def _check_tolerations(issues: Issues, tolerations: list, path: str) -> None:
    for index, toleration in enumerate(tolerations):
        item = f"{path}[{index}]"
        if type(toleration) is not dict:
            if toleration is not None:
                issues.bad_type(item, toleration, "v1.Toleration", "PodSpec")
            continue
        key = get_str(issues, toleration, "key", item, "Toleration")
        operator = get_str(issues, toleration, "operator", item, "Toleration")
        value = get_str(issues, toleration, "value", item, "Toleration")
        effect = get_str(issues, toleration, "effect", item, "Toleration")
        if key:
            for message in names.qualified_name(key):
                issues.invalid(f"{item}.key", key, message)
        elif operator != "Exists":
            issues.invalid(
                f"{item}.operator",
                operator,
                'operator must be Exists when `key` is empty, which means "match all '
                'values and all keys"',
            )
        seconds = get_int(issues, toleration, "tolerationSeconds", item, "Toleration", "int64")
        if seconds is not None and effect != "NoExecute":
            issues.invalid(
                f"{item}.effect",
                effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            )
        if operator in ("Equal", ""):
            errors = names.label_value(value)
            if errors:
                issues.invalid(f"{item}.operator", value, ";".join(errors))
        elif operator == "Exists":
            if value:
                issues.invalid(
                    f"{item}.operator",
                    toleration,
                    "value must be empty when `operator` is 'Exists'",
                )
        else:
            issues.not_supported(f"{item}.operator", operator, ("Equal", "Exists"))
        if effect and effect not in TAINT_EFFECTS:
            issues.not_supported(f"{item}.effect", effect, TAINT_EFFECTS)


# --- templates and controllers ----------------------------------------------------------


def _check_template(issues: Issues, template: dict, path: str, owner: str) -> None:
    meta = get_map(issues, template, "metadata", path, "PodTemplateSpec", "v1.ObjectMeta")
    if meta:
        check_meta_maps(issues, meta, f"{path}.metadata")
    spec = get_map(issues, template, "spec", path, "PodTemplateSpec", "v1.PodSpec") or {}
    check_pod_spec(issues, spec, f"{path}.spec")
    restart = spec.get("restartPolicy") or "Always"
    if restart != "Always" and restart in RESTART_POLICIES:
        issues.not_supported(f"{path}.spec.restartPolicy", restart, ("Always",))
    if spec.get("activeDeadlineSeconds") is not None:
        if owner == "ReplicationController":
            issues.forbidden(
                f"{path}.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in ReplicationController is not Supported",
            )
        else:
            issues.invalid(
                f"{path}.spec.activeDeadlineSeconds",
                spec["activeDeadlineSeconds"],
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )


def _template_labels(template: dict) -> dict:
    meta = template.get("metadata")
    labels = meta.get("labels") if type(meta) is dict else None
    return labels if type(labels) is dict else {}


def check_replication_controller(issues: Issues, obj: dict) -> None:
    """ValidateReplicationControllerSpec, with the selector defaulted from template labels."""
    spec = (
        get_map(issues, obj, "spec", "", "ReplicationController", "v1.ReplicationControllerSpec")
        or {}
    )
    struct = "ReplicationControllerSpec"
    issues.nonnegative(
        "spec.minReadySeconds", get_int(issues, spec, "minReadySeconds", "spec", struct)
    )
    template = get_map(issues, spec, "template", "spec", struct, "v1.PodTemplateSpec")
    labels = _template_labels(template) if template is not None else {}
    selector = get_string_map(issues, spec, "selector", "spec", struct) or labels
    if not selector:
        issues.required("spec.selector")
    issues.nonnegative("spec.replicas", get_int(issues, spec, "replicas", "spec", struct))
    if template is None:
        issues.required("spec.template")
        return
    if selector and any(labels.get(key) != value for key, value in selector.items()):
        issues.invalid("spec.template.metadata.labels", labels or None, SELECTOR_MISMATCH)
    _check_template(issues, template, "spec.template", "ReplicationController")


def check_apps_workload(issues: Issues, obj: dict, kind: str) -> None:
    """ReplicaSet, Deployment, DaemonSet and StatefulSet (apps/v1): selector, template,
    strategy."""
    struct = f"{kind}Spec"
    spec = get_map(issues, obj, "spec", "", kind, f"v1.{struct}") or {}
    if kind != "DaemonSet":
        issues.nonnegative("spec.replicas", get_int(issues, spec, "replicas", "spec", struct))
    selector = get_map(issues, spec, "selector", "spec", struct, "v1.LabelSelector")
    selector_ok = True
    if selector is None:
        issues.required("spec.selector")
    else:
        if not check_label_selector(issues, selector, "spec.selector"):
            issues.invalid("spec.selector", selector, "invalid label selector")
            selector_ok = False
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            target = kind.lower() if kind != "ReplicaSet" else "deployment"
            issues.invalid("spec.selector", selector, f"empty selector is invalid for {target}")
            selector_ok = False
    template = get_map(issues, spec, "template", "spec", struct, "v1.PodTemplateSpec") or {}
    labels = _template_labels(template)
    if selector is None or (selector_ok and not selector_matches(selector, labels)):
        issues.invalid("spec.template.metadata.labels", labels or None, SELECTOR_MISMATCH)
    _check_template(issues, template, "spec.template", kind)
    issues.nonnegative(
        "spec.minReadySeconds", get_int(issues, spec, "minReadySeconds", "spec", struct)
    )
    history = get_int(issues, spec, "revisionHistoryLimit", "spec", struct)
    issues.nonnegative("spec.revisionHistoryLimit", history)
    if kind == "Deployment":
        _check_deployment_strategy(issues, spec)
        deadline = get_int(issues, spec, "progressDeadlineSeconds", "spec", struct)
        if deadline is not None:
            issues.nonnegative("spec.progressDeadlineSeconds", deadline)
            given = spec.get("minReadySeconds")
            min_ready: int = given if type(given) is int else 0
            if deadline <= min_ready:
                issues.invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
    elif kind == "StatefulSet":
        _check_stateful_set(issues, spec)
    elif kind == "DaemonSet":
        strategy = get_map(
            issues, spec, "updateStrategy", "spec", struct, "v1.DaemonSetUpdateStrategy"
        )
        if strategy is not None:
            kind_name = strategy.get("type") or "RollingUpdate"
            if kind_name not in ("RollingUpdate", "OnDelete"):
                issues.not_supported("spec.updateStrategy", strategy, ("RollingUpdate", "OnDelete"))
            elif kind_name == "RollingUpdate":
                _check_daemon_set_rolling(issues, strategy)


def _check_daemon_set_rolling(issues: Issues, strategy: dict) -> None:
    """ValidateRollingUpdateDaemonSet, after defaulting (maxUnavailable 1, maxSurge 0):
    exactly one of the two is non-zero, so `maxSurge` alone needs `maxUnavailable: 0`."""
    rolling = get_map(
        issues,
        strategy,
        "rollingUpdate",
        "spec.updateStrategy",
        "DaemonSetUpdateStrategy",
        "v1.RollingUpdateDaemonSet",
    )
    rolling = rolling or {}
    path = "spec.updateStrategy.rollingUpdate"
    values: dict[str, int | str] = {}
    for key, default in (("maxUnavailable", 1), ("maxSurge", 0)):
        value = get_port(issues, rolling, key, path, "RollingUpdateDaemonSet")
        values[key] = default if value is None else value
        if isinstance(value, str):
            for message in names.percent(value):
                issues.invalid(f"{path}.{key}", value, message)
            if _int_or_percent(value) > 100:
                issues.invalid(f"{path}.{key}", value, "must not be greater than 100%")
        elif value is not None:
            issues.nonnegative(f"{path}.{key}", value)
    has_unavailable = _int_or_percent(values["maxUnavailable"]) != 0
    has_surge = _int_or_percent(values["maxSurge"]) != 0
    if has_unavailable and has_surge:
        issues.invalid(
            f"{path}.maxSurge", values["maxSurge"], "may not be set when maxUnavailable is non-zero"
        )
    elif not has_unavailable and not has_surge:
        issues.required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0")


def _check_stateful_set(issues: Issues, spec: dict) -> None:
    """A StatefulSet's pod management policy and update strategy (ValidateStatefulSetSpec)."""
    policy = spec.get("podManagementPolicy")
    if policy is not None and policy not in ("OrderedReady", "Parallel"):
        issues.not_supported("spec.podManagementPolicy", policy, ("OrderedReady", "Parallel"))
    strategy = spec.get("updateStrategy")
    if type(strategy) is dict:
        kind_name = strategy.get("type") or "RollingUpdate"
        if kind_name not in ("RollingUpdate", "OnDelete"):
            issues.not_supported("spec.updateStrategy", strategy, ("RollingUpdate", "OnDelete"))
        partition = (strategy.get("rollingUpdate") or {}).get("partition")
        if type(partition) is int:
            issues.nonnegative("spec.updateStrategy.rollingUpdate.partition", partition)


def check_label_selector(issues: Issues, selector: dict, path: str) -> bool:
    """ValidateLabelSelector; returns False when the selector cannot be evaluated."""
    ok = True
    if "matchLabels" in selector:
        check_labels(
            issues,
            get_string_map(issues, selector, "matchLabels", path, "LabelSelector"),
            f"{path}.matchLabels",
        )
    expressions = get_list(
        issues, selector, "matchExpressions", path, "LabelSelector", "[]v1.LabelSelectorRequirement"
    )
    for index, expression in enumerate(expressions):
        item = f"{path}.matchExpressions[{index}]"
        if type(expression) is not dict:
            ok = False
            continue
        operator = get_str(issues, expression, "operator", item, "LabelSelectorRequirement")
        values = get_list(
            issues, expression, "values", item, "LabelSelectorRequirement", "[]string"
        )
        if operator in ("In", "NotIn"):
            if not values:
                issues.required(
                    f"{item}.values", "must be specified when `operator` is 'In' or 'NotIn'"
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                issues.forbidden(
                    f"{item}.values",
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
        else:
            issues.invalid(f"{item}.operator", operator, "not a valid selector operator")
            ok = False
        key = get_str(issues, expression, "key", item, "LabelSelectorRequirement")
        for message in names.qualified_name(key):
            issues.invalid(f"{item}.key", key, message)
        for position, value in enumerate(values):
            if type(value) is str:
                for message in names.label_value(value):
                    issues.invalid(f"{item}.values[{position}]", value, message)
    return ok


def _check_deployment_strategy(issues: Issues, spec: dict) -> None:
    strategy = get_map(issues, spec, "strategy", "spec", "DeploymentSpec", "v1.DeploymentStrategy")
    if strategy is None:
        return
    kind = strategy.get("type") or "RollingUpdate"
    rolling = get_map(
        issues,
        strategy,
        "rollingUpdate",
        "spec.strategy",
        "DeploymentStrategy",
        "v1.RollingUpdateDeployment",
    )
    if kind == "Recreate":
        if rolling is not None:
            issues.forbidden(
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            )
    elif kind == "RollingUpdate":
        rolling = rolling or {}
        path = "spec.strategy.rollingUpdate"
        values = {}
        for key in ("maxUnavailable", "maxSurge"):
            value = get_port(issues, rolling, key, path, "RollingUpdateDeployment")
            if value is None:
                value = "25%"
            values[key] = value
            if isinstance(value, str):
                for message in names.percent(value):
                    issues.invalid(f"{path}.{key}", value, message)
            else:
                issues.nonnegative(f"{path}.{key}", value)
        unavailable, surge = values["maxUnavailable"], values["maxSurge"]
        if _int_or_percent(unavailable) == 0 and _int_or_percent(surge) == 0:
            issues.invalid(
                f"{path}.maxUnavailable", unavailable, "may not be 0 when `maxSurge` is 0"
            )
        if isinstance(unavailable, str) and _int_or_percent(unavailable) > 100:
            issues.invalid(f"{path}.maxUnavailable", unavailable, "must not be greater than 100%")
    else:
        issues.not_supported("spec.strategy", strategy, ("Recreate", "RollingUpdate"))


def _int_or_percent(value: int | str) -> int:
    if isinstance(value, int):
        return value
    digits = value[:-1] if value.endswith("%") else value
    return int(digits) if digits.isdigit() else -1
