"""NetworkPolicy on traffic through a Gateway: NGINX Gateway Fabric's nginx pod is the
proxy, as ingress-nginx's controller pod is for Ingress. The client's connection to that
pod, then that pod's connection to a backend pod, are each judged by the policies."""

from __future__ import annotations

import pytest

from simulator import Cluster
from tests.simulator.manifests_gateway import TO_WEB, WEB, route


def policy(name: str, body: str, namespace: str = "default") -> str:
    return f"""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: {name}, namespace: {namespace}}}
spec:
{body}"""


DENY_WEB = policy("web-deny-all", "  podSelector: {matchLabels: {app: web}}\n  ingress: []\n")
FROM_THE_GATEWAY = policy(
    "web-from-gateway",
    "  podSelector: {matchLabels: {app: web}}\n"
    "  ingress:\n"
    "  - from:\n"
    "    - podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}\n",
)
FROM_INGRESS_NGINX = policy(
    "web-from-ingress-nginx",
    "  podSelector: {matchLabels: {app: web}}\n"
    "  ingress:\n"
    "  - from:\n"
    "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}\n",
)


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster(seed=5)
    apply(c, WEB + "---" + route(TO_WEB))
    return c


def apply(cluster: Cluster, text: str) -> None:
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr


def data_plane_ip(cluster: Cluster) -> str:
    line = "kubectl get pods -l gateway.networking.k8s.io/gateway-name=gw -o jsonpath={..podIP}"
    return cluster.run(line).stdout


def test_backends_isolated_from_the_gateway_s_nginx_pod_time_out_and_nginx_answers_504(cluster):
    assert cluster.request("http://web.example.com/").outcome == "ok"
    apply(cluster, DENY_WEB)
    before = cluster.now
    result = cluster.run("curl -sS http://web.example.com/")
    trace = result.traces[0]
    assert (trace.outcome, trace.status, trace.served_by) == ("http_error", 504, "gw")
    assert "<title>504 Gateway Time-out</title>" in result.stdout
    assert "a NetworkPolicy dropped gateway gw's nginx's connection to pod web-" in trace.reason
    assert "waited 60 s (proxy_connect_timeout) for each of 2 tries and answered 504" in (
        trace.reason
    )
    assert trace.blocked.policies == ("web-deny-all",)
    assert trace.blocked.direction == "ingress"
    assert cluster.now - before == pytest.approx(120.0)  # two connects, 60 s each


def test_allowing_the_gateway_s_pod_lets_its_traffic_through_and_the_pod_sees_its_address(
    cluster,
):
    apply(cluster, DENY_WEB)
    apply(cluster, FROM_THE_GATEWAY)
    trace = cluster.request("http://web.example.com/")
    assert trace.outcome == "ok", trace.reason
    assert [h.kind for h in trace.hops] == ["client", "gateway", "service", "endpoints", "pod"]
    assert trace.hops[-1].src_ip == data_plane_ip(cluster)


def test_a_rule_for_ingress_nginx_does_not_admit_gateway_traffic(cluster):
    apply(cluster, DENY_WEB)
    apply(cluster, FROM_INGRESS_NGINX)
    trace = cluster.request("http://web.example.com/")
    assert trace.status == 504
    assert set(trace.blocked.policies) == {"web-deny-all", "web-from-ingress-nginx"}


def test_one_endpoint_dropped_then_the_next_answers_after_the_wait(cluster):
    pods = cluster.run("kubectl get pods -l app=web -o name").stdout.split()
    cluster.run(f"kubectl label {pods[0]} blocked=yes")
    apply(
        cluster,
        policy("deny-one", "  podSelector: {matchLabels: {blocked: 'yes'}}\n  ingress: []\n"),
    )
    waits = set()
    for _ in range(12):
        trace = cluster.request("http://web.example.com/")
        assert trace.outcome == "ok"
        assert trace.served_by == pods[1].split("/")[1]
        waits.add(trace.elapsed)
        if trace.elapsed:
            assert f"(after a NetworkPolicy dropped the connection to {pods[0].split('/')[1]}" in (
                trace.reason
            )
    assert waits == {0, 60.0}  # a draw of the dropped pod costs one connect timeout


def test_a_policy_on_the_gateway_s_pod_drops_requests_at_the_gateway(cluster):
    apply(
        cluster,
        policy(
            "gateway-from-pods",
            "  podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}\n"
            "  ingress: [{from: [{namespaceSelector: {}}]}]\n",
        ),
    )
    trace = cluster.request("http://web.example.com/", timeout=3)
    assert trace.outcome == "timeout"
    assert [h.kind for h in trace.hops] == ["client", "gateway"]
    assert trace.blocked.policies == ("gateway-from-pods",)
    assert "the host 192.168.49.1 to TCP port 80" in trace.reason
