"""NetworkPolicy enforced on every path a request takes, as curl, ping and nslookup see it.

Each test applies a small app, then policies, and sends one request the rule allows and
one it drops. Drops are silent: the client waits (in simulated time) and the Trace names
the policies.
"""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok

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


@pytest.fixture
def cluster() -> Cluster:
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


def _node_ips(cluster: Cluster) -> dict[str, str]:
    return {
        n["metadata"]["name"]: next(
            a["address"] for a in n["status"]["addresses"] if a["type"] == "InternalIP"
        )
        for n in cluster.state.store.list("Node")
    }


def test_nodeport_source_is_the_client_on_the_pods_node_and_the_entry_node_otherwise(cluster):
    apply(cluster, NODE_PORT + "---\n" + ONLY_HOST)
    nodes = _node_ips(cluster)
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
    nodes = _node_ips(cluster)
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
    node_ip = _node_ips(cluster)["worker-1"]
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
