"""The reachability matrix: the same answers as one check per connection, grouped."""

from __future__ import annotations

import random

import pytest

from simulator import Cluster
from simulator.netpol import ClusterPolicies, MatrixPod, Party, PodInfo, build_matrix
from simulator.netpol.matrix import BOTH_DROP, EGRESS_DROP, INGRESS_DROP, OK

from .conftest import apply
from .test_netpol_engine import policies

MIXED = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    - namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchLabels: {role: api}}
    ports: [{port: http}, {port: 9000, endPort: 9001}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-egress}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
  - to: [{ipBlock: {cidr: 10.244.2.0/24, except: [10.244.2.128/25]}}]
    ports: [{protocol: UDP, port: 53}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-deny, namespace: prod}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 5432}]}]
"""


def _world(seed: int) -> list[MatrixPod]:
    rng = random.Random(seed)
    apps = ("web", "frontend", "db", "api")
    pods = []
    for index in range(40):
        namespace = rng.choice(("default", "prod", "dev"))
        app = rng.choice(apps)
        labels = {"app": app}
        if rng.random() < 0.3:
            labels["role"] = "api"
        ports = ((("TCP", 8080), ("TCP", 9001)) if app == "web" else (("TCP", 5432),)) + (
            (("UDP", 53),) if rng.random() < 0.2 else ()
        )
        named = {("http", "TCP"): 8080} if app == "web" else {}
        ip = f"10.244.{1 + index % 2}.{2 + index * 6}"  # unique; half in the ipBlock
        info = PodInfo(namespace, f"{app}-{index}", labels, ip, "worker-1", named)
        pods.append(MatrixPod(info, f"{app}-{index // 3}", ports))
    return pods


@pytest.mark.parametrize("by_pod", [True, False], ids=["per pod", "per workload"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_cell_agrees_with_a_check_of_each_connection(seed, by_pod):
    policy_set = policies(MIXED)
    pods = _world(seed)
    matrix = build_matrix(policy_set, pods, by_pod=by_pod)
    assert sum(len(g.pods) for g in matrix.groups) == len(pods)
    expected = {
        (True, True): OK,
        (False, True): EGRESS_DROP,
        (True, False): INGRESS_DROP,
        (False, False): BOTH_DROP,
    }
    seen = set()
    for src_group in matrix.groups:
        for dst_group in matrix.groups:
            for protocol, port in dst_group.ports:
                state = matrix.state(src_group.key, dst_group.key, protocol, port)
                seen.add(state)
                for src in src_group.pods:
                    for dst in dst_group.pods:
                        if src is dst:
                            continue
                        verdict = policy_set.check(
                            Party(src.ip, src), Party(dst.ip, dst), protocol, port
                        )
                        egress = verdict.egress is None or verdict.egress.allowed
                        ingress = verdict.ingress is None or verdict.ingress.allowed
                        assert state == expected[(egress, ingress)], (src, dst, protocol, port)
    assert {OK, INGRESS_DROP, EGRESS_DROP} <= seen


def test_workloads_group_their_pods_and_relabelled_pods_stand_apart():
    cluster = Cluster(seed=0)
    apply(
        cluster,
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80, name: http}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers: [{name: c, image: busybox}]
"""
        + "---\n"
        + MIXED.replace("frontend", "client").split("---")[0],
    )
    view = ClusterPolicies(cluster.state.store)
    matrix = view.matrix(by_pod=False)
    keys = [g.key for g in matrix.groups]
    assert keys == [
        "default/client",
        "default/web",
        "ingress-nginx/ingress-nginx-controller",
        "kube-system/coredns",
    ]
    web = matrix.groups[keys.index("default/web")]
    assert len(web.pods) == 3
    assert web.isolated_ingress == ("web-from-client",)
    assert matrix.state("default/client", "default/web", "TCP", 80) == OK
    assert matrix.state("kube-system/coredns", "default/web", "TCP", 80) == INGRESS_DROP
    # A pod relabelled out of the Deployment is orphaned (a bare pod now, no longer
    # selected by the policy) and the Deployment makes a replacement.
    pod = web.pods[0].name
    cluster.run(f"kubectl label pod {pod} app=other --overwrite")
    cluster.advance(2)  # the replacement goes through Pending and ContainerCreating to running
    matrix = view.matrix(by_pod=False)
    assert len(matrix.groups[[g.key for g in matrix.groups].index("default/web")].pods) == 3
    assert matrix.state("kube-system/coredns", f"default/{pod}", "TCP", 80) == OK
    assert matrix.state("kube-system/coredns", "default/web", "TCP", 80) == INGRESS_DROP


def test_small_rooms_get_one_row_per_pod_with_the_command_to_try():
    cluster = Cluster(seed=0)
    apply(
        cluster,
        """
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
""",
    )
    data = ClusterPolicies(cluster.state.store).matrix().to_dict()
    assert data["byPod"] is True
    web = next(g for g in data["groups"] if g["key"] == "default/web")
    ip = cluster.state.store.get("Pod", "default", "web")["status"]["podIP"]
    assert web["ports"] == [
        {"port": "80/TCP", "request": f"curl -sS --connect-timeout 2 http://{ip}:80/"}
    ]
    assert web["exec"] == "kubectl exec web --"
    dns = next(g for g in data["groups"] if g["namespace"] == "kube-system")
    assert dns["exec"].startswith("kubectl exec -n kube-system coredns-")
    requests = {p["port"]: p["request"] for p in dns["ports"]}
    ip = cluster.state.store.get("Pod", "kube-system", dns["name"])["status"]["podIP"]
    assert requests["53/UDP"] == f"nslookup kubernetes.default {ip}"  # a DNS server
    assert requests["53/TCP"].endswith(f"http://{ip}:53/")
    controller = next(g for g in data["groups"] if g["namespace"] == "ingress-nginx")
    assert {p["port"] for p in controller["ports"]} == {"80/TCP", "443/TCP", "8443/TCP"}


def test_inspector_details_resolve_selected_pods_and_peers():
    from simulator.netpol.inspect import pod_isolation, policy_details
    from simulator.scenarios import get

    cluster = Cluster(seed=0)
    apply(cluster, get("netpol-allow-ingress-controller").manifest)
    view = ClusterPolicies(cluster.state.store)
    policy = cluster.state.store.get("NetworkPolicy", "default", "web-allow-ingress-nginx")
    details = policy_details(view, policy)
    web = sorted(p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default"))
    assert details["selects"] == [name for name in web if name.startswith("web-")]
    assert details["note"] == ""
    assert details["directions"]["egress"] == {"covered": False, "rules": []}
    (rule,) = details["directions"]["ingress"]["rules"]
    assert rule["ports"] == "TCP 80"
    (peer,) = rule["peers"]
    assert peer["namespaces"] == ["ingress-nginx"]
    assert [p.split("-controller-")[0] for p in peer["pods"]] == ["ingress-nginx/ingress-nginx"]
    client = cluster.state.store.get("Pod", "default", "client")
    assert pod_isolation(view, client) == {"ingress": [], "egress": []}
    first_web = cluster.state.store.get("Pod", "default", details["selects"][0])
    assert pod_isolation(view, first_web) == {"ingress": ["web-allow-ingress-nginx"], "egress": []}


def test_inspector_says_when_a_policy_selects_nothing():
    from simulator.netpol.inspect import policy_details

    cluster = Cluster(seed=0)
    apply(
        cluster,
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ghost}\n"
        "spec: {podSelector: {matchLabels: {app: ghost}}, ingress: [{}]}",
    )
    policy = cluster.state.store.get("NetworkPolicy", "default", "ghost")
    details = policy_details(ClusterPolicies(cluster.state.store), policy)
    assert details["selects"] == []
    assert details["note"] == (
        "This policy selects no pod: its podSelector matches no pod in namespace default now, "
        "so it isolates nothing (until a pod with matching labels starts)."
    )
    assert details["directions"]["ingress"]["rules"][0]["text"] == ("from any source on every port")
