"""Known field names per kind, for kubectl's strict decoding (``unknown field "spec.replicass"``).

Only the parts learners type are described: the top level, ``metadata``, ``spec``, pod
templates and pod specs, containers with their ports and probes, Service ports, Ingress
rules and backends, Endpoints subsets, NetworkPolicy rules with their ports and peers.
Deeper or rarer structures (volumes, affinity, securityContext, resources...) are not
checked. A check costs one dict-keys comparison per described object.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shape:
    """The fields an object may have, and the shapes of its described children."""

    keys: frozenset[str]
    maps: tuple[tuple[str, Shape], ...] = ()
    lists: tuple[tuple[str, Shape], ...] = ()


def _shape(keys: str, maps: dict | None = None, lists: dict | None = None) -> Shape:
    return Shape(frozenset(keys.split()), tuple((maps or {}).items()), tuple((lists or {}).items()))


def unknown_fields(value: dict, shape: Shape, path: str, found: list[str]) -> None:
    """Append the paths of fields ``value`` has that ``shape`` does not know."""
    if not value.keys() <= shape.keys:
        found.extend(f"{path}.{key}" if path else key for key in value if key not in shape.keys)
    for key, child in shape.maps:
        item = value.get(key)
        if type(item) is dict:
            unknown_fields(item, child, f"{path}.{key}" if path else key, found)
    for key, child in shape.lists:
        items = value.get(key)
        if type(items) is list:
            prefix = f"{path}.{key}" if path else key
            for index, item in enumerate(items):
                if type(item) is dict:
                    unknown_fields(item, child, f"{prefix}[{index}]", found)


METADATA = _shape(
    "name generateName namespace selfLink uid resourceVersion generation creationTimestamp "
    "deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences "
    "finalizers managedFields"
)
_PROBE = _shape(
    "exec httpGet tcpSocket grpc initialDelaySeconds timeoutSeconds periodSeconds "
    "successThreshold failureThreshold terminationGracePeriodSeconds",
    maps={
        "exec": _shape("command"),
        "httpGet": _shape("host path port scheme httpHeaders"),
        "tcpSocket": _shape("host port"),
        "grpc": _shape("port service"),
    },
)
_CONTAINER = _shape(
    "name image command args workingDir ports envFrom env resources resizePolicy "
    "restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe "
    "lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy "
    "securityContext stdin stdinOnce tty",
    maps={"livenessProbe": _PROBE, "readinessProbe": _PROBE, "startupProbe": _PROBE},
    lists={
        "ports": _shape("name hostPort containerPort protocol hostIP"),
        "env": _shape("name value valueFrom"),
    },
)
POD_SPEC = _shape(
    "volumes initContainers containers ephemeralContainers restartPolicy "
    "terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector "
    "serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork "
    "hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname "
    "subdomain affinity schedulerName tolerations hostAliases priorityClassName priority "
    "dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead "
    "topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims "
    "resources",
    lists={
        "containers": _CONTAINER,
        "initContainers": _CONTAINER,
        "tolerations": _shape("key operator value effect tolerationSeconds"),
    },
)
_TEMPLATE = _shape("metadata spec", maps={"metadata": METADATA, "spec": POD_SPEC})
_SELECTOR = _shape("matchLabels matchExpressions")

_SERVICE_SPEC = _shape(
    "ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP "
    "loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort "
    "publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy "
    "allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution",
    lists={"ports": _shape("name protocol appProtocol port targetPort nodePort")},
)
_BACKEND = _shape(
    "service resource",
    maps={"service": _shape("name port", maps={"port": _shape("name number")})},
)
_LEGACY_BACKEND = _shape("serviceName servicePort resource")


def _ingress_spec(backend_key: str, backend: Shape) -> Shape:
    path = _shape("path pathType backend", maps={"backend": backend})
    rule = _shape("host http", maps={"http": _shape("paths", lists={"paths": path})})
    return _shape(
        f"ingressClassName {backend_key} tls rules",
        maps={backend_key: backend},
        lists={"rules": rule, "tls": _shape("hosts secretName")},
    )


def _top(
    spec: Shape | None = None,
    keys: str = "apiVersion kind metadata spec status",
    lists: dict | None = None,
) -> Shape:
    maps = {"metadata": METADATA}
    if spec is not None:
        maps["spec"] = spec
    return _shape(keys, maps=maps, lists=lists)


TOP_LEVEL: dict[str, Shape] = {
    "Namespace": _top(_shape("finalizers")),
    "Node": _top(
        _shape("podCIDR podCIDRs providerID unschedulable taints configSource externalID")
    ),
    "Pod": _top(POD_SPEC),
    "ReplicationController": _top(
        _shape("replicas minReadySeconds selector template", maps={"template": _TEMPLATE})
    ),
    "ReplicaSet": _top(
        _shape(
            "replicas minReadySeconds selector template",
            maps={"template": _TEMPLATE, "selector": _SELECTOR},
        )
    ),
    "Deployment": _top(
        _shape(
            "replicas selector template strategy minReadySeconds revisionHistoryLimit paused "
            "progressDeadlineSeconds",
            maps={
                "template": _TEMPLATE,
                "selector": _SELECTOR,
                "strategy": _shape("type rollingUpdate"),
            },
        )
    ),
    "DaemonSet": _top(
        _shape(
            "selector template updateStrategy minReadySeconds revisionHistoryLimit",
            maps={"template": _TEMPLATE, "selector": _SELECTOR},
        )
    ),
    "StatefulSet": _top(
        _shape(
            "replicas selector template serviceName podManagementPolicy updateStrategy "
            "minReadySeconds revisionHistoryLimit volumeClaimTemplates ordinals "
            "persistentVolumeClaimRetentionPolicy",
            maps={"template": _TEMPLATE, "selector": _SELECTOR},
        )
    ),
    "Service": _top(_SERVICE_SPEC),
    "Endpoints": _top(
        keys="apiVersion kind metadata subsets",
        lists={
            "subsets": _shape(
                "addresses notReadyAddresses ports",
                lists={
                    "addresses": _shape("ip hostname nodeName targetRef"),
                    "notReadyAddresses": _shape("ip hostname nodeName targetRef"),
                    "ports": _shape("name port protocol appProtocol"),
                },
            ),
        },
    ),
    "Ingress": _top(_ingress_spec("defaultBackend", _BACKEND)),
    "IngressClass": _top(_shape("controller parameters")),
    "Secret": _top(keys="apiVersion kind metadata data stringData type immutable"),
    "ConfigMap": _top(keys="apiVersion kind metadata data binaryData immutable"),
    # Gateway API kinds: their specs' fields come from the CRD schemas (validation.crd).
    "GatewayClass": _top(),
    "Gateway": _top(),
    "HTTPRoute": _top(),
    "ReferenceGrant": _top(),
}
_PEER = _shape(
    "podSelector namespaceSelector ipBlock",
    maps={
        "podSelector": _SELECTOR,
        "namespaceSelector": _SELECTOR,
        "ipBlock": _shape("cidr except"),
    },
)
_POLICY_PORT = _shape("protocol port endPort")
TOP_LEVEL["NetworkPolicy"] = _top(
    _shape(
        "podSelector ingress egress policyTypes",
        maps={"podSelector": _SELECTOR},
        lists={
            "ingress": _shape("ports from", lists={"ports": _POLICY_PORT, "from": _PEER}),
            "egress": _shape("ports to", lists={"ports": _POLICY_PORT, "to": _PEER}),
        },
    )
)
LEGACY_INGRESS = _top(_ingress_spec("backend", _LEGACY_BACKEND))
