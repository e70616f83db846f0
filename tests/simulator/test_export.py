"""Export (CONTRACT.md section 6): what a learner would apply, and a faithful round trip."""

from __future__ import annotations

import pytest
import yaml

from simulator import Cluster
from simulator.scenarios import SCENARIOS

from .conftest import apply

SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "ownerReferences")


def _services(cluster: Cluster) -> dict:
    out = {}
    for svc in cluster.state.store.list("Service"):
        spec = svc["spec"]
        ports = [
            (p.get("name", ""), p["port"], str(p.get("targetPort")), p.get("protocol"))
            for p in spec.get("ports") or ()
        ]
        out[(svc["metadata"]["namespace"], svc["metadata"]["name"])] = (
            spec.get("type"),
            spec.get("selector"),
            ports,
            spec.get("clusterIP") == "None",
            spec.get("externalName"),
            spec.get("sessionAffinity"),
            spec.get("externalTrafficPolicy"),
        )
    return out


def _routes(cluster: Cluster) -> list:
    return [
        (i["namespace"], i["name"], i["rules"], i["tls"]) for i in cluster.snapshot()["ingresses"]
    ]


def _endpoint_counts(cluster: Cluster) -> dict:
    return {
        (e["namespace"], e["name"]): len(e["addresses"]) for e in cluster.snapshot()["endpoints"]
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.slug for s in SCENARIOS])
def test_round_trip_rebuilds_services_selectors_ports_and_routes(scenario) -> None:
    original = Cluster(seed=5)
    apply(original, scenario.manifest)
    exported = original.export_yaml()

    rebuilt = Cluster(seed=5)
    apply(rebuilt, exported)
    assert _services(rebuilt) == _services(original)
    assert _routes(rebuilt) == _routes(original)
    assert _endpoint_counts(rebuilt) == _endpoint_counts(original)


def test_export_leaves_out_status_controller_objects_and_server_fields(cluster: Cluster) -> None:
    apply(cluster, SCENARIOS[0].manifest)
    cluster.run("kubectl scale rc kubia --replicas=2")
    docs = list(yaml.safe_load_all(cluster.export_yaml()))
    kinds = {d["kind"] for d in docs}
    assert kinds == {"Service", "ReplicationController"}, "no Pods, Endpoints or system objects"
    for doc in docs:
        assert "status" not in doc
        assert not set(SERVER_FIELDS) & set(doc["metadata"])
        assert "kubectl.kubernetes.io/last-applied-configuration" not in (
            doc["metadata"].get("annotations") or {}
        )
    rc = next(d for d in docs if d["kind"] == "ReplicationController")
    assert rc["spec"]["replicas"] == 2, "the scenario as it is now, not as first applied"
    svc = next(d for d in docs if d["kind"] == "Service")
    assert "clusterIP" not in svc["spec"], "an allocated address is the cluster's choice"


def test_export_keeps_chosen_node_ports_and_drops_allocated_ones(cluster: Cluster) -> None:
    apply(
        cluster,
        """
apiVersion: v1
kind: Service
metadata: {name: chosen}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80, nodePort: 30123}]
---
apiVersion: v1
kind: Service
metadata: {name: allocated}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80}]
""",
    )
    docs = {d["metadata"]["name"]: d for d in yaml.safe_load_all(cluster.export_yaml())}
    assert docs["chosen"]["spec"]["ports"][0]["nodePort"] == 30123
    assert "nodePort" not in docs["allocated"]["spec"]["ports"][0]


def test_export_of_a_fresh_cluster_is_empty(cluster: Cluster) -> None:
    assert cluster.export_yaml() == ""


def test_export_includes_taints_and_cordons_of_default_nodes(cluster: Cluster) -> None:
    assert cluster.run("kubectl taint nodes worker-1 gpu=true:NoSchedule").exit_code == 0
    docs = list(yaml.safe_load_all(cluster.export_yaml()))
    (node,) = docs
    assert node["kind"] == "Node"
    assert node["metadata"]["name"] == "worker-1"
    assert {"key": "gpu", "value": "true", "effect": "NoSchedule"} in node["spec"]["taints"]
    rebuilt = Cluster(seed=0)
    apply(rebuilt, cluster.export_yaml())
    taints = rebuilt.state.store.get("Node", "", "worker-1")["spec"]["taints"]
    assert {"key": "gpu", "value": "true", "effect": "NoSchedule"} in taints
