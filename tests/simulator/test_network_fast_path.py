"""The cached route plans change nothing: fast path and slow path, request by request.

Two clusters with the same seed receive the same calls; one routes every request
the slow way (`Network(state, caching=False)`: no route plans, no Service port
routes, no kept deliveries). After every call both must print the same output,
record the same Traces (hops with their namespaces, elapsed time included) and
leave the cluster's random generator in the same state, so a replayed room picks
the same pods whichever path its requests took.

The calls are drawn by a seeded generator of their own: requests that repeat
(so plans are replayed), interleaved with what moves the caches' stamps without
a store write (ports closed and opened, readiness flips as probes run) and with
one (scaling, deleting and relabelling pods, some of which stay Terminating, zones
on nodes under Services with a trafficDistribution, new Services). They run over every
built-in scenario and over generated clusters.
"""

from __future__ import annotations

import random
import re

import pytest

from simulator import Cluster
from simulator.network import Network
from simulator.scenarios import SCENARIOS

STEPS = 120
GENERATED = range(12)


def twins(seed: int) -> tuple[Cluster, Cluster]:
    """A cluster on the fast path and its twin routing every request the slow way."""
    fast, slow = Cluster(seed), Cluster(seed)
    slow.network = Network(slow.state, caching=False, wait=slow.state.advance)
    return fast, slow


def same(fast: Cluster, slow: Cluster, call):
    """Make `call` on both clusters, require identical results and random states, and
    return the fast cluster's result."""
    result = got = call(fast)
    want = call(slow)
    if hasattr(got, "stdout"):
        assert (got.stdout, got.stderr, got.exit_code) == (want.stdout, want.stderr, want.exit_code)
        got, want = got.traces, want.traces
    else:
        got, want = [got], [want]
    assert [(t.to_dict(), t.elapsed, [h.namespace for h in t.hops]) for t in got] == [
        (t.to_dict(), t.elapsed, [h.namespace for h in t.hops]) for t in want
    ]
    assert fast.state.rng.getstate() == slow.state.rng.getstate()
    return result


class Traffic:
    """Draws calls from what the cluster holds now: requests, and changes between them."""

    def __init__(self, cluster: Cluster, seed: int) -> None:
        self.cluster = cluster
        self.rng = random.Random(seed)
        self.urls: list[str] = []
        self.recent: list = []

    def pods(self) -> list[dict]:
        return [
            pod
            for pod in self.cluster.state.store.list("Pod")
            if (pod.get("status") or {}).get("podIP")
            and pod["metadata"]["namespace"] not in ("kube-system", "ingress-nginx")
        ]

    def refresh_urls(self) -> None:
        """Every address a learner could try: Services by name and IP, NodePorts, load
        balancers, Ingress hosts, HTTPRoute hostnames, pod IPs, loopback, the outside, and
        some wrong ports."""
        store, urls = self.cluster.state.store, []
        nodes = [
            a["address"]
            for node in store.list("Node")
            for a in node["status"]["addresses"]
            if a["type"] == "InternalIP"
        ]
        for svc in store.list("Service"):
            meta, spec = svc["metadata"], svc["spec"]
            name, ns = meta["name"], meta["namespace"]
            for sp in spec.get("ports") or ():
                port = sp["port"]
                urls += [f"http://{name}:{port}/", f"http://{name}.{ns}.svc.cluster.local:{port}/x"]
                if spec.get("clusterIP") not in (None, "None"):
                    urls += [f"http://{spec['clusterIP']}:{port}/", f"https://{name}:{port}/"]
                if sp.get("nodePort"):
                    urls += [f"http://{ip}:{sp['nodePort']}/" for ip in nodes]
                for lb in (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or ():
                    urls.append(f"http://{lb['ip']}:{port}/")
            if spec.get("clusterIP") not in (None, "None"):
                urls.append(f"http://{spec['clusterIP']}:4321/")
        for ing in store.list("Ingress"):
            for rule in ing["spec"].get("rules") or ():
                host = rule.get("host", "unknown.example.com")
                for path in (rule.get("http") or {}).get("paths") or ():
                    urls += [f"http://{host}{path.get('path', '/')}", f"https://{host}/a"]
        for route in store.list("HTTPRoute"):
            for host in route["spec"].get("hostnames") or ("wp.test",):
                urls += [f"http://{host}/", f"http://{host}/bar", f"https://{host}/"]
        for pod in self.pods():
            for c in pod["spec"]["containers"]:
                for cp in c.get("ports") or ():
                    urls.append(f"http://{pod['status']['podIP']}:{cp['containerPort']}/")
        urls += [f"http://{ip}/" for ip in nodes]  # hostNetwork pods and hostPorts
        urls += ["http://localhost:8080/", "http://example.com/", "http://nowhere.invalid/"]
        self.rng.shuffle(urls)
        self.urls = urls

    def source(self) -> str:
        pods = self.pods()
        if not pods or self.rng.random() < 0.25:
            return "host"
        pod = self.rng.choice(pods)["metadata"]
        return f"pod/{pod['namespace']}/{pod['name']}"

    def request(self):
        """A request: most often one of the last few again (so plans are replayed)."""
        if self.recent and self.rng.random() < 0.6:
            return self.rng.choice(self.recent[-6:])
        call = self.new_request()
        self.recent.append(call)
        return call

    def new_request(self):
        """A request (to a few URLs more often than others), as `request`, curl or ping."""
        url = self.rng.choice(
            self.urls[: 6 + len(self.urls) // 3] if self.rng.random() < 0.8 else self.urls
        )
        source = self.source()
        kind = self.rng.random()
        if kind < 0.6:
            options = self.rng.choice(
                [
                    {},
                    {},
                    {"insecure": True},
                    {"timeout": 2.5},
                    {"headers": {"Host": "web.example.com"}},
                    {"headers": {"env": "canary"}},
                    {"resolve": ["web.example.com:80:192.168.49.100"]},
                ]
            )
            return lambda c: c.request(url, source, **options)
        tool = "curl -sS" if kind < 0.9 else "curl -v -k -m 3"
        line = f"{tool} {url}"
        if kind > 0.95:
            line = f"ping -c 2 {url.split('/')[2].split(':')[0]}"
        if source != "host":
            ns, name = source.split("/")[1:]
            line = f"kubectl exec -n {ns} {name} -- {line}"
        return lambda c: c.run(line)

    def change(self):
        """Something that moves the caches' stamps: ports, readiness, pods, the clock."""
        pods = self.pods()
        kind = self.rng.choice([0, 1, 1, 1, 2, 2, 3, 4, 5, 6])
        if kind == 0 or not pods:
            seconds = self.rng.choice([1, 5, 11])
            return lambda c: c.run(f"sleep {seconds}")
        pod = self.rng.choice(pods)
        where = f"-n {pod['metadata']['namespace']} {pod['metadata']['name']}"
        ports = [
            cp["containerPort"] for c in pod["spec"]["containers"] for cp in c.get("ports") or ()
        ]
        if kind == 1 and ports:
            action = self.rng.choice(["close", "close", "open"])
            port = self.rng.choice(ports)
            return lambda c: c.run(f"kubectl exec {where} -- kubeplay-port {action} {port}")
        if kind == 2:
            action = self.rng.choice(["touch", "rm"])
            return lambda c: c.run(f"kubectl exec {where} -- {action} /var/ready")
        if kind == 3:
            wait = self.rng.choice(["", " --wait=false", " --wait=false"])
            return lambda c: c.run(f"kubectl delete pod {where}{wait}")
        if kind == 4:
            deployments = self.cluster.state.store.list("Deployment")
            if deployments:
                meta = self.rng.choice(deployments)["metadata"]
                replicas = self.rng.randrange(0, 5)
                line = f"kubectl scale -n {meta['namespace']} deploy {meta['name']}"
                line += f" --replicas={replicas}"
                return lambda c: c.run(line)
        if kind == 5:
            if self.rng.random() < 0.5:  # zones move EndpointSlice hints
                node = self.rng.choice(["worker-1", "worker-2", "control-plane"])
                zone = self.rng.choice(["zone-a", "zone-b"])
                line = f"kubectl label node {node} topology.kubernetes.io/zone={zone} --overwrite"
                return lambda c: c.run(line)
            return lambda c: c.run(f"kubectl label pod {where} extra=x --overwrite")
        return lambda c: c.run("kubectl get pods -A -o wide")


def replay(fast: Cluster, slow: Cluster, seed: int) -> None:
    """Drive both clusters with the same drawn calls, comparing after each one."""
    traffic = Traffic(fast, seed)
    traffic.refresh_urls()
    for _ in range(STEPS):
        if traffic.rng.random() < 0.15:
            call = traffic.change()
            same(fast, slow, call)
            traffic.refresh_urls()
        else:
            same(fast, slow, traffic.request())
    same(fast, slow, lambda c: c.run("kubectl get endpoints -A"))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.slug)
def test_fast_and_slow_paths_agree_over_a_scenario(scenario) -> None:
    fast, slow = twins(seed=7)
    same(fast, slow, lambda c: c.run("kubectl apply -f -", stdin=scenario.manifest))
    same(fast, slow, lambda c: c.run("sleep 11"))
    replay(fast, slow, seed=len(scenario.slug))


#: Policies over the Gateway canary: v2 isolated for ingress, and any pod relabelled
#: `extra=x` (one of `Traffic.change`'s moves) too, so the Gateway's nginx retries and 504s.
GATEWAY_POLICIES = """
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v2-deny-all}
spec: {podSelector: {matchLabels: {version: v2}}, ingress: []}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: extra-deny-all}
spec: {podSelector: {matchLabels: {extra: x}}, ingress: []}
"""


def test_fast_and_slow_paths_agree_through_a_gateway_under_network_policies() -> None:
    fast, slow = twins(seed=11)
    scenario = next(s for s in SCENARIOS if s.slug == "gateway-canary")
    same(fast, slow, lambda c: c.run("kubectl apply -f -", stdin=scenario.manifest))
    same(fast, slow, lambda c: c.run("kubectl apply -f -", stdin=GATEWAY_POLICIES))
    same(fast, slow, lambda c: c.run("sleep 11"))
    canary = same(
        fast, slow, lambda c: c.request("http://kubia.example.com/", headers={"env": "canary"})
    )
    assert (canary.status, canary.blocked.policies) == (504, ("v2-deny-all",))
    v1 = sorted(p["metadata"]["name"] for p in fast.state.store.list("Pod", "default"))[0]
    statuses, url = [], "http://kubia.example.com/"
    for step in ["", f"kubectl label pod {v1} extra=x", "kubectl delete netpol v2-deny-all"]:
        if step:
            same(fast, slow, lambda c, step=step: c.run(step))
        for headers in [{}, {}, {}, {"env": "canary"}]:
            statuses.append(same(fast, slow, lambda c, h=headers: c.request(url, headers=h)).status)
    assert {200, 504} <= set(statuses)
    replay(fast, slow, seed=11)


@pytest.mark.parametrize("seed", GENERATED)
def test_fast_and_slow_paths_agree_over_a_generated_cluster(seed) -> None:
    fast, slow = twins(seed)
    manifest = generated_manifest(random.Random(seed))
    same(fast, slow, lambda c: c.run("kubectl apply -f -", stdin=manifest))
    if seed % 2:  # zones on the nodes: trafficDistribution hints narrow the choice
        for node, zone in (("worker-1", "zone-a"), ("worker-2", "zone-b")):
            line = f"kubectl label node {node} topology.kubernetes.io/zone={zone}"
            same(fast, slow, lambda c, line=line: c.run(line))
    same(fast, slow, lambda c: c.run("sleep 11"))
    replay(fast, slow, seed)


@pytest.mark.parametrize(
    ("url", "source"),
    [("http://ngx.test/", "host"), ("http://ngx-svc:8080/", "pod"), ("http://ngx-svc:8080/", "me")],
    ids=["ingress", "cluster-ip", "hairpin"],
)
def test_ports_closing_and_opening_between_equal_requests(url, source) -> None:
    # Closing a port moves no object, only the serving version: what a plan kept for
    # the endpoint must be asked again (ingress-nginx then skips the refusing pod).
    fast, slow = twins(seed=5)
    scenario = next(s for s in SCENARIOS if s.slug == "ngx-dep")
    same(fast, slow, lambda c: c.run("kubectl apply -f -", stdin=scenario.manifest))
    names = sorted(p["metadata"]["name"] for p in fast.state.store.list("Pod", "default"))
    client = {"host": "host", "pod": "pod/" + names[0], "me": "pod/" + names[1]}[source]
    outcomes = []
    for step in ["", f"close {names[1]}", "", f"open {names[1]}", f"close {names[0]}", ""]:
        if step:
            action, pod = step.split()
            line = f"kubectl exec {pod} -- kubeplay-port {action} 80"
            same(fast, slow, lambda c, line=line: c.run(line))
        for _ in range(4):
            outcomes.append(same(fast, slow, lambda c: c.request(url, client)).outcome)
    assert "ok" in outcomes


def test_fast_and_slow_paths_agree_through_host_ports_and_a_port_forward() -> None:
    # A hostNetwork Ingress controller on a node's address, and a port-forward that ends
    # without any store change (so no plan may outlive it).
    from .test_host_network import WP_KIC

    fast, slow = twins(seed=13)
    wordpress = next(s for s in SCENARIOS if s.slug == "wordpress")
    for manifest in (wordpress.manifest, WP_KIC):
        same(fast, slow, lambda c, m=manifest: c.run("kubectl apply -f -", stdin=m))
    same(fast, slow, lambda c: c.run("sleep 11"))
    same(
        fast,
        slow,
        lambda c: c.run("kubectl port-forward -n nginx-ingress deploy/wp-kic-dep 8080:80 &"),
    )
    outcomes = []
    for step in ["", "kill %1", "kubectl port-forward svc/wp-svc 8080:80 &"]:
        if step:
            same(fast, slow, lambda c, step=step: c.run(step))
        for url, headers in [("http://localhost:8080/", {"Host": "wp.test"})] * 3 + [
            (f"http://192.168.49.{n}/", {"Host": "wp.test"}) for n in (2, 3, 4)
        ]:
            trace = same(fast, slow, lambda c, u=url, h=headers: c.request(u, headers=h))
            outcomes.append(trace.outcome)
    assert {"ok", "refused"} <= set(outcomes)
    replay(fast, slow, seed=13)


def test_the_slow_path_keeps_no_plan() -> None:
    # The comparison means something only if one side really replays plans and the other never does.
    fast, slow = twins(seed=3)
    for cluster in (fast, slow):
        cluster.run("kubectl apply -f -", stdin=SCENARIOS[0].manifest)
        source = f"pod/{cluster.state.store.list('Pod', 'default')[0]['metadata']['name']}"
        for _ in range(3):
            assert cluster.request("http://kubia/", source).outcome == "ok"
    assert fast.network.router._plans
    assert not slow.network.router._plans


def generated_manifest(rng: random.Random) -> str:
    """A random cluster: Deployments (some probed, some with named ports) and Services of
    every type and policy over them, some pointing at nothing, and an Ingress over them."""
    docs = []
    apps = [f"app{i}" for i in range(rng.randrange(1, 5))]
    for app in apps:
        ports = rng.sample([8080, 8443, 9000], rng.randrange(1, 3))
        probe = ""
        if rng.random() < 0.25:
            probe = (
                "\n        readinessProbe: {exec: {command: [ls, /var/ready]}, periodSeconds: 5}"
            )
        if rng.random() < 0.4:  # deleted pods stay Terminating (and serving) a while
            probe += "\n        lifecycle: {preStop: {sleep: {seconds: 7}}}"
        container_ports = ", ".join(f"{{name: p{p}, containerPort: {p}}}" for p in ports)
        docs.append(
            f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: {app}}}
spec:
  replicas: {rng.randrange(0, 5)}
  selector: {{matchLabels: {{app: {app}}}}}
  template:
    metadata: {{labels: {{app: {app}}}}}
    spec:
      containers:
      - name: c
        image: luksa/kubia
        ports: [{container_ports}]{probe}"""
        )
    app_ports = {}
    for app, doc in zip(apps, docs, strict=True):
        app_ports[app] = [int(p) for p in re.findall(r"containerPort: (\d+)", doc)]
    for index in range(rng.randrange(1, 6)):
        app = rng.choice([*apps, "nobody"]) if rng.random() < 0.2 else rng.choice(apps)
        kind = rng.choice(["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer", "headless"])
        port = rng.choice(app_ports.get(app) or [8080])
        target = rng.choice([str(port), f"p{port}"]) if rng.random() < 0.8 else "7777"
        spec = [f"selector: {{app: {app}}}"]
        if kind == "headless":
            spec.append("clusterIP: None")
        else:
            spec.append(f"type: {kind}")
        if rng.random() < 0.3:
            spec.append("sessionAffinity: ClientIP")
        if rng.random() < 0.2:
            spec.append("internalTrafficPolicy: Local")
        if rng.random() < 0.5:
            spec.append(f"trafficDistribution: {rng.choice(['PreferSameNode', 'PreferSameZone'])}")
        if kind in ("NodePort", "LoadBalancer") and rng.random() < 0.4:
            spec.append("externalTrafficPolicy: Local")
        target = target if not target[0].isdigit() else int(target)
        spec.append(f"ports: [{{name: web, port: {80 + index}, targetPort: {target}}}]")
        body = "\n  ".join(spec)
        docs.append(
            f"apiVersion: v1\nkind: Service\nmetadata: {{name: svc{index}}}\nspec:\n  {body}"
        )
    paths = "\n".join(
        f"""      - path: /{name}
        pathType: Prefix
        backend: {{service: {{name: {name}, port: {{number: {80 + i}}}}}}}"""
        for i, name in enumerate(["svc0", "svc1", "missing"])
    )
    docs.append(
        f"""apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: web}}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
{paths}"""
    )
    return "\n---\n".join(docs) + "\n"
