"""Termination as CONTRACT.md section 10 states it, driven through `Cluster.run`.

A deleted pod stays Terminating while its preStop hook and grace period keep
it; Endpoints drop it at once, EndpointSlices keep it with its conditions;
kube-proxy uses terminating endpoints only when nothing ready is left; the
replacement starts on the clock; `kubectl delete` waits unless `--wait=false`.
"""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 20
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
        lifecycle: {preStop: HOOK}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
SLEEP_10 = '{exec: {command: ["sh", "-c", "sleep 10"]}}'


def web(cluster: Cluster, replicas: int = 2, hook: str = SLEEP_10) -> list[str]:
    apply(cluster, DEPLOYMENT.replace("REPLICAS", str(replicas)).replace("HOOK", hook))
    return sorted(p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default"))


def statuses(cluster: Cluster) -> dict[str, str]:
    lines = run_ok(cluster, "kubectl get pods").splitlines()[1:]
    return {line.split()[0]: line.split()[2] for line in lines}


def slice_conditions(cluster: Cluster) -> dict[str, dict]:
    (eps,) = [
        s
        for s in cluster.state.store.list("EndpointSlice", "default")
        if s["metadata"]["labels"]["kubernetes.io/service-name"] == "web"
    ]
    return {e["targetRef"]["name"]: e["conditions"] for e in eps["endpoints"] or ()}


def endpoint_pods(cluster: Cluster) -> set[str]:
    ep = cluster.state.store.get("Endpoints", "default", "web")
    return {a["targetRef"]["name"] for s in ep.get("subsets") or () for a in s.get("addresses", ())}


def test_a_deleted_pod_is_terminating_while_its_prestop_hook_runs(cluster) -> None:
    first, second = web(cluster)
    out = run_ok(cluster, f"kubectl delete pod {first} --wait=false")
    assert out == f'pod "{first}" deleted from default namespace\n'
    now = statuses(cluster)
    assert now[first] == "Terminating"
    (replacement,) = set(now) - {first, second}
    assert now[replacement] == "Pending"  # its owner replaced it at once
    pod = cluster.state.store.get("Pod", "default", first)
    assert pod["metadata"]["deletionGracePeriodSeconds"] == 20
    assert pod["metadata"]["deletionTimestamp"] == "2026-11-22T09:00:20Z"
    # Endpoints drop it at once; EndpointSlices keep it, terminating and still serving.
    assert endpoint_pods(cluster) == {second}
    conditions = slice_conditions(cluster)
    assert conditions[first] == {"ready": False, "serving": True, "terminating": True}
    assert conditions[second] == {"ready": True, "serving": True, "terminating": False}
    cluster.advance(1)
    assert statuses(cluster)[replacement] == "ContainerCreating"
    cluster.advance(1)
    assert statuses(cluster)[replacement] == "Running"
    cluster.advance(7.5)
    assert first in statuses(cluster)
    cluster.advance(0.5)  # the hook's 10 s are over: the container stops, the pod goes
    assert first not in statuses(cluster)
    assert first not in slice_conditions(cluster)


def test_the_grace_period_cuts_a_long_hook_short_with_the_kubelets_extension(cluster) -> None:
    first, _ = web(cluster, hook="{sleep: {seconds: 60}}")
    run_ok(cluster, f"kubectl delete pod {first} --wait=false")
    cluster.advance(21.5)
    assert first in statuses(cluster)
    cluster.advance(0.5)  # grace 20 s + the 2 s extension
    assert first not in statuses(cluster)


def test_a_pod_without_a_hook_goes_at_once(cluster) -> None:
    first, _ = web(cluster, hook="{}")
    before = cluster.state.now
    run_ok(cluster, f"kubectl delete pod {first}")
    assert first not in statuses(cluster)
    assert cluster.state.now == before


def test_plain_delete_waits_in_simulated_time(cluster) -> None:
    first, _ = web(cluster)
    before = cluster.state.now
    run_ok(cluster, f"kubectl delete pod {first}")
    assert cluster.state.now - before == 10
    assert first not in statuses(cluster)


@pytest.mark.parametrize(
    ("flags", "gone_after"),
    # The 10 s hook outlives a short grace period: the kubelet's 2 s extension, then the kill.
    [("--grace-period=3", 5), ("--now", 3), ("--force --grace-period=0", 0)],
)
def test_grace_period_flags(cluster, flags: str, gone_after: int) -> None:
    first, _ = web(cluster)
    result = cluster.run(f"kubectl delete pod {first} --wait=false {flags}")
    assert result.exit_code == 0
    if gone_after:
        cluster.advance(gone_after - 0.5)
        assert statuses(cluster)[first] == "Terminating"
        cluster.advance(0.5)
    else:
        assert result.stderr.startswith("Warning: Immediate deletion does not wait")
        assert result.stdout == f'pod "{first}" force deleted from default namespace\n'
    assert first not in statuses(cluster)


def test_kube_proxy_uses_terminating_endpoints_only_when_nothing_is_ready(cluster) -> None:
    (only,) = web(cluster, replicas=1)
    run_ok(cluster, f"kubectl delete pod {only} --wait=false")
    trace = cluster.request("http://web.default.svc.cluster.local/", source=f"pod/{only}")
    # The replacement is still Pending: the terminating pod still serves.
    assert trace.outcome == "ok"
    assert trace.served_by == only
    assert "terminating" in trace.reason
    cluster.advance(3)  # the replacement is ready now
    (replacement,) = set(statuses(cluster)) - {only}
    for _ in range(5):
        trace = cluster.request("http://web/", source=f"pod/{replacement}")
        assert trace.served_by == replacement


def test_a_scale_down_terminates_pods_gracefully(cluster) -> None:
    web(cluster, replicas=3)
    run_ok(cluster, "kubectl scale deploy web --replicas=1")
    assert sorted(statuses(cluster).values()) == ["Running", "Terminating", "Terminating"]
    assert len(endpoint_pods(cluster)) == 1
    cluster.advance(10)
    assert list(statuses(cluster).values()) == ["Running"]


def test_the_kubelet_records_killing(cluster) -> None:
    first, _ = web(cluster)
    run_ok(cluster, f"kubectl delete pod {first} --wait=false")
    events = run_ok(cluster, "kubectl get events")
    assert f"Killing             pod/{first}" in events
    assert "Stopping container web" in events


def test_a_pending_pod_takes_the_place_a_terminated_pod_frees(cluster) -> None:
    # Two workers of 110 pods each (the kubelet's maxPods), minus the system pods on them.
    apply(cluster, DEPLOYMENT.replace("REPLICAS", "230").replace("HOOK", "{sleep: {seconds: 4}}"))
    pending = {name for name, status in statuses(cluster).items() if status == "Pending"}
    assert pending
    running = [name for name, status in statuses(cluster).items() if status == "Running"]
    node = cluster.state.store.get("Pod", "default", running[0])["spec"]["nodeName"]
    run_ok(cluster, f"kubectl delete pod {running[0]} --wait=false")
    cluster.advance(3.5)  # still Terminating: it holds its place on the node
    now = statuses(cluster)
    assert sum(status == "Pending" for status in now.values()) == len(pending) + 1
    cluster.advance(0.5)
    # The oldest Pending pod is bound to the freed place at once; its kubelet starts it.
    (bound,) = [name for name in pending if pod_node(cluster, name)]
    assert pod_node(cluster, bound) == node
    assert statuses(cluster)[bound] == "Pending"
    cluster.advance(1)
    assert statuses(cluster)[bound] == "ContainerCreating"
    cluster.advance(1)
    now = statuses(cluster)
    assert now[bound] == "Running"
    assert sum(status == "Pending" for status in now.values()) == len(pending)


def test_a_pod_started_from_pending_counts_as_ready_for_its_owner(cluster) -> None:
    # Without a readiness probe a pod is ready as it runs: its ReplicaSet and Deployment
    # count it when it leaves Pending, even when the place it takes was another owner's.
    apply(cluster, "apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\n"
                   "spec: {containers: [{name: c, image: nginx}]}\n")  # fmt: skip
    apply(cluster, DEPLOYMENT.replace("REPLICAS", "230").replace("HOOK", "{sleep: {seconds: 1}}"))
    before = sum(status == "Running" for status in statuses(cluster).values())
    run_ok(cluster, "kubectl delete pod solo")
    cluster.advance(5)
    ready = sum(status == "Running" for status in statuses(cluster).values())
    assert ready == before  # a web pod took solo's place
    (line,) = run_ok(cluster, "kubectl get deploy web").splitlines()[1:]
    assert line.split()[1] == f"{ready}/230"
    (rs,) = cluster.state.store.list("ReplicaSet", "default")
    assert rs["status"]["readyReplicas"] == ready


def pod_node(cluster, name: str) -> str | None:
    return cluster.state.store.get("Pod", "default", name)["spec"].get("nodeName")


def test_the_snapshot_shows_each_pods_stage(cluster) -> None:
    first, second = web(cluster)
    seq = cluster.snapshot()["seq"]
    run_ok(cluster, f"kubectl delete pod {first} --wait=false")
    cluster.advance(1)
    _, changes, removed = cluster.snapshot_changes(seq)
    stages = {p["name"]: (p["status"], p["terminating"]) for p in changes["pods"]}
    (replacement,) = set(stages) - {first, second}
    assert stages[first] == ("Terminating", True)
    assert stages[replacement] == ("ContainerCreating", False)
    assert not removed


def test_next_change_names_the_pod_whose_stage_comes_next(cluster) -> None:
    first, _ = web(cluster)
    run_ok(cluster, f"kubectl delete pod {first} --wait=false")
    change = cluster.next_change()
    assert change.at == 1
    assert change.what.endswith("leaves Pending: its kubelet creates its containers")
    cluster.advance(2)
    change = cluster.next_change()
    assert change.at == 10
    assert change.what == f"pod {first} stops Terminating and is gone: its preStop hook ends"
