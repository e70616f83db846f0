"""Controllers, scheduler, allocation and the Endpoints controller, through the public API."""

from __future__ import annotations

import json
import re

import pytest

from simulator import Cluster
from simulator.controllers.ownership import new_pods
from simulator.names import generate_suffix

from .conftest import apply, endpoint_ips, pods, run_ok
from .manifests_kubia import DEPLOYMENT, KUBIA_RC, KUBIA_READINESS_RC, KUBIA_SVC

GENERATED = re.compile(r"^kubia-[bcdfghjklmnpqrstvwxz2456789]{5}$")


def test_default_cluster_matches_the_contract(cluster: Cluster) -> None:
    store = cluster.state.store
    nodes = {n["metadata"]["name"]: n for n in store.list("Node")}
    assert set(nodes) == {"control-plane", "worker-1", "worker-2"}
    assert nodes["control-plane"]["spec"]["taints"] == [
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
    ]
    assert (
        nodes["control-plane"]["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == ""
    )
    assert {cluster.state.node_ip(n) for n in nodes} == {
        "192.168.49.2",
        "192.168.49.3",
        "192.168.49.4",
    }
    assert [n["spec"]["podCIDR"] for n in store.list("Node")] == [
        "10.244.0.0/24",
        "10.244.1.0/24",
        "10.244.2.0/24",
    ]
    kubernetes = store.get("Service", "default", "kubernetes")
    assert kubernetes["spec"]["clusterIP"] == "10.96.0.1"
    assert kubernetes["spec"]["ports"][0]["port"] == 443
    assert store.get("Service", "kube-system", "kube-dns")["spec"]["clusterIP"] == "10.96.0.10"
    assert {ns["metadata"]["name"] for ns in store.list("Namespace")} >= {"default", "kube-system"}
    assert endpoint_ips(cluster, "kubernetes")[0] == {"192.168.49.2:6443"}
    assert len(endpoint_ips(cluster, "kube-dns", "kube-system")[0]) == 4  # 2 pods x (53, 9153)


def test_replication_controller_creates_spread_pods(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC)
    created = pods(cluster, app="kubia")
    assert len(created) == 3
    assert all(GENERATED.match(p["metadata"]["name"]) for p in created)
    nodes = [p["spec"]["nodeName"] for p in created]
    assert "control-plane" not in nodes, "the control-plane taint keeps ordinary pods off"
    assert set(nodes) == {"worker-1", "worker-2"}
    for pod in created:
        node_index = {"worker-1": 1, "worker-2": 2}[pod["spec"]["nodeName"]]
        assert pod["status"]["podIP"].startswith(f"10.244.{node_index}.")
        assert pod["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"


def test_deleted_pod_is_replaced_and_endpoints_follow(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
    before = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster)}
    victim = sorted(before)[0]
    result = cluster.run(f"kubectl delete pod {victim}")
    assert result.exit_code == 0, result.stderr
    # Without a preStop hook the pod is gone at once; its replacement exists at once and
    # starts on the clock (Pending, then ContainerCreating, then Running).
    (new_name,) = {p["metadata"]["name"] for p in pods(cluster)} - set(before)
    assert victim not in {p["metadata"]["name"] for p in pods(cluster)}
    assert cluster.state.store.get("Pod", "default", new_name)["status"]["phase"] == "Pending"
    ready, _ = endpoint_ips(cluster, "kubia")
    assert ready == {f"{before[n]}:8080" for n in sorted(before)[1:]}
    cluster.advance(2)
    after = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster)}
    assert len(after) == 3
    assert after[new_name] not in {before[n] for n in sorted(before)[1:]}
    ready, _ = endpoint_ips(cluster, "kubia")
    assert ready == {f"{ip}:8080" for ip in after.values()}


def test_relabelled_pod_is_orphaned_and_replaced(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
    victim = pods(cluster)[0]["metadata"]["name"]
    result = cluster.run(f"kubectl label pod {victim} app=foo --overwrite")
    assert result.exit_code == 0, result.stderr
    orphan = cluster.state.store.get("Pod", "default", victim)
    assert "ownerReferences" not in orphan["metadata"]
    assert len(pods(cluster, app="kubia")) == 3
    cluster.advance(2)  # the replacement starts
    ready, _ = endpoint_ips(cluster, "kubia")
    assert f"{orphan['status']['podIP']}:8080" not in ready
    assert len(ready) == 3


def test_bare_pod_matching_a_selector_is_adopted(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC)
    apply(
        cluster,
        """
apiVersion: v1
kind: Pod
metadata:
  name: stray
  labels: {app: kubia}
spec:
  containers:
  - name: kubia
    image: luksa/kubia
""",
    )
    assert len(pods(cluster, app="kubia")) == 3, "adopted, then the surplus pod is deleted"
    for pod in pods(cluster, app="kubia"):
        assert pod["metadata"]["ownerReferences"][0]["name"] == "kubia"


@pytest.mark.parametrize("replicas", [0, 1, 5])
def test_scale(cluster: Cluster, replicas: int) -> None:
    apply(cluster, KUBIA_RC)
    result = cluster.run(f"kubectl scale rc kubia --replicas={replicas}")
    assert result.exit_code == 0, result.stderr
    assert len(pods(cluster, app="kubia")) == replicas
    assert (
        cluster.state.store.get("ReplicationController", "default", "kubia")["status"]["replicas"]
        == replicas
    )


def test_deployment_makes_a_hashed_replicaset_and_rolls_to_a_new_one(cluster: Cluster) -> None:
    apply(cluster, DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    (rs,) = cluster.state.store.list("ReplicaSet", "default")
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", "pod-template-hash": pod_hash}
    for pod in pods(cluster, app="web"):
        assert pod["metadata"]["name"].startswith(f"web-{pod_hash}-")
        assert pod["metadata"]["labels"]["pod-template-hash"] == pod_hash

    apply(cluster, DEPLOYMENT.format(replicas=2, image="nginx:1.26"))
    run_ok(cluster, "kubectl rollout status deployment web")
    sets = {
        r["metadata"]["name"]: r["spec"]["replicas"]
        for r in cluster.state.store.list("ReplicaSet", "default")
    }
    assert sets[f"web-{pod_hash}"] == 0
    assert sorted(sets.values()) == [0, 2]
    assert all(
        p["metadata"]["labels"]["pod-template-hash"] != pod_hash for p in pods(cluster, app="web")
    )
    status = cluster.state.store.get("Deployment", "default", "web")["status"]
    assert status["replicas"] == 2
    assert status["readyReplicas"] == 2


def annotations(obj: dict) -> dict:
    return obj["metadata"].get("annotations") or {}


def test_deployment_revisions_follow_its_templates(cluster: Cluster) -> None:
    first = DEPLOYMENT.format(replicas=3, image="nginx:1.25").replace(
        "  name: web\n", "  name: web\n  annotations: {team: blue}\n", 1
    )
    second = first.replace("nginx:1.25", "nginx:1.26")
    store = cluster.state.store

    def revisions() -> dict[str, tuple[str, str | None]]:
        return {
            rs["metadata"]["name"]: (
                annotations(rs)["deployment.kubernetes.io/revision"],
                annotations(rs).get("deployment.kubernetes.io/revision-history"),
            )
            for rs in store.list("ReplicaSet", "default")
        }

    def deployment_revision() -> str:
        return annotations(store.get("Deployment", "default", "web"))[
            "deployment.kubernetes.io/revision"
        ]

    apply(cluster, first)
    (old,) = revisions()
    assert deployment_revision() == "1"
    apply(cluster, second)
    (new,) = set(revisions()) - {old}
    assert revisions() == {old: ("1", None), new: ("2", None)}
    assert deployment_revision() == "2"
    # Back to the first template: its ReplicaSet is reused and becomes revision 3.
    assert run_ok(cluster, "kubectl apply -f -", stdin=first) == "deployment.apps/web configured\n"
    assert revisions() == {old: ("3", "1"), new: ("2", None)}
    assert deployment_revision() == "3"
    assert run_ok(cluster, "kubectl apply -f -", stdin=first) == "deployment.apps/web unchanged\n"
    described = run_ok(cluster, "kubectl describe deploy web")
    assert "Annotations:            deployment.kubernetes.io/revision: 3\n" in described
    # The rollout is finished: kubectl lists no old ReplicaSet that still runs pods.
    assert f"OldReplicaSets:  <none>\nNewReplicaSet:   {old} (3/3 replicas created)\n" in (
        described
    )
    # The Deployment's own annotations reach its ReplicaSets; kubectl's record does not.
    for rs in store.list("ReplicaSet", "default"):
        assert annotations(rs)["team"] == "blue"
        assert "kubectl.kubernetes.io/last-applied-configuration" not in annotations(rs)


@pytest.mark.parametrize(
    ("strategy", "replicas", "most"),
    [
        ("", 3, 4),  # the default maxSurge, 25%, rounded up
        ("", 10, 13),
        ("strategy: {rollingUpdate: {maxSurge: 2}}", 3, 5),
        ("strategy: {rollingUpdate: {maxSurge: 50%}}", 5, 8),
        ("strategy: {type: Recreate}", 3, 3),
    ],
)
def test_replica_set_records_the_most_pods_a_rolling_update_may_run(
    cluster: Cluster, strategy: str, replicas: int, most: int
) -> None:
    manifest = DEPLOYMENT.format(replicas=1, image="nginx").replace(
        "spec:\n  replicas: 1\n", f"spec:\n  replicas: 1\n  {strategy}\n", 1
    )
    apply(cluster, manifest)
    run_ok(cluster, f"kubectl scale deployment web --replicas={replicas}")
    (rs,) = cluster.state.store.list("ReplicaSet", "default")
    assert annotations(rs)["deployment.kubernetes.io/desired-replicas"] == str(replicas)
    assert annotations(rs)["deployment.kubernetes.io/max-replicas"] == str(most)


def test_scaling_a_deployment_keeps_its_replicaset(cluster: Cluster) -> None:
    apply(cluster, DEPLOYMENT.format(replicas=2, image="nginx"))
    (rs,) = cluster.state.store.list("ReplicaSet", "default")
    assert cluster.run("kubectl scale deployment web --replicas=4").exit_code == 0
    (same,) = cluster.state.store.list("ReplicaSet", "default")
    assert same["metadata"]["name"] == rs["metadata"]["name"]
    assert len(pods(cluster, app="web")) == 4


DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      {tolerations}
      containers:
      - name: agent
        image: busybox
"""


@pytest.mark.parametrize(
    ("tolerations", "expected"),
    [
        pytest.param("", {"worker-1", "worker-2"}, id="control-plane taint not tolerated"),
        pytest.param(
            "tolerations: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule, "
            "operator: Exists}]",
            {"control-plane", "worker-1", "worker-2"},
            id="tolerates the control plane",
        ),
    ],
)
def test_daemonset_runs_one_pod_per_eligible_node(
    cluster: Cluster, tolerations: str, expected: set
) -> None:
    apply(cluster, DAEMONSET.replace("{tolerations}", tolerations))
    nodes = [p["spec"]["nodeName"] for p in pods(cluster, app="agent")]
    assert sorted(nodes) == sorted(expected)


def test_added_node_gets_a_daemonset_pod_and_a_cidr(cluster: Cluster) -> None:
    apply(cluster, DAEMONSET.replace("{tolerations}", ""))
    apply(cluster, "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker-3\n")
    node = cluster.state.store.get("Node", "", "worker-3")
    assert node["spec"]["podCIDR"] == "10.244.3.0/24"
    assert cluster.state.node_ip("worker-3") == "192.168.49.5"
    assert "worker-3" in {p["spec"]["nodeName"] for p in pods(cluster, app="agent")}


def test_node_selector_without_match_stays_pending_then_schedules(cluster: Cluster) -> None:
    apply(
        cluster,
        """
apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: nginx}]
""",
    )
    pod = cluster.state.store.get("Pod", "default", "picky")
    assert pod["status"]["phase"] == "Pending"
    message = pod["status"]["conditions"][0]["message"]
    assert message.startswith("0/3 nodes are available:")
    assert "2 node(s) didn't match Pod's node affinity/selector" in message
    assert "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }" in message
    assert cluster.run("kubectl label node worker-2 disk=ssd").exit_code == 0
    # The scheduler binds it at once; its kubelet starts it on the clock.
    pod = cluster.state.store.get("Pod", "default", "picky")
    assert pod["spec"]["nodeName"] == "worker-2"
    assert [c["type"] for c in pod["status"]["conditions"]] == ["PodScheduled"]
    assert pod["status"]["conditions"][0]["status"] == "True"
    cluster.advance(2)
    assert cluster.state.store.get("Pod", "default", "picky")["status"]["phase"] == "Running"
    described = cluster.run("kubectl describe pod picky").stdout
    assert described.count(" Scheduled ") == 1, described  # one Scheduled event
    assert "Successfully assigned default/picky to worker-2" in described


def test_noexecute_taint_evicts_and_controller_reschedules(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC)
    result = cluster.run("kubectl taint nodes worker-1 maintenance=yes:NoExecute")
    assert result.exit_code == 0, result.stderr
    assert {p["spec"]["nodeName"] for p in pods(cluster, app="kubia")} == {"worker-2"}
    assert len(pods(cluster, app="kubia")) == 3


def test_deleting_a_node_moves_its_pods(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC)
    assert cluster.run("kubectl delete node worker-2").exit_code == 0
    assert {p["spec"]["nodeName"] for p in pods(cluster, app="kubia")} == {"worker-1"}
    assert len(pods(cluster, app="kubia")) == 3


def test_named_target_port_resolves_per_pod(cluster: Cluster) -> None:
    apply(
        cluster,
        """
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: mix}}
spec:
  containers: [{name: c, image: x, ports: [{name: web, containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: mix}}
spec:
  containers: [{name: c, image: x, ports: [{name: web, containerPort: 9090}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: c, labels: {app: mix}}
spec:
  containers: [{name: c, image: x}]
---
apiVersion: v1
kind: Service
metadata: {name: mix}
spec:
  selector: {app: mix}
  ports: [{port: 80, targetPort: web}]
""",
    )
    ep = cluster.state.store.get("Endpoints", "default", "mix")
    ports = sorted(s["ports"][0]["port"] for s in ep["subsets"])
    assert ports == [8080, 9090], "one subset per port set; pod c has no 'web' port"
    ip = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster)}
    ready, _ = endpoint_ips(cluster, "mix")
    assert ready == {f"{ip['a']}:8080", f"{ip['b']}:9090"}


def test_readiness_probe_gates_endpoints(cluster: Cluster) -> None:
    apply(cluster, KUBIA_READINESS_RC + "---" + KUBIA_SVC)
    names = [p["metadata"]["name"] for p in pods(cluster)]
    ready, not_ready = endpoint_ips(cluster, "kubia")
    assert ready == set()
    assert len(not_ready) == 3
    assert cluster.run(f"kubectl exec {names[0]} -- touch /var/ready").exit_code == 0
    cluster.advance(10)
    ready, not_ready = endpoint_ips(cluster, "kubia")
    ip0 = cluster.state.store.get("Pod", "default", names[0])["status"]["podIP"]
    assert ready == {f"{ip0}:8080"}
    assert len(not_ready) == 2
    # Removing the file takes failureThreshold (3) failed probes, 10 s apart.
    assert cluster.run(f"kubectl exec {names[0]} -- rm /var/ready").exit_code == 0
    cluster.advance(20)
    assert endpoint_ips(cluster, "kubia")[0] == {f"{ip0}:8080"}
    cluster.advance(10)
    assert endpoint_ips(cluster, "kubia")[0] == set()


MANUAL_ENDPOINTS = """
apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: external}
subsets: [{addresses: [{ip: 203.0.113.7}], ports: [{port: 80}]}]
"""


def test_serving_version_moves_with_endpoints_and_ports(cluster: Cluster) -> None:
    """Readers (kube-proxy's cached routes) keep what they derived while it holds."""
    state = cluster.state
    seen = [state.serving_version()]

    def moved() -> bool:
        seen.append(state.serving_version())
        return seen[-1] != seen[-2]

    apply(cluster, KUBIA_READINESS_RC + "---" + KUBIA_SVC)
    assert moved()
    run_ok(cluster, "kubectl get endpoints kubia")
    cluster.advance(10)
    assert not moved(), "reading and probes that change nothing leave it alone"
    name = pods(cluster)[0]["metadata"]["name"]
    run_ok(cluster, f"kubectl exec {name} -- touch /var/ready")
    cluster.advance(10)
    assert moved(), "readiness"
    run_ok(cluster, f"kubectl exec {name} -- kubeplay-port close 8080")
    assert moved(), "a closed port (no write to the store)"
    run_ok(cluster, f"kubectl exec {name} -- kubeplay-port open 8080")
    assert moved()
    run_ok(cluster, f"kubectl delete pod {name}")
    assert moved(), "a pod left (and its replacement joined)"
    apply(cluster, MANUAL_ENDPOINTS)
    assert moved(), "user-written Endpoints"
    run_ok(cluster, "kubectl delete endpoints external")
    assert moved()
    run_ok(cluster, "kubectl delete service kubia")
    assert moved()


def test_publish_not_ready_addresses(cluster: Cluster) -> None:
    apply(
        cluster,
        KUBIA_READINESS_RC
        + """---
apiVersion: v1
kind: Service
metadata: {name: kubia-headless}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: kubia}
  ports: [{port: 80, targetPort: 8080}]
""",
    )
    ready, not_ready = endpoint_ips(cluster, "kubia-headless")
    assert len(ready) == 3
    assert not not_ready


def test_env_vars_only_for_services_that_existed_at_start(cluster: Cluster) -> None:
    apply(cluster, KUBIA_SVC)
    apply(cluster, KUBIA_RC)
    apply(
        cluster,
        "apiVersion: v1\nkind: Service\nmetadata: {name: later}\n"
        "spec: {selector: {app: x}, ports: [{port: 81}]}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: headless}\n"
        "spec: {clusterIP: None, selector: {app: x}, ports: [{port: 82}]}\n",
    )
    name = pods(cluster)[0]["metadata"]["name"]
    env = dict(cluster.state.pod_env("default", name))
    ip = cluster.state.store.get("Service", "default", "kubia")["spec"]["clusterIP"]
    assert env["KUBIA_SERVICE_HOST"] == ip
    assert env["KUBIA_SERVICE_PORT"] == "80"
    assert env["KUBIA_PORT_80_TCP"] == f"tcp://{ip}:80"
    assert env["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
    assert "LATER_SERVICE_HOST" not in env, "created after the pod started"
    assert not any(k.startswith("HEADLESS_") for k in env)


NODEPORT = """
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  type: NodePort
  selector: {{app: kubia}}
  ports: [{{port: 80, targetPort: 8080, nodePort: {port}}}]
"""


def test_node_port_conflicts_refuse_the_whole_input(cluster: Cluster) -> None:
    apply(cluster, NODEPORT.format(name="first", port=30123))
    result = cluster.run(
        "kubectl apply -f -",
        stdin=KUBIA_RC + "---" + NODEPORT.format(name="second", port=30123),
    )
    assert result.exit_code == 1
    assert "spec.ports[0].nodePort: Invalid value: 30123: provided port is already allocated" in (
        result.stderr
    )
    assert pods(cluster) == [], "nothing of the input was applied"
    assert cluster.state.store.get("Service", "default", "second") is None


def test_cluster_ip_and_node_port_stay_across_updates(cluster: Cluster) -> None:
    apply(cluster, NODEPORT.replace("nodePort: {port}", "").format(name="web", port=0))
    svc = cluster.state.store.get("Service", "default", "web")
    ip, node_port = svc["spec"]["clusterIP"], svc["spec"]["ports"][0]["nodePort"]
    assert 30000 <= node_port <= 32767
    apply(cluster, NODEPORT.replace("nodePort: {port}", "name: http").format(name="web", port=0))
    svc = cluster.state.store.get("Service", "default", "web")
    assert svc["spec"]["clusterIP"] == ip
    assert svc["spec"]["ports"][0]["nodePort"] == node_port


def test_load_balancer_gets_an_address_from_the_pool(cluster: Cluster) -> None:
    apply(
        cluster,
        "apiVersion: v1\nkind: Service\nmetadata: {name: lb}\n"
        "spec: {type: LoadBalancer, selector: {app: kubia},"
        " ports: [{port: 80, targetPort: 8080}]}\n",
    )
    svc = cluster.state.store.get("Service", "default", "lb")
    assert svc["status"]["loadBalancer"]["ingress"][0]["ip"] == "192.168.49.200"
    assert svc["spec"]["ports"][0]["nodePort"] >= 30000


def test_same_seed_same_names_and_ips() -> None:
    def build(seed: int) -> list:
        cluster = Cluster(seed=seed)
        apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
        cluster.run(f"kubectl delete pod {pods(cluster)[0]['metadata']['name']}")
        cluster.advance(2)  # the replacement runs, with its IP
        svc = cluster.state.store.get("Service", "default", "kubia")
        return [svc["spec"]["clusterIP"]] + [
            (p["metadata"]["name"], p["status"]["podIP"], p["metadata"]["uid"])
            for p in pods(cluster)
        ]

    assert build(7) == build(7)
    assert build(7) != build(8)


def test_events_are_ordered_with_sequence_numbers(cluster: Cluster) -> None:
    start = cluster.seq
    apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
    events = cluster.events_since(start)
    assert [e.seq for e in events] == list(range(start + 1, start + 1 + len(events)))
    kinds = [(e.type, e.kind) for e in events]
    assert ("added", "ReplicationController") in kinds
    assert kinds.count(("added", "Pod")) == 3
    assert ("endpoints", "Endpoints") in kinds
    assert all(isinstance(e.to_dict(), dict) for e in events)


def test_a_batch_too_large_for_the_nodes_has_one_added_event_per_pod(cluster: Cluster) -> None:
    start = cluster.seq
    run_ok(cluster, "kubectl create deployment big --image=nginx --replicas=240")
    added = [e for e in cluster.events_since(start) if (e.type, e.kind) == ("added", "Pod")]
    assert sorted(e.name for e in added) == [p["metadata"]["name"] for p in pods(cluster)]
    assert [e.seq for e in added] == sorted(e.seq for e in added)
    phases = {e.name: e.detail["phase"] for e in added}
    assert phases == {p["metadata"]["name"]: p["status"]["phase"] for p in pods(cluster)}
    assert 200 < list(phases.values()).count("Running") < 240  # two workers of 110 pods
    running = [e for e in added if e.detail["phase"] == "Running"]
    assert all(e.detail["ip"] and e.detail["node"].startswith("worker") for e in running)


def test_a_dropped_cluster_is_freed_without_the_cycle_collector() -> None:
    # Bulk changes run with the cycle collector paused (state.gc_paused), and a server
    # freezes what it holds out of the collector's sight: the simulator must hold no
    # reference cycles (no part of a cluster points back at it), or a dropped cluster
    # would linger until a full collection, if ever.
    import gc
    import weakref

    gc.disable()
    try:
        cluster = Cluster(seed=3)
        apply(cluster, KUBIA_READINESS_RC + "---" + KUBIA_SVC)
        cluster.run("kubectl get pods")
        cluster.request("http://kubia", source=f"pod/{pods(cluster)[0]['metadata']['name']}")
        cluster.advance(20)
        state = cluster.state
        parts = {
            name: weakref.ref(part)
            for name, part in vars(state).items()
            if type(part).__weakrefoffset__  # the parts that can be watched: not dicts, ints
        }
        assert {"store", "clock", "endpoints", "workloads", "probes", "log"} <= parts.keys()
        parts["state"] = weakref.ref(state)
        del cluster, state
        assert [name for name, ref in parts.items() if ref() is not None] == []
    finally:
        gc.enable()


def test_reading_does_not_change_what_is_generated_later() -> None:
    # EndpointSlices are built when first read; their names must not draw from the
    # cluster's rng, or a `kubectl describe` would change every later pod name.
    def build(read: bool) -> list:
        cluster = Cluster(seed=4)
        apply(cluster, KUBIA_RC + "---" + KUBIA_SVC)
        if read:
            for line in (
                "kubectl get endpointslices",
                "kubectl describe svc kubia",
                "kubectl get ep",
            ):
                assert cluster.run(line).exit_code == 0
        cluster.run("kubectl scale rc kubia --replicas=5")
        slices = cluster.run("kubectl get endpointslices -o name").stdout
        return [p["metadata"]["name"] for p in pods(cluster)] + [slices]

    assert build(read=True) == build(read=False)


def test_a_generated_pod_name_never_reuses_a_taken_one(cluster: Cluster) -> None:
    # Five random characters collide now and then at thousands of pods; the API server
    # refuses the taken name and the controller draws another.
    apply(cluster, KUBIA_RC.replace("replicas: 3", "replicas: 0"))
    state = cluster.state
    rc = state.store.get("ReplicationController", "default", "kubia")
    drawn = state.rng.getstate()
    taken = "kubia-" + generate_suffix(state.rng)
    state.rng.setstate(drawn)  # the next name drawn is `taken`
    bare = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": taken, "namespace": "default"},
            "spec": {"containers": [{"name": "c", "image": "busybox"}]}}  # fmt: skip
    state.store.put(bare)
    template = rc["spec"]["template"]
    (pod,) = new_pods(rc, template, template["spec"], 1, rng=state.rng,
                      taken=state.store.keys("Pod"), created="2026-11-22T09:00:00Z")  # fmt: skip
    assert GENERATED.match(pod["metadata"]["name"])
    assert pod["metadata"]["name"] != taken
    assert state.store.get("Pod", "default", taken) is bare


def test_endpoints_events_list_each_pod_that_joined_left_or_flipped(cluster: Cluster) -> None:
    start = cluster.seq
    apply(cluster, KUBIA_READINESS_RC + "---" + KUBIA_SVC)
    created = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods(cluster, app="kubia")}

    def endpoints_changes(since: int) -> list:
        events = [e for e in cluster.events_since(since) if e.type == "endpoints"]
        assert all(e.name == "kubia" and e.kind == "Endpoints" for e in events)
        return [json.loads(json.dumps(e.to_dict()))["detail"] for e in events]

    (joined,) = endpoints_changes(start)
    assert sorted(joined["changes"]) == sorted([name, ip, False] for name, ip in created.items())
    assert (joined["ready"], joined["not_ready"]) == (0, 3)

    first = sorted(created)[0]
    mark = cluster.seq
    cluster.run(f"kubectl exec {first} -- touch /var/ready")
    cluster.advance(10)
    (flipped,) = endpoints_changes(mark)
    assert flipped["changes"] == [[first, created[first], True]]
    assert (flipped["ready"], flipped["not_ready"]) == (1, 2)

    mark = cluster.seq
    cluster.run(f"kubectl delete pod {first}")
    (changed,) = endpoints_changes(mark)
    assert changed["changes"] == [[first, created[first], None]]
    assert (changed["ready"], changed["not_ready"]) == (0, 2)
    mark = cluster.seq
    cluster.advance(2)  # the replacement runs and joins, not ready yet
    (joined,) = endpoints_changes(mark)
    (replacement,) = {p["metadata"]["name"] for p in pods(cluster, app="kubia")} - set(created)
    assert [c[0] for c in joined["changes"]] == [replacement]
    assert (joined["ready"], joined["not_ready"]) == (0, 3)
