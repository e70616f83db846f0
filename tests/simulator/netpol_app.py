"""The small app the NetworkPolicy enforcement tests apply, and their helpers: web (two
pods behind a Service, port 80 -> the pods' named port http, 8080), and the pods client
and other."""

from __future__ import annotations

from simulator import Cluster

from .conftest import apply

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers: [{name: c, image: curlimages/curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: other, labels: {app: other}}
spec:
  containers: [{name: c, image: curlimages/curl}]
"""

DENY_WEB = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-deny-all}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: []
"""


def policy(name: str, spec: str, namespace: str = "default") -> str:
    return (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata: {{name: {name}, namespace: {namespace}}}\nspec:\n{spec}"
    )


def app_cluster() -> Cluster:
    """A fresh cluster running APP, its pods ready."""
    cluster = Cluster(seed=0)
    apply(cluster, APP)
    cluster.advance(6)  # readiness probes pass
    return cluster


def curl(cluster: Cluster, source: str, url: str, options: str = "--connect-timeout 2"):
    """`kubectl exec SOURCE -- curl -sS OPTIONS URL`: (result, its one trace)."""
    result = cluster.run(f"kubectl exec {source} -- curl -sS {options} {url}")
    (trace,) = result.traces
    return result, trace


def web_pods(cluster: Cluster) -> list[dict]:
    return [
        p
        for p in cluster.state.store.list("Pod", "default")
        if p["metadata"]["labels"].get("app") == "web"
    ]


EGRESS_DENY = policy(
    "client-egress",
    "  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n",
)
ALLOW_DNS = policy(
    "client-dns",
    "  podSelector: {matchLabels: {app: client}}\n"
    "  policyTypes: [Egress]\n"
    "  egress:\n"
    "  - to:\n"
    "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n"
    "      podSelector: {matchLabels: {k8s-app: kube-dns}}\n"
    "    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n",
)


def node_ips(cluster: Cluster) -> dict[str, str]:
    return {
        n["metadata"]["name"]: next(
            a["address"] for a in n["status"]["addresses"] if a["type"] == "InternalIP"
        )
        for n in cluster.state.store.list("Node")
    }
