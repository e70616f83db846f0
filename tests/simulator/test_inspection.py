"""`Cluster.inspect`: what an inspector shows about one object, as plain data."""

from __future__ import annotations

import pytest

from simulator import INSPECTABLE_KINDS, Cluster

APP = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
    tier: front
  ports:
  - port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
    spec:
      containers:
      - name: web
        image: luksa/kubia
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /
            port: http
          periodSeconds: 5
          initialDelaySeconds: 2
---
apiVersion: v1
kind: Pod
metadata:
  name: stray
  labels:
    app: web
spec:
  containers:
  - name: main
    image: busybox
    readinessProbe:
      exec:
        command: ["ls", "/var/ready"]
---
apiVersion: v1
kind: Pod
metadata:
  name: other
  labels:
    run: other
spec:
  containers:
  - name: main
    image: busybox
"""


@pytest.fixture
def cluster():
    cluster = Cluster(seed=4)
    result = cluster.run("kubectl apply -f -", stdin=APP)
    assert result.exit_code == 0, result.stderr
    cluster.advance(3)  # the httpGet probes pass: the Deployment's pods are ready
    return cluster


def web_pods(cluster):
    return sorted(p["name"] for p in cluster.snapshot()["pods"] if p["name"].startswith("web-"))


def test_a_service_says_which_pods_it_selects_and_what_each_other_pod_misses(cluster):
    shown = cluster.inspect("Service", "default", "web")
    assert shown.found
    assert "Selector:" in shown.describe
    assert "kind: Service" in shown.yaml
    rows = {row.pod: row for row in shown.selection}
    assert set(rows) == {*web_pods(cluster), "stray", "other"}
    for name in web_pods(cluster):
        assert rows[name].selected
        assert rows[name].ready
        assert rows[name].listed == "ready"
        assert rows[name].missing == ()
    stray = rows["stray"]
    assert not stray.selected
    assert [(t.key, t.value, t.pod_value) for t in stray.missing] == [("tier", "front", None)]
    assert [t.key for t in stray.terms if t.matched] == ["app"]
    other = rows["other"]
    assert {(t.key, t.pod_value) for t in other.missing} == {("app", None), ("tier", None)}
    assert other.listed is None


def test_the_endpoints_show_the_same_selection_as_their_service(cluster):
    assert (
        cluster.inspect("Endpoints", "default", "web").selection
        == cluster.inspect("Service", "default", "web").selection
    )


def test_a_pod_lists_the_services_that_select_it_and_its_workload(cluster):
    name = web_pods(cluster)[0]
    shown = cluster.inspect("Pod", "default", name)
    assert [(r.service, r.selected, r.listed) for r in shown.selection] == [("web", True, "ready")]
    assert shown.labels == (
        ("app", "web"),
        ("pod-template-hash", shown.labels[1][1]),
        ("tier", "front"),
    )
    assert shown.ready
    assert shown.workload.kind == "Deployment"
    assert shown.workload.name == "web"
    assert shown.workload.replicas == 2
    assert shown.workload.target == "deployment web -n default"


def test_a_port_probe_is_switched_with_the_port_tool_a_learner_can_type(cluster):
    name = web_pods(cluster)[0]
    switch = cluster.inspect("Pod", "default", name).readiness
    assert switch.passing
    assert switch.command == f"kubectl exec {name} -n default -c web -- kubeplay-port close 8080"
    assert switch.action == "close port 8080"
    cluster.run(switch.command)
    cluster.advance(15)
    after = cluster.inspect("Pod", "default", name)
    assert not after.ready
    assert not after.readiness.passing
    assert after.readiness.command.endswith("kubeplay-port open 8080")


def test_a_file_probe_is_switched_with_touch_and_rm(cluster):
    switch = cluster.inspect("Pod", "default", "stray").readiness
    assert not switch.passing
    assert switch.command == "kubectl exec stray -n default -c main -- touch /var/ready"
    assert switch.action == "touch /var/ready"
    cluster.run(switch.command)
    assert cluster.inspect("Pod", "default", "stray").readiness.action == "rm /var/ready"


def test_a_pod_without_a_probe_has_no_switch_and_says_why(cluster):
    switch = cluster.inspect("Pod", "default", "other").readiness
    assert switch.command == ""
    assert "No readiness probe" in switch.note


def test_probe_timing_says_when_each_probe_runs_next(cluster):
    name = web_pods(cluster)[0]
    [probe] = cluster.inspect("Pod", "default", name).probes
    # Started at 0, first run after 2 s, then every 5 s; the clock is at 3 s.
    assert (probe.kind, probe.period_seconds, probe.initial_delay_seconds) == ("httpGet", 5, 2)
    assert probe.next_at == 7
    assert (probe.successes, probe.failures, probe.ready) == (1, 0, True)
    cluster.advance(4)  # exactly 7: that run is done
    [probe] = cluster.inspect("Pod", "default", name).probes
    assert probe.next_at == 12
    assert probe.successes == 2


def test_workloads_and_nodes_carry_what_their_buttons_need(cluster):
    assert cluster.inspect("Deployment", "default", "web").replicas == 2
    assert cluster.inspect("Node", "", "worker-1").unschedulable is False
    cluster.run("kubectl cordon worker-1")
    node = cluster.inspect("Node", "ignored", "worker-1")
    assert node.unschedulable
    assert node.namespace == ""
    assert node.target == "node worker-1"


def test_a_missing_object_is_reported_as_kubectl_would(cluster):
    shown = cluster.inspect("Pod", "default", "gone")
    assert not shown.found
    assert shown.yaml == 'Error from server (NotFound): pods "gone" not found\n'
    assert shown.selection == ()


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="not 'Secret'"):
        Cluster(seed=1).inspect("Secret", "default", "x")
    assert "Secret" not in INSPECTABLE_KINDS


def test_inspecting_leaves_no_trace_for_replay(cluster):
    before = (cluster.seq, cluster.state.rng.getstate(), cluster.now)
    for kind in INSPECTABLE_KINDS:
        cluster.inspect(kind, "default", "web")
    cluster.inspect("Pod", "default", web_pods(cluster)[0])
    cluster.export_yaml()
    assert (cluster.seq, cluster.state.rng.getstate(), cluster.now) == before


def test_the_next_probe_of_any_pod_is_the_earliest(cluster):
    # The Deployment's pods run theirs at 7 s, the stray pod's (period 10 s) at 10 s.
    assert cluster.next_probe_at() == 7
    cluster.advance(4)
    assert cluster.next_probe_at() == 10
    assert Cluster(seed=1).next_probe_at() is None  # no probe anywhere


def test_the_learners_aliases_do_not_change_what_the_inspector_reads(cluster):
    cluster.run("alias kubectl='echo kubectl'")
    assert cluster.run("kubectl get service web").stdout == "kubectl get service web\n"
    shown = cluster.inspect("Service", "default", "web")
    assert shown.found
    assert "name: web" in shown.yaml
