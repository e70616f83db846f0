"""Which API versions the simulated cluster serves, and what it says about older ones.

The simulated cluster is one current Kubernetes release (`simulator.version`). What learners
paste from older books falls into three groups, each explained in plain words next to
kubectl's own text:

* Removed versions a current cluster refuses with kubectl's ``no matches for kind``
  (`REMOVED`): Kubeplay refuses them too, and says which version to write instead.
* Legacy Ingresses (``extensions/v1beta1``, ``networking.k8s.io/v1beta1``): removed in
  v1.22, so a current cluster refuses them, but Kubeplay converts them
  (`simulator.legacy`) and says so in a warning (CONTRACT.md section 7).
* Versions still served with a deprecation warning (`DEPRECATED`): kubectl prints the API
  server's ``Warning: ...`` line; so does Kubeplay.

Sources: the Kubernetes deprecation guide (kubernetes.io/docs/reference/using-api/
deprecation-guide/), the v1.16 removal post (kubernetes.io/blog/2019/07/18/
api-deprecations-in-1-16/), KEP-4974 (v1 Endpoints deprecated in v1.33).
"""

from __future__ import annotations

from simulator import kinds
from simulator.version import KUBERNETES_VERSION, at_least

_APPS = ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")

# (apiVersion, kind) -> (the release that stopped serving it, the version to use now).
REMOVED: dict[tuple[str, str], tuple[str, str]] = {
    **{("extensions/v1beta1", kind): ("v1.16", "apps/v1") for kind in _APPS},
    **{("apps/v1beta1", kind): ("v1.16", "apps/v1") for kind in _APPS},
    **{("apps/v1beta2", kind): ("v1.16", "apps/v1") for kind in _APPS},
    ("extensions/v1beta1", "NetworkPolicy"): ("v1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress"): ("v1.22", "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): ("v1.22", "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "IngressClass"): ("v1.22", "networking.k8s.io/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): ("v1.25", "discovery.k8s.io/v1"),
}

# (apiVersion, kind) -> the API server's deprecation warning (kubectl adds "Warning: "),
# for the releases that send it.
DEPRECATED: dict[tuple[str, str], str] = {}
ENDPOINTS_DEPRECATION = (
    "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
)
if at_least(1, 33):
    DEPRECATED[("v1", "Endpoints")] = ENDPOINTS_DEPRECATION

_DEPRECATED_HINTS = {
    ("v1", "Endpoints"): (
        "A current cluster still accepts hand-written Endpoints (for a Service without a "
        "selector) and answers with this warning; tools now read EndpointSlices instead."
    ),
}


def minor(version: str = KUBERNETES_VERSION) -> str:
    """``v1.35`` for ``v1.35.0``: how release notes name a version."""
    return ".".join(version.split(".")[:2])


def deprecation(api_version: str, kind: str) -> tuple[str, str] | None:
    """The API server's warning for a served but deprecated version, and a plain hint."""
    message = DEPRECATED.get((api_version, kind))
    if message is None:
        return None
    return message, _DEPRECATED_HINTS.get((api_version, kind), "")


def converted_hint(api_version: str, kind: str) -> str:
    """Why a legacy Ingress gets a warning here and an error on a real cluster."""
    removed, use = REMOVED.get((api_version, kind), ("v1.22", "networking.k8s.io/v1"))
    return (
        f"Kubernetes stopped serving {kind} in {api_version} in {removed}: a current cluster "
        f'({minor()}) refuses it with “no matches for kind "{kind}" in version '
        f'"{api_version}"”. Kubeplay converts it to {use} (serviceName and servicePort '
        "become service.name and service.port, pathType ImplementationSpecific); write "
        f"apiVersion: {use} to use it on a real cluster."
    )


def unknown_type_hint(api_version: str, kind: str) -> str:
    """A plain sentence for kubectl's ``no matches for kind "K" in version "V"``.

    Names the version to write when the kind is served under another one (a removed
    version, or simply the wrong group), and the spelling when only the case differs.
    """
    removed = REMOVED.get((api_version, kind))
    if removed is not None:
        since, use = removed
        if kinds.resolve_manifest_type(use, kind) is not None:
            extra = ""
            if use == "apps/v1":
                extra = " (apps/v1 also requires spec.selector, matching the template's labels)"
            return (
                f"{kind} in {api_version} was removed in Kubernetes {since}; "
                f"write apiVersion: {use}{extra}."
            )
    known = kinds.by_kind(kind)
    if known is not None and known.creatable:
        return f"{kind} is served as {known.api_version}: write apiVersion: {known.api_version}."
    for resource in kinds.RESOURCE_TYPES:
        if resource.kind.lower() == kind.lower() and resource.creatable:
            return (
                f"Kinds are case-sensitive: write kind: {resource.kind} "
                f"(apiVersion: {resource.api_version})."
            )
    return ""
