"""Export (CONTRACT.md section 6): the objects a learner would apply, as YAML.

Left out: status, controller-made objects (Pods, ReplicaSets and EndpointSlices
owned by a controller, managed Endpoints), the default cluster's own objects,
and server-set fields (uid, resourceVersion, timestamps, allocated cluster IPs
and NodePorts unless the learner chose them, kubectl's last-applied record).
"""

from __future__ import annotations

import copy
import json

import yaml

from .admission import DEFAULT_TOLERATIONS
from .apply import LAST_APPLIED
from .state import ClusterState

ORDER = (
    "Namespace", "Node", "ConfigMap", "Secret", "IngressClass", "NetworkPolicy", "Service",
    "Endpoints", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "DaemonSet",
    "StatefulSet", "Ingress", "GatewayClass", "Gateway", "ReferenceGrant", "HTTPRoute",
)  # fmt: skip
SYSTEM_NAMESPACES = {"default", "ingress-nginx", "kube-system", "kube-public", "kube-node-lease"}
SYSTEM_OBJECTS = {
    ("Service", "default", "kubernetes"),
    ("Endpoints", "default", "kubernetes"),
    ("Service", "kube-system", "kube-dns"),
    ("Deployment", "kube-system", "coredns"),
    ("Deployment", "ingress-nginx", "ingress-nginx-controller"),
    ("IngressClass", "", "nginx"),
    ("GatewayClass", "", "nginx"),
}
SERVER_METADATA = ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
                   "ownerReferences", "selfLink", "deletionTimestamp")  # fmt: skip
SERVER_ANNOTATIONS = (LAST_APPLIED, "deployment.kubernetes.io/revision",
                      "endpoints.kubernetes.io/last-change-trigger-time")  # fmt: skip
DEFAULT_NODES = {"control-plane", "worker-1", "worker-2"}


class _Dumper(yaml.SafeDumper):
    """Block-style YAML without anchors: objects may share nested dicts."""

    def ignore_aliases(self, data) -> bool:  # noqa: ARG002 - yaml's signature
        return True


def exportable(state: ClusterState) -> list[dict]:
    """Clean copies of the objects to export, in an order `kubectl apply` accepts."""
    out = []
    for kind in ORDER:
        for obj in state.store.list(kind):
            meta = obj["metadata"]
            ref = (kind, meta.get("namespace", ""), meta["name"])
            if ref in SYSTEM_OBJECTS:
                continue
            if kind == "Namespace" and meta["name"] in SYSTEM_NAMESPACES:
                continue
            if meta.get("ownerReferences") and any(
                r.get("controller") for r in meta["ownerReferences"]
            ):
                continue
            if kind == "Endpoints" and state.endpoints.is_managed(ref[1:]):
                continue
            if kind == "Node" and meta["name"] in DEFAULT_NODES and not _node_changed(obj):
                continue
            out.append(_clean(obj))
    return out


def export_yaml(state: ClusterState) -> str:
    """Multi-document YAML of `exportable(state)`."""
    docs = exportable(state)
    if not docs:
        return ""
    return yaml.dump_all(docs, Dumper=_Dumper, sort_keys=False, default_flow_style=False)


def _node_changed(node: dict) -> bool:
    spec = node["spec"]
    taints = [
        t for t in spec.get("taints") or () if t["key"] != "node-role.kubernetes.io/control-plane"
    ]
    return bool(taints or spec.get("unschedulable"))


def _clean(obj: dict) -> dict:
    obj = copy.deepcopy(obj)
    obj.pop("status", None)
    meta = obj["metadata"]
    applied = _last_applied(meta)
    for key in SERVER_METADATA:
        meta.pop(key, None)
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if k not in SERVER_ANNOTATIONS}  # fmt: skip
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    kind = obj["kind"]
    if kind == "Namespace":
        labels = {k: v for k, v in (meta.get("labels") or {}).items()
                  if k != "kubernetes.io/metadata.name"}  # fmt: skip
        if labels:
            meta["labels"] = labels
        else:
            meta.pop("labels", None)
        obj.pop("spec", None)
    elif kind == "Node":
        spec = obj["spec"]
        spec.pop("podCIDR", None)
        spec.pop("podCIDRs", None)
    elif kind == "Service":
        _clean_service(obj["spec"], (applied or {}).get("spec") or {})
    elif kind == "Pod":
        _clean_pod(obj["spec"], (applied or {}).get("spec") or {})
    return {k: obj[k] for k in ("apiVersion", "kind", "metadata") if k in obj} | {
        k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")
    }


def _clean_service(spec: dict, applied: dict) -> None:
    """Drop the addresses the cluster chose; keep the ones the learner asked for."""
    if spec.get("clusterIP") != "None" and not applied.get("clusterIP"):
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    chosen = {p.get("nodePort") for p in applied.get("ports") or () if p.get("nodePort")}
    for port in spec.get("ports") or ():
        if port.get("nodePort") and port["nodePort"] not in chosen:
            del port["nodePort"]


def _clean_pod(spec: dict, applied: dict) -> None:
    """Drop what the scheduler and admission added to a bare pod."""
    if "nodeName" not in applied:
        spec.pop("nodeName", None)
    own = [t for t in spec.get("tolerations") or () if t not in DEFAULT_TOLERATIONS]
    if own:
        spec["tolerations"] = own
    else:
        spec.pop("tolerations", None)
    if spec.get("priority") == 0 and "priority" not in applied:
        del spec["priority"]
    if spec.get("serviceAccountName") == "default" and "serviceAccountName" not in applied:
        del spec["serviceAccountName"]


def _last_applied(meta: dict) -> dict | None:
    text = (meta.get("annotations") or {}).get(LAST_APPLIED)
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
