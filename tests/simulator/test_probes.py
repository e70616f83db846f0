"""Readiness probes on the simulated clock (CONTRACT.md section 4, k8s-semantics.md section 6)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator import Cluster
from simulator.k8s_events import K8sEvent
from simulator.probes import ProbeCheck, ProbeState, count_result

from .conftest import apply, endpoint_ips, pods

POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {{app: web}}
spec:
  containers:
  - name: web
    image: luksa/kubia
    ports: [{{name: http, containerPort: 8080}}]
    readinessProbe:
{probe}
---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  selector: {{app: web}}
  ports: [{{port: 80, targetPort: 8080}}]
"""


def ready(cluster: Cluster) -> bool:
    return cluster.state.pod_ready("default", "web")


def with_probe(cluster: Cluster, probe: str) -> None:
    apply(cluster, POD.format(probe="\n".join("      " + line for line in probe.splitlines())))


@pytest.mark.parametrize(
    ("probe", "ready_after_first_probe"),
    [
        pytest.param(
            "httpGet: {path: /healthz, port: 8080}", True, id="httpGet on a declared port"
        ),
        pytest.param("httpGet: {path: /, port: http}", True, id="httpGet on a named port"),
        pytest.param("httpGet: {path: /, port: 9090}", False, id="httpGet on an undeclared port"),
        pytest.param("tcpSocket: {port: 8080}", True, id="tcpSocket on a declared port"),
        pytest.param("tcpSocket: {port: 81}", False, id="tcpSocket on an undeclared port"),
        pytest.param("exec: {command: [cat, /etc/hosts]}", True, id="exec on an image file"),
        pytest.param("exec: {command: [ls, /var/ready]}", False, id="exec on a missing file"),
        pytest.param("exec: {command: [sh, -c, 'test -e /tmp/ok']}", False, id="exec via sh -c"),
    ],
)
def test_probe_kinds(cluster: Cluster, probe: str, ready_after_first_probe: bool) -> None:
    with_probe(cluster, probe)
    assert not ready(cluster), "a probed container starts not ready"
    cluster.advance(1)
    assert ready(cluster) is ready_after_first_probe
    expected = 1 if ready_after_first_probe else 0
    assert len(endpoint_ips(cluster, "web")[0]) == expected


def test_a_named_probe_port_is_looked_up_in_its_own_container(cluster: Cluster) -> None:
    # The kubelet resolves the name among the probing container's ports only: a port of
    # that name in a sidecar does not count.
    sidecar = (
        "  - name: sidecar\n    image: nginx\n    ports: [{name: admin, containerPort: 8080}]\n"
    )
    manifest = POD.format(probe="      httpGet: {path: /, port: admin}")
    manifest = manifest.replace("---", sidecar + "---", 1)
    apply(cluster, manifest)
    cluster.advance(1)
    assert not ready(cluster)
    described = cluster.run("kubectl describe pod web").stdout
    assert 'Readiness probe failed: Get "http://10.244.' in described
    assert ':admin/": dial tcp ' in described


def test_initial_delay_and_period(cluster: Cluster) -> None:
    with_probe(cluster, "tcpSocket: {port: 8080}\ninitialDelaySeconds: 15\nperiodSeconds: 5")
    cluster.advance(14)
    assert not ready(cluster)
    cluster.advance(1)
    assert ready(cluster)


def test_success_threshold_needs_consecutive_successes(cluster: Cluster) -> None:
    with_probe(cluster, "exec: {command: [ls, /var/ready]}\nperiodSeconds: 10\nsuccessThreshold: 3")
    assert cluster.run("kubectl exec web -- touch /var/ready").exit_code == 0
    cluster.advance(10)  # probes at 0 and 10: two successes
    assert not ready(cluster)
    cluster.advance(10)  # the third
    assert ready(cluster)


def test_failure_threshold_then_not_ready_and_out_of_endpoints(cluster: Cluster) -> None:
    with_probe(cluster, "exec: {command: [ls, /var/ready]}\nfailureThreshold: 2")
    cluster.run("kubectl exec web -- touch /var/ready")
    cluster.advance(0)
    assert ready(cluster)
    cluster.run("kubectl exec web -- rm /var/ready")
    cluster.advance(10)
    assert ready(cluster), "one failure is not enough"
    cluster.advance(10)
    assert not ready(cluster)
    assert endpoint_ips(cluster, "web")[0] == set()
    assert len(endpoint_ips(cluster, "web")[1]) == 1


def test_kubectl_shows_ready_column_probe_line_and_events(cluster: Cluster) -> None:
    with_probe(cluster, "exec: {command: [ls, /var/ready]}")
    cluster.advance(30)
    table = cluster.run("kubectl get pod web").stdout.splitlines()
    assert table[1].split()[1] == "0/1"
    described = cluster.run("kubectl describe pod web").stdout
    assert (
        "    Readiness:      exec [ls /var/ready] delay=0s timeout=1s period=10s "
        "#success=1 #failure=3" in described
    )
    unhealthy = [line for line in described.splitlines() if "Unhealthy" in line]
    assert len(unhealthy) == 1, "repeats aggregate into one line"
    assert "(x4 over 30s)" in unhealthy[0]
    assert (
        unhealthy[0]
        .rstrip()
        .endswith(
            "Readiness probe failed: ls: cannot access '/var/ready': No such file or directory"
        )
    )
    cluster.run("kubectl exec web -- touch /var/ready")
    cluster.advance(10)
    assert cluster.run("kubectl get pod web").stdout.splitlines()[1].split()[1] == "1/1"


def test_busybox_images_word_probe_errors_like_busybox(cluster: Cluster) -> None:
    apply(
        cluster,
        """
apiVersion: v1
kind: Pod
metadata: {name: bb}
spec:
  containers:
  - name: bb
    image: busybox:1.36
    readinessProbe:
      exec: {command: [cat, /tmp/healthy]}
""",
    )
    cluster.advance(1)
    assert cluster.state.runtime[("default", "bb")].last_probe_output == (
        "cat: can't open '/tmp/healthy': No such file or directory"
    )


def test_readiness_events_are_in_the_event_stream(cluster: Cluster) -> None:
    with_probe(cluster, "tcpSocket: {port: 8080}")
    start = cluster.seq
    cluster.advance(1)
    events = [(e.type, e.kind, e.name) for e in cluster.events_since(start)]
    assert events == [("ready", "Pod", "web"), ("endpoints", "Endpoints", "web")]


def test_deleted_pods_stop_being_probed(cluster: Cluster) -> None:
    apply(
        cluster,
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  replicas: 3
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers:
      - name: c
        image: nginx
        readinessProbe: {exec: {command: [ls, /ready]}}
""",
    )
    first = pods(cluster, app="d")[0]["metadata"]["name"]
    cluster.run(f"kubectl delete pod {first}")
    cluster.advance(100)
    assert first not in {p["metadata"]["name"] for p in pods(cluster, app="d")}
    buckets = [item for item in cluster.state.clock.upcoming() if type(item) is tuple]
    assert len(buckets) <= 2, "one heap entry per probe bucket, none for the dead"
    assert cluster.state.probes.next_at() is not None


def test_closing_a_port_fails_http_probes_until_it_opens_again(cluster: Cluster) -> None:
    with_probe(cluster, "httpGet: {path: /, port: http}\nfailureThreshold: 1")
    cluster.advance(1)
    assert ready(cluster)
    closed = cluster.run("kubectl exec web -- kubeplay-port close 8080")
    assert (closed.stdout, closed.exit_code) == ("port 8080: closed\n", 0)
    assert cluster.run("kubectl exec web -- kubeplay-port status 8080").exit_code == 1
    cluster.advance(10)
    assert not ready(cluster)
    assert cluster.state.runtime[("default", "web")].last_probe_output.endswith(
        "connect: connection refused"
    )
    ip = cluster.state.store.get("Pod", "default", "web")["status"]["podIP"]
    refused = cluster.run(f"kubectl exec web -- curl -s http://{ip}:8080")
    assert refused.exit_code == 7, "connection refused"
    cluster.run("kubectl exec web -- kubeplay-port open 8080")
    cluster.advance(10)
    assert ready(cluster)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            "close 9999", "kubeplay-port: no container of web declares port 9999", id="undeclared"
        ),
        pytest.param("shut 8080", "usage: kubeplay-port close|open|status PORT", id="bad action"),
    ],
)
def test_port_tool_refuses_bad_use(cluster: Cluster, args: str, message: str) -> None:
    with_probe(cluster, "tcpSocket: {port: 8080}")
    result = cluster.run(f"kubectl exec web -- kubeplay-port {args}")
    assert result.exit_code != 0
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    "probe",
    [
        pytest.param("exec: {command: [ls, /var/ready]}", id="a file test"),
        pytest.param("httpGet: {port: 8080, path: /}", id="an httpGet probe"),
    ],
)
def test_each_result_is_counted_once(cluster: Cluster, probe: str) -> None:
    # The counts are what the room's probe rings show: [successes, failures] in a row.
    with_probe(cluster, probe + "\nperiodSeconds: 10")
    cluster.run("kubectl exec web -- touch /var/ready")
    (state,) = cluster.state.runtime[("default", "web")].probes
    cluster.advance(1)  # the first success turns the container ready
    assert ready(cluster)
    assert (state.successes, state.failures) == (1, 0)
    cluster.advance(10)
    assert (state.successes, state.failures) == (2, 0)


def probe_state(*, ready: bool = False, successes: int = 0, failures: int = 0,
                needs: int = 1, fails_after: int = 3) -> ProbeState:  # fmt: skip
    check = ProbeCheck(
        {"name": "web", "image": "nginx"},
        {"exec": {"command": ["true"]}, "successThreshold": needs, "failureThreshold": fails_after},
    )
    state = ProbeState(check)
    state.ready, state.successes, state.failures = ready, successes, failures
    return state


@pytest.mark.parametrize(
    ("state", "ok", "output", "outcome", "counts"),
    [
        pytest.param(
            probe_state(), True, "", (True, None), (1, 0), id="the first success turns ready"
        ),  # fmt: skip
        pytest.param(
            probe_state(needs=2),
            True,
            "",
            None,
            (1, 0),
            id="a success short of successThreshold only counts",
        ),  # fmt: skip
        pytest.param(
            probe_state(ready=True, successes=4),
            True,
            "",
            None,
            (5, 0),
            id="a success while ready only counts",
        ),  # fmt: skip
        pytest.param(
            probe_state(successes=1, needs=2),
            False,
            "boom",
            (False, "Readiness probe failed: boom"),
            (0, 1),
            id="a failure resets the successes and needs an Unhealthy event",
        ),  # fmt: skip
        pytest.param(
            probe_state(ready=True, failures=1),
            False,
            "boom",
            (False, "Readiness probe failed: boom"),
            (0, 2),
            id="a failure short of failureThreshold keeps it ready",
        ),  # fmt: skip
        pytest.param(
            probe_state(ready=True, failures=2),
            False,
            "boom",
            (True, "Readiness probe failed: boom"),
            (0, 3),
            id="the third failure in a row turns not ready",
        ),  # fmt: skip
        pytest.param(
            probe_state(ready=True, failures=2),
            False,
            "",
            (True, "Readiness probe failed:"),
            (0, 3),
            id="a silent failure's event has no trailing space",
        ),  # fmt: skip
    ],
)
def test_count_result(state, ok, output, outcome, counts) -> None:
    was_ready = state.ready
    found = count_result(("default", "web"), SimpleNamespace(last_probe_output=""), state, ok,
                         output, 10.0)  # fmt: skip
    assert (found and found[2:]) == outcome, "(flipped, unhealthy)"
    assert (state.successes, state.failures) == counts
    assert state.ready == (was_ready != bool(outcome and outcome[0]))


def test_a_repeated_failure_counts_on_its_event_and_another_needs_a_new_one() -> None:
    state = probe_state(failures=1)
    state.event = K8sEvent("Warning", "Unhealthy", "kubelet", "Readiness probe failed: x", 0, 0)
    record = SimpleNamespace(last_probe_output="x")
    assert count_result(("default", "web"), record, state, False, "x", 10.0) is None
    assert (state.event.count, state.event.last, state.failures) == (2, 10.0, 2)
    found = count_result(("default", "web"), record, state, False, "y", 20.0)
    assert found == (("default", "web"), state, False, "Readiness probe failed: y")
    assert record.last_probe_output == "y"
