"""The cluster's NetworkPolicies over its object store, compiled once per change.

`ClusterPolicies` is what the network and the inspector ask: the current `PolicySet`
(rebuilt only when a NetworkPolicy was written or removed; namespaces' labels are read
live), a pod as policies see it (`PodInfo`, cached per resourceVersion), and a pod's
workload for the matrix. With no NetworkPolicy in the cluster `policy_set()` costs one
count lookup, so requests in a cluster without policies pay nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

from .engine import PodInfo, PolicySet
from .matrix import Matrix, MatrixPod, build_matrix
from .model import compile_policy

#: Rooms with at most this many running pods get one matrix row and column per pod.
MATRIX_PODS = 12

_NO_LABELS: Mapping[str, str] = {}


class ClusterPolicies:
    """NetworkPolicies and pods of one store, as the policy engine takes them.

    Args:
        store: the cluster's object store (`get`, `list`, `count`, `items`).
    """

    def __init__(self, store) -> None:
        # A weak proxy: the store outlives no view, and `policies_of` keys views by store.
        self._store = weakref.proxy(store)
        self._empty = PolicySet((), self.namespace_labels)
        self._set = self._empty
        self._signature: tuple = ()
        self._revision = -1
        self._pods: dict[tuple[str, str], tuple[str, PodInfo]] = {}

    def namespace_labels(self, namespace: str) -> Mapping[str, str]:
        """A namespace's labels ({} when it does not exist)."""
        obj = self._store.get("Namespace", "", namespace)
        return (obj["metadata"].get("labels") or _NO_LABELS) if obj else _NO_LABELS

    def pods(self) -> list[dict]:
        """Every pod of the cluster, by namespace and name."""
        return self._store.list("Pod")

    def namespaces(self) -> list[str]:
        """The names of the cluster's namespaces, sorted."""
        return [obj["metadata"]["name"] for obj in self._store.list("Namespace")]

    def policy_set(self) -> PolicySet:
        """The cluster's policies, recompiled only after a NetworkPolicy changed."""
        store = self._store
        if not store.count("NetworkPolicy"):
            return self._empty
        if store.revision != self._revision:
            self._revision = store.revision
            signature = tuple(
                sorted(
                    (key, obj["metadata"].get("resourceVersion", ""))
                    for key, obj in store.items("NetworkPolicy")
                )
            )
            if signature != self._signature:
                self._signature = signature
                policies = [compile_policy(obj) for obj in store.list("NetworkPolicy")]
                self._set = PolicySet(policies, self.namespace_labels)
        return self._set

    def pod_info(self, pod: dict) -> PodInfo:
        """`pod` as policies see it (labels, address, node, named ports)."""
        meta = pod["metadata"]
        key = (meta.get("namespace", "default"), meta["name"])
        version = meta.get("resourceVersion", "")
        cached = self._pods.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        spec = pod.get("spec") or {}
        named = {
            (port["name"], port.get("protocol") or "TCP"): port["containerPort"]
            for container in spec.get("containers") or ()
            for port in container.get("ports") or ()
            if port.get("name") and port.get("containerPort")
        }
        info = PodInfo(
            key[0],
            key[1],
            meta.get("labels") or _NO_LABELS,
            (pod.get("status") or {}).get("podIP") or "",
            spec.get("nodeName"),
            named,
            spec.get("hostNetwork") is True,
        )
        if len(self._pods) > 50_000:
            self._pods.clear()
        self._pods[key] = (version, info)
        return info

    def _dns_servers(self) -> set[tuple[str, str]]:
        """The pods behind the cluster's DNS Service (kube-system/kube-dns)."""
        endpoints = self._store.get("Endpoints", "kube-system", "kube-dns") or {}
        return {
            ("kube-system", (address.get("targetRef") or {}).get("name", ""))
            for subset in endpoints.get("subsets") or ()
            for address in subset.get("addresses") or ()
        }

    def workload(self, pod: dict) -> str:
        """The name of the workload that runs `pod` (its Deployment through its ReplicaSet,
        else its controller), or the pod's own name for a bare pod."""
        meta = pod["metadata"]
        for ref in meta.get("ownerReferences") or ():
            if not ref.get("controller"):
                continue
            if ref.get("kind") == "ReplicaSet":
                owner = self._store.get("ReplicaSet", meta.get("namespace", ""), ref["name"])
                for up in ((owner or {}).get("metadata") or {}).get("ownerReferences") or ():
                    if up.get("controller") and up.get("kind") == "Deployment":
                        return up["name"]
            return ref.get("name", meta["name"])
        return meta["name"]

    def matrix(self, by_pod: bool | None = None) -> Matrix:
        """Who reaches whom among the running pods (per pod in small clusters).

        Args:
            by_pod: one row per pod (True), per workload (False), or per pod when at most
                `MATRIX_PODS` pods run (None).
        """
        pods = []
        dns = self._dns_servers()
        for pod in self.pods():
            status = pod.get("status") or {}
            if status.get("phase") != "Running" or not status.get("podIP"):
                continue
            info = self.pod_info(pod)
            ports = sorted(
                {
                    (port.get("protocol") or "TCP", port["containerPort"])
                    for container in (pod.get("spec") or {}).get("containers") or ()
                    for port in container.get("ports") or ()
                    if port.get("containerPort")
                }
            )
            key = (info.namespace, info.name)
            pods.append(MatrixPod(info, self.workload(pod), tuple(ports), key in dns))
        if by_pod is None:
            by_pod = len(pods) <= MATRIX_PODS
        return build_matrix(self.policy_set(), pods, by_pod=by_pod)


_VIEWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def policies_of(store) -> ClusterPolicies:
    """The one `ClusterPolicies` of a store, shared by the network, the snapshot and the
    inspector (so policies compile once per change); it goes when the store goes."""
    view = _VIEWS.get(store)
    if view is None:
        view = _VIEWS[store] = ClusterPolicies(store)
    return view
