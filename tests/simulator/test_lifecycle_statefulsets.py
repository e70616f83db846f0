"""StatefulSets as CONTRACT.md section 10 states them, driven through `Cluster.run`:
ordinal names, OrderedReady and Parallel, scale down from the top, stable pod DNS
through the headless Service, `hostname` in the pod, `kubectl get sts`."""

from __future__ import annotations

import pytest

from simulator import Cluster

from .conftest import apply, run_ok

STS = """
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80, name: web}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
POLICY  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80, name: web}]
        readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
"""


def pod_states(cluster: Cluster) -> dict[str, str]:
    lines = run_ok(cluster, "kubectl get pods").splitlines()[1:]
    return {line.split()[0]: f"{line.split()[1]} {line.split()[2]}" for line in lines}


def test_ordered_ready_starts_one_ordinal_after_the_other(cluster) -> None:
    apply(cluster, STS.replace("POLICY", ""))
    assert pod_states(cluster) == {"web-0": "0/1 Running"}  # not ready: web-1 waits
    cluster.advance(0.5)  # web-0's first probe (no initial delay) passes
    assert pod_states(cluster) == {"web-0": "1/1 Running", "web-1": "0/1 Pending"}
    cluster.advance(1)
    assert pod_states(cluster)["web-1"] == "0/1 ContainerCreating"
    cluster.advance(10.5)
    assert pod_states(cluster) == dict.fromkeys(("web-0", "web-1", "web-2"), "1/1 Running")
    assert run_ok(cluster, "kubectl get sts") == "NAME   READY   AGE\nweb    3/3     12s\n"


def test_parallel_starts_them_all_at_once(cluster) -> None:
    apply(cluster, STS.replace("POLICY", "  podManagementPolicy: Parallel\n"))
    assert sorted(pod_states(cluster)) == ["web-0", "web-1", "web-2"]


def test_scale_down_removes_the_highest_ordinal_first_one_at_a_time(cluster) -> None:
    apply(
        cluster,
        STS.replace("POLICY", "").replace(
            "readinessProbe", "lifecycle: {preStop: {sleep: {seconds: 5}}}\n        readinessProbe"
        ),
    )
    cluster.advance(15)
    run_ok(cluster, "kubectl scale sts web --replicas=1")
    states = pod_states(cluster)
    assert states["web-2"] == "1/1 Terminating"
    assert states["web-1"] == "1/1 Running"  # waits for web-2 to go
    cluster.advance(5)
    assert pod_states(cluster)["web-1"] == "1/1 Terminating"
    cluster.advance(5)
    assert list(pod_states(cluster)) == ["web-0"]


def test_a_deleted_pod_comes_back_with_its_name_once_the_old_one_is_gone(cluster) -> None:
    apply(
        cluster,
        STS.replace("POLICY", "").replace(
            "readinessProbe", "lifecycle: {preStop: {sleep: {seconds: 5}}}\n        readinessProbe"
        ),
    )
    cluster.advance(15)
    old_uid = cluster.state.store.get("Pod", "default", "web-1")["metadata"]["uid"]
    run_ok(cluster, "kubectl delete pod web-1 --wait=false")
    assert pod_states(cluster)["web-1"] == "1/1 Terminating"
    cluster.advance(5)
    assert pod_states(cluster)["web-1"] == "0/1 Pending"
    assert cluster.state.store.get("Pod", "default", "web-1")["metadata"]["uid"] != old_uid


def test_stable_dns_names_and_hostname(cluster) -> None:
    apply(cluster, STS.replace("POLICY", "  podManagementPolicy: Parallel\n"))
    cluster.advance(5)
    assert run_ok(cluster, "kubectl exec web-0 -- hostname") == "web-0\n"
    ip = cluster.state.runtime[("default", "web-2")].ip
    out = run_ok(cluster, "kubectl exec web-0 -- nslookup web-2.web")
    assert "Name:\tweb-2.web.default.svc.cluster.local\nAddress: " + ip in out
    out = run_ok(cluster, "kubectl exec web-0 -- curl -s web-1.web.default.svc.cluster.local")
    assert out == "You've hit web-1\n"
    pod = cluster.state.store.get("Pod", "default", "web-1")
    assert (pod["spec"]["hostname"], pod["spec"]["subdomain"]) == ("web-1", "web")
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert "generateName" not in pod["metadata"]


def test_a_template_change_rolls_from_the_highest_ordinal(cluster) -> None:
    apply(cluster, STS.replace("POLICY", ""))
    cluster.advance(15)
    run_ok(cluster, "kubectl set image sts/web nginx=nginx:1.28")
    images = {
        p["metadata"]["name"]: p["spec"]["containers"][0]["image"]
        for p in cluster.state.store.list("Pod", "default")
    }
    assert images == {"web-0": "nginx:1.27", "web-1": "nginx:1.27", "web-2": "nginx:1.28"}
    out = run_ok(cluster, "kubectl rollout status sts/web")
    # The API server defaults `partition` to 0, so kubectl words it as a partitioned roll out.
    assert out.splitlines()[-1] == "partitioned roll out complete: 3 new pods have been updated..."
    images = {
        p["spec"]["containers"][0]["image"] for p in cluster.state.store.list("Pod", "default")
    }
    assert images == {"nginx:1.28"}


def test_partition_spares_the_lower_ordinals(cluster) -> None:
    policy = "  updateStrategy: {rollingUpdate: {partition: 2}}\n"
    apply(cluster, STS.replace("POLICY", policy))
    cluster.advance(15)
    run_ok(cluster, "kubectl set image sts/web nginx=nginx:1.28")
    cluster.advance(30)
    images = [
        p["spec"]["containers"][0]["image"] for p in cluster.state.store.list("Pod", "default")
    ]
    assert sorted(images) == ["nginx:1.27", "nginx:1.27", "nginx:1.28"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "  podManagementPolicy: Sometimes\n",
            'spec.podManagementPolicy: Unsupported value: "Sometimes"',
        ),
        ("  updateStrategy: {type: Later}\n", "spec.updateStrategy: Unsupported value"),
    ],
)
def test_bad_policies_are_refused(cluster, change: str, message: str) -> None:
    result = cluster.run("kubectl apply -f -", stdin=STS.replace("POLICY", change))
    assert result.exit_code == 1
    assert message in result.stderr
    assert cluster.state.store.get("StatefulSet", "default", "web") is None


def test_a_statefulset_rolls_back_through_its_controller_revisions(cluster) -> None:
    apply(cluster, STS.replace("POLICY", ""))
    cluster.advance(15)
    first = cluster.state.store.get("Pod", "default", "web-0")["metadata"]["labels"][
        "controller-revision-hash"
    ]
    run_ok(cluster, "kubectl set image sts/web nginx=nginx:1.28")
    run_ok(cluster, "kubectl rollout status sts/web")
    rows = [line.split()[:3] for line in run_ok(cluster, "kubectl get controllerrevisions")
            .splitlines()[1:]]  # fmt: skip
    assert [first, "statefulset.apps/web", "1"] in rows  # a pod's label names its revision
    assert len(rows) == 2
    assert run_ok(cluster, "kubectl rollout history sts/web").splitlines()[2:4] == [
        "1         <none>",
        "2         <none>",
    ]
    assert run_ok(cluster, "kubectl rollout undo sts/web") == "statefulset.apps/web rolled back\n"
    run_ok(cluster, "kubectl rollout status sts/web")
    labels = cluster.state.store.get("Pod", "default", "web-2")["metadata"]["labels"]
    assert labels["controller-revision-hash"] == first
    image = cluster.state.store.get("Pod", "default", "web-2")["spec"]["containers"][0]["image"]
    assert image == "nginx:1.27"
