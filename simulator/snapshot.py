"""The topology as JSON-ready data, for drawing (`Cluster.snapshot()`).

One entry per object a viewer draws, with the relations already computed by
the simulator (which pods an Endpoints lists, which Service an Ingress rule
sends to, which Gateway accepted an HTTPRoute and where its rules send, in
`snapshot_gateways`), so the browser never works out Kubernetes behaviour itself.
`snapshot_changes` keeps a copy current entry by entry, with these same
functions (`ENTRIES`).
"""

from __future__ import annotations

from collections.abc import Callable

from .controllers.ownership import controller_ref
from .ipam import HOST_IP, INGRESS_IP
from .labels import format_selector, from_label_selector, from_match_labels
from .netpol import EGRESS, INGRESS, policies_of, rule_text
from .snapshot_gateways import gateway_entry, httproute_entry
from .state import ClusterState

WORKLOAD_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "DaemonSet", "StatefulSet")


def snapshot(state: ClusterState) -> dict:
    """Nodes, pods, services, endpoints, ingresses and workloads with a sequence number."""
    store = state.store
    topology: dict = {
        "seq": state.log.last_seq,
        "time": state.now,
        "host": {"ip": HOST_IP},
        "ingressController": {"ip": INGRESS_IP, "class": "nginx"},
    }
    for kind, (collection, entry) in ENTRIES.items():
        topology.setdefault(collection, []).extend(entry(state, o) for o in store.list(kind))
    return topology


def node_entry(state: ClusterState, node: dict) -> dict:
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


def pod_status(pod: dict) -> str:
    """The word `kubectl get pods` shows in STATUS for the pod's stage: Terminating, a
    waiting container's reason (ContainerCreating), or the phase."""
    if "deletionTimestamp" in pod["metadata"]:
        return "Terminating"
    status = pod.get("status") or {}
    for cs in status.get("containerStatuses") or ():
        waiting = (cs.get("state") or {}).get("waiting")
        if waiting and waiting.get("reason"):
            return str(waiting["reason"])
    return str(status.get("phase") or "Pending")


def pod_entry(state: ClusterState, pod: dict) -> dict:
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
    policies = policies_of(state.store)
    policy_set = policies.policy_set()
    isolation: dict[str, list[str]] = {INGRESS: [], EGRESS: []}
    if policy_set:
        info = policies.pod_info(pod)
        for direction in (INGRESS, EGRESS):
            isolation[direction] = [p.ref.name for p in policy_set.selecting(info, direction)]
    entry = {
        "namespace": meta["namespace"],
        "name": meta["name"],
        "node": pod["spec"].get("nodeName"),
        "ip": status.get("podIP"),
        "phase": status.get("phase"),
        "status": pod_status(pod),
        "terminating": "deletionTimestamp" in meta,
        "ready": state.pod_ready(meta["namespace"], meta["name"]),
        "labels": meta.get("labels") or {},
        "owner": {"kind": ref["kind"], "name": ref["name"]} if ref else None,
        "ports": ports,
        "hasReadinessProbe": bool(rt and rt.probes),
        # The NetworkPolicies that isolate the pod, per direction (none: all traffic passes).
        "isolation": isolation,
    }
    if rt is not None and rt.probes:
        # When the first readiness probe runs, so a viewer can show it coming round.
        probe = rt.probes[0].check.probe
        entry["probe"] = {
            "kind": next((k for k in PROBE_HANDLERS if k in probe), ""),
            "periodSeconds": float(probe.get("periodSeconds", 10)),
            "initialDelaySeconds": float(probe.get("initialDelaySeconds", 0)),
            "startedAt": float(rt.started_at),
        }
    return entry


def service_entry(state: ClusterState, svc: dict) -> dict:
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


def endpoints_entry(state: ClusterState, ep: dict) -> dict:
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


def ingress_entry(state: ClusterState, ing: dict) -> dict:
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


def workload_entry(state: ClusterState, obj: dict) -> dict:
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


def networkpolicy_entry(state: ClusterState, obj: dict) -> dict:
    meta = obj["metadata"]
    spec = obj.get("spec") or {}
    policies = policies_of(state.store)
    policy = policies.policy_set().by_ref(meta["namespace"], meta["name"])
    namespace = meta["namespace"]
    selects = [
        pod["metadata"]["name"]
        for pod in state.store.list("Pod", namespace)
        if policy is not None and policy.selects(policies.pod_info(pod))
    ]
    rules: dict[str, list[str] | None] = {INGRESS: None, EGRESS: None}
    for direction in (INGRESS, EGRESS):
        found = policy.rules(direction) if policy is not None else None
        if policy is not None and found is not None:
            rules[direction] = [str(rule_text(policy, rule, direction)) for rule in found]
    return {
        "namespace": namespace,
        "name": meta["name"],
        "podSelector": format_selector(from_label_selector(spec.get("podSelector") or {})),
        "policyTypes": list(spec.get("policyTypes") or ()),
        "selects": selects,
        # Rules in words per direction; None for a direction the policy does not cover.
        "ingress": rules[INGRESS],
        "egress": rules[EGRESS],
    }


PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")

#: Each kind a viewer draws: its collection in the snapshot and how one object is shown.
ENTRIES: dict[str, tuple[str, Callable[[ClusterState, dict], dict]]] = {
    "Node": ("nodes", node_entry),
    "Pod": ("pods", pod_entry),
    "Service": ("services", service_entry),
    "Endpoints": ("endpoints", endpoints_entry),
    "Ingress": ("ingresses", ingress_entry),
    "NetworkPolicy": ("networkPolicies", networkpolicy_entry),
    **dict.fromkeys(WORKLOAD_KINDS, ("workloads", workload_entry)),
    "Gateway": ("gateways", gateway_entry),
    "HTTPRoute": ("httproutes", httproute_entry),
}
