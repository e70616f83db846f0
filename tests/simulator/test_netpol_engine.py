"""The NetworkPolicy engine alone, one rule of the Kubernetes docs per test.

Every test sends one connection the rule allows and one it does not. Pods and
namespaces are small values; policies go through the same validation and defaulting
as `kubectl apply`, so `policyTypes` is what the API server would store.
"""

from __future__ import annotations

import pytest

from simulator.netpol import Party, PodInfo, PolicySet, compile_policy, drop_reason
from simulator.validation import load_manifests

NAMESPACES = {
    "default": {"kubernetes.io/metadata.name": "default"},
    "prod": {"kubernetes.io/metadata.name": "prod", "team": "a"},
    "dev": {"kubernetes.io/metadata.name": "dev", "team": "b"},
    "kube-system": {"kubernetes.io/metadata.name": "kube-system"},
}

WEB = PodInfo("default", "web-1", {"app": "web"}, "10.244.1.5", "worker-1", {("http", "TCP"): 8080})
DB = PodInfo("default", "db-1", {"app": "db"}, "10.244.2.7", "worker-2", {("pg", "TCP"): 5432})
CLIENT = PodInfo("default", "client", {"app": "client"}, "10.244.2.9", "worker-2")
FRONTEND = PodInfo("default", "front-1", {"app": "frontend"}, "10.244.1.8", "worker-1")
PROD_FRONTEND = PodInfo("prod", "front-2", {"app": "frontend"}, "10.244.2.3", "worker-2")
PROD_OTHER = PodInfo("prod", "batch", {"app": "batch"}, "10.244.2.4", "worker-2")
DEV_FRONTEND = PodInfo("dev", "front-3", {"app": "frontend"}, "10.244.1.9", "worker-1")
COREDNS = PodInfo(
    "kube-system",
    "coredns-1",
    {"k8s-app": "kube-dns"},
    "10.244.0.2",
    "control-plane",
    {("dns", "UDP"): 53, ("dns-tcp", "TCP"): 53},
)
HOST = Party("192.168.49.1", label="the host 192.168.49.1")


def policies(text: str) -> PolicySet:
    """Policies from YAML, validated and defaulted as `kubectl apply` stores them."""
    documents, _ = load_manifests(text)
    compiled = []
    for doc in documents:
        doc.obj["metadata"].setdefault("namespace", "default")
        compiled.append(compile_policy(doc.obj))
    return PolicySet(compiled, lambda ns: NAMESPACES.get(ns, {}))


def tcp(policy_set: PolicySet, src: PodInfo | Party, dst: PodInfo, port: int = 8080):
    source = src if isinstance(src, Party) else Party(src.ip, src)
    return policy_set.check(source, Party(dst.ip, dst), "TCP", port)


def allowed(policy_set: PolicySet, src, dst: PodInfo, port: int = 8080) -> bool:
    return tcp(policy_set, src, dst, port).allowed


DENY_WEB = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-deny-all}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: []
"""


def test_no_policy_allows_everything():
    empty = PolicySet([], lambda ns: {})
    assert allowed(empty, CLIENT, WEB)
    assert empty.check(HOST, Party(WEB.ip, WEB), "ICMP", None).allowed


def test_a_selected_pod_is_isolated_and_others_stay_open():
    deny = policies(DENY_WEB)
    verdict = tcp(deny, CLIENT, WEB)
    assert not verdict.allowed
    assert [str(ref) for ref in verdict.policies] == ["default/web-deny-all"]
    assert allowed(deny, CLIENT, DB, 5432)  # db is not selected: default allow


def test_isolation_is_per_direction():
    deny = policies(DENY_WEB)
    # web is isolated for ingress only: what it sends still goes out.
    assert allowed(deny, WEB, DB, 5432)
    assert not allowed(deny, DB, WEB)


def test_policy_types_egress_only_leaves_ingress_open():
    egress_only = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-no-egress}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  ingress: [{}]
"""
    )
    assert allowed(egress_only, CLIENT, WEB)
    verdict = tcp(egress_only, WEB, DB, 5432)
    assert not verdict.allowed
    assert verdict.dropped_by.direction == "egress"


def test_rules_of_all_policies_add_up():
    union = policies(
        DENY_WEB
        + """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-db}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: db}}}]
"""
    )
    assert allowed(union, FRONTEND, WEB)
    assert allowed(union, DB, WEB)
    verdict = tcp(union, CLIENT, WEB)
    assert not verdict.allowed
    assert [r.name for r in verdict.policies] == ["web-deny-all", "allow-frontend", "allow-db"]


def test_pod_selector_peer_means_the_policys_own_namespace():
    same_ns = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
"""
    )
    assert allowed(same_ns, FRONTEND, WEB)
    assert not allowed(same_ns, PROD_FRONTEND, WEB)  # same labels, other namespace


def test_namespace_selector_peer_means_every_pod_of_matching_namespaces():
    by_ns = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-team-a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: a}}}]
"""
    )
    assert allowed(by_ns, PROD_OTHER, WEB)
    assert not allowed(by_ns, DEV_FRONTEND, WEB)
    assert not allowed(by_ns, FRONTEND, WEB)  # its own namespace has no team=a label


@pytest.mark.parametrize(
    ("peers", "from_prod_frontend", "from_prod_batch", "from_default_frontend"),
    [
        pytest.param(
            "[{namespaceSelector: {matchLabels: {team: a}}, "
            "podSelector: {matchLabels: {app: frontend}}}]",
            True,
            False,
            False,
            id="one element: namespace AND pod",
        ),
        pytest.param(
            "[{namespaceSelector: {matchLabels: {team: a}}}, "
            "{podSelector: {matchLabels: {app: frontend}}}]",
            True,
            True,
            True,
            id="two elements: namespace OR pod",
        ),
    ],
)
def test_and_inside_one_element_or_across_elements(
    peers, from_prod_frontend, from_prod_batch, from_default_frontend
):
    policy_set = policies(
        f"""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: web-from}}
spec:
  podSelector: {{matchLabels: {{app: web}}}}
  ingress:
  - from: {peers}
"""
    )
    assert allowed(policy_set, PROD_FRONTEND, WEB) is from_prod_frontend
    assert allowed(policy_set, PROD_OTHER, WEB) is from_prod_batch
    assert allowed(policy_set, FRONTEND, WEB) is from_default_frontend
    assert not allowed(policy_set, PodInfo("dev", "x", {}, "10.244.1.77"), WEB)


def test_ip_block_with_except_matches_outside_and_pod_addresses():
    blocks = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-ranges}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - ipBlock: {cidr: 192.168.49.0/24, except: [192.168.49.0/30]}
    - ipBlock: {cidr: 10.244.2.0/24}
"""
    )
    assert allowed(blocks, Party("192.168.49.10"), WEB)
    assert not allowed(blocks, HOST, WEB)  # 192.168.49.1 is in the except range
    assert allowed(blocks, CLIENT, WEB)  # a pod address in the block (Calico)
    assert not allowed(blocks, FRONTEND, WEB)  # 10.244.1.8 is outside


PORTS = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ports}
spec:
  podSelector: {}
  ingress:
  - ports:
    - port: http
    - port: 9000
      endPort: 9010
    - protocol: UDP
      port: 5353
"""


@pytest.mark.parametrize(
    ("dst", "protocol", "port", "expected"),
    [
        pytest.param(WEB, "TCP", 8080, True, id="named port resolved on the destination pod"),
        pytest.param(DB, "TCP", 8080, False, id="db has no port named http"),
        pytest.param(WEB, "TCP", 9005, True, id="inside the endPort range"),
        pytest.param(WEB, "TCP", 9011, False, id="past the endPort range"),
        pytest.param(WEB, "UDP", 5353, True, id="UDP port"),
        pytest.param(WEB, "TCP", 5353, False, id="same number, other protocol"),
        pytest.param(WEB, "ICMP", None, False, id="ping matches no port rule"),
    ],
)
def test_ports_are_the_destination_pods_ports(dst, protocol, port, expected):
    verdict = policies(PORTS).check(Party(CLIENT.ip, CLIENT), Party(dst.ip, dst), protocol, port)
    assert verdict.allowed is expected


def test_a_rule_without_ports_allows_ping():
    open_rule = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-client}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
"""
    )
    assert open_rule.check(Party(CLIENT.ip, CLIENT), Party(WEB.ip, WEB), "ICMP", None).allowed
    assert not open_rule.check(Party(DB.ip, DB), Party(WEB.ip, WEB), "ICMP", None).allowed


def test_empty_pod_selector_selects_its_namespace_only():
    deny_default = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress}
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""
    )
    assert not allowed(deny_default, PROD_FRONTEND, DB, 5432)
    assert allowed(deny_default, DB, PROD_FRONTEND)


def test_an_empty_rule_allows_everything():
    allow_all = policies(
        DENY_WEB
        + """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all}
spec:
  podSelector: {}
  ingress: [{}]
"""
    )
    verdict = tcp(allow_all, HOST, WEB)
    assert verdict.allowed
    assert verdict.ingress.allowed_by[0].ref.name == "allow-all"
    deny_only = policies(DENY_WEB)
    assert not allowed(deny_only, HOST, WEB)


DENY_EGRESS_ALLOW_DNS = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
"""


def test_egress_isolation_allows_only_dns_to_coredns():
    egress = policies(DENY_EGRESS_ALLOW_DNS)
    dns = egress.check(Party(CLIENT.ip, CLIENT), Party(COREDNS.ip, COREDNS), "UDP", 53)
    assert dns.allowed
    assert not allowed(egress, CLIENT, WEB)
    # port 53 to another pod is not DNS to CoreDNS
    assert not egress.check(Party(CLIENT.ip, CLIENT), Party(WEB.ip, WEB), "UDP", 53).allowed
    outside = egress.check(Party(CLIENT.ip, CLIENT), Party("93.184.215.14"), "TCP", 80)
    assert not outside.allowed


def test_traffic_from_the_pods_own_node_is_always_allowed():
    deny = policies(DENY_WEB)
    kubelet = Party("192.168.49.3", node="worker-1", label="node worker-1")
    other_node = Party("192.168.49.4", node="worker-2", label="node worker-2")
    assert allowed(deny, kubelet, WEB)
    assert tcp(deny, kubelet, WEB).ingress.exempt
    assert not allowed(deny, other_node, WEB)


def test_host_network_pods_are_not_policed():
    deny_all = policies(
        """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"""
    )
    host_pod = PodInfo("default", "agent", {"app": "web"}, "192.168.49.3", "worker-1", {}, True)
    assert allowed(deny_all, PodInfo("prod", "x", {}, "10.244.2.5"), host_pod)
    assert not allowed(deny_all, Party("10.244.2.5"), WEB)


def test_drop_reason_names_the_policies_and_what_no_rule_allows():
    union = policies(
        DENY_WEB
        + """
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
    ports: [{port: 8080}]
"""
    )
    src, dst = Party(CLIENT.ip, CLIENT), Party(WEB.ip, WEB)
    verdict = union.check(src, dst, "TCP", 8080)
    reason = drop_reason(union, verdict.dropped_by, src, dst, "TCP", 8080)
    assert reason == (
        "NetworkPolicies web-deny-all and allow-frontend isolate pod web-1 (default) for "
        "ingress, and none of their rules allows pod client (default) to TCP port 8080: "
        "web-deny-all has no ingress rules, so it allows no ingress traffic; allow-frontend "
        "allows TCP port 8080 only from pods app=frontend of namespace default"
    )
    src = Party(FRONTEND.ip, FRONTEND)
    verdict = union.check(src, dst, "TCP", 9090)
    reason = drop_reason(union, verdict.dropped_by, src, dst, "TCP", 9090)
    assert reason.endswith("allow-frontend allows pod front-1 (default) only on TCP 8080")


def test_drop_reason_for_egress_names_the_source():
    egress = policies(DENY_EGRESS_ALLOW_DNS)
    src, dst = Party(CLIENT.ip, CLIENT), Party(WEB.ip, WEB)
    verdict = egress.check(src, dst, "TCP", 8080)
    assert drop_reason(egress, verdict.dropped_by, src, dst, "TCP", 8080) == (
        "NetworkPolicy client-egress isolates pod client (default) for egress, and none of "
        "its rules allows pod web-1 (default) on TCP port 8080: client-egress allows only "
        "traffic to pods k8s-app=kube-dns in namespaces "
        "kubernetes.io/metadata.name=kube-system on UDP 53, TCP 53"
    )
