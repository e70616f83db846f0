"""Benchmark of the network half: routed requests per second, Trace objects included.

Run: `python -m benchmarks.bench_network` (add `--quick` for a tenth of the cluster,
`--real` to build the cluster with `simulator.Cluster` instead of the FakeState).

Builds a cluster of 10,000 pods (FakeState: 1,000 Services of 10 pods each on 50
nodes; `--real`: benchmarks.workload's 200 Deployments of 50 pods and 1,000
Services, every pod made ready) plus 100 Ingress hosts, then times
`Network.request` for ClusterIP requests from a pod (by cluster IP and by
Service name, spread over every Service) and for Ingress requests from the
host (spread over every host), and the same for 10 Services / hosts only.
Prints the median (and best) CPU time of several runs of 20,000 requests and
the resulting requests per second on one core, Trace objects included.

`--policies` adds NetworkPolicies that every request must pass (with `--real`):
every pod of `default` isolated for ingress (rules let in the `tier: backend` pods
and the ingress-nginx controller), one policy per app for the first 20 apps, and the
client isolated for egress (DNS and the `default` namespace allowed), so each new
packet is judged by about 22 policies and every request still succeeds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from simulator.network import Network
from simulator.network.testing import FakeState

from .workload import ingresses, manifest


def build(pods: int, per_service: int = 10, nodes: int = 50, hosts: int = 100) -> FakeState:
    """A cluster of `pods` pods behind `pods // per_service` Services, and `hosts` Ingresses."""
    names = tuple(f"node-{i:03d}" for i in range(nodes))
    state = FakeState(seed=0, nodes=names)
    services = pods // per_service
    for s in range(services):
        for r in range(per_service):
            state.add_pod(
                f"app-{s}-{r}",
                {"app": f"app-{s}"},
                node=names[(s * per_service + r) % nodes],
                sync=False,
            )
        state.add_service(f"svc-{s}", {"app": f"app-{s}"}, sync=False)
    state.add_pod("client", {"role": "client"}, node=names[0], sync=False)
    state.sync()
    for h in range(hosts):
        backend = {"service": {"name": f"svc-{h % services}", "port": {"number": 80}}}
        state.add_ingress(
            f"ing-{h}",
            [
                {
                    "host": f"app-{h}.example.com",
                    "http": {
                        "paths": [
                            {"path": "/", "pathType": "Prefix", "backend": backend},
                            {"path": "/api", "pathType": "Prefix", "backend": backend},
                        ]
                    },
                }
            ],
        )
    return state


def build_real(pods: int, hosts: int = 100, policies: bool = False):
    """The same shape on the real ClusterState (with the `--policies` set when asked):
    returns `(state, network, client source)`."""
    from simulator import Cluster

    deployments = pods // 50
    services = deployments * 5
    cluster = Cluster(seed=1)
    text = manifest(services=services, deployments=deployments, nodes=max(pods // 100, 3))
    text += "---\n" + ingresses(hosts, services)
    if policies:
        text += "---\n" + policies_manifest()
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    state = cluster.state
    for pod in state.store.list("Pod", "default"):
        state.touch("default", pod["metadata"]["name"], None, "/var/ready")
    cluster.advance(11)
    client = state.store.list("Pod", "default")[0]["metadata"]["name"]
    return state, cluster.network, f"pod/{client}"


POLICIES = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-ingress}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {matchLabels: {tier: backend}}
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress}
spec:
  podSelector: {matchLabels: {tier: backend}}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
    ports: [{protocol: UDP, port: 53}]
  - to: [{podSelector: {}}]
"""
APP_POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: app-{i}}}
spec:
  podSelector: {{matchLabels: {{app: app-{i}}}}}
  ingress: [{{from: [{{podSelector: {{matchLabels: {{app: app-{i}}}}}}}], ports: [{{port: http}}]}}]
"""


def policies_manifest() -> str:
    """The `--policies` set (see the module docstring)."""
    return POLICIES + "---\n" + "---\n".join(APP_POLICY.format(i=i) for i in range(20))


def rate(fn, urls: list[str], source: str, repeat: int) -> tuple[float, float]:
    """Median and best CPU seconds for one pass over `urls` (GC paused while timing)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        # CPU time of this process: "requests per second on one core", unaffected by
        # other processes sharing the machine.
        start = time.process_time()
        for url in urls:
            fn(url, source)
        times.append(time.process_time() - start)
        gc.enable()
    return statistics.median(times), min(times)


def main() -> None:
    """Build the cluster, time each kind of request, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the size, fewer runs")
    parser.add_argument("--real", action="store_true", help="build it with simulator.Cluster")
    parser.add_argument("--case", default="", help="only the cases whose label contains this text")
    parser.add_argument(
        "--policies", action="store_true", help="with --real: 22 NetworkPolicies to pass"
    )
    parser.add_argument(
        "--count",
        type=int,
        metavar="N",
        help="send N requests per case (its 20,000 URLs round and round), untimed, for an "
        "instruction counter such as valgrind's callgrind: the difference between "
        "--count 40000 and --count 20000 is the cost of a warm pass",
    )
    args = parser.parse_args()
    pods = 1_000 if args.quick else 10_000
    repeat = 3 if args.quick else 9
    start = time.perf_counter()
    if args.policies and not args.real:
        parser.error("--policies needs --real")
    if args.real:
        state, network, client = build_real(pods, policies=args.policies)
    else:
        state = build(pods)
        network, client = Network(state), "pod/client"
    if args.policies:
        print(f"NetworkPolicies: {state.store.count('NetworkPolicy')}")
    print(
        f"cluster ({'real ClusterState' if args.real else 'FakeState'}): "
        f"{state.store.count('Pod')} pods, "
        f"{state.store.count('Service')} services, built in {time.perf_counter() - start:.2f} s"
    )
    services = [
        svc
        for (ns, name), svc in state.store.items("Service")
        if ns == "default" and name.startswith("svc-")
    ]
    by_ip = [f"http://{svc['spec']['clusterIP']}/" for svc in services]
    by_name = [f"http://{svc['metadata']['name']}/" for svc in services]
    hosts = [f"http://app-{h}.example.com/api/x" for h in range(100)]
    count = 20_000

    def spread(urls: list[str]) -> list[str]:
        """`urls` repeated round robin up to `count` requests."""
        return (urls * (count // len(urls) + 1))[:count]

    cases = [
        ("ClusterIP by IP, every service", spread(by_ip), client),
        ("ClusterIP by name (DNS), every service", spread(by_name), client),
        ("Ingress, every host", spread(hosts), "host"),
        ("ClusterIP by name (DNS), 10 services", spread(by_name[:10]), client),
        ("Ingress, 10 hosts", spread(hosts[:10]), "host"),
    ]
    request = network.request
    for url in by_ip[:10] + by_name[:10] + hosts[:10]:  # warm the caches
        request(url, client)
        request(url, "host")
    cases = [case for case in cases if args.case in case[0]]
    if args.count is not None:
        for label, urls, source in cases:
            gc.collect()
            gc.disable()  # as while timing
            for i in range(args.count):
                request(urls[i % len(urls)], source)
            gc.enable()
            print(f"{label}: {args.count} requests sent")
        return
    for label, urls, source in cases:
        trace = request(urls[0], source)
        assert trace.outcome == "ok", trace.to_dict()
        median, best = rate(request, urls, source, repeat)
        print(
            f"{label:40s} median {median * 1000:7.1f} ms / {len(urls)} requests "
            f"= {len(urls) / median:9,.0f} requests/s (best run {len(urls) / best:9,.0f}/s)"
        )


if __name__ == "__main__":
    main()
