"""The resource-type registry: every kind Kubeplay knows, its names and its API group.

Every layer asks this module instead of spelling names itself: manifest decoding
(`resolve_manifest_type`), `kubectl get TYPE` (`lookup`), and printers (`qualified`,
`resource_qualified`) for lines such as ``deployment.apps/web created`` and
``deployments.apps "x" not found``.

Choices:

* ``EndpointSlice`` and ``Event`` are readable but not creatable (``creatable=False``):
  the simulated controllers own them, and a hand-written EndpointSlice would silently
  fight the endpoint-slice controller. Manual endpoints go through a selector-less
  Service plus an ``Endpoints`` object, as the books teach.
* Legacy Ingress versions (``extensions/v1beta1``, ``networking.k8s.io/v1beta1``) map to
  the Ingress type; the caller converts them (`simulator.legacy`) and warns.
* The Gateway API kinds are installed as the standard channel's CRDs (v1.6): every kind is
  served as ``v1`` and ``v1beta1`` (the same schema), ``v1`` is the preferred version that
  kubectl prints. Short names are the CRDs' (``gc``, ``gtw``, ``refgrant``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResourceType:
    """One API resource type, as discovery would describe it."""

    kind: str
    plural: str
    singular: str
    short_names: tuple[str, ...]
    group: str
    version: str
    namespaced: bool
    creatable: bool = True

    @property
    def api_version(self) -> str:
        """``v1`` for the core group, else ``group/version`` (``apps/v1``)."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """Singular name with its group, as kubectl prints it: ``deployment.apps``."""
        return f"{self.singular}.{self.group}" if self.group else self.singular

    @property
    def resource_qualified(self) -> str:
        """Plural name with its group, as API errors print it: ``deployments.apps``."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


GATEWAY_GROUP = "gateway.networking.k8s.io"
#: The Gateway API kinds (CONTRACT.md section 8), in the order a cluster needs them.
GATEWAY_KINDS = ("GatewayClass", "Gateway", "HTTPRoute", "ReferenceGrant")

RESOURCE_TYPES: tuple[ResourceType, ...] = (
    ResourceType("Namespace", "namespaces", "namespace", ("ns",), "", "v1", False),
    ResourceType("Node", "nodes", "node", ("no",), "", "v1", False),
    ResourceType("Pod", "pods", "pod", ("po",), "", "v1", True),
    ResourceType(
        "ReplicationController",
        "replicationcontrollers",
        "replicationcontroller",
        ("rc",),
        "",
        "v1",
        True,
    ),
    ResourceType("ReplicaSet", "replicasets", "replicaset", ("rs",), "apps", "v1", True),
    ResourceType("Deployment", "deployments", "deployment", ("deploy",), "apps", "v1", True),
    ResourceType("DaemonSet", "daemonsets", "daemonset", ("ds",), "apps", "v1", True),
    ResourceType("StatefulSet", "statefulsets", "statefulset", ("sts",), "apps", "v1", True),
    ResourceType(
        "ControllerRevision",
        "controllerrevisions",
        "controllerrevision",
        (),
        "apps",
        "v1",
        True,
        creatable=False,
    ),
    ResourceType("Service", "services", "service", ("svc",), "", "v1", True),
    ResourceType("Endpoints", "endpoints", "endpoints", ("ep",), "", "v1", True),
    ResourceType(
        "EndpointSlice",
        "endpointslices",
        "endpointslice",
        (),
        "discovery.k8s.io",
        "v1",
        True,
        creatable=False,
    ),
    ResourceType("Ingress", "ingresses", "ingress", ("ing",), "networking.k8s.io", "v1", True),
    ResourceType(
        "NetworkPolicy",
        "networkpolicies",
        "networkpolicy",
        ("netpol",),
        "networking.k8s.io",
        "v1",
        True,
    ),
    ResourceType(
        "IngressClass",
        "ingressclasses",
        "ingressclass",
        (),
        "networking.k8s.io",
        "v1",
        False,
    ),
    ResourceType("Secret", "secrets", "secret", (), "", "v1", True),
    ResourceType("ConfigMap", "configmaps", "configmap", ("cm",), "", "v1", True),
    ResourceType("Event", "events", "event", ("ev",), "", "v1", True, creatable=False),
    ResourceType(
        "GatewayClass", "gatewayclasses", "gatewayclass", ("gc",), GATEWAY_GROUP, "v1", False
    ),
    ResourceType("Gateway", "gateways", "gateway", ("gtw",), GATEWAY_GROUP, "v1", True),
    ResourceType("HTTPRoute", "httproutes", "httproute", (), GATEWAY_GROUP, "v1", True),
    ResourceType(
        "ReferenceGrant",
        "referencegrants",
        "referencegrant",
        ("refgrant",),
        GATEWAY_GROUP,
        "v1",
        True,
    ),
)

# apiVersions that older books use and that Kubeplay still accepts (converted on the way in).
LEGACY_INGRESS_VERSIONS: frozenset[str] = frozenset(
    {"extensions/v1beta1", "networking.k8s.io/v1beta1"}
)

_BY_KIND: dict[str, ResourceType] = {t.kind: t for t in RESOURCE_TYPES}
_BY_MANIFEST: dict[tuple[str, str], ResourceType] = {
    (t.api_version, t.kind): t for t in RESOURCE_TYPES
}
for _legacy in LEGACY_INGRESS_VERSIONS:
    _BY_MANIFEST[(_legacy, "Ingress")] = _BY_KIND["Ingress"]
# Every Gateway API CRD also serves v1beta1 (ReferenceGrant stores it); v1 is preferred.
for _kind in GATEWAY_KINDS:
    _BY_MANIFEST[(f"{GATEWAY_GROUP}/v1beta1", _kind)] = _BY_KIND[_kind]


def _names(t: ResourceType) -> list[str]:
    names = [t.kind.lower(), t.plural, t.singular, *t.short_names]
    if t.group:
        for base in (t.plural, t.singular, t.kind.lower()):
            names += [f"{base}.{t.group}", f"{base}.{t.version}.{t.group}"]
    return names


_BY_NAME: dict[str, ResourceType] = {n: t for t in RESOURCE_TYPES for n in _names(t)}


def lookup(type_name: str) -> ResourceType | None:
    """Find a type the way ``kubectl get TYPE`` does.

    Args:
        type_name: a kind, plural, singular or short name, optionally group-qualified
            (``deployments.apps``, ``deploy``, ``Service``); case-insensitive.

    Returns:
        The resource type, or None when kubectl would say
        ``error: the server doesn't have a resource type "TYPE"``.
    """
    return _BY_NAME.get(type_name.lower())


def by_kind(kind: str) -> ResourceType | None:
    """Return the type whose ``kind`` is exactly ``kind`` (case-sensitive, as in manifests)."""
    return _BY_KIND.get(kind)


def of_kind(kind: str) -> ResourceType:
    """The type of a kind known to be served: a validated document's, a stored object's.

    Raises:
        KeyError: the kind is not one the simulator serves (a bug in the caller).
    """
    return _BY_KIND[kind]


def resolve_manifest_type(api_version: str, kind: str) -> ResourceType | None:
    """Map a manifest's ``apiVersion`` and ``kind`` to a type, as the REST mapper does.

    Kinds are case-sensitive and must come with a served version: ``apps/v1beta1``
    Deployments are gone, as in any cluster since v1.16. Legacy Ingress versions resolve to
    the Ingress type (the caller converts the object).

    Returns:
        The type, or None when kubectl reports ``no matches for kind "K" in version "V"``.
    """
    return _BY_MANIFEST.get((api_version, kind))
