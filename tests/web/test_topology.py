"""The snapshot as browsers get it: keys, changes and request targets."""

from __future__ import annotations

import pytest

from playground import rooms, topology
from playground.rooms.frames import guide
from tests.fixtures.rooms import manifest


def view_of(text: str, *commands: str) -> topology.View:
    cluster = rooms.replay(7, text, [{"op": "run", "line": line} for line in commands])
    return topology.View(cluster.snapshot(), guide(cluster))


def changes_of(text: str, *commands: str) -> tuple[topology.View, dict, dict]:
    """A view of `text` applied, the frame changes `commands` make to it, and the feed."""
    cluster = rooms.replay(7, text, [])
    view, seq = topology.View(cluster.snapshot(), guide(cluster)), cluster.seq
    for line in commands:
        assert cluster.run(line).exit_code == 0
    feed = cluster.snapshot_changes(seq)
    return view, view.apply(feed.upsert, feed.remove), feed


def test_targets_offer_ingress_hosts_nodeports_and_service_names():
    view = view_of(manifest("traffic"))
    by_group = {}
    for target in view.targets:
        by_group.setdefault(target["group"], []).append(target)
    assert {t["url"] for t in by_group["Ingress"]} == {
        "http://kubia.example.com/",
        "http://broken.example.com/",
    }
    [nodeport] = by_group["NodePort"]
    assert nodeport["url"].endswith(":30080/")
    assert nodeport["from"] == "host"
    assert {t["url"] for t in by_group["Service"]} == {
        "http://kubia.default.svc.cluster.local/",
        "http://nobody.default.svc.cluster.local/",
    }
    assert {t["from"] for t in by_group["Service"]} == {"pod"}


@pytest.mark.parametrize(
    ("example", "group"),
    [
        pytest.param("loadbalancer", "LoadBalancer", id="LoadBalancer address"),
        pytest.param("externalname", "ExternalName", id="ExternalName"),
        pytest.param("ingress-tls", "Ingress", id="TLS hosts"),
    ],
)
def test_every_example_offers_targets(example, group):
    view = view_of(rooms.example(example)["manifest"])
    assert any(t["group"] == group for t in view.targets), view.targets


def test_tls_hosts_are_offered_over_https():
    view = view_of(rooms.example("ingress-tls")["manifest"])
    assert any(t["url"].startswith("https://") for t in view.targets)


def test_changes_carry_only_what_changed():
    view, changes, feed = changes_of(manifest("kubia"), "kubectl label pods -l app=kubia tier=web")
    assert set(changes) == {"pods"}
    assert len(changes["pods"]["upsert"]) == 3
    assert changes["pods"]["remove"] == []
    assert view.apply(feed.upsert, feed.remove) == {}  # nothing new the second time


def test_changes_remove_by_key():
    _, changes, _ = changes_of(manifest("kubia"), "kubectl delete service kubia")
    assert changes["services"]["remove"] == ["default/kubia"]
    assert changes["endpoints"]["remove"] == ["default/kubia"]
    assert "targets" in changes


def test_changes_name_the_namespaces_they_touch():
    _, changes, _ = changes_of(manifest("two-namespaces"), "kubectl cordon worker-1")
    assert topology.namespaces(changes) == {""}
    _, changes, _ = changes_of(manifest("kubia"), "kubectl delete deployment kubia")
    assert topology.namespaces(changes) == {"default"}


def test_first_steps_follow_the_cluster():
    view, changes, _ = changes_of(
        manifest("kubia"), "kubectl delete service kubia", "kubectl delete ingress kubia"
    )
    assert view.first_steps["requests"]["first"] is None
    assert changes["requests"]["missing"].endswith("kubectl expose deployment kubia --port=8080")
    assert "kubectl get endpoints kubia" not in changes["suggestions"]["commands"]


def test_a_frame_asks_for_first_steps_only_when_a_change_may_move_them():
    cluster = rooms.replay(7, manifest("kubia"), [])
    asked = []
    counting = topology.Guide(
        lambda: asked.append("requests") or cluster.first_steps().to_dict(),
        lambda: asked.append("suggestions") or cluster.suggestions().to_dict(),
    )
    view, seq = topology.View(cluster.snapshot(), counting), cluster.seq
    asked.clear()
    cluster.run("kubectl label pods -l app=kubia tier=web")
    feed = cluster.snapshot_changes(seq)
    assert set(view.apply(feed.upsert, feed.remove)) == {"pods"}
    assert asked == []


DENY_KUBIA = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubia-deny-all
spec:
  podSelector:
    matchLabels:
      app: kubia
  policyTypes: [Ingress]
"""


def test_a_policy_alone_moves_the_first_steps():
    """A policy that drops the first request (and nothing else changing) reaches viewers:
    the first steps say why the request would be dropped, and again when it goes."""
    cluster = rooms.replay(7, manifest("kubia"), [])
    view, seq = topology.View(cluster.snapshot(), guide(cluster)), cluster.seq
    assert cluster.run("kubectl apply -f -", stdin=DENY_KUBIA).exit_code == 0
    feed = cluster.snapshot_changes(seq)
    changes = view.apply(feed.upsert, feed.remove)
    assert set(feed.upsert) | set(feed.remove) <= {"networkPolicies", "pods"}
    assert changes["requests"] == {
        k: v for k, v in cluster.first_steps().to_dict().items() if k != "targets"
    }
    assert changes["requests"]["waiting"]  # why the first request would be dropped
    seq = cluster.seq
    assert cluster.run("kubectl delete networkpolicy kubia-deny-all").exit_code == 0
    feed = cluster.snapshot_changes(seq)
    assert "requests" in view.apply(feed.upsert, feed.remove)
