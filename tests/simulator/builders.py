"""Tiny builders of API-shaped dicts for printer tests (no cluster needed).

Times are simulated seconds; `created=0` with `now=300` makes an object 5m old.
"""

from __future__ import annotations

from simulator.clock import timestamp


def meta(
    name: str,
    namespace: str | None = "default",
    labels: dict | None = None,
    created: float = 0.0,
    **extra,
) -> dict:
    out = {"name": name, "creationTimestamp": timestamp(created), "uid": f"uid-{name}"}
    if namespace is not None:
        out["namespace"] = namespace
    if labels:
        out["labels"] = dict(labels)
    out.update(extra)
    return out


def make_pod(
    name: str,
    labels: dict | None = None,
    ready: bool = True,
    *,
    namespace: str = "default",
    created: float = 0.0,
    ip: str = "10.244.1.5",
    node: str = "worker-1",
    phase: str = "Running",
    containers: int = 1,
    restarts: int = 0,
    owner: tuple[str, str] | None = None,
    readiness_probe: dict | None = None,
    image: str = "luksa/kubia",
    ports: tuple[int, ...] = (8080,),
) -> dict:
    """A pod as the kubelet reports it: Running with `containers` containers, Ready or not."""
    specs = []
    for i in range(containers):
        c = {
            "name": "kubia" if i == 0 else f"sidecar-{i}",
            "image": image,
            "ports": [{"containerPort": p, "protocol": "TCP"} for p in ports],
        }
        if readiness_probe and i == 0:
            c["readinessProbe"] = readiness_probe
        specs.append(c)
    started = timestamp(created)
    status: dict = {"phase": phase}
    if phase == "Running":
        status.update(
            hostIP="192.168.49.3",
            podIP=ip,
            podIPs=[{"ip": ip}],
            startTime=started,
            conditions=[
                {"type": "Initialized", "status": "True"},
                {"type": "Ready", "status": "True" if ready else "False"},
                {"type": "ContainersReady", "status": "True" if ready else "False"},
                {"type": "PodScheduled", "status": "True"},
            ],
            containerStatuses=[
                {
                    "name": c["name"],
                    "image": image,
                    "imageID": "",
                    "ready": ready,
                    "restartCount": restarts,
                    "started": True,
                    "containerID": "containerd://abc",
                    "state": {"running": {"startedAt": started}},
                }
                for c in specs
            ],
        )
    m = meta(name, namespace, labels, created)
    if owner:
        m["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": owner[0],
                "name": owner[1],
                "uid": f"uid-{owner[1]}",
                "controller": True,
            }
        ]
    spec = {"containers": specs}
    if phase == "Running":
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec, "status": status}


def make_service(
    name: str,
    selector: dict | None = None,
    ports: list[dict] | None = None,
    *,
    type: str = "ClusterIP",  # noqa: A002 - the API field's name
    cluster_ip: str = "10.96.12.7",
    namespace: str = "default",
    created: float = 0.0,
    lb_ips: list[str] | None = None,
    external_name: str | None = None,
) -> dict:
    """A Service; `ports` default to one unnamed 80 -> 8080 port."""
    spec: dict = {
        "type": type,
        "ports": ports
        if ports is not None
        else [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
        "sessionAffinity": "None",
    }
    if selector is not None:
        spec["selector"] = dict(selector)
    if type == "ExternalName":
        spec["externalName"] = external_name or "example.com"
    elif cluster_ip:
        spec.update(
            clusterIP=cluster_ip,
            clusterIPs=[cluster_ip],
            ipFamilies=["IPv4"],
            ipFamilyPolicy="SingleStack",
            internalTrafficPolicy="Cluster",
        )
    if type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Cluster"
    status: dict = {"loadBalancer": {}}
    if lb_ips:
        status["loadBalancer"] = {"ingress": [{"ip": ip} for ip in lb_ips]}
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(name, namespace, None, created),
        "spec": spec,
        "status": status,
    }


def make_endpoints(
    name: str,
    ready: list[str],
    not_ready: list[str] | None = None,
    *,
    port: int = 8080,
    port_name: str = "",
    namespace: str = "default",
    created: float = 0.0,
    subsets: bool = True,
) -> dict:
    """An Endpoints object with one subset (or none when `subsets=False`)."""
    obj = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": meta(name, namespace, None, created),
    }
    if subsets:
        subset: dict = {"ports": [{"port": port, "protocol": "TCP"}]}
        if port_name:
            subset["ports"][0]["name"] = port_name
        if ready:
            subset["addresses"] = [{"ip": ip} for ip in ready]
        if not_ready:
            subset["notReadyAddresses"] = [{"ip": ip} for ip in not_ready]
        obj["subsets"] = [subset]
    return obj


def make_slice(
    service: str,
    endpoints: list[tuple[str, bool]],
    *,
    port: int = 8080,
    port_name: str = "",
    namespace: str = "default",
    created: float = 0.0,
) -> dict:
    """An EndpointSlice of `service` with `(ip, ready)` endpoints."""
    labels = {
        "kubernetes.io/service-name": service,
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": meta(f"{service}-abcde", namespace, labels, created),
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": [
            {"addresses": [ip], "conditions": {"ready": ok, "serving": ok, "terminating": False}}
            for ip, ok in endpoints
        ],
    }


def make_node(
    name: str,
    *,
    ready: bool = True,
    roles: tuple[str, ...] = (),
    unschedulable: bool = False,
    ip: str = "192.168.49.2",
    created: float = 0.0,
    taints: list[dict] | None = None,
) -> dict:
    """A node with a Ready condition, role labels and an InternalIP."""
    labels = {"kubernetes.io/hostname": name}
    labels.update({f"node-role.kubernetes.io/{r}": "" for r in roles})
    spec: dict = {}
    if unschedulable:
        spec["unschedulable"] = True
    if taints:
        spec["taints"] = taints
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": meta(name, None, labels, created),
        "spec": spec,
        "status": {
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.31.0",
                "osImage": "Ubuntu 24.04.1 LTS",
                "kernelVersion": "6.8.0-45-generic",
                "containerRuntimeVersion": "containerd://1.7.22",
            },
        },
    }


def make_deployment(
    name: str,
    replicas: int = 3,
    ready: int = 3,
    *,
    namespace: str = "default",
    created: float = 0.0,
    image: str = "luksa/kubia",
) -> dict:
    """A Deployment selecting `app=NAME` with `ready` of `replicas` pods ready."""
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(name, namespace, labels, created),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {"containers": [{"name": name, "image": image}]},
            },
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": ready,
            "updatedReplicas": replicas,
            "availableReplicas": ready,
        },
    }


def make_ingress(
    name: str,
    rules: list[tuple[str, str, str, int]],
    *,
    tls_hosts: list[str] | None = None,
    address: str | None = None,
    class_name: str | None = "nginx",
    namespace: str = "default",
    created: float = 0.0,
) -> dict:
    """An Ingress from `(host, path, service, port)` rules (one rule per host, in order)."""
    by_host: dict[str, list] = {}
    for host, path, service, port in rules:
        by_host.setdefault(host, []).append(
            {
                "path": path,
                "pathType": "Prefix",
                "backend": {"service": {"name": service, "port": {"number": port}}},
            }
        )
    spec: dict = {"rules": []}
    for host, paths in by_host.items():
        rule: dict = {"http": {"paths": paths}}
        if host:
            rule["host"] = host
        spec["rules"].append(rule)
    if class_name:
        spec["ingressClassName"] = class_name
    if tls_hosts:
        spec["tls"] = [{"hosts": tls_hosts, "secretName": "tls-secret"}]
    status = {"loadBalancer": {"ingress": [{"ip": address}]} if address else {}}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta(name, namespace, None, created),
        "spec": spec,
        "status": status,
    }
