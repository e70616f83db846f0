"""Observations: reads a lesson's checks make, which leave the cluster exactly as it was."""

from __future__ import annotations

import pytest

from simulator import Cluster, observation_problem

KUBIA = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  sessionAffinity: ClientIP
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
        ports:
        - containerPort: 8080
"""


@pytest.fixture
def cluster():
    cluster = Cluster(seed=11)
    assert cluster.run("kubectl apply -f -", stdin=KUBIA).exit_code == 0
    return cluster


def footprint(cluster):
    """What replay depends on: events, time, the generator, the balancers' memory."""
    tables = [
        {key: list(entry) for key, entry in table.items()}
        for table in cluster.network.balancer_tables()
    ]
    return cluster.seq, cluster.now, cluster.state.rng.getstate(), tables


@pytest.mark.parametrize(
    "line",
    [
        "kubectl get endpoints kubia",
        "kubectl get svc kubia -o jsonpath={.spec.clusterIP}",
        "kubectl describe svc kubia",
        "kubectl exec {pod} -- curl -s http://kubia",
        "kubectl exec {pod} -- nslookup kubia",
        "kubectl exec {pod} -- env",
        "curl -s http://192.168.49.3:30123",
    ],
)
def test_an_observation_changes_nothing(cluster, line):
    pod = cluster.running_pods("app=kubia")[0]
    cluster.run(f"kubectl exec {pod} -- curl -s http://kubia")  # affinity remembered
    before = footprint(cluster)
    cluster.observe(line.replace("{pod}", pod))
    assert footprint(cluster) == before


def test_observed_requests_change_nothing_and_follow_affinity(cluster):
    pod = cluster.running_pods("app=kubia")[0]
    before = footprint(cluster)
    traces = cluster.observe_requests("http://kubia", f"pod/{pod}", count=10)
    assert footprint(cluster) == before
    assert {trace.outcome for trace in traces} == {"ok"}
    assert len({trace.served_by for trace in traces}) == 1  # ClientIP affinity within


def test_the_same_observation_gives_the_same_answer_whatever_came_before():
    cluster = Cluster(seed=11)
    cluster.run("kubectl apply -f -", stdin=KUBIA.replace("  sessionAffinity: ClientIP\n", ""))
    pod = cluster.running_pods("app=kubia")[0]
    first = [t.served_by for t in cluster.observe_requests("http://kubia", f"pod/{pod}", count=8)]
    for _ in range(5):
        cluster.request("http://kubia", source=f"pod/{pod}")  # the room's own draws move on
    again = [t.served_by for t in cluster.observe_requests("http://kubia", f"pod/{pod}", count=8)]
    assert first == again
    assert len(set(first)) > 1  # and the spread is still random within one observation


def test_a_live_request_after_observations_matches_one_without(cluster):
    twin = Cluster(seed=11)
    twin.run("kubectl apply -f -", stdin=KUBIA)
    pod = cluster.running_pods("app=kubia")[0]
    cluster.observe_requests("http://kubia", f"pod/{pod}", count=5)
    cluster.observe(f"kubectl exec {pod} -- curl -s http://kubia")
    assert (
        cluster.request("http://kubia", source=f"pod/{pod}").to_dict()
        == twin.request("http://kubia", source=f"pod/{pod}").to_dict()
    )


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("kubectl delete pod x", "only reads"),
        ("kubectl scale rc kubia --replicas=1", "only reads"),
        ("kubectl get pods | grep kubia", "shell syntax"),
        ("kubectl get pods; kubectl delete pods --all", "shell syntax"),
        ('kubectl exec x -- curl "http://$HOST"', "shell syntax"),
        ("kubectl exec x -- touch /var/ready", "runs only"),
        ("kubectl exec x -- sh -c 'rm /var/ready'", "runs only"),
        ("kubectl exec -it x -- sh", "interactive"),
        ("kubectl exec x curl -s http://kubia", "after --"),
        ("kubectl get pods -w", "neither waits"),
        ("kubectl apply -f -", "only reads"),
        ("sleep 10", "runs kubectl or"),
        ("openssl genrsa -out k 2048", "runs kubectl or"),
        ("", "needs a command"),
    ],
)
def test_what_is_not_an_observation_is_refused_before_it_runs(cluster, line, why):
    problem = observation_problem(line)
    assert problem is not None
    assert why in problem
    before = footprint(cluster)
    with pytest.raises(ValueError, match=why or "."):
        cluster.observe(line)
    assert footprint(cluster) == before


def test_jsonpath_in_single_quotes_is_an_observation():
    assert observation_problem("kubectl get svc -o jsonpath='{.items[*].metadata.name}'") is None
    assert observation_problem("kubectl get pods -l 'app in (kubia)'") is None


def test_running_pods_by_selector_sorted(cluster):
    pods = cluster.running_pods("app=kubia")
    assert len(pods) == 3
    assert pods == sorted(pods)
    assert cluster.running_pods("app=nothing") == []
    assert cluster.running_pods("app in (kubia)") == pods
    with pytest.raises(ValueError, match="unable to parse"):
        cluster.running_pods("app in (")


INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubia
spec:
  ingressClassName: nginx
  rules:
  - host: kubia.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: kubia
            port:
              number: 80
"""


def test_a_room_that_is_observed_serves_as_one_that_is_not():
    """Replay never runs a lesson's checks: live requests must not depend on them."""
    manifests = KUBIA.replace("  sessionAffinity: ClientIP\n", "") + "---\n" + INGRESS
    watched, twin = Cluster(seed=5), Cluster(seed=5)
    for cluster in (watched, twin):
        cluster.run("kubectl apply -f -", stdin=manifests)
    pod = watched.running_pods("app=kubia")[0]
    urls = [("http://kubia", f"pod/{pod}"), ("http://kubia.example.com/", "host")]
    seen = {cluster: [] for cluster in (watched, twin)}
    for round_ in range(6):
        watched.observe_requests("http://kubia", f"pod/{pod}", count=3, key=str(round_))
        watched.observe_requests("http://kubia.example.com/", count=3)
        watched.observe(f"kubectl exec {pod} -- curl -s http://kubia")
        for cluster in (watched, twin):
            for url, source in urls:
                seen[cluster].append(cluster.request(url, source=source).to_dict())
    assert seen[watched] == seen[twin]
    assert len({trace["served_by"] for trace in seen[twin]}) == 3
