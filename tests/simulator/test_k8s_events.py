"""Kubernetes Events: repeats count, similar events aggregate as client-go's correlator does."""

from __future__ import annotations

import random

from simulator import Cluster
from simulator.k8s_events import COMBINED, EventRecorder

from .conftest import apply, pods
from .manifests_kubia import KUBIA_RC

REF = ("ReplicaSet", "default", "web")


def record(recorder: EventRecorder, messages: list[str], now: float = 0.0) -> None:
    recorder.record(REF, "Normal", "SuccessfulCreate", "replicaset-controller", messages, now)


def test_a_repeated_event_counts_again() -> None:
    recorder = EventRecorder()
    for at in (0.0, 10.0, 20.0):
        record(recorder, ["Created pod: a"], at)
    (event,) = recorder.about(REF)
    assert (event.message, event.count, event.first, event.last) == ("Created pod: a", 3, 0, 20)


def test_the_tenth_similar_event_on_becomes_one_combined_event() -> None:
    recorder = EventRecorder()
    record(recorder, [f"Created pod: p{i}" for i in range(14)])
    events = recorder.about(REF)
    assert [e.message for e in events[:9]] == [f"Created pod: p{i}" for i in range(9)]
    assert all(e.count == 1 for e in events[:9])
    combined = events[9]
    assert combined.message == COMBINED + "Created pod: p13"  # the latest one
    assert combined.count == 5
    assert len(events) == 10


def test_similar_events_start_afresh_after_ten_quiet_minutes() -> None:
    recorder = EventRecorder()
    record(recorder, [f"Created pod: p{i}" for i in range(9)])
    record(recorder, ["Created pod: late"], 601.0)
    assert recorder.about(REF)[-1].message == "Created pod: late"


def _shown(recorder: EventRecorder) -> list[tuple]:
    return [(e.message, e.count, e.first, e.last) for e in recorder.about(REF)]


def test_a_batch_is_recorded_as_its_messages_one_at_a_time() -> None:
    rng = random.Random(7)
    for _ in range(200):
        batched, single = EventRecorder(), EventRecorder()
        for at in range(4):
            # Batches of new names, with old ones (remembered or forgotten) mixed in now and then.
            size = rng.choice([1, 5, 12, 30])
            messages = [f"Created pod: p{rng.randrange(60)}" for _ in range(size)]
            if rng.random() < 0.5:
                messages = list(dict.fromkeys(messages))
            record(batched, messages, at * 100.0)
            for message in messages:
                record(single, [message], at * 100.0)
            assert _shown(batched) == _shown(single)


def test_describe_shows_a_large_replica_set_as_kubectl_does(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC.replace("replicas: 3", "replicas: 12"))
    names = sorted(p["metadata"]["name"] for p in pods(cluster, app="kubia"))
    out = cluster.run("kubectl describe rc kubia").stdout
    events = out.split("Events:")[1].strip().splitlines()[2:]
    assert len(events) == 10
    assert "(x3 over 0s)" in events[-1]
    assert COMBINED + "Created pod: kubia-" in events[-1]
    created = [line.rsplit("Created pod: ", 1)[1] for line in events]
    assert set(created) <= set(names)


def test_a_deleted_object_takes_its_events_along(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC.replace("replicas: 3", "replicas: 12"))
    cluster.run("kubectl delete rc kubia")
    apply(cluster, KUBIA_RC)
    out = cluster.run("kubectl describe rc kubia").stdout
    assert "combined" not in out
    assert out.count("SuccessfulCreate") == 3


def test_events_are_selected_by_the_fields_the_api_server_knows(cluster: Cluster) -> None:
    apply(cluster, KUBIA_RC)
    name = pods(cluster, app="kubia")[0]["metadata"]["name"]
    about = cluster.run(f"kubectl get events --field-selector involvedObject.name={name}")
    assert about.exit_code == 0, about.stderr
    lines = about.stdout.splitlines()[1:]
    assert [line.split()[2] for line in lines] == ["Scheduled", "Pulled", "Created", "Started"]
    assert all(f"pod/{name}" in line for line in lines)
    both = cluster.run("kubectl get events --field-selector reason=SuccessfulCreate,type=Normal")
    assert {line.split()[3] for line in both.stdout.splitlines()[1:]} == {
        "replicationcontroller/kubia"
    }
    none = cluster.run("kubectl get events --field-selector type=Warning")
    assert none.stdout == ""
    assert "No resources found in default namespace." in none.stderr
    # Fields of other resources are not Events' fields, and the reverse.
    wrong = cluster.run("kubectl get events --field-selector spec.nodeName=worker-1")
    assert wrong.exit_code == 1
    assert "field label not supported: spec.nodeName" in wrong.stderr
    wrong = cluster.run("kubectl get pods --field-selector involvedObject.name=x")
    assert "field label not supported: involvedObject.name" in wrong.stderr
