"""Requests through a Gateway: NGINX Gateway Fabric's data plane, end to end in a cluster.

The routing decisions themselves (matching, precedence, filters, weights) have their own
tests on the pure functions (test_gateway_matching, test_gateway_filters); these follow
requests through the cluster: name resolution, the data plane's address and pod, TLS, the
trace's hops, what curl prints, and how status and traffic move together.
"""

from __future__ import annotations

import pytest

from simulator import Cluster
from simulator.scenarios import get
from tests.simulator.manifests_gateway import TO_WEB, WEB, route


def cluster(*manifests: str, seed: int = 7) -> Cluster:
    c = Cluster(seed=seed)
    for text in (WEB, *manifests):
        result = c.run("kubectl apply -f -", text)
        assert result.exit_code == 0, result.stderr
    return c


def gateway_ip(c: Cluster, name: str = "gw") -> str:
    gateway = c.state.store.get("Gateway", "default", name)
    return gateway["status"]["addresses"][0]["value"]


def test_a_request_goes_client_gateway_service_endpoints_pod_from_the_data_plane_pod():
    c = cluster(route(TO_WEB))
    trace = c.request("http://web.example.com/hello?x=1")
    assert (trace.outcome, trace.status) == ("ok", 200)
    hops = trace.to_dict()["hops"]
    assert [h["kind"] for h in hops] == ["client", "gateway", "service", "endpoints", "pod"]
    gateway = hops[1]
    assert gateway == {"kind": "gateway", "name": "gw", "ip": gateway_ip(c), "port": 80,
                       "listener": "http", "route": "web", "rule": 0}  # fmt: skip
    pods = c.state.store.list("Pod", "default")
    (data_plane,) = [p for p in pods if p["metadata"]["name"].startswith("gw-nginx-")]
    assert hops[-1]["src_ip"] == data_plane["status"]["podIP"]
    assert hops[-1]["path"] == "/hello?x=1"
    assert trace.served_by.startswith("web-")


def test_the_host_resolves_route_hostnames_to_the_gateway_and_the_gateway_wins_over_ingress():
    ingress = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
    c = cluster(ingress)
    assert c.request("http://web.example.com/").hops[1].kind == "ingress"
    c.run("kubectl apply -f -", route(TO_WEB))
    assert c.request("http://web.example.com/").hops[1].kind == "gateway"
    result = c.run("curl -v http://web.example.com/")
    assert f"*   Trying {gateway_ip(c)}:80..." in result.stderr
    c.run("kubectl delete httproute web")
    assert c.request("http://web.example.com/").hops[1].kind == "ingress"


def test_a_host_header_reaches_the_gateway_by_its_address():
    c = cluster(route(TO_WEB))
    ip = gateway_ip(c)
    assert c.run(f"curl -s -H 'Host: web.example.com' http://{ip}/").stdout.startswith(
        "You've hit web-"
    )
    missing = c.request(f"http://{ip}/")
    assert (missing.status, missing.served_by) == (404, "gw")
    assert "no HTTPRoute attached to gateway gw serves host" in missing.reason


def test_no_match_is_nginx_s_404_and_an_unlisted_port_is_refused():
    c = cluster(route("  - matches: [{path: {type: Exact, value: /only}}]\n"
                      "    backendRefs: [{name: web, port: 80}]"))  # fmt: skip
    assert c.request("http://web.example.com/only").status == 200
    result = c.run("curl -i http://web.example.com/other")
    assert result.stdout.startswith("HTTP/1.1 404 Not Found\r\nServer: nginx\r\n")
    refused = c.run(f"curl -sS http://{gateway_ip(c)}:8080/")
    assert refused.exit_code == 7
    assert "Couldn't connect to server" in refused.stderr


def test_weights_split_traffic_and_weight_zero_gets_none():
    canary = get("gateway-canary")
    c = Cluster(seed=3)
    c.run("kubectl apply -f -", canary.manifest)
    served = [c.request("http://kubia.example.com/").served_by for _ in range(400)]
    v2 = sum(name.startswith("kubia-v2") for name in served)
    assert 20 <= v2 <= 60  # 10% of 400, give or take the draw
    header = c.request("http://kubia.example.com/", headers={"env": "canary"})
    assert header.served_by.startswith("kubia-v2")
    assert header.hops[1].rule == 0
    patch = '[{"op": "replace", "path": "/spec/rules/1/backendRefs/1/weight", "value": 0}]'
    c.run(f"kubectl patch httproute kubia --type=json -p '{patch}'")
    assert all(c.request("http://kubia.example.com/").served_by.startswith("kubia-v1")
               for _ in range(50))  # fmt: skip


def test_a_redirect_answers_at_the_gateway_with_its_location():
    c = cluster(route("  - filters:\n"
                      "    - type: RequestRedirect\n"
                      "      requestRedirect: {scheme: https}"))  # fmt: skip
    result = c.run("curl -sI http://web.example.com/a/b?q=1")
    lines = result.stdout.splitlines()
    assert lines[0] == "HTTP/1.1 302 Moved Temporarily"
    assert "Location: https://web.example.com/a/b?q=1" in lines
    trace = result.traces[0]
    assert [h.kind for h in trace.hops] == ["client", "gateway"]
    assert trace.served_by == "gw"


def test_url_rewrite_changes_the_path_the_pod_receives():
    c = cluster(route("  - matches: [{path: {type: PathPrefix, value: /api}}]\n"
                      "    filters:\n"
                      "    - type: URLRewrite\n"
                      "      urlRewrite:\n"
                      "        path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}\n"
                      "    backendRefs: [{name: web, port: 80}]"))  # fmt: skip
    trace = c.request("http://web.example.com/api/users?id=3")
    assert trace.hops[-1].path == "/v2/users?id=3"


def test_header_modifiers_show_in_the_response():
    c = cluster(route("  - filters:\n"
                      "    - type: ResponseHeaderModifier\n"
                      "      responseHeaderModifier:\n"
                      "        add: [{name: X-Served-By, value: gateway}]\n"
                      "        remove: [Connection]\n"
                      "    backendRefs: [{name: web, port: 80}]"))  # fmt: skip
    head = c.run("curl -sI http://web.example.com/").stdout.splitlines()
    assert "X-Served-By: gateway" in head
    assert not any(line.startswith("Connection:") for line in head)


def test_a_backend_that_does_not_resolve_is_accepted_by_the_api_and_gets_500():
    c = cluster(route("  - backendRefs: [{name: missing, port: 80}]"))
    status = c.state.store.get("HTTPRoute", "default", "web")["status"]["parents"][0]
    conditions = {cond["type"]: (cond["status"], cond["reason"]) for cond in status["conditions"]}
    assert conditions == {"Accepted": ("True", "Accepted"),
                          "ResolvedRefs": ("False", "BackendNotFound")}  # fmt: skip
    trace = c.request("http://web.example.com/")
    assert (trace.status, trace.served_by) == (500, "gw")
    assert "BackendNotFound" in trace.reason
    c.run("kubectl create service clusterip missing --tcp=80:8080")
    status = c.state.store.get("HTTPRoute", "default", "web")["status"]["parents"][0]
    assert {cond["type"]: cond["status"] for cond in status["conditions"]} == {
        "Accepted": "True", "ResolvedRefs": "True",
    }  # fmt: skip
    assert c.request("http://web.example.com/").status == 503  # no pod selected: no endpoint


CROSS = """
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
"""
GRANT = """
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-default, namespace: shop}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service}]
"""


def test_a_cross_namespace_backend_needs_a_reference_grant():
    c = cluster(CROSS, route("  - backendRefs: [{name: shop, namespace: shop, port: 80}]"))
    trace = c.request("http://web.example.com/")
    assert trace.status == 500
    assert "RefNotPermitted" in trace.reason
    c.run("kubectl apply -f -", GRANT)
    assert c.request("http://web.example.com/").status == 503  # allowed now; no pod in shop
    status = c.state.store.get("HTTPRoute", "default", "web")["status"]["parents"][0]
    assert [cond["status"] for cond in status["conditions"]] == ["True", "True"]


def test_https_listener_certificates_sni_and_plain_http():
    manifest = get("gateway-tls").manifest
    c = Cluster(seed=2)
    c.run("kubectl apply -f -", manifest)
    unverified = c.run("curl -s https://kubia.example.com/")
    assert unverified.exit_code == 60
    ok = c.run("curl -sk https://kubia.example.com/bar")
    assert ok.stdout.startswith("You've hit bar-")
    trace = ok.traces[0]
    gateway = trace.hops[1]
    assert (gateway.listener, gateway.route, gateway.rule) == ("https", "kubia", 1)
    ip = gateway_ip(c, "kubia")
    rejected = c.run(f"curl -sSk --resolve other.example.com:443:{ip} https://other.example.com/")
    assert rejected.exit_code == 35
    assert rejected.stderr == (
        "curl: (35) OpenSSL/3.0.15: error:0A000458:SSL routines::tlsv1 unrecognized name\n"
    )
    plain = c.run(f"curl -s -H 'Host: kubia.example.com' http://{ip}:443/")
    assert "400 The plain HTTP request was sent to HTTPS port" in plain.stdout


def test_a_gateway_of_another_class_gets_no_address_and_no_traffic():
    c = cluster("""
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
""")  # fmt: skip
    table = c.run("kubectl get gateway other").stdout.splitlines()
    assert table[1].split() == ["other", "istio", "Unknown", "0s"]
    assert c.state.store.get("Service", "default", "other-nginx") is None


def test_deleting_the_gateway_takes_its_data_plane_and_hostnames_with_it():
    c = cluster(route(TO_WEB))
    assert c.state.store.get("Service", "default", "gw-nginx") is not None
    c.run("kubectl delete gateway gw")
    assert c.state.store.get("Service", "default", "gw-nginx") is None
    assert c.state.store.get("Deployment", "default", "gw-nginx") is None
    assert c.request("http://web.example.com/").outcome == "dns_error"
    status = c.state.store.get("HTTPRoute", "default", "web")["status"]
    assert status == {"parents": []}


@pytest.mark.parametrize("caching", [True, False])
def test_replayed_requests_take_the_same_way(caching):
    from simulator.network import Network

    c = cluster(route(TO_WEB))
    if not caching:
        c.network = Network(c.state, caching=False)
    first = [c.request("http://web.example.com/").to_dict()["hops"][1] for _ in range(3)]
    assert first[0] == first[1] == first[2]


STRAY_NGINX = """
apiVersion: v1
kind: Pod
metadata: {name: stray, labels: {app: web}}
spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
"""


def test_a_refused_connection_makes_nginx_try_the_next_endpoint():
    """proxy_next_upstream "error timeout": a pod that refuses the port (nginx listens on
    80, the Service sends to 8080) is skipped; every request is answered by a kubia pod."""
    c = cluster(route(TO_WEB), STRAY_NGINX)
    c.advance(5)
    assert "10.244" in c.run("kubectl get endpoints web").stdout
    assert c.run("kubectl get endpoints web").stdout.count(",") == 2  # three endpoints
    traces = [c.request("http://web.example.com/") for _ in range(12)]
    assert {t.status for t in traces} == {200}
    assert {t.served_by for t in traces} <= {
        p["metadata"]["name"]
        for p in c.state.store.list("Pod", "default")
        if "stray" not in p["metadata"]["name"]
    }


def test_when_every_endpoint_refuses_nginx_answers_502():
    c = cluster(route(TO_WEB), STRAY_NGINX)
    assert c.run("kubectl scale deployment web --replicas=0").exit_code == 0
    c.advance(40)
    trace = c.request("http://web.example.com/")
    assert trace.status == 502
    assert "nothing listens on port 8080 in pod stray" in trace.reason
