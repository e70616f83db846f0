"""`kubectl logs`: each container's start line and one line per request it served, as its
image prints them, with kubectl's flags and errors."""

from __future__ import annotations

import pytest

from simulator import Cluster
from simulator.container_logs import MAX_LINES

from .conftest import apply, run_ok

APP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: kubia}
spec:
  replicas: 2
  selector: {matchLabels: {app: kubia}}
  template:
    metadata: {labels: {app: kubia}}
    spec:
      containers:
      - {name: kubia, image: luksa/kubia, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - {name: nginx, image: nginx:alpine, ports: [{containerPort: 80}]}
  - {name: sidecar, image: busybox, command: [sleep, infinity]}
"""


@pytest.fixture
def app() -> Cluster:
    cluster = Cluster(seed=0)
    apply(cluster, APP)
    return cluster


def kubia_pods(cluster: Cluster) -> list[str]:
    return cluster.running_pods("app=kubia")


def pod_ip(cluster: Cluster, name: str) -> str:
    return run_ok(cluster, f"kubectl get pod {name} -o jsonpath={{.status.podIP}}")


def test_kubia_prints_its_start_line_and_each_client_as_node_does(app: Cluster) -> None:
    first, second = kubia_pods(app)
    ip = pod_ip(app, first)
    for _ in range(2):
        run_ok(app, f"kubectl exec web -c sidecar -- curl -s http://{ip}:8080/")
    assert run_ok(app, f"kubectl logs {first}") == (
        "Kubia server starting...\n"
        f"Received request from ::ffff:{pod_ip(app, 'web')}\n"
        f"Received request from ::ffff:{pod_ip(app, 'web')}\n"
    )
    assert run_ok(app, f"kubectl logs {second}") == "Kubia server starting...\n"


def test_requests_through_a_service_and_the_ingress_land_in_the_answering_pod(
    app: Cluster,
) -> None:
    apply(
        app,
        """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: kubia}
spec:
  rules:
  - host: kubia.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: kubia, port: {number: 80}}}}
""",
    )
    served = [app.request("http://kubia.example.com/").served_by for _ in range(4)]
    controller = app.running_pods("app.kubernetes.io/component=controller", "ingress-nginx")[0]
    controller_ip = pod_ip_ns(app, controller, "ingress-nginx")
    for name in kubia_pods(app):
        lines = run_ok(app, f"kubectl logs {name}").splitlines()
        assert lines[0] == "Kubia server starting..."
        assert lines[1:] == [f"Received request from ::ffff:{controller_ip}"] * served.count(name)


def pod_ip_ns(cluster: Cluster, name: str, namespace: str) -> str:
    return run_ok(cluster, f"kubectl get pod {name} -n {namespace} -o jsonpath={{.status.podIP}}")


def test_nginx_writes_its_access_log_in_the_main_format(app: Cluster) -> None:
    client = kubia_pods(app)[0]
    run_ok(app, f"kubectl exec {client} -- curl -s -I http://{pod_ip(app, 'web')}/index.html?x=1")
    result = app.run("kubectl logs web")
    assert result.stdout == (
        f'{pod_ip(app, client)} - - [22/Nov/2026:09:00:00 +0000] "HEAD /index.html?x=1 HTTP/1.1" '
        '200 0 "-" "curl/7.88.1" "-"\n'
    )
    # a two-container pod: kubectl says which one it picked
    assert result.stderr == 'Defaulted container "nginx" out of: nginx, sidecar\n'
    # an image whose output is unknown prints nothing rather than invented lines
    assert app.run("kubectl logs web -c sidecar").stdout == ""


def test_tail_since_timestamps_and_limit_bytes_follow_the_simulated_clock(app: Cluster) -> None:
    name = kubia_pods(app)[0]
    ip = pod_ip(app, name)
    run_ok(app, f"kubectl exec web -c sidecar -- curl -s http://{ip}:8080/a")
    app.advance(120)
    run_ok(app, f"kubectl exec web -c sidecar -- curl -s http://{ip}:8080/b")
    assert len(run_ok(app, f"kubectl logs {name}").splitlines()) == 3
    assert run_ok(app, f"kubectl logs {name} --tail=1").count("\n") == 1
    assert run_ok(app, f"kubectl logs {name} --tail=0") == ""
    assert run_ok(app, f"kubectl logs {name} --since=1m").count("\n") == 1
    stamped = run_ok(app, f"kubectl logs {name} --timestamps").splitlines()
    assert stamped[0] == "2026-11-22T09:00:00.000000000Z Kubia server starting..."
    assert stamped[2].startswith("2026-11-22T09:02:00.000000000Z Received request from ")
    assert run_ok(app, f"kubectl logs {name} --limit-bytes=5") == "Kubia"
    after = run_ok(app, f"kubectl logs {name} --since-time=2026-11-22T09:01:00Z")
    assert after.count("\n") == 1


def test_a_workload_or_service_picks_one_pod_and_says_so(app: Cluster) -> None:
    first = sorted(kubia_pods(app))[0]
    for target in ("deploy/kubia", "svc/kubia", "deployment.apps/kubia"):
        result = app.run(f"kubectl logs {target}")
        assert result.stdout == "Kubia server starting...\n"
        assert result.stderr == f"Found 2 pods, using pod/{first}\n"
    result = app.run("kubectl logs pod/web nginx")
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_selector_prints_every_pod_with_prefixes(app: Cluster) -> None:
    names = sorted(kubia_pods(app))
    result = app.run("kubectl logs -l app=kubia --prefix")
    assert result.stdout == "".join(f"[pod/{n}/kubia] Kubia server starting...\n" for n in names)
    assert app.run("kubectl logs -l app=nothing").stderr == (
        "No resources found in default namespace.\n"
    )


def test_follow_prints_what_is_there_and_says_it_stops(app: Cluster) -> None:
    name = kubia_pods(app)[0]
    result = app.run(f"kubectl logs -f {name}")
    assert result.exit_code == 0
    assert result.stdout == "Kubia server starting...\n"
    assert "stops following" in result.stderr
    apply(app, APP.replace("replicas: 2", "replicas: 6"))
    app.advance(10)
    too_many = app.run("kubectl logs -f -l app=kubia")
    assert too_many.stderr == (
        "error: you are attempting to follow 6 log streams, but maximum allowed concurrency "
        "is 5, use --max-log-requests to increase the limit\n"
    )
    assert app.run("kubectl logs -f -l app=kubia --max-log-requests=6").exit_code == 0


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("kubectl logs nope", 'Error from server (NotFound): pods "nope" not found'),
        (
            "kubectl logs deploy/nope",
            'Error from server (NotFound): deployments.apps "nope" not found',
        ),
        ("kubectl logs web -c nope", "error: container nope is not valid for pod web"),
        (
            "kubectl logs web -c nginx -p",
            'Error from server (BadRequest): previous terminated container "nginx" in pod "web" '
            "not found",
        ),
        (
            "kubectl logs",
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
            "POD or TYPE/NAME is a required argument for the logs command\n"
            "See 'kubectl logs -h' for help and examples",
        ),
        ("kubectl logs web --tail=-2", "error: --tail must be greater than or equal to -1"),
        ("kubectl logs web --since=-1s", "error: --since must be greater than 0"),
        (
            "kubectl logs web --since=5x",
            'error: invalid argument "5x" for "--since" flag: time: invalid duration "5x"',
        ),
        ("kubectl logs web -l app=web", "error: only a selector (-l) or a POD name is allowed"),
        (
            "kubectl logs web nginx -c sidecar",
            "error: only one of -c or an inline [CONTAINER] arg is allowed",
        ),
    ],
)
def test_errors_are_kubectls(app: Cluster, line: str, error: str) -> None:
    result = app.run(line)
    assert (result.exit_code, result.stderr) == (1, error + "\n")


def test_a_pod_not_yet_running_is_waiting_to_start(app: Cluster) -> None:
    name = kubia_pods(app)[0]
    run_ok(app, f"kubectl delete pod {name} --wait=false")
    # the replacement goes through Pending and ContainerCreating on the clock
    pods = app.state.store.list("Pod")
    new = [p for p in pods if (p.get("status") or {}).get("phase") == "Pending"]
    assert new
    replacement = new[0]["metadata"]["name"]
    result = app.run(f"kubectl logs {replacement}")
    assert result.exit_code == 1
    assert result.stderr == (
        f'Error from server (BadRequest): container "kubia" in pod "{replacement}" '
        "is waiting to start: ContainerCreating\n"
    )


def test_a_replaced_pod_starts_with_fresh_logs_and_observations_log_nothing(app: Cluster) -> None:
    name = kubia_pods(app)[0]
    ip = pod_ip(app, name)
    app.observe(f"kubectl exec web -c sidecar -- curl -s http://{ip}:8080/")
    app.observe_requests(f"http://{ip}:8080/", source="pod/web")
    assert run_ok(app, f"kubectl logs {name}") == "Kubia server starting...\n"
    run_ok(app, f"kubectl exec web -c sidecar -- curl -s http://{ip}:8080/")
    assert run_ok(app, f"kubectl logs {name}").count("\n") == 2
    run_ok(app, "kubectl delete pod web")
    apply(app, APP)
    app.advance(5)
    assert run_ok(app, "kubectl logs web") == ""


def test_each_container_keeps_a_bounded_ring_of_lines(app: Cluster) -> None:
    name = kubia_pods(app)[0]
    ip = pod_ip(app, name)
    for _ in range(MAX_LINES + 50):
        app.request(f"http://{ip}:8080/", source="pod/web")
    lines = run_ok(app, f"kubectl logs {name}").splitlines()
    # the start line, then the newest MAX_LINES requests: older lines were rotated away
    assert len(lines) == MAX_LINES + 1
    rt = app.state.runtime[("default", name)]
    assert len(rt.logs["kubia"]) == MAX_LINES
