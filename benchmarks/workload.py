"""Generated scenarios for the benchmarks: many Services, Deployments and nodes."""

from __future__ import annotations

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels:
    app: app-{i}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: app-{i}
  template:
    metadata:
      labels:
        app: app-{i}
        tier: backend
    spec:
      containers:
      - name: web
        image: luksa/kubia
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          exec:
            command: ["ls", "/var/ready"]
          periodSeconds: 10
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
  labels:
    app: app-{target}
spec:
  selector:
    app: app-{target}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
    targetPort: 8080
"""

NODE = """apiVersion: v1
kind: Node
metadata:
  name: node-{i:03d}
  labels:
    topology.kubernetes.io/zone: zone-{zone}
"""


INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing-{h}
spec:
  rules:
  - host: {prefix}-{h}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {{service: {{name: svc-{s}, port: {{number: 80}}}}}}
      - path: /api
        pathType: Prefix
        backend: {{service: {{name: svc-{s}, port: {{number: 80}}}}}}
"""


def ingresses(hosts: int, services: int, prefix: str = "app") -> str:
    """Multi-document YAML of `hosts` Ingresses, host `{prefix}-{h}.example.com` with `/` and
    `/api` to the Service `svc-{h % services}`."""
    return "---\n".join(INGRESS.format(h=h, s=h % services, prefix=prefix) for h in range(hosts))


def manifest(services: int = 1000, deployments: int = 200, replicas: int = 50,
             nodes: int = 100) -> str:  # fmt: skip
    """Multi-document YAML: `nodes` extra Nodes (a kubelet runs at most 110 pods),
    `deployments` Deployments of `replicas` pods, and `services` Services spread
    over the Deployments (five per Deployment at the default sizes)."""
    docs = [NODE.format(i=i, zone=i % 3) for i in range(nodes)]
    docs += [DEPLOYMENT.format(i=i, replicas=replicas) for i in range(deployments)]
    docs += [SERVICE.format(i=i, target=i % deployments) for i in range(services)]
    return "---\n".join(docs)
