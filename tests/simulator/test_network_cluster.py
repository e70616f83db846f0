"""The network over the real ClusterState, through `Cluster` as lessons drive it."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import Cluster

ROOT = Path(__file__).resolve().parents[2]

KUBIA = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 3
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports: [{containerPort: 8080}]
        readinessProbe:
          exec: {command: [ls, /var/ready]}
---
apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: kubia}
spec:
  rules:
  - host: kubia.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: kubia, port: {number: 80}}}}
"""


@pytest.fixture
def cluster() -> Cluster:
    cluster = Cluster(seed=0)
    result = cluster.run("kubectl apply -f -", stdin=KUBIA)
    assert result.exit_code == 0, result.stderr
    cluster.advance(15)  # the readiness probes have run (and failed)
    return cluster


def pods(cluster: Cluster) -> list[str]:
    return sorted(
        p["metadata"]["name"]
        for p in cluster.state.store.list("Pod", "default")
        if p["metadata"]["name"].startswith("kubia-")
    )


def test_unready_pods_refuse_then_serve_once_ready(cluster: Cluster) -> None:
    first = pods(cluster)[0]
    refused = cluster.run(f"kubectl exec {first} -- curl -s http://kubia")
    assert refused.exit_code != 0
    trace = refused.traces[0]
    assert trace.outcome == "refused"
    assert trace.reason.startswith("service kubia has no ready endpoints: none of its 3 pods")
    assert "fails its readiness probe (ls:" in trace.reason
    for name in pods(cluster):
        assert cluster.run(f"kubectl exec {name} -- touch /var/ready").exit_code == 0
    cluster.advance(11)
    served = {
        cluster.run(f"kubectl exec {first} -- curl -s http://kubia").stdout for _ in range(40)
    }
    assert served == {f"You've hit {name}\n" for name in pods(cluster)}


def test_ingress_from_the_host_and_dns_from_a_pod(cluster: Cluster) -> None:
    for name in pods(cluster):
        cluster.run(f"kubectl exec {name} -- touch /var/ready")
    cluster.advance(11)
    result = cluster.run("curl -s http://kubia.example.com/")
    assert result.stdout.startswith("You've hit kubia-")
    assert [h.kind for h in result.traces[0].hops] == [
        "client",
        "ingress",
        "service",
        "endpoints",
        "pod",
    ]
    cluster_ip = cluster.state.store.get("Service", "default", "kubia")["spec"]["clusterIP"]
    lookup = cluster.run(f"kubectl exec {pods(cluster)[0]} -- nslookup kubia")
    assert lookup.stdout == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        f"Name:\tkubia.default.svc.cluster.local\nAddress: {cluster_ip}\n\n"
    )
    trace = cluster.request("http://kubia", source=f"pod/{pods(cluster)[0]}")
    assert (trace.outcome, trace.status) == ("ok", 200)


def test_cached_routes_follow_readiness_and_closed_ports(cluster: Cluster) -> None:
    """A request routed once is replayed from a cache; readiness and port changes show at once."""
    names = pods(cluster)
    for name in names:
        cluster.run(f"kubectl exec {name} -- touch /var/ready")
    cluster.advance(11)
    client = f"pod/{names[0]}"
    cluster_ip = cluster.state.store.get("Service", "default", "kubia")["spec"]["clusterIP"]

    def outcomes(url: str) -> set[tuple[str, str | None]]:
        traces = [cluster.network.request(url, client) for _ in range(60)]
        return {(t.outcome, t.served_by) for t in traces}

    every = {("ok", name) for name in names}  # names[0] too: the client, by hairpin
    assert outcomes("http://kubia") == outcomes(f"http://{cluster_ip}") == every
    cluster.run(f"kubectl exec {names[1]} -- rm /var/ready")
    cluster.advance(31)  # three failed probes: not ready, out of the endpoints
    without_unready = every - {("ok", names[1])}
    assert outcomes("http://kubia") == outcomes(f"http://{cluster_ip}") == without_unready
    cluster.run(f"kubectl exec {names[2]} -- kubeplay-port close 8080")  # no store write
    assert outcomes("http://kubia") == {("ok", names[0]), ("refused", None)}
    cluster.run(f"kubectl exec {names[2]} -- kubeplay-port open 8080")
    cluster.run(f"kubectl exec {names[1]} -- touch /var/ready")
    cluster.advance(10)
    assert outcomes("http://kubia") == outcomes(f"http://{cluster_ip}") == every


def test_hops_know_their_namespace_but_the_contract_dict_keeps_its_shape() -> None:
    cluster = Cluster(seed=3)
    text = (ROOT / "tests" / "fixtures" / "manifests" / "two-namespaces.yaml").read_text()
    assert cluster.run("kubectl apply -f -", stdin=text).exit_code == 0
    for namespace, node_port in (("blue", 30081), ("green", 30082)):
        trace = cluster.request(f"http://192.168.49.3:{node_port}/", source="host")
        assert trace.outcome == "ok", trace.reason
        spaces = {hop.kind: hop.namespace for hop in trace.hops}
        assert (spaces["service"], spaces["endpoints"], spaces["pod"]) == (namespace,) * 3
        assert spaces["node"] is None
        assert all("namespace" not in hop for hop in trace.to_dict()["hops"])
