"""First steps from the cluster's own objects: request targets, the first request, what
to add, commands to try, a title, and when the cluster next changes by itself."""

from __future__ import annotations

import pytest

from simulator import SCENARIOS, Cluster

SCENARIO = {s.slug: s for s in SCENARIOS}


def applied(text: str, seed: int = 1) -> Cluster:
    cluster = Cluster(seed)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr
    cluster.advance(0.1)
    return cluster


def source_for(cluster: Cluster, target) -> str:
    if target.origin == "host":
        return "host"
    pods = [
        p["metadata"]["name"]
        for p in cluster.state.store.list("Pod")
        if p["metadata"]["namespace"] == target.namespace and p["status"].get("phase") == "Running"
    ]
    return f"pod/{target.namespace}/{pods[0]}"


# NetworkPolicy recipes where no request the room offers passes (their commands show
# the one that does): the first request times out, and first_steps names the policy.
STARTS_DROPPED = {"netpol-deny-all", "netpol-allow-from-namespace", "netpol-deny-egress-allow-dns"}
# Examples whose pods start not ready (the lesson is the readiness probe): their first
# request is refused, and first_steps says why.
STARTS_NOT_READY = {"readiness"}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_every_example_opens_with_a_first_request_that_works(scenario):
    cluster = applied(scenario.manifest)
    steps = cluster.first_steps()
    first = steps.first
    assert first is not None
    trace = cluster.request(first.url, source=source_for(cluster, first), insecure=True)
    if scenario.slug in STARTS_NOT_READY:
        assert trace.outcome == "refused"
        assert "No pod behind Service kubia-nodeport is ready yet" in steps.waiting
    elif scenario.slug in STARTS_DROPPED:  # every request these recipes offer is dropped
        assert trace.outcome == "timeout"
        assert trace.blocked is not None
        assert steps.waiting.startswith(f"NetworkPolicy {', '.join(trace.blocked.policies)} (")
    else:
        assert trace.outcome == "ok", (first.url, trace.to_dict()["reason"])
        assert trace.hops[-1].kind in {"pod", "external"}
        assert steps.waiting == ""


def test_the_first_request_shows_most_of_the_path():
    cases = {
        "ingress-tls": ("Ingress", "https://kubia.example.com/"),
        "loadbalancer": ("LoadBalancer", None),
        "nodeport": ("NodePort", None),
        "kubia-affinity": ("Service", "http://kubia.default.svc.cluster.local/"),
        # kubia's pods are not ready; the headless Service that publishes them all answers
        "headless": ("Service", "http://kubia-headless-all.default.svc.cluster.local:8080/"),
    }
    for slug, (group, url) in cases.items():
        first = applied(SCENARIO[slug].manifest).first_steps().first
        assert first.group == group, slug
        if url:
            assert first.url == url


def test_a_service_name_works_from_pods_and_says_why():
    steps = applied(SCENARIO["kubia-affinity"].manifest).first_steps()
    (target,) = [t for t in steps.targets if t.group == "Service"]
    assert target.origin == "pod"
    assert "only exists inside the cluster" in target.why
    assert target.to_dict()["from"] == "pod"


def test_the_daemonset_example_asks_a_node_that_runs_its_pod():
    # A NodePort with externalTrafficPolicy Local: the first request goes to a worker,
    # which runs a redis-ds pod and answers from it; the tainted control-plane, which
    # runs none, drops it until the taint goes.
    cluster = applied(SCENARIO["daemonset-taints"].manifest)
    first = cluster.first_steps().first
    assert (first.group, first.url) == ("NodePort", "http://192.168.49.3:30379/")
    assert "only to a pod of redis-ds on that same node" in first.why
    trace = cluster.request(first.url, source=source_for(cluster, first))
    assert trace.outcome == "ok"
    assert trace.hops[-1].kind == "pod"
    pod = trace.hops[-1].name
    assert pod.startswith("redis-ds-")
    assert not pod.startswith("redis-ds-tolerant")
    assert cluster.state.store.get("Pod", "default", pod)["spec"]["nodeName"] == "worker-1"
    control_plane = cluster.request("http://192.168.49.2:30379/")
    assert control_plane.outcome != "ok"


def test_nothing_to_send_to_says_what_to_add():
    # The DaemonSet example without its Service: nothing leads to a pod.
    only_daemonsets = SCENARIO["daemonset-taints"].manifest.split("\n---\n# Not in the notes")[0]
    assert "kind: Service" not in only_daemonsets
    steps = applied(only_daemonsets).first_steps()
    assert steps.targets == ()
    assert steps.first is None
    assert steps.missing.startswith("Nothing to send a request to yet")
    # kubectl expose takes no DaemonSet: the advice is a Service with the pods' labels
    assert "a Service with selector name=redis-ds" in steps.missing
    deployment = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
"""
    missing = applied(deployment).first_steps().missing
    assert missing.endswith("kubectl expose deployment web --port=8080")


PASTED = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: shop
        image: nginx
        ports: [{containerPort: 8080}]
        readinessProbe:
          exec: {command: [ls, /tmp/ok]}
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata: {name: shop-svc}
spec:
  type: NodePort
  selector: {app: shop}
  ports: [{port: 8080, targetPort: 8080, nodePort: 30080}]
"""


def test_commands_to_try_come_from_the_objects():
    suggestions = applied(PASTED).suggestions()
    assert str(suggestions.title) == "Deployment shop, Service shop-svc"
    assert suggestions.title.to_dict() == {
        "key": "title-two",
        "values": {"first": "Deployment shop", "second": "Service shop-svc"},
    }
    assert suggestions.pod_selector == "app=shop"
    commands = suggestions.commands
    assert commands[0] == "kubectl get pods -o wide"
    for line in (
        "kubectl get endpoints shop-svc",
        "kubectl exec POD -- curl -s http://shop-svc:8080",
        "curl -s http://NODE_IP:30080",
        "kubectl exec POD -- touch /tmp/ok",
        "sleep 5",
        "kubectl scale --replicas=3 deployment shop",
    ):
        assert line in commands
    # every suggested command runs in the cluster it was made for, once its pods are ready
    cluster = applied(PASTED)
    pods = [p["metadata"]["name"] for p in cluster.state.store.list("Pod")]
    for name in pods:
        cluster.run(f"kubectl exec {name} -- touch /tmp/ok")
    cluster.advance(5)
    pod = pods[0]
    for line in commands:
        line = line.replace("POD", pod).replace("NODE_IP", cluster.state.node_ip("worker-1"))
        assert cluster.run(line).exit_code == 0, line


def test_a_title_for_many_objects_counts_the_rest():
    title = str(applied(SCENARIO["wordpress"].manifest).suggestions().title)
    assert title.startswith("Deployment mariadb-dep, Deployment wp-dep and ")
    assert title.endswith(" more objects")


def test_next_change_predicts_a_pod_turning_not_ready():
    cluster = applied(SCENARIO["readiness"].manifest)
    assert cluster.next_change() is None  # not ready and failing: steady
    pod = cluster.state.store.list("Pod")[0]["metadata"]["name"]
    cluster.run(f"kubectl exec {pod} -- touch /var/ready")
    change = cluster.next_change()
    assert change.what == f"pod {pod} turns ready: its next readiness probe passes"
    cluster.advance(change.at - cluster.now)
    assert cluster.state.pod_ready("default", pod)
    cluster.run(f"kubectl exec {pod} -- rm /var/ready")
    change = cluster.next_change()
    assert change.what == (
        f"pod {pod} turns not ready: its readiness probe fails 3 times in a row "
        "(failureThreshold 3)"
    )
    assert change.at == pytest.approx(cluster.now + 30, abs=10)
    before = cluster.seq
    cluster.advance(change.at - cluster.now - 0.5)
    assert cluster.state.pod_ready("default", pod)  # a moment before: still ready
    cluster.advance(0.5)
    assert not cluster.state.pod_ready("default", pod)
    assert cluster.seq > before


def test_next_change_is_a_read():
    cluster = applied(SCENARIO["readiness"].manifest)
    pod = cluster.state.store.list("Pod")[0]["metadata"]["name"]
    cluster.run(f"kubectl exec {pod} -- touch /var/ready")
    seq, now, draw = cluster.seq, cluster.now, cluster.state.rng.getstate()
    cluster.next_change()
    cluster.first_steps()
    cluster.suggestions()
    assert (cluster.seq, cluster.now, cluster.state.rng.getstate()) == (seq, now, draw)


def test_targets_carry_the_parts_a_browser_words_them_from():
    cluster = applied(SCENARIO["ingress-tls"].manifest)
    targets = {t.url: t for t in cluster.first_steps().targets}
    ingress = targets["https://kubia.example.com/"]
    assert (ingress.kind, ingress.name, ingress.address) == (
        "ingress",
        "kubia",
        "kubia.example.com/",
    )
    service = targets["http://kubia.default.svc.cluster.local/"]
    assert (service.name, service.address) == ("kubia", "kubia")
    assert service.to_dict()["kind"] == "service"
    cluster = applied(SCENARIO["nodeport"].manifest)
    nodeport = next(t for t in cluster.first_steps().targets if t.kind == "nodeport")
    assert nodeport.url == f"http://{nodeport.address}/"
    assert nodeport.label == f"{nodeport.address} (NodePort of {nodeport.name})"
