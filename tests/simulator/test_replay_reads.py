"""Replay reproduces every acknowledged output byte for byte: reads leave no trace.

A room is rebuilt by replaying its log of commands, never its reads (snapshots,
exports, the inspector, a lesson's observations, `kubectl get`). So a cluster
that was read between commands must answer every later command exactly as one
that was not: no read may move a counter (resourceVersion, event sequence,
generated names, the random generator) or a timestamp that a later output shows.
"""

from __future__ import annotations

import contextlib

import pytest

from simulator import SCENARIOS, Cluster

LOG = [
    ("kubectl apply -f -", "kubia-affinity"),
    ("kubectl get endpoints kubia -o yaml", None),
    ("kubectl scale rc kubia --replicas=4", None),
    ("sleep 5", None),
    ("kubectl get endpoints -o yaml", None),
    ("kubectl get endpointslices -o yaml", None),
    ("kubectl apply -f -", "readiness"),
    ("sleep 12", None),
    ("kubectl get ep -A -o json", None),
    ("kubectl label svc kubia tier=web", None),
    ("kubectl get svc kubia -o yaml", None),
    ("kubectl describe endpoints kubia", None),
    ("kubectl exec rc/kubia -- curl -s http://kubia", None),
    ("kubectl apply -f -", "headless"),
    ("kubectl get all -A -o yaml", None),
    ("kubectl get events -A", None),
    ("kubectl create deployment web --image=nginx --replicas=2 --port=80", None),
    ("kubectl expose deploy web --port=80 --type=NodePort", None),
    ("kubectl get svc web -o yaml", None),
    ("kubectl describe deploy web", None),
    ("kubectl apply -f -", "ingress-tls"),
    ("curl -sk https://kubia.example.com/", None),
    ("kubectl delete pod -l app=web", None),
    ("kubectl get ep web -o yaml", None),
    ("kubectl get rs -o yaml", None),
    ("kubectl describe svc web", None),
]
_MANIFESTS = {s.slug: s.manifest for s in SCENARIOS}


def _read_everything(cluster: Cluster) -> None:
    """Every kind of read a room makes between commands."""
    cluster.snapshot()
    cluster.snapshot_changes(0)
    cluster.export_yaml()
    cluster.probe_counts()
    cluster.next_probe_at()
    cluster.observe("kubectl get ep -A -o yaml")
    cluster.observe("kubectl get endpointslices -A -o yaml")
    cluster.observe("kubectl exec rc/kubia -- curl -s http://kubia")
    cluster.observe_requests("http://kubia.example.com/", count=3)
    for kind, namespace, name in (("Service", "default", "kubia"), ("Endpoints", "default",
                                  "kubia"), ("Pod", "default", "nope")):  # fmt: skip
        with contextlib.suppress(ValueError, LookupError):
            cluster.inspect(kind, namespace, name)


def _outputs(reads: bool) -> list[tuple[str, str, int]]:
    cluster = Cluster(seed=7)
    outputs = []
    for line, manifest in LOG:
        if reads:
            _read_everything(cluster)
        result = cluster.run(line, stdin=_MANIFESTS[manifest] if manifest else "")
        outputs.append((result.stdout, result.stderr, result.exit_code))
    return outputs


def test_reads_between_commands_change_no_later_output() -> None:
    plain, read = _outputs(reads=False), _outputs(reads=True)
    for (line, _), quiet, busy in zip(LOG, plain, read, strict=True):
        assert busy == quiet, line


@pytest.mark.parametrize("read", ["snapshot", "export_yaml", "get"])
def test_one_read_moves_no_counter(read: str) -> None:
    cluster = Cluster(seed=3)
    cluster.run("kubectl apply -f -", stdin=_MANIFESTS["kubia-affinity"])
    cluster.run("kubectl scale rc kubia --replicas=2")
    before = cluster.state.store._resource_version, cluster.seq
    if read == "get":
        cluster.run("kubectl get ep,endpointslices -A -o yaml")
    else:
        getattr(cluster, read)()
    assert (cluster.state.store._resource_version, cluster.seq) == before
