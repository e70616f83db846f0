"""API-server defaulting (``SetDefaults_*``), applied in place to validated objects.

What a real cluster fills in before storing an object, so ``-o yaml`` and the simulator
see the same fields: Service type, protocols, targetPorts and traffic policies; pod spec
policies, container pull policy and probe timings; controller replicas and strategies;
NetworkPolicy ``policyTypes`` and port protocols; the Gateway API CRDs' schema defaults
(listener ``allowedRoutes``, backendRef ``kind``/``weight``, the default ``PathPrefix /``
match, redirect ``statusCode``...).

Not done here, on purpose: ``metadata.namespace`` (the cluster sets it from ``-n`` or the
context), ``clusterIP`` and ``nodePort`` allocation (the allocator), ``status``, and what
admission plugins add to Pods (service account, default tolerations, priority).
``enableServiceLinks`` is defaulted on Pods only, as Kubernetes does: pod templates in
controllers keep it unset, and the Pods made from them get it when they are defaulted.

Speed matters (every applied object passes here): each defaulter touches only the fields
it owns, with plain dict operations.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from simulator.validation import crd, gateway, httproute

__all__ = ["apply_defaults", "image_pull_policy"]

_PROBES = ("readinessProbe", "livenessProbe", "startupProbe")


def apply_defaults(obj: dict) -> dict:
    """Fill in the fields the API server would default, in place.

    Args:
        obj: a validated object of any kind (unknown kinds are left alone).

    Returns:
        ``obj`` itself.
    """
    defaulter = _DEFAULTERS.get(str(obj.get("kind")))
    if defaulter is not None:
        defaulter(obj)
    return obj


def image_pull_policy(image: str) -> str:
    """``Always`` for ``:latest`` or an untagged image, else ``IfNotPresent``."""
    name, at, _digest = image.partition("@")
    tag = name.rpartition("/")[2].partition(":")[2]
    if not tag and not at:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _spec(obj: dict) -> dict:
    spec = obj.get("spec")
    if type(spec) is not dict:
        spec = obj["spec"] = {}
    return spec


def _service(obj: dict) -> None:
    spec = _spec(obj)
    kind = spec.get("type") or "ClusterIP"
    spec["type"] = kind
    affinity = spec.get("sessionAffinity") or "None"
    spec["sessionAffinity"] = affinity
    if affinity == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        if type(config) is not dict:
            config = spec["sessionAffinityConfig"] = {}
        client = config.get("clientIP")
        if type(client) is not dict:
            client = config["clientIP"] = {}
        if client.get("timeoutSeconds") is None:
            client["timeoutSeconds"] = 10800
    ports = spec.get("ports")
    if type(ports) is list:
        for port in ports:
            if type(port) is dict:
                if not port.get("protocol"):
                    port["protocol"] = "TCP"
                if port.get("targetPort") in (None, 0, ""):
                    port["targetPort"] = port.get("port")
    if kind == "ExternalName":
        return
    externally_accessible = kind in ("NodePort", "LoadBalancer") or spec.get("externalIPs")
    if externally_accessible and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if not spec.get("internalTrafficPolicy"):
        spec["internalTrafficPolicy"] = "Cluster"
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    cluster_ip = spec.get("clusterIP")
    if cluster_ip and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [cluster_ip]
    if not spec.get("ipFamilies"):
        spec["ipFamilies"] = ["IPv4"]
    if not spec.get("ipFamilyPolicy"):
        spec["ipFamilyPolicy"] = "SingleStack"


def _pod_spec(spec: dict) -> None:
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    host_network = spec.get("hostNetwork") is True
    for key in ("initContainers", "containers"):
        containers = spec.get(key)
        if type(containers) is list:
            for container in containers:
                if type(container) is dict:
                    _container(container, host_network)
    volumes = spec.get("volumes")
    if type(volumes) is list:
        for volume in volumes:
            if type(volume) is dict:
                for source in ("configMap", "secret"):
                    item = volume.get(source)
                    if type(item) is dict and item.get("defaultMode") is None:
                        item["defaultMode"] = 420


def _container(container: dict, host_network: bool) -> None:
    if not container.get("imagePullPolicy"):
        image = container.get("image")
        container["imagePullPolicy"] = image_pull_policy(image if type(image) is str else "")
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    if container.get("resources") is None:
        container["resources"] = {}
    ports = container.get("ports")
    if type(ports) is list:
        for port in ports:
            if type(port) is dict:
                if not port.get("protocol"):
                    port["protocol"] = "TCP"
                if host_network and not port.get("hostPort"):
                    port["hostPort"] = port.get("containerPort")
    for key in _PROBES:
        probe = container.get(key)
        if type(probe) is dict:
            _probe(probe)
    env = container.get("env")
    if type(env) is list:
        for variable in env:
            source = variable.get("valueFrom") if type(variable) is dict else None
            field_ref = source.get("fieldRef") if type(source) is dict else None
            if type(field_ref) is dict and not field_ref.get("apiVersion"):
                field_ref["apiVersion"] = "v1"


def _probe(probe: dict) -> None:
    # Zero means "unset" for these int32 fields, as in the Go defaulters.
    if not probe.get("timeoutSeconds"):
        probe["timeoutSeconds"] = 1
    if not probe.get("periodSeconds"):
        probe["periodSeconds"] = 10
    if not probe.get("successThreshold"):
        probe["successThreshold"] = 1
    if not probe.get("failureThreshold"):
        probe["failureThreshold"] = 3
    http = probe.get("httpGet")
    if type(http) is dict:
        if not http.get("path"):
            http["path"] = "/"
        if not http.get("scheme"):
            http["scheme"] = "HTTP"


def _template(spec: dict) -> None:
    template = spec.get("template")
    if type(template) is dict:
        pod_spec = template.get("spec")
        if type(pod_spec) is dict:
            _pod_spec(pod_spec)


def _pod(obj: dict) -> None:
    spec = _spec(obj)
    _pod_spec(spec)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True


def _rolling_update(spec: dict, field: str, **defaults: object) -> None:
    """Default a Deployment's `strategy` or a DaemonSet's or StatefulSet's `updateStrategy`:
    `RollingUpdate`, with `defaults` for the `rollingUpdate` fields left out."""
    strategy = spec.get(field)
    if type(strategy) is not dict:
        strategy = spec[field] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if type(rolling) is not dict:
            rolling = strategy["rollingUpdate"] = {}
        for name, value in defaults.items():
            if rolling.get(name) is None:
                rolling[name] = value


def _deployment(obj: dict) -> None:
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _rolling_update(spec, "strategy", maxUnavailable="25%", maxSurge="25%")
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _template(spec)


def _replica_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)


def _replication_controller(obj: dict) -> None:
    spec = _spec(obj)
    template = spec.get("template")
    meta = template.get("metadata") if type(template) is dict else None
    labels = meta.get("labels") if type(meta) is dict else None
    if type(labels) is dict and labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        own = obj.get("metadata")
        if type(own) is dict and not own.get("labels"):
            own["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)


def _daemon_set(obj: dict) -> None:
    spec = _spec(obj)
    _rolling_update(spec, "updateStrategy", maxUnavailable=1, maxSurge=0)
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)


def _endpoints(obj: dict) -> None:
    subsets = obj.get("subsets")
    if type(subsets) is not list:
        return
    for subset in subsets:
        ports = subset.get("ports") if type(subset) is dict else None
        if type(ports) is list:
            for port in ports:
                if type(port) is dict and not port.get("protocol"):
                    port["protocol"] = "TCP"


def _secret(obj: dict) -> None:
    if not obj.get("type"):
        obj["type"] = "Opaque"
    # stringData is write-only: the API server merges it into data (base64) and drops it.
    string_data = obj.pop("stringData", None)
    if type(string_data) is dict and string_data:
        data = obj.get("data")
        if type(data) is not dict:
            data = obj["data"] = {}
        for key, value in string_data.items():
            if type(value) is str:
                data[key] = base64.b64encode(value.encode("utf-8")).decode("ascii")


def _namespace(obj: dict) -> None:
    meta = obj.get("metadata")
    if type(meta) is dict and type(meta.get("name")) is str:
        labels = meta.get("labels")
        if type(labels) is not dict:
            labels = meta["labels"] = {}
        labels["kubernetes.io/metadata.name"] = meta["name"]
    spec = _spec(obj)
    if not spec.get("finalizers"):
        spec["finalizers"] = ["kubernetes"]


def _custom(schema):
    """A CRD's structural defaulting: nulls pruned, the schema's defaults filled in."""

    def default(obj: dict) -> None:
        if "spec" in obj:
            obj["spec"] = crd.prune_nulls(obj["spec"])
            crd.apply_schema_defaults(obj, schema)

    return default


def _stateful_set(obj: dict) -> None:
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    _rolling_update(spec, "updateStrategy", partition=0)
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("persistentVolumeClaimRetentionPolicy") is None:
        spec["persistentVolumeClaimRetentionPolicy"] = {
            "whenDeleted": "Retain",
            "whenScaled": "Retain",
        }
    _template(spec)


def _network_policy(obj: dict) -> None:
    """SetDefaults_NetworkPolicy: ``policyTypes`` from the rules, ports' protocol TCP.

    Without ``policyTypes`` a policy is an Ingress policy, and an Egress one too when it
    has egress rules (so ``egress: []`` alone makes no Egress policy). ``podSelector`` is a
    struct, not a pointer, in the API: a missing one comes back as ``{}`` (all pods).
    """
    spec = _spec(obj)
    if type(spec.get("podSelector")) is not dict:
        spec["podSelector"] = {}
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        rules = spec.get(direction)
        if rules == []:
            del spec[direction]  # `omitempty`: `ingress: []` reads back as no field at all
        for rule in rules or ():
            if type(rule) is not dict:
                continue
            for key in ("ports", peers):
                if rule.get(key) == []:
                    del rule[key]
            for port in rule.get("ports") or ():
                if type(port) is dict and not port.get("protocol"):
                    port["protocol"] = "TCP"


_DEFAULTERS: dict[str, Callable[[dict], None]] = {
    "Service": _service,
    "Pod": _pod,
    "Deployment": _deployment,
    "ReplicaSet": _replica_set,
    "ReplicationController": _replication_controller,
    "DaemonSet": _daemon_set,
    "StatefulSet": _stateful_set,
    "Endpoints": _endpoints,
    "Secret": _secret,
    "Namespace": _namespace,
    "NetworkPolicy": _network_policy,
    "GatewayClass": _custom(gateway.GATEWAY_CLASS),
    "Gateway": _custom(gateway.GATEWAY),
    "HTTPRoute": _custom(httproute.HTTP_ROUTE),
    "ReferenceGrant": _custom(gateway.REFERENCE_GRANT),
}
