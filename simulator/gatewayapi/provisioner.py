"""The data plane NGINX Gateway Fabric provisions for each Gateway it manages.

NGF v2 (``internal/controller/provisioner/objects.go``) runs one nginx per Gateway, in the
Gateway's namespace, both named ``<gateway>-<class>`` (``gateway-nginx``): a Deployment of
one nginx pod, and a Service of type ``LoadBalancer`` (``externalTrafficPolicy: Local``)
with a port per listener port (``port-80``, ``port-443``). The Gateway's address is that
Service's load-balancer address. Both are owned by the Gateway (garbage-collected with it)
and carry NGF's labels: ``app.kubernetes.io/instance: ngf``,
``app.kubernetes.io/managed-by: ngf-nginx``, ``app.kubernetes.io/name: <gateway>-nginx``
and ``gateway.networking.k8s.io/gateway-name: <gateway>``.

This is the data plane's identity as traffic sees it: requests a Gateway routes leave from
that pod (its IP is the source address the backends see), which is what a NetworkPolicy
selecting the backends must allow (for example with a ``podSelector`` on
``gateway.networking.k8s.io/gateway-name``). NGF also creates a ServiceAccount, Role,
RoleBinding, ConfigMaps and Secrets for the agent in that pod; Kubeplay leaves those out,
and its nginx pod has no readiness probe (it is ready as soon as it runs).
"""

from __future__ import annotations

from .model import CLASS_NAME

IMAGE = "ghcr.io/nginx/nginx-gateway-fabric/nginx:2.6.7"
INSTANCE = "ngf"
GATEWAY_LABEL = "gateway.networking.k8s.io/gateway-name"
MAX_NAME = 63


def data_plane_name(gateway: str) -> str:
    """``<gateway>-nginx`` (NGF's ``CreateNginxResourceName``; names are shortened past 63)."""
    name = f"{gateway}-{CLASS_NAME}"
    return name if len(name) <= MAX_NAME else name[:MAX_NAME]


def selector_labels(gateway: str) -> dict[str, str]:
    """The labels that select a Gateway's nginx pods."""
    return {
        "app.kubernetes.io/instance": INSTANCE,
        "app.kubernetes.io/managed-by": f"{INSTANCE}-{CLASS_NAME}",
        "app.kubernetes.io/name": data_plane_name(gateway),
        GATEWAY_LABEL: gateway,
    }


def _ports(gateway: dict) -> list[int]:
    ports = []
    for listener in (gateway.get("spec") or {}).get("listeners") or ():
        port = listener.get("port")
        if isinstance(port, int) and port not in ports:
            ports.append(port)
    return sorted(ports)


def _owner(gateway: dict) -> list[dict]:
    meta = gateway["metadata"]
    return [{
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }]  # fmt: skip


def data_plane(gateway: dict) -> tuple[dict, dict]:
    """The Deployment and the LoadBalancer Service that serve one Gateway.

    Args:
        gateway: the stored Gateway (its uid names the owner).

    Returns:
        ``(deployment, service)`` manifests, ready to be created or compared.
    """
    meta = gateway["metadata"]
    name, namespace = data_plane_name(meta["name"]), meta.get("namespace", "default")
    labels = selector_labels(meta["name"])
    ports = _ports(gateway)
    object_meta = {"name": name, "namespace": namespace, "labels": dict(labels),
                   "annotations": {GATEWAY_LABEL: meta["name"]},
                   "ownerReferences": _owner(gateway)}  # fmt: skip
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": object_meta,
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "containers": [{
                        "name": "nginx",
                        "image": IMAGE,
                        "ports": [{"name": f"port-{p}", "containerPort": p, "protocol": "TCP"}
                                  for p in ports],
                    }],
                    "serviceAccountName": name,
                },
            },
        },
    }  # fmt: skip
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {**object_meta, "labels": dict(labels)},
        "spec": {
            "type": "LoadBalancer",
            "externalTrafficPolicy": "Local",
            "selector": dict(labels),
            "ports": [{"name": f"port-{p}", "port": p, "targetPort": p, "protocol": "TCP"}
                      for p in ports],
        },
    }  # fmt: skip
    return deployment, service
