"""The topology as JSON-ready data, for drawing (`Cluster.snapshot()`).

One entry per object a viewer draws, with the relations already computed by
the simulator (which pods an Endpoints lists, which Service an Ingress rule
sends to), so the browser never works out Kubernetes behaviour itself.
"""

from __future__ import annotations

from .controllers.ownership import controller_ref
from .ipam import HOST_IP, INGRESS_IP
from .labels import format_selector, from_label_selector, from_match_labels
from .state import ClusterState


def snapshot(state: ClusterState) -> dict:
    """Nodes, pods, services, endpoints, ingresses and workloads with a sequence number."""
    store = state.store
    return {
        "seq": state.log.last_seq,
        "time": state.now,
        "host": {"ip": HOST_IP},
        "ingressController": {"ip": INGRESS_IP, "class": "nginx"},
        "nodes": [_node(state, n) for n in store.list("Node")],
        "pods": [_pod(state, p) for p in store.list("Pod")],
        "services": [_service(s) for s in store.list("Service")],
        "endpoints": [_endpoints(e) for e in store.list("Endpoints")],
        "ingresses": [_ingress(i) for i in store.list("Ingress")],
        "workloads": [
            _workload(w)
            for kind in ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet")
            for w in store.list(kind)
        ],
    }


def _node(state: ClusterState, node: dict) -> dict:
    labels = node["metadata"].get("labels") or {}
    roles = sorted(k.split("/", 1)[1] for k in labels if k.startswith("node-role.kubernetes.io/"))
    return {
        "name": node["metadata"]["name"],
        "ip": state.node_ip(node["metadata"]["name"]),
        "roles": roles,
        "unschedulable": bool(node["spec"].get("unschedulable")),
        "taints": [
            {"key": t["key"], "value": t.get("value", ""), "effect": t["effect"]}
            for t in node["spec"].get("taints") or ()
        ],
        "labels": labels,
    }


def _pod(state: ClusterState, pod: dict) -> dict:
    meta = pod["metadata"]
    status = pod.get("status") or {}
    ref = controller_ref(pod)
    ports = [
        {"name": cp.get("name", ""), "containerPort": cp["containerPort"],
         "protocol": cp.get("protocol", "TCP")}
        for c in pod["spec"].get("containers") or ()
        for cp in c.get("ports") or ()
    ]  # fmt: skip
    rt = state.runtime.get((meta["namespace"], meta["name"]))
    return {
        "namespace": meta["namespace"],
        "name": meta["name"],
        "node": pod["spec"].get("nodeName"),
        "ip": status.get("podIP"),
        "phase": status.get("phase"),
        "ready": state.pod_ready(meta["namespace"], meta["name"]),
        "labels": meta.get("labels") or {},
        "owner": {"kind": ref["kind"], "name": ref["name"]} if ref else None,
        "ports": ports,
        "hasReadinessProbe": bool(rt and rt.probes),
    }


def _service(svc: dict) -> dict:
    meta = svc["metadata"]
    spec = svc["spec"]
    lb = (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or []
    return {
        "namespace": meta["namespace"],
        "name": meta["name"],
        "type": spec.get("type", "ClusterIP"),
        "clusterIP": spec.get("clusterIP"),
        "headless": spec.get("clusterIP") == "None",
        "externalName": spec.get("externalName"),
        "loadBalancerIP": lb[0].get("ip") if lb else None,
        "selector": spec.get("selector") or None,
        "selectorText": format_selector(from_match_labels(spec.get("selector"))),
        "sessionAffinity": spec.get("sessionAffinity", "None"),
        "externalTrafficPolicy": spec.get("externalTrafficPolicy"),
        "publishNotReadyAddresses": bool(spec.get("publishNotReadyAddresses")),
        "ports": [
            {k: p[k] for k in ("name", "port", "targetPort", "nodePort", "protocol") if k in p}
            for p in spec.get("ports") or ()
        ],
    }


def _endpoints(ep: dict) -> dict:
    meta = ep["metadata"]
    addresses = []
    for subset in ep.get("subsets") or ():
        ports = [p["port"] for p in subset.get("ports") or ()]
        for ready, key in ((True, "addresses"), (False, "notReadyAddresses")):
            for a in subset.get(key) or ():
                ref = a.get("targetRef") or {}
                addresses.append({
                    "ip": a["ip"], "ports": ports, "ready": ready,
                    "pod": ref.get("name") if ref.get("kind") == "Pod" else None,
                    "node": a.get("nodeName"),
                })  # fmt: skip
    return {"namespace": meta["namespace"], "name": meta["name"], "addresses": addresses}


def _ingress(ing: dict) -> dict:
    meta = ing["metadata"]
    spec = ing.get("spec") or {}
    rules = []
    for rule in spec.get("rules") or ():
        for path in (rule.get("http") or {}).get("paths") or ():
            backend = (path.get("backend") or {}).get("service") or {}
            port = backend.get("port") or {}
            rules.append({
                "host": rule.get("host", ""), "path": path.get("path", "/"),
                "pathType": path.get("pathType"), "service": backend.get("name"),
                "port": port.get("number", port.get("name")),
            })  # fmt: skip
    default = ((spec.get("defaultBackend") or {}).get("service")) or None
    return {
        "namespace": meta["namespace"],
        "name": meta["name"],
        "class": spec.get("ingressClassName")
        or (meta.get("annotations") or {}).get("kubernetes.io/ingress.class"),
        "rules": rules,
        "defaultBackend": {"service": default.get("name"), "port": default.get("port")}
        if default
        else None,
        "tls": [
            {"hosts": t.get("hosts") or [], "secretName": t.get("secretName")}
            for t in spec.get("tls") or ()
        ],  # fmt: skip
    }


def _workload(obj: dict) -> dict:
    meta = obj["metadata"]
    spec = obj["spec"]
    status = obj.get("status") or {}
    kind = obj["kind"]
    selector = (
        from_match_labels(spec.get("selector"))
        if kind == "ReplicationController"
        else from_label_selector(spec.get("selector"))
    )
    ref = controller_ref(obj)
    return {
        "kind": kind,
        "namespace": meta["namespace"],
        "name": meta["name"],
        "replicas": spec.get("replicas", status.get("desiredNumberScheduled")),
        "ready": status.get("readyReplicas", status.get("numberReady", 0)),
        "selector": format_selector(selector),
        "owner": {"kind": ref["kind"], "name": ref["name"]} if ref else None,
    }
