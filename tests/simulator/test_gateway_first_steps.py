"""First steps in a room with Gateways: each accepted HTTPRoute's hostnames are request
targets through its Gateway, a Gateway example's first request goes through the Gateway,
and a Gateway's own data-plane Service is no target of its own."""

from __future__ import annotations

from simulator import SCENARIOS, Cluster

SCENARIO = {s.slug: s for s in SCENARIOS}


def applied(text: str) -> Cluster:
    cluster = Cluster(1)
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 0, result.stderr
    cluster.advance(0.1)
    return cluster


def test_a_route_s_hostname_is_a_target_through_its_gateway_and_the_first_request():
    cluster = applied(SCENARIO["gateway-canary"].manifest)
    steps = cluster.first_steps()
    gateway = [t for t in steps.targets if t.group == "Gateway"]
    assert [(t.url, t.kind, t.name, t.origin) for t in gateway] == [
        ("http://kubia.example.com/", "httproute", "kubia", "host")
    ]
    assert "Gateway kubia's address" in gateway[0].why
    assert steps.first == gateway[0]
    trace = cluster.request(steps.first.url, source="host")
    assert [hop.kind for hop in trace.hops][:2] == ["client", "gateway"]


def test_the_data_plane_service_is_reached_through_the_routes_not_offered_itself():
    steps = applied(SCENARIO["gateway-canary"].manifest).first_steps()
    assert not [t for t in steps.targets if t.name == "kubia-nginx"]


def test_a_route_no_gateway_accepts_offers_no_target():
    cluster = applied(SCENARIO["gateway-canary"].manifest)
    other = cluster.run("kubectl create namespace other")
    assert other.exit_code == 0
    route = SCENARIO["gateway-canary"].manifest.split("kind: HTTPRoute")[1]
    refused = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute" + route.replace(
        "name: kubia\n", "name: elsewhere\n  namespace: other\n", 1
    ).replace("kubia.example.com", "other.example.com")
    assert cluster.run("kubectl apply -f -", stdin=refused).exit_code == 0
    urls = {t.url for t in cluster.first_steps().targets}
    assert "http://kubia.example.com/" in urls
    assert "http://other.example.com/" not in urls  # its parent other/kubia does not exist
