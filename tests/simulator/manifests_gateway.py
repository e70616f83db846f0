"""A Gateway in front of two kubia pods: the starting point of the Gateway API's tests."""

from __future__ import annotations

#: A Deployment `web` (two kubia pods) and its Service.
WEB_APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: luksa/kubia, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""

#: WEB_APP and an NGINX Gateway Fabric Gateway `gw`.
WEB = (
    WEB_APP
    + """---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  gatewayClassName: nginx
  listeners: [{name: http, port: 80, protocol: HTTP}]
"""
)

#: The rule of an HTTPRoute that sends everything to the Service `web`.
TO_WEB = "  - backendRefs: [{name: web, port: 80}]"


def route(rules: str, name: str = "web", hostnames: str = "[web.example.com]") -> str:
    """An HTTPRoute attached to `gw` with `rules` (YAML lines under `rules:`)."""
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}}}
spec:
  parentRefs: [{{name: gw}}]
  hostnames: {hostnames}
  rules:
{rules}
"""
