"""CONTRACT.md section 8 point by point, through the public facade only (`Cluster.run`,
`Cluster.request`, traces, `export_yaml`), as an outside check drives the product.

The finer rules have their own tests on the pure functions (test_gateway_matching,
test_gateway_filters, test_gateway_status, test_gateway_validation) and on requests
(test_network_gateway); these pin each sentence of the contract end to end.
"""

from __future__ import annotations

import json

import pytest

from simulator import Cluster

BACKENDS = "".join(
    f"""
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {ns}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: app, image: luksa/kubia, ports: [{{containerPort: 8080}}]}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{app: {name}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""
    for ns, name in (
        ("default", "one"),
        ("default", "two"),
        ("default", "three"),
        ("apps", "other"),
    )
)
GATEWAY = """
apiVersion: v1
kind: Namespace
metadata: {name: apps}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: http, port: 80, protocol: HTTP}
  - {name: wild, port: 8080, protocol: HTTP, hostname: "*.example.com"}
"""


def route(rules: str, name: str = "r", hostnames: str = "[a.example.com]", extra: str = "") -> str:
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}}}
spec:
  parentRefs: [{{name: gw{extra}}}]
  hostnames: {hostnames}
  rules:
{rules}
"""


def make(*manifests: str) -> Cluster:
    c = Cluster(seed=11)
    for text in (GATEWAY + BACKENDS, *manifests):
        result = c.run("kubectl apply -f -", stdin=text)
        assert result.exit_code == 0, result.stderr
    return c


def jsonpath(c: Cluster, what: str, path: str) -> str:
    result = c.run(f"kubectl get {what} -o jsonpath={{{path}}}")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def conditions(c: Cluster, what: str, where: str = ".status.parents[0]") -> dict:
    found = json.loads(jsonpath(c, what, f"{where}.conditions"))
    return {cond["type"]: (cond["status"], cond["reason"]) for cond in found}


def served(c: Cluster, url: str, **kwargs) -> str:
    trace = c.request(url, source="host", **kwargs)
    assert trace.outcome == "ok", trace.to_dict()
    return trace.served_by.rsplit("-", 2)[0]


def test_the_built_in_gatewayclass_nginx_is_accepted_with_ngf_s_controller_name():
    c = Cluster(seed=0)
    assert c.run("kubectl get gatewayclass").stdout.splitlines() == [
        "NAME    CONTROLLER                                   ACCEPTED   AGE",
        "nginx   gateway.nginx.org/nginx-gateway-controller   True       20d",
    ]


def test_reference_grant_is_served_as_v1beta1_too_and_printed_as_v1():
    grant = """
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-default, namespace: apps}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service}]
"""
    c = make(grant)
    assert (
        c.run("kubectl get referencegrant -n apps").stdout.splitlines()[0] == "NAME           AGE"
    )
    assert jsonpath(c, "referencegrant -n apps from-default", ".apiVersion") == (
        "gateway.networking.k8s.io/v1"
    )


def test_an_invalid_route_is_refused_in_the_crd_s_words_and_nothing_is_applied():
    bad = route("  - matches: [{path: {type: Prefix, value: /}}]\n"
                "    backendRefs: [{name: one, port: 80}]")  # fmt: skip
    c = make()
    result = c.run("kubectl apply -f -", stdin=route("  - backendRefs: [{name: one, port: 80}]",
                                                     name="fine") + "---\n" + bad)  # fmt: skip
    assert result.exit_code == 1
    assert (
        'spec.rules[0].matches[0].path.type: Unsupported value: "Prefix": supported values: '
        '"Exact", "PathPrefix", "RegularExpression"'
    ) in result.stderr
    assert "httproute" not in c.run("kubectl get httproute").stdout.lower()


def test_a_gateway_gets_an_address_accepted_programmed_and_attached_routes_per_listener():
    c = make(route("  - backendRefs: [{name: one, port: 80}]", extra=", sectionName: http"))
    address = jsonpath(c, "gateway gw", ".status.addresses[0].value")
    assert address.startswith("192.168.49.")
    assert conditions(c, "gateway gw", ".status") == {
        "Accepted": ("True", "Accepted"),
        "Programmed": ("True", "Programmed"),
    }
    attached = jsonpath(c, "gateway gw", ".status.listeners[*].attachedRoutes")
    assert attached.split() == ["1", "0"]
    row = c.run("kubectl get gateway gw").stdout.splitlines()
    assert row[0].split() == ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"]
    assert row[1].split()[:4] == ["gw", "nginx", address, "True"]


def test_a_gateway_of_an_unknown_class_stays_unprogrammed():
    c = make(GATEWAY.replace("name: gw", "name: lost").replace("nginx", "unknown"))
    assert jsonpath(c, "gateway lost", ".status.addresses") == ""
    assert conditions(c, "gateway lost", ".status")["Programmed"] == ("Unknown", "Pending")


def test_the_host_resolves_route_hostnames_and_a_host_header_reaches_the_address():
    c = make(route("  - backendRefs: [{name: one, port: 80}]"))
    assert c.run("curl -s http://a.example.com/").stdout.startswith("You've hit one-")
    address = jsonpath(c, "gateway gw", ".status.addresses[0].value")
    result = c.run(f"curl -s -H 'Host: a.example.com' http://{address}/")
    assert result.stdout.startswith("You've hit one-")


def test_listener_and_route_hostnames_intersect_and_a_wildcard_skips_the_bare_domain():
    c = make(
        route("  - backendRefs: [{name: one, port: 80}]", name="wild",
              hostnames='["*.example.com", example.com]', extra=", port: 8080"),
        route("  - backendRefs: [{name: two, port: 80}]", name="exact",
              hostnames="[a.example.com]", extra=", port: 8080"),
    )  # fmt: skip
    address = jsonpath(c, "gateway gw", ".status.addresses[0].value")
    assert served(c, f"http://{address}:8080/", headers={"Host": "a.example.com"}) == "two"
    assert served(c, f"http://{address}:8080/", headers={"Host": "b.c.example.com"}) == "one"
    bare = c.request(f"http://{address}:8080/", source="host", headers={"Host": "example.com"})
    assert bare.status == 404  # the *.example.com listener does not take example.com


PRECEDENCE = route(
    "  - matches: [{path: {type: PathPrefix, value: /}}]\n"
    "    backendRefs: [{name: one, port: 80}]\n"
    "  - matches: [{path: {type: PathPrefix, value: /foo}}]\n"
    "    backendRefs: [{name: two, port: 80}]\n"
    "  - matches: [{path: {type: Exact, value: /foo/bar}}]\n"
    "    backendRefs: [{name: three, port: 80}]\n"
    "  - matches: [{path: {type: PathPrefix, value: /foo}, method: POST}]\n"
    "    backendRefs: [{name: three, port: 80}]\n"
    "  - matches: [{path: {type: PathPrefix, value: /q}, headers: [{name: v, value: '2'}]}]\n"
    "    backendRefs: [{name: two, port: 80}]\n"
    "  - matches: [{path: {type: PathPrefix, value: /q}, queryParams: [{name: v, value: '3'}]}]\n"
    "    backendRefs: [{name: three, port: 80}]"
)


@pytest.mark.parametrize(
    ("url", "kwargs", "backend"),
    [
        ("/foo/bar", {}, "three"),  # Exact beats every prefix
        ("/foo/bar/baz", {}, "two"),  # the longest prefix
        ("/foobar", {}, "one"),  # a prefix matches whole segments only
        ("/foo/", {}, "two"),  # a trailing slash is ignored
        ("/foo", {"method": "POST"}, "three"),  # a method match beats the same path without
        ("/q", {"headers": {"v": "2"}}, "two"),
        ("/q?v=3", {}, "three"),
        ("/q?v=3", {"headers": {"v": "2"}}, "two"),  # headers before query parameters
    ],
)
def test_matching_and_precedence_follow_the_spec(url, kwargs, backend):
    c = make(PRECEDENCE)
    assert served(c, "http://a.example.com" + url, **kwargs) == backend


def test_an_older_route_wins_a_tie_then_namespace_name_and_no_match_gives_404():
    same = (
        "  - matches: [{{path: {{type: Exact, value: /x}}}}]\n"
        "    backendRefs: [{{name: {}, port: 80}}]"
    )
    c = make(route(same.format("one"), name="z-older"))
    c.advance(5)
    c.run("kubectl apply -f -", stdin=route(same.format("two"), name="a-newer"))
    assert served(c, "http://a.example.com/x") == "one"
    tied = make(
        route(same.format("one"), name="z-same") + "---" + route(same.format("two"), name="a-same")
    )
    assert served(tied, "http://a.example.com/x") == "two"  # created together: by name
    assert served(c, "http://a.example.com/x") == "one"
    missing = c.request("http://a.example.com/y", source="host")
    assert (missing.outcome, missing.status) == ("http_error", 404)


def test_weights_split_and_a_redirect_leaves_the_well_known_port_out_of_location():
    c = make(
        route("  - backendRefs: [{name: one, port: 80, weight: 0}, {name: two, port: 80}]"),
        route("  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]",
              name="redirect", hostnames="[r.example.com]"),
    )  # fmt: skip
    assert {served(c, "http://a.example.com/") for _ in range(30)} == {"two"}
    head = c.run("curl -sI http://r.example.com/p").stdout.splitlines()
    assert head[0] == "HTTP/1.1 302 Moved Temporarily"
    assert "Location: https://r.example.com/p" in head


def test_request_headers_and_the_path_reach_the_pod_as_the_filters_say():
    c = make(
        route("  - matches: [{path: {type: PathPrefix, value: /old}}]\n"
              "    filters:\n"
              "    - {type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, "
              "replaceFullPath: /new}}}\n"
              "    - {type: RequestHeaderModifier, requestHeaderModifier: "
              "{set: [{name: x-env, value: test}]}}\n"
              "    backendRefs: [{name: one, port: 80}]")
    )  # fmt: skip
    trace = c.request("http://a.example.com/old/page", source="host")
    assert trace.to_dict()["hops"][-1]["path"] == "/new"
    assert "RequestHeaderModifier" in trace.reason


def test_a_namespace_the_listener_does_not_allow_is_not_allowed_by_listeners():
    c = make(route("  - backendRefs: [{name: other, port: 80}]", extra=", namespace: default")
             .replace("metadata: {name: r}", "metadata: {name: r, namespace: apps}"))  # fmt: skip
    assert conditions(c, "httproute -n apps r")["Accepted"] == (
        "False", "NotAllowedByListeners",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        ("{name: nothing, port: 80}", "BackendNotFound"),
        ("{name: other, namespace: apps, port: 80}", "RefNotPermitted"),
        ("{name: one, kind: ConfigMap, port: 80}", "InvalidKind"),
    ],
)
def test_backends_that_do_not_resolve_say_why_and_their_requests_get_500(backend, reason):
    c = make(route(f"  - backendRefs: [{backend}]"))
    assert conditions(c, "httproute r") == {
        "Accepted": ("True", "Accepted"),
        "ResolvedRefs": ("False", reason),
    }
    trace = c.request("http://a.example.com/", source="host")
    assert (trace.outcome, trace.status) == ("http_error", 500)
    assert reason in trace.reason


def test_a_reference_grant_lets_a_route_reach_another_namespace():
    grant = """
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: from-default, namespace: apps}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service}]
"""
    c = make(route("  - backendRefs: [{name: other, namespace: apps, port: 80}]"), grant)
    assert conditions(c, "httproute r")["ResolvedRefs"] == ("True", "ResolvedRefs")
    assert served(c, "http://a.example.com/") == "other"


@pytest.mark.parametrize(
    ("kind", "header"),
    [
        ("gatewayclass", "NAME CONTROLLER ACCEPTED AGE"),
        ("gateway", "NAME CLASS ADDRESS PROGRAMMED AGE"),
        ("httproute", "NAME HOSTNAMES AGE"),
        ("referencegrant", "NAME AGE"),
    ],
)
def test_get_prints_the_crd_columns_and_describe_works_for_each_kind(kind, header):
    grant = "apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\n" \
            "metadata: {name: g}\nspec:\n  from: [{group: gateway.networking.k8s.io, " \
            "kind: HTTPRoute, namespace: apps}]\n  to: [{group: '', kind: Service}]\n"  # fmt: skip
    c = make(route("  - backendRefs: [{name: one, port: 80}]", name="g"), grant)
    c.run("kubectl apply -f -", stdin=GATEWAY.replace("name: gw", "name: g").split("---")[1])
    table = c.run(f"kubectl get {kind} {'nginx' if kind == 'gatewayclass' else 'g'}")
    assert " ".join(table.stdout.splitlines()[0].split()) == header
    described = c.run(f"kubectl describe {kind} {'nginx' if kind == 'gatewayclass' else 'g'}")
    assert described.exit_code == 0, described.stderr
    assert described.stdout.startswith("Name:")
    assert "API Version:  gateway.networking.k8s.io/v1" in described.stdout


def test_the_trace_has_a_gateway_hop_between_client_and_service_and_the_pod_s_path():
    c = make(route("  - matches: [{path: {type: PathPrefix, value: /api}}]\n"
                   "    filters: [{type: URLRewrite, urlRewrite: {path: "
                   "{type: ReplacePrefixMatch, replacePrefixMatch: /}}}]\n"
                   "    backendRefs: [{name: one, port: 80}]"))  # fmt: skip
    hops = c.request("http://a.example.com/api/users", source="host").to_dict()["hops"]
    assert [hop["kind"] for hop in hops] == ["client", "gateway", "service", "endpoints", "pod"]
    gateway = hops[1]
    assert (gateway["name"], gateway["port"], gateway["listener"]) == ("gw", 80, "http")
    assert (gateway["route"], gateway["rule"]) == ("r", 0)
    assert gateway["ip"] == jsonpath(c, "gateway gw", ".status.addresses[0].value")
    assert hops[-1]["path"] == "/users"


def test_export_keeps_the_gateway_api_objects_and_re_applies_to_the_same_routes():
    c = make(route("  - backendRefs: [{name: one, port: 80, weight: 3}, {name: two, port: 80}]"))
    exported = c.export_yaml()
    assert "kind: GatewayClass" not in exported  # the built-in class is the cluster's own
    again = Cluster(seed=11)
    assert again.run("kubectl apply -f -", stdin=exported).exit_code == 0
    assert conditions(again, "httproute r") == conditions(c, "httproute r")
    assert {served(again, "http://a.example.com/") for _ in range(40)} == {"one", "two"}
