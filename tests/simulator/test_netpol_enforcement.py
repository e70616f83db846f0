"""NetworkPolicy enforced on every path a request takes, as curl, ping and nslookup see it.

Each test applies a small app, then policies, and sends one request the rule allows and
one it drops. Drops are silent: the client waits (in simulated time) and the Trace names
the policies.
"""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok
from .netpol_app import (
    ALLOW_DNS,
    DENY_WEB,
    EGRESS_DENY,
    app_cluster,
    curl,
    node_ips,
    policy,
    web_pods,
)


@pytest.fixture
def cluster() -> Cluster:
    return app_cluster()


def test_until_a_policy_selects_a_pod_everything_passes(cluster):
    result, trace = curl(cluster, "client", "http://web")
    assert result.exit_code == 0
    assert result.stdout.startswith("You've hit web-")
    assert trace.blocked is None


def test_deny_all_drops_silently_and_names_the_policy(cluster):
    apply(cluster, DENY_WEB)
    before = cluster.now
    result, trace = curl(cluster, "client", "http://web")
    assert result.exit_code == 28
    assert result.stderr == (
        "curl: (28) Failed to connect to web port 80 after 2001 ms: Timeout was reached\n"
        "command terminated with exit code 28\n"
    )
    assert cluster.now - before == pytest.approx(2.0)  # the wait took simulated time
    data = trace.to_dict()
    assert data["outcome"] == "timeout"
    assert [h["kind"] for h in data["hops"]] == ["client", "dns", "service", "endpoints", "pod"]
    pod = data["hops"][-1]["name"]
    assert data["reason"] == (
        f"kube-proxy sent service web:80 to pod {pod} ({data['hops'][-1]['ip']}:8080), where "
        f"a NetworkPolicy dropped it: NetworkPolicy web-deny-all isolates pod {pod} (default) "
        "for ingress, and none of its rules allows pod client (default) to TCP port 8080: "
        "web-deny-all has no ingress rules, so it allows no ingress traffic "
        "(curl gave up after 2 s)"
    )
    assert trace.blocked.to_dict() == {
        "direction": "ingress",
        "namespace": "default",
        "policies": ["web-deny-all"],
        "at": 4,
    }
    # Only web is isolated: a packet to another pod gets there (and is refused, as
    # nothing listens in it), at once.
    ip = cluster.state.store.get("Pod", "default", "other")["status"]["podIP"]
    before = cluster.now
    result, trace = curl(cluster, "client", f"http://{ip}:80")
    assert result.exit_code == 7
    assert trace.blocked is None
    assert cluster.now == before


def test_without_a_timeout_curl_waits_for_the_kernels_syn_retries(cluster):
    apply(cluster, DENY_WEB)
    before = cluster.now
    result, trace = curl(cluster, "client", "http://web", options="")
    assert result.exit_code == 28
    assert "after 130002 ms" in result.stderr
    assert cluster.now - before == pytest.approx(130.002)
    assert trace.reason.endswith("(the kernel gave up after ~130 s of unanswered SYN retries)")
    result, _ = curl(cluster, "client", "http://web", options="-m 5")
    assert "curl: (28) Connection timed out after 5000 milliseconds" in result.stderr


def test_kubelet_probes_are_always_allowed(cluster):
    apply(cluster, DENY_WEB)
    cluster.advance(60)  # twelve probe periods under the policy
    endpoints = run_ok(cluster, "kubectl get endpoints web")
    assert endpoints.count(":8080") == 2
    assert "0/1" not in run_ok(cluster, "kubectl get pods")


def test_isolation_is_per_direction(cluster):
    apply(cluster, DENY_WEB)
    web = web_pods(cluster)[0]["metadata"]["name"]
    ip = cluster.state.store.get("Pod", "default", "client")["status"]["podIP"]
    result = cluster.run(f"kubectl exec {web} -- curl -sS -m 2 http://{ip}:80")
    assert "NetworkPolicy" not in result.traces[0].reason  # web may still send


def test_rules_add_up_and_a_label_change_counts_at_once(cluster):
    apply(
        cluster,
        DENY_WEB
        + "---\n"
        + policy(
            "web-from-client",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]\n",
        ),
    )
    assert curl(cluster, "client", "http://web")[0].exit_code == 0
    result, trace = curl(cluster, "other", "http://web")
    assert result.exit_code == 28
    assert trace.blocked.policies == ("web-deny-all", "web-from-client")
    run_ok(cluster, "kubectl label pod other app=client --overwrite")
    assert curl(cluster, "other", "http://web")[0].exit_code == 0


NAMESPACES = """
apiVersion: v1
kind: Namespace
metadata: {name: team-a, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: front, namespace: team-a, labels: {app: front}}
spec: {containers: [{name: c, image: curlimages/curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: team-a, labels: {app: batch}}
spec: {containers: [{name: c, image: curlimages/curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: front, namespace: team-b, labels: {app: front}}
spec: {containers: [{name: c, image: curlimages/curl}]}
"""


@pytest.mark.parametrize(
    ("peers", "allowed"),
    [
        pytest.param(
            "[{namespaceSelector: {matchLabels: {team: a}}, "
            "podSelector: {matchLabels: {app: front}}}]",
            {"team-a/front"},
            id="namespace AND pod in one element",
        ),
        pytest.param(
            "[{namespaceSelector: {matchLabels: {team: a}}}, "
            "{podSelector: {matchLabels: {app: front}}}]",
            {"team-a/front", "team-a/batch"},
            id="namespace OR pod (this namespace's pods) in two elements",
        ),
        pytest.param(
            "[{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team-b}}}]",
            {"team-b/front"},
            id="a namespace by its name label",
        ),
    ],
)
def test_namespace_and_pod_selectors(cluster, peers, allowed):
    apply(cluster, NAMESPACES)
    apply(
        cluster,
        policy(
            "web-from",
            f"  podSelector: {{matchLabels: {{app: web}}}}\n  ingress: [{{from: {peers}}}]\n",
        ),
    )
    passed = set()
    for source in ("team-a/front", "team-a/batch", "team-b/front"):
        ns, name = source.split("/")
        result = cluster.run(f"kubectl exec -n {ns} {name} -- curl -sS -m 2 http://web.default")
        if result.exit_code == 0:
            passed.add(source)
    assert passed == allowed


def test_a_namespace_label_change_counts_at_once(cluster):
    apply(cluster, NAMESPACES)
    apply(
        cluster,
        policy(
            "web-from-team-a",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{namespaceSelector: {matchLabels: {team: a}}}]}]\n",
        ),
    )
    command = "kubectl exec -n team-b front -- curl -sS -m 2 http://web.default"
    assert cluster.run(command).exit_code == 28
    run_ok(cluster, "kubectl label namespace team-b team=a --overwrite")
    assert cluster.run(command).exit_code == 0


def test_policy_ports_are_the_pods_ports_after_the_services_dnat(cluster):
    port_80 = policy(
        "web-port",
        "  podSelector: {matchLabels: {app: web}}\n  ingress: [{ports: [{port: 80}]}]\n",
    )
    apply(cluster, port_80)
    result, trace = curl(cluster, "client", "http://web")  # Service port 80 -> pod 8080
    assert result.exit_code == 28
    assert "to TCP port 8080" in trace.reason
    assert "web-port allows pod client (default) only on TCP 80" in trace.reason
    apply(cluster, port_80.replace("port: 80", "port: 8080"))
    assert curl(cluster, "client", "http://web")[0].exit_code == 0
    apply(cluster, port_80.replace("port: 80", "port: http"))  # named: resolved on the pod
    assert curl(cluster, "client", "http://web")[0].exit_code == 0
    apply(cluster, port_80.replace("{port: 80}", "{port: 8000, endPort: 8079}"))
    assert curl(cluster, "client", "http://web")[0].exit_code == 28


def test_egress_isolation_covers_dns(cluster):
    apply(cluster, EGRESS_DENY)
    before = cluster.now
    result = cluster.run("kubectl exec client -- nslookup web")
    assert result.exit_code == 1
    assert result.stdout == ";; connection timed out; no servers could be reached\n\n"
    assert cluster.now - before == pytest.approx(15.0)
    before = cluster.now
    result, trace = curl(cluster, "client", "http://web", options="")
    assert result.exit_code == 6
    assert result.stderr.startswith("curl: (6) Could not resolve host: web\n")
    assert cluster.now - before == pytest.approx(10.0)  # the resolver's two tries of 5 s
    assert trace.outcome == "dns_error"
    assert trace.blocked.direction == "egress"
    assert "client-egress isolates pod client (default) for egress" in trace.reason
    assert "on UDP port 53" in trace.reason
    result, trace = curl(cluster, "client", "http://web", options="-m 2")
    assert result.stderr.startswith("curl: (28) Resolving timed out after 2000 milliseconds\n")
    assert trace.outcome == "timeout"
    # With DNS allowed, the name resolves; the connection itself is still dropped.
    apply(cluster, ALLOW_DNS)
    assert run_ok(cluster, "kubectl exec client -- nslookup web").startswith("Server:")
    result, trace = curl(cluster, "client", "http://web")
    assert result.exit_code == 28
    assert "Failed to connect to web port 80" in result.stderr
    assert trace.blocked.policies == ("client-dns", "client-egress")
    assert [h.kind for h in trace.hops] == ["client"]  # it never left the client


def test_ping_crosses_only_rules_without_ports(cluster):
    web = web_pods(cluster)[0]["status"]["podIP"]
    apply(
        cluster,
        policy(
            "web-8080",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], "
            "ports: [{port: 8080}]}]\n",
        ),
    )
    result = cluster.run(f"kubectl exec client -- ping -c 3 {web}")
    assert result.exit_code == 1
    assert "3 packets transmitted, 0 packets received, 100% packet loss" in result.stdout
    assert result.traces[0].blocked.policies == ("web-8080",)
    assert "ICMP (ping)" in result.traces[0].reason
    apply(
        cluster,
        policy(
            "web-8080",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]\n",
        ),
    )
    assert cluster.run(f"kubectl exec client -- ping -c 3 {web}").exit_code == 0


def test_repeated_requests_replay_the_same_answer(cluster):
    apply(cluster, DENY_WEB)
    first = [cluster.request("http://web", source="pod/client", timeout=1) for _ in range(5)]
    assert {t.outcome for t in first} == {"timeout"}
    run_ok(cluster, "kubectl delete netpol web-deny-all")
    assert {cluster.request("http://web", "pod/client").outcome for _ in range(5)} == {"ok"}


def test_a_coredns_pod_answers_at_its_address_unless_its_policies_drop_the_query(cluster):
    coredns = cluster.state.store.list("Pod", "kube-system")[0]
    ip = coredns["status"]["podIP"]
    result = cluster.run(f"kubectl exec client -- nslookup kubernetes.default {ip}")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Server:\t\t{ip}\nAddress:\t{ip}#53\n")
    apply(
        cluster,
        policy("dns-from-nobody", "  podSelector: {}\n  policyTypes: [Ingress]\n", "kube-system"),
    )
    result = cluster.run(f"kubectl exec client -- nslookup kubernetes.default {ip}")
    assert result.exit_code == 1
    trace = result.traces[0]
    assert trace.blocked.namespace == "kube-system"
    assert [h.kind for h in trace.hops] == ["client", "dns"]  # it stopped at CoreDNS
    # Reverse lookups go to CoreDNS too.
    assert cluster.run("kubectl exec client -- nslookup 10.96.0.1").exit_code == 1


def test_a_pod_isolated_both_ways_still_reaches_itself_and_its_ping_stays_home(cluster):
    apply(
        cluster,
        policy(
            "client-nothing",
            "  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Ingress, Egress]\n",
        ),
    )
    assert cluster.run("kubectl exec client -- curl -sS -m 2 http://127.0.0.1:80").exit_code == 7
    node_ip = node_ips(cluster)["worker-1"]
    result = cluster.run(f"kubectl exec client -- ping -c 2 {node_ip}")
    assert result.exit_code == 1
    trace = result.traces[0]
    assert trace.blocked.direction == "egress"
    assert [h.kind for h in trace.hops] == ["client"]
    assert "it never left client" in trace.reason


def test_an_observation_of_a_dropped_request_leaves_the_clock_alone(cluster):
    apply(cluster, DENY_WEB)
    before = cluster.now
    result = cluster.observe("kubectl exec client -- curl -sS --connect-timeout 2 http://web")
    assert result.exit_code == 28
    assert cluster.now == before
    assert cluster.run("kubectl exec client -- curl -sS -m 2 http://web").exit_code == 28
    assert cluster.now == before + 2
