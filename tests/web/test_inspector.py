"""The inspector's words and its refresh rule (playground/rooms/inspector.py)."""

from __future__ import annotations

import pytest

from playground.rooms import inspector
from playground.rooms.inspector import Target
from simulator import Cluster
from tests.fixtures.rooms import manifest


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(seed=2)
    assert cluster.run("kubectl apply -f -", stdin=manifest("readiness")).exit_code == 0
    cluster.run("kubectl run stray --image=busybox --labels=tier=web")
    return cluster


def kubia_pod(cluster) -> str:
    return next(p["name"] for p in cluster.snapshot()["pods"] if p["name"].startswith("kubia-"))


def test_each_selection_row_says_why_in_words(cluster):
    info = inspector.inspect(cluster, Target("Service", "default", "kubia"))
    reasons = {row["pod"]: row["reasons"] for row in info["selection"]}
    assert reasons[kubia_pod(cluster)] == [
        "has app=kubia",
        "listed under notReadyAddresses: it gets no traffic until Ready",
    ]
    assert reasons["stray"] == ["needs app=kubia, has no app label"]


def test_a_pod_offers_its_readiness_switch_and_its_workloads_scale_target(cluster):
    name = kubia_pod(cluster)
    info = inspector.inspect(cluster, Target("Pod", "default", name))
    assert info["readiness"] == {
        "mode": "file",
        "command": f"kubectl exec {name} -n default -c kubia -- touch /var/ready",
        "exists": False,
        "label": "touch /var/ready (probe will pass)",
        "note": "",
    }
    assert info["workload"] == {
        "kind": "ReplicationController",
        "name": "kubia",
        "replicas": 2,
        "command_target": "replicationcontroller kubia -n default",
    }
    html = inspector.render(info)
    assert 'data-scale="kubectl scale replicationcontroller kubia -n default"' in html
    assert "Toggle readiness: touch /var/ready (probe will pass)" in html


def test_a_selection_of_thousands_of_pods_is_cut_to_a_readable_table(monkeypatch, cluster):
    monkeypatch.setattr(inspector.limits, "MAX_SELECTION_ROWS", 1)
    info = inspector.inspect(cluster, Target("Service", "default", "kubia"))
    assert len(info["selection"]) == 1
    assert info["selection_more"] == 2
    assert "and 2 more pods" in inspector.render(info)


@pytest.mark.parametrize(
    ("target", "frame", "affected"),
    [
        pytest.param(Target("Service", "blue", "web"), {"commands": [{}]}, True, id="any command"),
        pytest.param(
            Target("Service", "blue", "web"),
            {"changes": {"pods": {"upsert": [{"namespace": "blue"}], "remove": []}}},
            True,
            id="a pod of its namespace",
        ),
        pytest.param(
            Target("Service", "blue", "web"),
            {"changes": {"pods": {"upsert": [{"namespace": "green"}], "remove": []}}},
            False,
            id="a pod of another namespace",
        ),
        pytest.param(
            Target("Deployment", "blue", "web"),
            {"changes": {"workloads": {"upsert": [], "remove": ["ReplicaSet/blue/web-1"]}}},
            True,
            id="a workload removed from its namespace",
        ),
        pytest.param(
            Target("Node", "", "worker-1"),
            {"changes": {"pods": {"upsert": [{"namespace": "green"}], "remove": []}}},
            True,
            id="a node's pods",
        ),
        pytest.param(
            Target("Pod", "blue", "web-1"), {"probes": {"blue/web-1": [1, 0]}}, True, id="its probe"
        ),
        pytest.param(
            Target("Pod", "blue", "web-1"),
            {"probes": {"blue/web-2": [1, 0]}},
            False,
            id="another pod's probe",
        ),
        pytest.param(Target("Pod", "blue", "web-1"), {"traces": [{}]}, False, id="traffic only"),
    ],
)
def test_a_frame_refreshes_the_inspectors_it_may_have_changed(target, frame, affected):
    assert inspector.affected(target, frame) is affected


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        pytest.param(("Secret", "default", "x"), "is not one", id="kind"),
        pytest.param(("Pod", "default", "X_Y"), "not valid", id="name"),
        pytest.param(("Pod", "a/b", "x"), "not valid", id="namespace"),
        pytest.param(("Pod", "default", None), "not valid", id="missing name"),
    ],
)
def test_a_target_from_untrusted_input_is_checked(fields, error):
    with pytest.raises(ValueError, match=error):
        Target.parse(*fields)


def test_a_target_defaults_to_the_default_namespace_and_nodes_have_none():
    assert Target.parse("Pod", "", "x") == Target("Pod", "default", "x")
    assert Target.parse("Node", "anything", "worker-1") == Target("Node", "", "worker-1")


def test_a_refresh_asked_for_too_soon_goes_out_on_a_later_tick():
    watchers = inspector.Watchers()
    target = Target("Service", "blue", "web")
    watchers.watch("v1", target)
    watchers.watch("v2", target)
    change = {"seq": 1, "commands": [{}]}
    shown = []

    def show(t, language):
        shown.append(t)
        return f"<p>{len(shown)}</p>"

    sent = list(watchers.refresh(change, 1, show, now=10.0))
    assert [viewer for viewer, _ in sent] == ["v1", "v2"]
    assert shown == [target]  # rendered once for both viewers
    assert list(watchers.refresh({**change, "seq": 2}, 2, show, now=10.1)) == []
    assert list(watchers.refresh(None, 2, show, now=10.2)) == []  # still too soon
    later = list(watchers.refresh(None, 2, show, now=10.3))  # a tick without a frame
    assert [viewer for viewer, _ in later] == ["v1", "v2"]
    assert '"seq":2' in later[0][1][0]
    assert len(shown) == 2
    assert list(watchers.refresh(None, 2, show, now=11.0)) == []  # nothing owed any more


def test_each_language_gets_its_own_inspector():
    watchers = inspector.Watchers()
    target = Target("Service", "default", "web")
    watchers.watch("v1", target, "en")
    watchers.watch("v2", target, "zh-hans")
    watchers.watch("v3", target, "en")
    rendered = []

    def show(t, language):
        rendered.append(language)
        return f"<p lang='{language}'></p>"

    sent = dict(watchers.refresh({"seq": 1, "commands": [{}]}, 1, show, now=1.0))
    assert sorted(rendered) == ["en", "zh-hans"]  # once per language, not per viewer
    assert "zh-hans" in sent["v2"][0]
    assert "zh-hans" not in sent["v1"][0]


def test_a_class_asking_for_one_inspector_in_one_frame_gets_one_render():
    """Followers follow the presenter's choice: all of them ask for it at once."""
    watchers = inspector.Watchers()
    target = Target("Service", "default", "kubia")
    shown = []

    def show(t, language):
        shown.append(t)
        return f"<p>{len(shown)}</p>"

    for viewer in range(100):
        watchers.watch(f"v{viewer}", target, "en")
        assert watchers.render(target, "en", show, now=10.0, seq=7) == "<p>1</p>"
    assert len(shown) == 1
    # Another language, or the next frame (it may have changed it): rendered afresh.
    assert watchers.render(target, "zh-hans", show, now=10.0, seq=7) == "<p>2</p>"
    assert watchers.render(target, "en", show, now=10.1, seq=8) == "<p>3</p>"


POLICIES = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-client}
spec:
  podSelector: {matchLabels: {app: nothing-yet}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other}
spec:
  gatewayClassName: someone-else
  listeners: [{name: http, protocol: HTTP, port: 80}]
"""


@pytest.mark.parametrize(
    ("language", "note", "rule", "gateway"),
    [
        (
            "en",
            "This policy selects no pod: its podSelector matches no pod in namespace default",
            "from pods app=client",
            "No controller in this cluster serves GatewayClass someone-else",
        ),
        (
            "zh-hans",
            "这个策略没有选中任何 Pod：它的 podSelector 目前在名字空间 default 中匹配不到 Pod",
            "app=client",
            "本集群中没有控制器为 GatewayClass someone-else 服务",
        ),
    ],
)
def test_the_simulators_notes_and_rules_are_worded_in_the_viewers_language(
    language, note, rule, gateway
):
    from django.utils import translation

    cluster = Cluster(seed=3)
    assert cluster.run("kubectl apply -f -", stdin=POLICIES).exit_code == 0
    with translation.override(language):
        policy = inspector.inspect(cluster, Target("NetworkPolicy", "default", "web-from-client"))
        gw = inspector.inspect(cluster, Target("Gateway", "default", "other"))
    assert policy["policy"]["note"].startswith(note)
    shown = policy["policy"]["ingress"]["rules"][0]
    assert rule in shown["text"]
    assert gw["notes"][0].startswith(gateway)
    if language == "zh-hans":  # nothing of the English sentence is left
        assert "from pods" not in shown["text"]
        assert "namespace" not in shown["peers"][0]["text"]
