"""Benchmarks of the Gateway API: its apply against the YAML parse, its requests against Ingress.

Run: `python -m benchmarks.bench_gateway` (add `--quick` for 20 routes, fewer pods and
fewer runs; `--part apply` or `--part requests` for one half).

Apply: 200 HTTPRoutes of 10 rules each.
`kubectl apply` of the routes does everything a real cluster would: parse, validate
against the CRD schemas and CEL rules, default, store, then the Gateway controller
resolves every route against its Gateway and writes their status. The figure is the
median ratio of apply to a bare PyYAML CSafeLoader parse of the same text, over pairs
timed back to back in CPU time (every other pair timing apply first), so a machine
shared with other work moves both sides of each ratio alike.

Requests: one cluster (benchmarks.workload's Deployments and Services, every pod
ready) with 100 Ingress hosts and, beside them, one Gateway with 100 HTTPRoutes of
the same shape (one hostname each, rules `/` and `/api`, other host names so each
side serves its own). Passes of 20,000 requests from the host over every host, one
Ingress pass then one Gateway pass (the order alternating), in CPU time, Trace
objects included; the figure is the median ratio of Gateway to Ingress requests per
second over the pairs.
"""

from __future__ import annotations

import argparse
import statistics

import yaml

from simulator import Cluster

from .bench_core import cpu_time, timed_pair
from .workload import ingresses, manifest

BASE = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gateway
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    port: 80
    protocol: HTTP
""" + "".join(
    f"""---
apiVersion: v1
kind: Service
metadata:
  name: svc-{j}
spec:
  selector:
    app: app-{j}
  ports:
  - port: 80
    targetPort: 8080
"""
    for j in range(10)
)
ROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{i}
spec:
  parentRefs:
  - name: gateway
  hostnames:
  - host-{i}.example.com
  rules:
"""
RULE = """  - matches:
    - path:
        type: PathPrefix
        value: /path-{j}
      headers:
      - name: x-tenant
        value: tenant-{i}
    backendRefs:
    - name: svc-{j}
      port: 80
      weight: 3
    - name: svc-{k}
      port: 80
      weight: 1
"""


def routes(count: int, rules: int = 10) -> str:
    """Multi-document YAML of `count` HTTPRoutes, each with `rules` rules."""
    docs = [
        ROUTE.format(i=i) + "".join(RULE.format(i=i, j=j, k=(j + 1) % rules) for j in range(rules))
        for i in range(count)
    ]
    return "---\n".join(docs)


HTTPROUTE = """apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-{h}
spec:
  parentRefs:
  - name: gateway
  hostnames:
  - gw-{h}.example.com
  rules:
  - matches:
    - path: {{type: PathPrefix, value: /}}
    backendRefs:
    - {{name: svc-{s}, port: 80}}
  - matches:
    - path: {{type: PathPrefix, value: /api}}
    backendRefs:
    - {{name: svc-{s}, port: 80}}
"""


def routed_cluster(pods: int, hosts: int = 100) -> Cluster:
    """`pods` ready pods behind Services; `hosts` Ingresses, and `hosts` HTTPRoutes on a Gateway."""
    deployments = max(pods // 50, 1)
    services = deployments * 5
    cluster = Cluster(seed=1)
    text = manifest(services=services, deployments=deployments, nodes=max(pods // 100, 3))
    text += "---\n" + ingresses(hosts, services, prefix="ing")
    text += "---\n" + BASE.split("---\n")[0]
    text += "---\n" + "---\n".join(HTTPROUTE.format(h=h, s=h % services) for h in range(hosts))
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr[:500]
    for pod in cluster.state.store.list("Pod", "default"):
        cluster.run(f"kubectl exec {pod['metadata']['name']} -- touch /var/ready")
    cluster.advance(11)
    return cluster


def requests_figures(quick: bool) -> None:
    """Gateway-routed against Ingress-routed requests per second at 100 hosts."""
    pods = 500 if quick else 2_000
    repeat = 3 if quick else 9
    count = 4_000 if quick else 20_000
    cluster = routed_cluster(pods)
    print(f"cluster: {cluster.state.store.count('Pod')} pods, 100 Ingress hosts, 100 HTTPRoutes")

    def spread(prefix: str) -> list[str]:
        urls = [f"http://{prefix}-{h}.example.com/api/x" for h in range(100)]
        return (urls * (count // len(urls) + 1))[:count]

    sides = {"ingress": spread("ing"), "gateway": spread("gw")}
    for side, urls in sides.items():  # warm the caches; every request served
        for url in urls[:100]:
            trace = cluster.request(url, source="host")
            assert trace.outcome == "ok", (side, trace.to_dict())
        assert any(hop.kind == side for hop in trace.hops), trace.to_dict()

    def send(urls: list[str]):
        return lambda: [cluster.request(url, source="host") for url in urls]

    pairs = []
    for i in range(repeat):
        order = ("ingress", "gateway") if i % 2 == 0 else ("gateway", "ingress")
        times = {side: cpu_time(send(sides[side])) for side in order}
        pairs.append(times)
    for side in sides:
        median = statistics.median(p[side] for p in pairs)
        print(
            f"{side.capitalize():8s} every host: median {median * 1000:7.1f} ms / {count} "
            f"= {count / median:9,.0f} requests/s"
        )
    ratio = statistics.median(p["ingress"] / p["gateway"] for p in pairs)
    print(f"Gateway / Ingress requests per second: {ratio:.2f}x (median of {repeat} pairs)")


def apply_figures(quick: bool) -> None:
    """200 HTTPRoutes of 10 rules applied, against the YAML parse of the same text."""
    count = 20 if quick else 200
    repeat = 3 if quick else 11
    text = routes(count)
    print(f"manifest: {count} HTTPRoutes x 10 rules, {len(text) / 1024:.0f} KiB")

    def parse() -> list:
        return list(yaml.load_all(text, Loader=yaml.CSafeLoader))

    def apply() -> Cluster:
        cluster = Cluster(seed=1)
        assert cluster.run("kubectl apply -f -", stdin=BASE).exit_code == 0
        result = cluster.run("kubectl apply -f -", stdin=text)
        assert result.exit_code == 0, result.stderr[:500]
        return cluster

    def base() -> Cluster:
        cluster = Cluster(seed=1)
        assert cluster.run("kubectl apply -f -", stdin=BASE).exit_code == 0
        return cluster

    apply()  # the first run also imports modules
    pairs = [timed_pair(parse, apply, parse_first=i % 2 == 0) for i in range(repeat)]
    setup = statistics.median(timed_pair(parse, base, True)[1] for _ in range(repeat))
    parsed = statistics.median(p for p, _ in pairs)
    applied = statistics.median(a - setup for _, a in pairs)
    ratio = statistics.median((a - setup) / p for p, a in pairs)
    print(f"PyYAML CSafeLoader parse only:        {parsed * 1000:8.1f} ms")
    print(f"kubectl apply (validate..status):     {applied * 1000:8.1f} ms  = {ratio:.2f}x parse")
    cluster = apply()
    accepted = sum(
        1
        for route in cluster.state.store.list("HTTPRoute")
        for parent in (route.get("status") or {}).get("parents") or ()
        if any(c["type"] == "Accepted" and c["status"] == "True" for c in parent["conditions"])
    )
    print(f"routes accepted by the Gateway:       {accepted} of {count}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer routes, pods and runs")
    parser.add_argument("--part", choices=("apply", "requests", "all"), default="all")
    args = parser.parse_args()
    if args.part in ("apply", "all"):
        apply_figures(args.quick)
    if args.part in ("requests", "all"):
        requests_figures(args.quick)


if __name__ == "__main__":
    main()
