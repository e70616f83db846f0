"""The default cluster (CONTRACT.md section 3): three nodes, system namespaces and services.

It looks like a fresh kubeadm cluster that has been up for 20 days: a tainted
control-plane node and two workers, the `kubernetes` Service in `default`,
CoreDNS behind `kube-dns` at 10.96.0.10, and ingress-nginx's IngressClass.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from . import kinds
from .apply import apply_one
from .clock import timestamp
from .gatewayapi.model import CLASS_NAME, CONTROLLER_NAME
from .ipam import DNS_SERVICE_IP, KUBERNETES_SERVICE_IP

if TYPE_CHECKING:
    from .state import ClusterState

AGE = 20 * 86400  # seconds the default objects have existed when the cluster starts

NODES: tuple[tuple[str, dict[str, str], list[dict]], ...] = (
    ("control-plane", {"node-role.kubernetes.io/control-plane": ""},
     [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]),
    ("worker-1", {}, []),
    ("worker-2", {}, []),
)  # fmt: skip

COREDNS_POD_SPEC = {
    "containers": [
        {
            "name": "coredns",
            "image": "registry.k8s.io/coredns/coredns:v1.11.3",
            "imagePullPolicy": "IfNotPresent",
            "args": ["-conf", "/etc/coredns/Corefile"],
            "ports": [
                {"name": "dns", "containerPort": 53, "protocol": "UDP"},
                {"name": "dns-tcp", "containerPort": 53, "protocol": "TCP"},
                {"name": "metrics", "containerPort": 9153, "protocol": "TCP"},
            ],
        }
    ],
    "dnsPolicy": "Default",
    "priorityClassName": "system-cluster-critical",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "serviceAccountName": "coredns",
    "nodeSelector": {"kubernetes.io/os": "linux"},
    "tolerations": [
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"},
    ],
}


# ingress-nginx as minikube's addon runs it: one controller pod bound to the node's
# ports 80/443 (our INGRESS_IP stands for that address); pods behind an Ingress see
# this pod's IP as the client.
INGRESS_LABELS = {
    "app.kubernetes.io/component": "controller",
    "app.kubernetes.io/instance": "ingress-nginx",
    "app.kubernetes.io/name": "ingress-nginx",
}
INGRESS_POD_SPEC = {
    "containers": [
        {
            "name": "controller",
            "image": "registry.k8s.io/ingress-nginx/controller:v1.11.2",
            "imagePullPolicy": "IfNotPresent",
            "args": [
                "/nginx-ingress-controller",
                "--election-id=ingress-nginx-leader",
                "--controller-class=k8s.io/ingress-nginx",
                "--watch-ingress-without-class=true",
            ],
            "ports": [
                {"name": "http", "containerPort": 80, "hostPort": 80, "protocol": "TCP"},
                {"name": "https", "containerPort": 443, "hostPort": 443, "protocol": "TCP"},
                {"name": "webhook", "containerPort": 8443, "protocol": "TCP"},
            ],
        }
    ],
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "serviceAccountName": "ingress-nginx",
    "nodeSelector": {"kubernetes.io/os": "linux"},
    "tolerations": [
        {"key": "node-role.kubernetes.io/control-plane", "operator": "Equal",
         "effect": "NoSchedule"},
    ],
}  # fmt: skip


def default_objects() -> list[dict]:
    """The objects a new cluster starts with, in creation order."""
    objs: list[dict] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
        for ns in ("default", "ingress-nginx", "kube-node-lease", "kube-public", "kube-system")
    ]
    for name, labels, taints in NODES:
        spec = {"taints": taints} if taints else {}
        objs.append({"apiVersion": "v1", "kind": "Node",
                     "metadata": {"name": name, "labels": dict(labels)}, "spec": spec})  # fmt: skip
    objs += [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": {"component": "apiserver", "provider": "kubernetes"},
            },
            "spec": {
                "clusterIP": KUBERNETES_SERVICE_IP,
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                "sessionAffinity": "None",
                "type": "ClusterIP",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "internalTrafficPolicy": "Cluster",
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kube-dns",
                "namespace": "kube-system",
                "labels": {
                    "k8s-app": "kube-dns",
                    "kubernetes.io/cluster-service": "true",
                    "kubernetes.io/name": "CoreDNS",
                },
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
            },
            "spec": {
                "clusterIP": DNS_SERVICE_IP,
                "selector": {"k8s-app": "kube-dns"},
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
                ],
                "sessionAffinity": "None",
                "type": "ClusterIP",
                "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "internalTrafficPolicy": "Cluster",
            },
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "coredns", "namespace": "kube-system",
                         "labels": {"k8s-app": "kube-dns"}},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                "strategy": {"type": "RollingUpdate",
                             "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}},
                             "spec": COREDNS_POD_SPEC},
            },
        },
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "ingress-nginx-controller",
                "namespace": "ingress-nginx",
                "labels": INGRESS_LABELS,
            },
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": INGRESS_LABELS},
                "strategy": {"type": "RollingUpdate",
                             "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
                "template": {"metadata": {"labels": INGRESS_LABELS}, "spec": INGRESS_POD_SPEC},
            },
        },
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {
                "name": "nginx",
                "labels": {"app.kubernetes.io/component": "controller",
                           "app.kubernetes.io/instance": "ingress-nginx",
                           "app.kubernetes.io/name": "ingress-nginx"},
                "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
            },
            "spec": {"controller": "k8s.io/ingress-nginx"},
        },
    ]  # fmt: skip
    return objs


def kubernetes_endpoints(control_plane_ip: str) -> dict:
    """The apiserver's Endpoints: the control-plane node on 6443."""
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {
                "addresses": [{"ip": control_plane_ip}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
            }
        ],
    }


def gateway_class(created: str) -> dict:
    """The GatewayClass ``nginx`` NGINX Gateway Fabric's Helm chart installs (its status is
    written by the controller when the cluster settles)."""
    return {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "GatewayClass",
        "metadata": {
            "name": CLASS_NAME,
            "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, "kubeplay:gatewayclass/nginx")),
            "creationTimestamp": created,
            "generation": 1,
            "labels": {"app.kubernetes.io/instance": "ngf",
                       "app.kubernetes.io/name": "nginx-gateway-fabric",
                       "app.kubernetes.io/version": "2.6.7"},
        },
        "spec": {"controllerName": CONTROLLER_NAME},
    }  # fmt: skip


def bootstrap(state: ClusterState) -> None:
    """Create the default objects as of `AGE` seconds before simulated time 0."""
    state.clock.now = -AGE
    for obj in default_objects():
        apply_one(state, obj, None, kinds.of_kind(obj["kind"]), "create")
    endpoints = kubernetes_endpoints(state.node_ip("control-plane"))
    apply_one(state, endpoints, None, kinds.of_kind("Endpoints"), "create")
    # Installed with NGINX Gateway Fabric, after the rest: its fixed UID draws nothing from
    # the cluster's generator, so every name made later is as it was before Gateway API.
    state.store.put(gateway_class(timestamp(state.now)))
    state.settle()
    state.clock.now = 0.0
