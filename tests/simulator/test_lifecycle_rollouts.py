"""Rollouts as CONTRACT.md section 10 states them, driven through `Cluster.run`.

Deployments roll per strategy on the simulated clock, waiting for readiness;
`kubectl set image|env` and `kubectl rollout` act as kubectl's do; DaemonSets
roll their pods when the template changes.
"""

from __future__ import annotations

from simulator import Cluster

from .conftest import apply, run_ok

SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: kubia}
spec:
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
"""


def deployment(replicas: int = 4, strategy: str = "", probe: bool = True, extra: str = "") -> str:
    readiness = (
        "        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}\n"
        if probe
        else ""
    )
    return (
        f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: kubia}}
spec:
  replicas: {replicas}
{strategy}{extra}  selector: {{matchLabels: {{app: kubia}}}}
  template:
    metadata: {{labels: {{app: kubia}}}}
    spec:
      containers:
      - name: kubia
        image: luksa/kubia:v1
        ports: [{{containerPort: 8080}}]
"""
        + readiness
        + "---"
        + SERVICE
    )


def counts(cluster: Cluster) -> dict[str, tuple[int, int]]:
    """Each ReplicaSet's (pods not terminating, ready pods), by image."""
    out: dict[str, tuple[int, int]] = {}
    for pod in cluster.state.store.list("Pod", "default"):
        if pod["metadata"].get("deletionTimestamp"):
            continue
        image = pod["spec"]["containers"][0]["image"]
        rt = cluster.state.runtime.get(("default", pod["metadata"]["name"]))
        live, ready = out.get(image, (0, 0))
        out[image] = (live + 1, ready + bool(rt and rt.ready))
    return out


def settled(cluster: Cluster) -> None:
    cluster.advance(5)
    assert counts(cluster) == {"luksa/kubia:v1": (4, 4)}


def test_rolling_update_stays_within_surge_and_unavailable_at_every_step(cluster) -> None:
    strategy = "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"
    apply(cluster, deployment(strategy=strategy))
    settled(cluster)
    assert run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2") == (
        "deployment.apps/kubia image updated\n"
    )
    seen = []
    for _ in range(40):
        now = counts(cluster)
        total = sum(live for live, _ in now.values())
        ready = sum(r for _, r in now.values())
        assert total <= 5, now  # replicas + maxSurge
        assert ready >= 4, now  # replicas - maxUnavailable
        seen.append(now)
        cluster.advance(0.5)
    assert seen[0] == {"luksa/kubia:v1": (4, 4), "luksa/kubia:v2": (1, 0)}
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}
    # The old and new ReplicaSets' pods served side by side along the way.
    assert any(len(step) == 2 and step["luksa/kubia:v2"][1] > 0 for step in seen)


def test_percentages_round_as_the_controller_does(cluster) -> None:
    # 25% of 4: surge rounds up to 1, unavailable rounds down to 1.
    apply(cluster, deployment())
    settled(cluster)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    assert counts(cluster) == {"luksa/kubia:v1": (3, 3), "luksa/kubia:v2": (2, 0)}
    annotations = cluster.state.store.list("ReplicaSet", "default")[0]["metadata"]["annotations"]
    assert annotations["deployment.kubernetes.io/max-replicas"] == "5"


def test_recreate_waits_for_every_old_pod_to_go(cluster) -> None:
    apply(cluster, deployment(strategy="  strategy: {type: Recreate}\n"))
    settled(cluster)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    assert counts(cluster) in ({}, {"luksa/kubia:v2": (4, 0)})
    cluster.advance(10)
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}


def test_min_ready_seconds_holds_the_next_step_on_the_clock(cluster) -> None:
    strategy = "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n"
    apply(cluster, deployment(strategy=strategy, extra="  minReadySeconds: 10\n"))
    cluster.advance(15)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    cluster.advance(5)  # the new pod is ready but not yet available
    assert counts(cluster)["luksa/kubia:v2"] == (1, 1)
    assert counts(cluster)["luksa/kubia:v1"] == (4, 4)
    cluster.advance(10)
    assert counts(cluster)["luksa/kubia:v2"][0] == 2


def test_without_readiness_probes_new_pods_count_as_soon_as_they_run(cluster) -> None:
    apply(cluster, deployment(probe=False))
    cluster.advance(1)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    cluster.advance(30)
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}


def test_rollout_status_waits_in_simulated_time(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    before = cluster.state.now
    out = run_ok(cluster, "kubectl rollout status deployment/kubia")
    lines = out.splitlines()
    assert lines[0] == (
        'Waiting for deployment "kubia" rollout to finish: 2 out of 4 new replicas have been '
        "updated..."
    )
    assert lines[-1] == 'deployment "kubia" successfully rolled out'
    assert cluster.state.now > before
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}


def test_rollout_status_timeout_uses_simulated_time(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    before = cluster.state.now
    result = cluster.run("kubectl rollout status deploy/kubia --timeout=1s")
    assert result.exit_code == 1
    assert result.stderr == "error: timed out waiting for the condition\n"
    assert cluster.state.now - before == 1


def test_history_undo_and_change_cause(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    run_ok(cluster, "kubectl rollout status deploy/kubia")
    history = run_ok(cluster, "kubectl rollout history deployment kubia")
    assert history == (
        "deployment.apps/kubia \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )
    assert run_ok(cluster, "kubectl rollout undo deploy/kubia") == (
        "deployment.apps/kubia rolled back\n"
    )
    run_ok(cluster, "kubectl rollout status deploy/kubia")
    assert counts(cluster) == {"luksa/kubia:v1": (4, 4)}
    history = run_ok(cluster, "kubectl rollout history deploy/kubia").splitlines()
    assert [line.split()[0] for line in history[2:4]] == ["2", "3"]  # revision 1 became 3
    missing = cluster.run("kubectl rollout undo deploy/kubia --to-revision=9")
    assert missing.exit_code == 1
    assert "unable to find specified revision 9 in history" in missing.stderr


def test_pause_holds_a_template_change_until_resume(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    assert run_ok(cluster, "kubectl rollout pause deploy/kubia") == "deployment.apps/kubia paused\n"
    run_ok(cluster, "kubectl set image deploy/kubia kubia=luksa/kubia:v2")
    cluster.advance(30)
    assert counts(cluster) == {"luksa/kubia:v1": (4, 4)}
    again = cluster.run("kubectl rollout pause deploy/kubia")
    assert again.stderr == 'error: deployments.apps "kubia" is already paused\n'
    run_ok(cluster, "kubectl rollout resume deploy/kubia")
    cluster.advance(30)
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}


def test_restart_and_set_env_roll_new_pods(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    names = {p["metadata"]["name"] for p in cluster.state.store.list("Pod", "default")}
    run_ok(cluster, "kubectl rollout restart deploy/kubia")
    run_ok(cluster, "kubectl rollout status deploy/kubia")
    pods = cluster.state.store.list("Pod", "default")
    assert not names & {p["metadata"]["name"] for p in pods}
    annotations = pods[0]["metadata"].get("annotations") or {}
    assert "kubectl.kubernetes.io/restartedAt" in annotations
    assert run_ok(cluster, "kubectl set env deploy/kubia GREETING=hi") == (
        "deployment.apps/kubia env updated\n"
    )
    run_ok(cluster, "kubectl rollout status deploy/kubia")
    pod = cluster.state.store.list("Pod", "default")[0]["metadata"]["name"]
    assert "GREETING=hi" in run_ok(cluster, f"kubectl exec {pod} -- env")


def test_set_image_refuses_an_unknown_container(cluster) -> None:
    apply(cluster, deployment())
    result = cluster.run("kubectl set image deploy/kubia nope=luksa/kubia:v2")
    assert result.exit_code == 1
    assert result.stderr == 'error: unable to find container named "nope"\n'


DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1}]
"""


def agent_images(cluster: Cluster) -> list[str]:
    return sorted(
        p["spec"]["containers"][0]["image"]
        for p in cluster.state.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    )


def test_daemon_set_rolls_its_pods_when_the_template_changes(cluster) -> None:
    apply(cluster, DAEMONSET)
    assert agent_images(cluster) == ["busybox:1", "busybox:1"]
    run_ok(cluster, "kubectl set image ds/agent agent=busybox:2")
    row = run_ok(cluster, "kubectl get ds agent").splitlines()[1].split()
    assert row[3:5] == ["1", "1"]  # READY, UP-TO-DATE: one node's new pod is starting
    out = run_ok(cluster, "kubectl rollout status ds/agent")
    assert out.splitlines()[-1] == 'daemon set "agent" successfully rolled out'
    assert agent_images(cluster) == ["busybox:2", "busybox:2"]
    row = run_ok(cluster, "kubectl get ds agent").splitlines()[1].split()
    assert row[1:6] == ["2", "2", "2", "2", "2"]


def test_daemon_set_on_delete_waits_for_the_learner(cluster) -> None:
    apply(
        cluster,
        DAEMONSET.replace(
            "spec:\n  selector", "spec:\n  updateStrategy: {type: OnDelete}\n  selector"
        ),
    )
    run_ok(cluster, "kubectl set image ds/agent agent=busybox:2")
    cluster.advance(30)
    assert agent_images(cluster) == ["busybox:1", "busybox:1"]
    pod = cluster.state.store.list("Pod", "default")[0]["metadata"]["name"]
    run_ok(cluster, f"kubectl delete pod {pod}")
    cluster.advance(5)
    assert agent_images(cluster) == ["busybox:1", "busybox:2"]


SURGING = DAEMONSET.replace(
    "spec:\n  selector",
    "spec:\n  updateStrategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n  selector",
).replace(
    "      containers: [{name: agent, image: busybox:1}]",
    "      containers:\n      - name: agent\n        image: busybox:1\n"
    "        ports: [{containerPort: 8080}]\n"
    "        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}",
)


def agents_by_node(cluster: Cluster) -> dict[str, list[tuple[str, bool]]]:
    """Each node's agent pods that are not terminating: (image, ready), oldest first."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for pod in cluster.state.store.list("Pod", "default"):
        if pod["metadata"].get("deletionTimestamp"):
            continue
        rt = cluster.state.runtime.get(("default", pod["metadata"]["name"]))
        image = pod["spec"]["containers"][0]["image"]
        out.setdefault(pod["spec"]["nodeName"], []).append((image, bool(rt and rt.ready)))
    return out


def test_daemon_set_max_surge_starts_the_new_pod_beside_the_old_one(cluster) -> None:
    apply(cluster, SURGING)
    cluster.advance(5)
    run_ok(cluster, "kubectl set image ds/agent agent=busybox:2")
    seen_two = False
    for _ in range(30):
        nodes = agents_by_node(cluster)
        # No node is ever without a ready pod, and at most one node (maxSurge 1) runs two.
        assert all(any(ready for _, ready in pods) for pods in nodes.values()), nodes
        assert sum(len(pods) == 2 for pods in nodes.values()) <= 1, nodes
        seen_two = seen_two or any(
            [image for image, _ in pods] == ["busybox:1", "busybox:2"] for pods in nodes.values()
        )
        cluster.advance(0.5)
    assert seen_two
    assert agents_by_node(cluster) == {
        "worker-1": [("busybox:2", True)],
        "worker-2": [("busybox:2", True)],
    }
    row = run_ok(cluster, "kubectl get ds agent").splitlines()[1].split()
    assert row[1:6] == ["2", "2", "2", "2", "2"]


def test_daemon_set_status_counts_a_surging_node_once(cluster) -> None:
    apply(cluster, SURGING)
    cluster.advance(5)
    run_ok(cluster, "kubectl set image ds/agent agent=busybox:2")
    cluster.advance(0.5)
    assert sum(len(pods) for pods in agents_by_node(cluster).values()) == 3
    # DESIRED CURRENT READY UP-TO-DATE AVAILABLE: the surging node counts its old pod.
    row = run_ok(cluster, "kubectl get ds agent").splitlines()[1].split()
    assert row[1:6] == ["2", "2", "2", "0", "2"]


def test_daemon_set_surge_needs_max_unavailable_zero(cluster) -> None:
    # The API server defaults maxUnavailable to 1 before it validates: exactly one of the
    # two may be non-zero.
    result = cluster.run(
        "kubectl apply -f -", stdin=SURGING.replace("maxSurge: 1, maxUnavailable: 0", "maxSurge: 1")
    )
    assert result.exit_code == 1
    assert (
        "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when "
        "maxUnavailable is non-zero" in result.stderr
    )
    result = cluster.run(
        "kubectl apply -f -", stdin=SURGING.replace("maxSurge: 1,", "maxSurge: 0,")
    )
    assert result.exit_code == 1
    assert (
        "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when "
        "maxSurge is 0" in result.stderr
    )
    assert cluster.state.store.count("DaemonSet") == 0


def revisions(cluster: Cluster) -> list[list[str]]:
    """`kubectl get controllerrevisions`: NAME, CONTROLLER, REVISION of each row."""
    return [line.split()[:3] for line in run_ok(cluster, "kubectl get controllerrevisions")
            .splitlines()[1:]]  # fmt: skip


def test_a_daemon_set_keeps_its_templates_as_controller_revisions(cluster) -> None:
    apply(cluster, DAEMONSET)
    hash_1 = cluster.state.store.list("Pod", "default")[0]["metadata"]["labels"][
        "controller-revision-hash"
    ]
    assert revisions(cluster) == [[f"agent-{hash_1}", "daemonset.apps/agent", "1"]]
    run_ok(cluster, "kubectl annotate ds/agent kubernetes.io/change-cause='busybox 2'")
    run_ok(cluster, "kubectl set image ds/agent agent=busybox:2")
    run_ok(cluster, "kubectl rollout status ds/agent")
    assert [row[2] for row in revisions(cluster)].count("2") == 1
    assert run_ok(cluster, "kubectl rollout history ds/agent") == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         busybox 2\n\n"
    )
    shown = run_ok(cluster, "kubectl rollout history ds/agent --revision=1")
    assert shown.startswith("daemonset.apps/agent with revision #1\nPod Template:\n")
    assert shown.split("Image:")[1].split()[0] == "busybox:1"

    # Undo: the previous template comes back under its old name, with the next number.
    assert run_ok(cluster, "kubectl rollout undo ds/agent") == "daemonset.apps/agent rolled back\n"
    run_ok(cluster, "kubectl rollout status ds/agent")
    assert agent_images(cluster) == ["busybox:1", "busybox:1"]
    assert [f"agent-{hash_1}", "daemonset.apps/agent", "3"] in revisions(cluster)
    assert len(revisions(cluster)) == 2
    assert run_ok(cluster, "kubectl rollout undo ds/agent --to-revision=3") == (
        "daemonset.apps/agent skipped rollback (current template already matches revision 3)\n"
    )
    missing = cluster.run("kubectl rollout undo ds/agent --to-revision=7")
    assert missing.stderr == "error: unable to find specified revision 7 in history\n"

    # The garbage collector takes them with their DaemonSet.
    run_ok(cluster, "kubectl delete ds agent")
    assert revisions(cluster) == []


def test_history_keeps_revision_history_limit_old_templates(cluster) -> None:
    apply(
        cluster,
        DAEMONSET.replace("spec:\n  selector", "spec:\n  revisionHistoryLimit: 2\n  selector"),
    )
    for version in range(2, 7):
        run_ok(cluster, f"kubectl set image ds/agent agent=busybox:{version}")
        run_ok(cluster, "kubectl rollout status ds/agent")
    # The current template and the two newest old ones: revisions 4, 5 and 6.
    assert sorted(int(row[2]) for row in revisions(cluster)) == [4, 5, 6]


def test_a_single_revision_has_nothing_to_undo_and_other_kinds_have_no_history(cluster) -> None:
    apply(cluster, DAEMONSET)
    result = cluster.run("kubectl rollout undo ds/agent")
    assert (result.exit_code, result.stderr) == (1, "error: no last revision to roll back to\n")
    apply(cluster, deployment())
    rs = cluster.state.store.list("ReplicaSet", "default")[0]["metadata"]["name"]
    result = cluster.run(f"kubectl rollout history rs/{rs}")
    assert result.exit_code == 1
    assert result.stderr == "error: no history viewer has been implemented for ReplicaSet.apps\n"


def test_applying_a_changed_template_rolls_out_as_set_image_does(cluster) -> None:
    apply(cluster, deployment())
    settled(cluster)
    apply(cluster, deployment().replace("luksa/kubia:v1", "luksa/kubia:v2"))
    assert counts(cluster) == {"luksa/kubia:v1": (3, 3), "luksa/kubia:v2": (2, 0)}
    out = run_ok(cluster, "kubectl rollout status deploy/kubia")
    assert out.splitlines()[-1] == 'deployment "kubia" successfully rolled out'
    assert counts(cluster) == {"luksa/kubia:v2": (4, 4)}
