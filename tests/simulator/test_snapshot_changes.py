"""A copy of the snapshot kept current with `snapshot_changes` equals a fresh snapshot.

Each scenario runs a script of changes a learner makes (scale, label, delete,
cordon, taint, probes flipping, re-apply, delete a namespace); after every
command the copy, updated only with the changes since the last one, must be
the snapshot itself.
"""

from __future__ import annotations

import pytest

from simulator import SCENARIOS, Cluster
from simulator.snapshot import ENTRIES

#: Every collection of the snapshot, in the order the simulator lists its kinds.
COLLECTIONS = tuple(dict.fromkeys(collection for collection, _ in ENTRIES.values()))


def key(collection: str, entry: dict) -> tuple:
    if collection == "nodes":
        return (entry["name"],)
    if collection == "workloads":
        return (entry["kind"], entry["namespace"], entry["name"])
    return (entry["namespace"], entry["name"])


def keyed(snapshot: dict) -> dict[str, dict[tuple, dict]]:
    return {c: {key(c, e): e for e in snapshot[c]} for c in COLLECTIONS}


class Copy:
    """A viewer's copy of the snapshot, kept current with the change feed alone."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.entries = keyed(cluster.snapshot())
        self.seq = cluster.seq

    def catch_up(self) -> None:
        changes = self.cluster.snapshot_changes(self.seq)
        assert changes.seq == self.cluster.seq
        for collection, removed in changes.remove.items():
            for identity in removed:
                self.entries[collection].pop(key(collection, identity), None)
        for collection, entries in changes.upsert.items():
            for entry in entries:
                self.entries[collection][key(collection, entry)] = entry
        self.seq = changes.seq

    def assert_current(self, step: str) -> None:
        self.catch_up()
        fresh = keyed(self.cluster.snapshot())
        for collection in COLLECTIONS:
            assert self.entries[collection] == fresh[collection], f"{collection} after {step!r}"


def learner_script(cluster: Cluster) -> list[str]:
    """Commands a learner might try on whatever the scenario made."""
    snapshot = cluster.snapshot()
    workloads = [w for w in snapshot["workloads"] if w["namespace"] == "default"]
    pods = [p for p in snapshot["pods"] if p["namespace"] == "default"]
    services = [s for s in snapshot["services"] if s["namespace"] == "default"]
    lines = []
    for w in workloads:
        if w["kind"] in ("Deployment", "ReplicationController") or (
            w["kind"] == "ReplicaSet" and w["owner"] is None
        ):
            target = f"{w['kind'].lower()} {w['name']}"
            lines += [
                f"kubectl scale {target} --replicas=4",
                f"kubectl scale {target} --replicas=1",
            ]
    for pod in pods[:2]:
        lines.append(f"kubectl label pod {pod['name']} tier=web")
        for label in pod["labels"]:
            lines.append(f"kubectl label pod {pod['name']} {label}-")
        if pod.get("hasReadinessProbe"):
            lines.append(f"kubectl exec {pod['name']} -- touch /var/ready")
    if pods:
        lines.append(f"kubectl delete pod {pods[-1]['name']}")
    lines += [
        "sleep 30",
        "kubectl cordon worker-1",
        "kubectl taint nodes worker-2 dedicated=x:NoExecute",
        "kubectl uncordon worker-1",
        "kubectl taint nodes worker-1 dedicated=x:NoSchedule",
        "kubectl taint nodes worker-2 dedicated-",
        "kubectl taint nodes worker-1 dedicated-",
        "sleep 10",
        "kubectl delete node worker-2",
    ]
    lines += [f"kubectl delete service {s['name']}" for s in services if s["name"] != "kubernetes"]
    return lines


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_copy_follows_a_learner_through_every_scenario(scenario):
    cluster = Cluster(seed=5)
    copy = Copy(cluster)
    cluster.run("kubectl apply -f -", stdin=scenario.manifest)
    copy.assert_current("apply")
    for line in learner_script(cluster):
        cluster.run(line)
        copy.assert_current(line)
    cluster.run("kubectl apply -f -", stdin=scenario.manifest)
    copy.assert_current("apply again")
    cluster.run("kubectl delete -f -", stdin=scenario.manifest)
    copy.assert_current("delete -f")


RC = """apiVersion: v1
kind: ReplicationController
metadata:
  name: adopter
spec:
  replicas: 3
  selector:
    app: bare
  template:
    metadata:
      labels:
        app: bare
    spec:
      containers:
      - name: c
        image: luksa/kubia
"""
BARE_POD = """apiVersion: v1
kind: Pod
metadata:
  name: bare-{i}
  labels:
    app: bare
spec:
  containers:
  - name: c
    image: luksa/kubia
"""
LOAD_BALANCER = """apiVersion: v1
kind: Service
metadata:
  name: lb-{i}
spec:
  type: LoadBalancer
  selector:
    app: bare
  ports:
  - port: 80
"""


def test_a_new_controller_adopting_bare_pods_shows_them_owned():
    cluster = Cluster(seed=1)
    cluster.run("kubectl apply -f -", stdin="---\n".join(BARE_POD.format(i=i) for i in range(2)))
    copy = Copy(cluster)
    cluster.run("kubectl apply -f -", stdin=RC)
    copy.assert_current("the RC adopts the bare pods")
    owners = {
        p["owner"]["name"] for p in cluster.snapshot()["pods"] if p["name"].startswith("bare")
    }
    assert owners == {"adopter"}


def test_a_waiting_load_balancer_gets_the_address_another_gives_back():
    cluster = Cluster(seed=1)
    copy = Copy(cluster)
    # The pool has 51 addresses: the last Services wait for one, <pending>.
    many = "---\n".join(LOAD_BALANCER.format(i=i) for i in range(53))
    cluster.run("kubectl apply -f -", stdin=many)
    copy.assert_current("more LoadBalancer Services than addresses")
    waiting = {s["name"] for s in cluster.snapshot()["services"] if not s["loadBalancerIP"]}
    assert {"lb-51", "lb-52"} <= waiting
    cluster.run("kubectl delete service lb-0")
    copy.assert_current("one gives its address back")
    served = {s["name"] for s in cluster.snapshot()["services"] if s["loadBalancerIP"]}
    assert served & waiting


def test_a_deleted_namespace_takes_its_objects_out():
    cluster = Cluster(seed=1)
    cluster.run("kubectl create namespace shop")
    cluster.run("kubectl apply -f - -n shop", stdin=RC + "---\n" + LOAD_BALANCER.format(i=0))
    copy = Copy(cluster)
    cluster.run("kubectl delete namespace shop")
    copy.assert_current("delete namespace")
    assert not [p for p in cluster.snapshot()["pods"] if p["namespace"] == "shop"]


def test_nothing_happened_nothing_changes():
    cluster = Cluster(seed=1)
    seq = cluster.seq
    assert cluster.snapshot_changes(seq) == (seq, {}, {})


POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: bare-deny
spec:
  podSelector:
    matchLabels:
      app: bare
  policyTypes: [Ingress, Egress]
"""


def test_policies_and_pod_isolation_follow_policies_and_labels():
    cluster = Cluster(seed=1)
    cluster.run("kubectl apply -f -", stdin="---\n".join(BARE_POD.format(i=i) for i in range(2)))
    copy = Copy(cluster)
    cluster.run("kubectl apply -f -", stdin=POLICY)
    copy.assert_current("a policy selects the pods")
    isolation = {p["name"]: p["isolation"] for p in cluster.snapshot()["pods"]}
    assert isolation["bare-0"] == {"ingress": ["bare-deny"], "egress": ["bare-deny"]}
    cluster.run("kubectl label pod bare-1 app=other --overwrite")
    copy.assert_current("a pod leaves the selector")
    (policy,) = cluster.snapshot()["networkPolicies"]
    assert policy["selects"] == ["bare-0"]
    assert policy["egress"] == []
    assert policy["ingress"] == []
    cluster.run("kubectl delete networkpolicy bare-deny")
    copy.assert_current("the policy goes")
    assert {p["name"]: p["isolation"] for p in cluster.snapshot()["pods"]}["bare-0"] == {
        "ingress": [],
        "egress": [],
    }
