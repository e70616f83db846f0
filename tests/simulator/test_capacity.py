"""A cluster's capacity: limits checked before a change, the change refused whole."""

from __future__ import annotations

import pytest

from simulator import Capacity, Cluster

SMALL = Capacity(replicas=50, pods=60, objects=40, nodes=5)
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: c, image: nginx}}]}}
"""
SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {{ports: [{{port: 80}}]}}\n"
)
NODE = "apiVersion: v1\nkind: Node\nmetadata: {{name: {name}}}\n"


def _state(cluster: Cluster) -> tuple:
    return cluster.seq, cluster.export_yaml()


@pytest.fixture
def small() -> Cluster:
    return Cluster(seed=0, capacity=SMALL)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param(
            DEPLOYMENT.format(name="big", replicas=1_000_000),
            'deployments.apps "big" is forbidden: 1,000,000 replicas exceed this '
            "playground's limit of 50 replicas per object",
            id="replicas per object",
        ),
        pytest.param(
            DEPLOYMENT.format(name="a", replicas=40) + "---\n"
            + DEPLOYMENT.format(name="b", replicas=40),
            'deployments.apps "b" is forbidden: this room would have 83 pods, over this '
            "playground's limit of 60 pods per room",
            id="pods per room, the three system pods counted",
        ),
        pytest.param(
            "---\n".join(SERVICE.format(name=f"s{i}") for i in range(40)),
            "is forbidden: this room would have 4",
            id="objects per room",
        ),
        pytest.param(
            "---\n".join(NODE.format(name=f"n{i}") for i in range(3)),
            'nodes "n2" is forbidden: this room would have 6 nodes, over this playground\'s '
            "limit of 5 nodes per room",
            id="nodes per room",
        ),
    ],
)  # fmt: skip
def test_an_apply_over_a_limit_is_refused_whole(small: Cluster, text: str, reason: str) -> None:
    before = _state(small)
    result = small.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith('Error from server (Forbidden): error when creating "STDIN": ')
    assert reason in result.stderr
    assert _state(small) == before


def test_scale_over_a_limit_is_refused_and_under_it_goes_through(small: Cluster) -> None:
    small.run("kubectl create deployment web --image=nginx --replicas=2")
    before = _state(small)
    result = small.run("kubectl scale deploy web --replicas=1000000")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        'Error from server (Forbidden): deployments.apps "web" is forbidden: 1,000,000 replicas '
        "exceed this playground's limit of 50 replicas per object\n"
    )
    assert _state(small) == before
    assert small.run("kubectl scale deploy web --replicas=50").exit_code == 0
    small.run("kubectl create deployment two --image=nginx --replicas=5")
    over = small.run("kubectl scale deploy two --replicas=20")
    assert "this room would have 73 pods, over this playground's limit of 60" in over.stderr
    assert small.run("kubectl get deploy two -o jsonpath={.spec.replicas}").stdout == "5"


def test_run_and_daemonsets_count_their_pods() -> None:
    cluster = Cluster(seed=0, capacity=Capacity(pods=5))
    assert cluster.run("kubectl run one --image=nginx").exit_code == 0  # 3 system pods + 1
    assert cluster.run("kubectl run two --image=nginx").exit_code == 0
    refused = cluster.run("kubectl run three --image=nginx")
    assert "this room would have 6 pods" in refused.stderr
    assert cluster.run("kubectl get pod three").exit_code == 1


def test_the_server_dry_run_checks_the_limits(small: Cluster) -> None:
    text = DEPLOYMENT.format(name="big", replicas=51)
    result = small.run("kubectl apply -f - --dry-run=server", stdin=text)
    assert result.exit_code == 1
    assert "limit of 50 replicas per object" in result.stderr


def test_without_a_capacity_a_cluster_is_unlimited() -> None:
    cluster = Cluster(seed=0)
    result = cluster.run("kubectl apply -f -", stdin=DEPLOYMENT.format(name="web", replicas=300))
    assert result.exit_code == 0
    assert cluster.state.store.count("Pod") == 303
