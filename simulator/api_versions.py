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
from simulator.hints import hint
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

_DEPRECATED_HINTS = {("v1", "Endpoints"): "endpoints-deprecated"}  # sentences of hints.py


def minor(version: str = KUBERNETES_VERSION) -> str:
    """``v1.35`` for ``v1.35.0``: how release notes name a version."""
    return ".".join(version.split(".")[:2])


def deprecation(api_version: str, kind: str) -> tuple[str, str] | None:
    """The API server's warning for a served but deprecated version, and a plain hint."""
    message = DEPRECATED.get((api_version, kind))
    if message is None:
        return None
    key = _DEPRECATED_HINTS.get((api_version, kind))
    return message, hint(key) if key else ""


def converted_hint(api_version: str, kind: str) -> str:
    """Why a legacy Ingress gets a warning here and an error on a real cluster."""
    removed, use = REMOVED.get((api_version, kind), ("v1.22", "networking.k8s.io/v1"))
    return hint(
        "legacy-converted", kind=kind, api_version=api_version, removed=removed,
        current=minor(), use=use,
    )  # fmt: skip


def unknown_type_hint(api_version: str, kind: str) -> str:
    """A plain sentence for kubectl's ``no matches for kind "K" in version "V"``.

    Names the version to write when the kind is served under another one (a removed
    version, or simply the wrong group), and the spelling when only the case differs.
    """
    removed = REMOVED.get((api_version, kind))
    if removed is not None:
        since, use = removed
        if kinds.resolve_manifest_type(use, kind) is not None:
            key = "version-removed-apps" if use == "apps/v1" else "version-removed"
            return hint(key, kind=kind, api_version=api_version, since=since, use=use)
    known = kinds.by_kind(kind)
    if known is not None and known.creatable:
        return hint("served-as", kind=kind, api_version=known.api_version)
    for resource in kinds.RESOURCE_TYPES:
        if resource.kind.lower() == kind.lower() and resource.creatable:
            return hint(
                "kinds-case-sensitive", kind=resource.kind, api_version=resource.api_version
            )
    return ""
