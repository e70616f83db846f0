"""NetworkPolicy on the paths in from outside and out to the world: NodePort and
LoadBalancer traffic judged by the source the destination's node sees (the client before
its own SNAT, the entry node after another's), ingress-nginx's two connections, egress to
addresses that are no pod."""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok
from .netpol_app import (
    ALLOW_DNS,
    DENY_WEB,
    app_cluster,
    curl,
    node_ips,
    policy,
)


@pytest.fixture
def cluster() -> Cluster:
    return app_cluster()


NODE_PORT = """
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http, nodePort: 30080}]
"""
ONLY_HOST = policy(
    "web-from-host",
    "  podSelector: {matchLabels: {app: web}}\n"
    "  ingress: [{from: [{ipBlock: {cidr: 192.168.49.1/32}}]}]\n",
)


def test_nodeport_source_is_the_client_on_the_pods_node_and_the_entry_node_otherwise(cluster):
    apply(cluster, NODE_PORT + "---\n" + ONLY_HOST)
    nodes = node_ips(cluster)
    outcomes = {}
    for _ in range(12):
        for entry in ("worker-1", "worker-2"):
            trace = cluster.request(f"http://{nodes[entry]}:30080/", timeout=2)
            pod = trace.hops[-1]
            local = pod.node == entry
            outcomes.setdefault((local, trace.outcome), trace)
    # The pod's own node judges the packet before its SNAT: the host's address passes.
    assert set(outcomes) == {(True, "ok"), (False, "timeout")}
    ok = outcomes[(True, "ok")]
    assert ok.hops[-1].src_ip == nodes[ok.hops[-1].node]  # yet the pod sees the node
    dropped = outcomes[(False, "timeout")]
    entry = next(h for h in dropped.hops if h.kind == "node")
    assert f"allows node {entry.name} ({entry.ip}) to TCP port 8080" in dropped.reason
    # externalTrafficPolicy Local keeps the client's address all the way.
    apply(
        cluster,
        NODE_PORT.replace("type: NodePort", "type: NodePort\n  externalTrafficPolicy: Local"),
    )
    for entry in ("worker-1", "worker-2"):
        trace = cluster.request(f"http://{nodes[entry]}:30080/", timeout=2)
        assert trace.outcome in ("ok", "timeout")
        if trace.outcome == "timeout":  # no local endpoint on that node
            assert trace.blocked is None


LOAD_BALANCER = """
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
"""


def test_load_balancer_traffic_is_judged_by_the_source_after_the_entry_nodes_snat(cluster):
    apply(cluster, LOAD_BALANCER + "---\n" + ONLY_HOST)
    address = run_ok(
        cluster, "kubectl get svc web-lb -o jsonpath={.status.loadBalancer.ingress[0].ip}"
    )
    nodes = node_ips(cluster)
    seen = {}
    for _ in range(16):
        before = cluster.now
        result = cluster.run(f"curl -sS -m 2 http://{address}/")
        trace = result.traces[0]
        entry = next(h for h in trace.hops if h.kind == "node")
        pod = trace.hops[-1]
        local = pod.node == entry.name
        seen.setdefault(local, (result, trace, cluster.now - before))
        if local:  # judged before the SNAT on the pod's own node: the host passes
            assert result.exit_code == 0, trace.reason
            assert pod.src_ip == nodes[entry.name]  # yet the pod sees its node
        else:  # forwarded: the policy sees the entry node's address
            assert result.exit_code == 28
            assert result.stderr == "curl: (28) Connection timed out after 2000 milliseconds\n"
            assert trace.outcome == "timeout"
            assert trace.blocked.policies == ("web-from-host",)
            assert f"allows node {entry.name} ({entry.ip}) to TCP port 8080" in trace.reason
    assert set(seen) == {True, False}
    assert seen[True][2] == 0
    assert seen[False][2] == pytest.approx(2.0)  # curl's -m, in simulated time
    # externalTrafficPolicy Local: no SNAT, the host's own address reaches every pod.
    apply(
        cluster,
        LOAD_BALANCER.replace(
            "type: LoadBalancer", "type: LoadBalancer\n  externalTrafficPolicy: Local"
        ),
    )
    traces = [cluster.request(f"http://{address}/", timeout=2) for _ in range(8)]
    assert {t.outcome for t in traces} == {"ok"}
    assert {t.hops[-1].src_ip for t in traces} == {"192.168.49.1"}


INGRESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


def test_traffic_through_ingress_nginx_comes_from_the_controller_pod(cluster):
    apply(cluster, INGRESS)
    apply(cluster, DENY_WEB)
    before = cluster.now
    result = cluster.run("curl -sS http://web.example.com/")
    trace = result.traces[0]
    assert trace.status == 504
    assert "<title>504 Gateway Time-out</title>" in result.stdout
    assert "pod ingress-nginx-controller-" in trace.reason
    assert "(ingress-nginx)" in trace.reason
    assert "waited 5 s (proxy-connect-timeout) for each of 2 tries and answered 504" in trace.reason
    assert cluster.now - before == pytest.approx(10.0)
    apply(
        cluster,
        policy(
            "web-from-ingress",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress:\n"
            "  - from:\n"
            "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}\n"
            "      podSelector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}\n",
        ),
    )
    assert run_ok(cluster, "curl -sS http://web.example.com/").startswith("You've hit web-")
    assert curl(cluster, "client", "http://web")[0].exit_code == 28


def test_a_policy_on_the_controller_drops_requests_at_the_ingress(cluster):
    apply(cluster, INGRESS)
    assert cluster.request("http://web.example.com/").outcome == "ok"
    apply(
        cluster,
        policy(
            "controller-from-pods",
            "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n",
            namespace="ingress-nginx",
        ),
    )
    trace = cluster.request("http://web.example.com/", timeout=3)
    assert trace.outcome == "timeout"
    assert [h.kind for h in trace.hops] == ["client", "ingress"]
    assert trace.blocked.namespace == "ingress-nginx"
    assert (
        "none of its rules allows the host 192.168.49.1 to TCP port 80: controller-from-pods "
        "allows TCP port 80 only from every pod in every namespace"
    ) in trace.reason


def test_egress_to_addresses_outside_the_cluster_and_the_api_server(cluster):
    apply(
        cluster,
        policy(
            "client-out",
            "  podSelector: {matchLabels: {app: client}}\n"
            "  policyTypes: [Egress]\n"
            "  egress:\n"
            "  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [192.168.49.0/24, 10.0.0.0/8]}}]\n"
            "    ports: [{port: 443}]\n",
        )
        + "---\n"
        + ALLOW_DNS,
    )
    assert run_ok(cluster, "kubectl exec client -- curl -sS https://example.com/").strip()
    result = cluster.run("kubectl exec client -- curl -sSk -m 2 https://kubernetes/")
    assert result.exit_code == 28
    assert "the API server" in result.traces[0].reason
    assert result.traces[0].blocked.direction == "egress"
    result = cluster.run("kubectl exec client -- curl -sS -m 2 http://example.com/")
    assert result.exit_code == 28  # port 80 is not in the rule
