"""Ingress to Gateway API as ingress2gateway v1.0.0's ingress-nginx provider converts it."""

from __future__ import annotations

import copy

import pytest
import yaml

from simulator import Cluster
from simulator.gatewayapi.ingress2gateway import convert
from simulator.scenarios import get

MAIN = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "Ingress",
    "metadata": {"name": "kubia", "namespace": "default"},
    "spec": {
        "ingressClassName": "nginx",
        "rules": [
            {
                "host": "kubia.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {"service": {"name": "kubia", "port": {"number": 80}}},
                        }
                    ]
                },
            }
        ],
    },
}
PREFIX = "nginx.ingress.kubernetes.io/"


def canary(**annotations: str) -> dict:
    obj = copy.deepcopy(MAIN)
    obj["metadata"]["name"] = "kubia-canary"
    obj["metadata"]["annotations"] = {PREFIX + "canary": "true"} | {
        PREFIX + k.replace("_", "-"): v for k, v in annotations.items()
    }
    obj["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] = "kubia-v2"
    return obj


def objects(*ingresses: dict, services: dict | None = None) -> dict[str, dict]:
    result = convert(list(ingresses), services or {})
    return {f"{o['kind']}/{o['metadata']['name']}": o for o in result.objects}


def test_ingress_with_two_hosts_and_tls_scenario():
    cluster = Cluster(seed=0)
    cluster.run("kubectl apply -f -", stdin=get("ingress-tls").manifest)
    out = objects(*cluster.state.store.list("Ingress"))
    assert list(out) == [
        "Gateway/nginx",
        "HTTPRoute/kubia-foo-example-com",
        "HTTPRoute/kubia-kubia-example-com",
        "HTTPRoute/kubia-kubia-example-com-http",
    ]
    listeners = out["Gateway/nginx"]["spec"]["listeners"]
    keys = ("name", "port", "protocol", "hostname")
    assert [tuple(item[key] for key in keys) for item in listeners] == [
        ("foo-example-com-http", 80, "HTTP", "foo.example.com"),
        ("foo-example-com-https", 443, "HTTPS", "foo.example.com"),
        ("kubia-example-com-http", 80, "HTTP", "kubia.example.com"),
        ("kubia-example-com-https", 443, "HTTPS", "kubia.example.com"),
    ]  # fmt: skip
    # ingress2gateway gives every host of an Ingress with a tls section the Ingress's Secrets
    assert listeners[1]["tls"] == {
        "certificateRefs": [{"group": "", "kind": "Secret", "name": "tls-secret"}]
    }
    secured = out["HTTPRoute/kubia-kubia-example-com"]["spec"]
    assert secured["parentRefs"] == [{"name": "nginx", "port": 443}]
    assert [(r["name"], r["matches"][0]["path"], r["backendRefs"]) for r in secured["rules"]] == [
        ("rule-0", {"type": "PathPrefix", "value": "/"}, [{"name": "kubia-nodeport", "port": 80}]),
        ("rule-1", {"type": "PathPrefix", "value": "/bar"}, [{"name": "bar", "port": 80}]),
    ]  # fmt: skip
    redirect = out["HTTPRoute/kubia-kubia-example-com-http"]["spec"]
    assert redirect["parentRefs"] == [{"name": "nginx", "port": 80}]
    assert redirect["hostnames"] == ["kubia.example.com"]
    assert [r["filters"] for r in redirect["rules"]] == [
        [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 308}}]
    ] * 2
    plain = out["HTTPRoute/kubia-foo-example-com"]["spec"]
    assert plain["parentRefs"] == [{"name": "nginx"}]
    assert plain["rules"][1]["matches"] == [{"path": {"type": "Exact", "value": "/bar"}}]


def test_output_is_accepted_by_the_api_and_serves_the_same_hosts():
    cluster = Cluster(seed=0)
    cluster.run("kubectl apply -f -", stdin=get("ingress-tls").manifest)
    printed = cluster.run("ingress2gateway print --providers=ingress-nginx")
    assert printed.exit_code == 0
    for document in yaml.safe_load_all(printed.stdout):
        assert document["metadata"]["annotations"] == {
            "gateway.networking.k8s.io/generator": "ingress2gateway-v1.0.0"
        }
    applied = cluster.run("kubectl apply -f -", stdin=printed.stdout)
    assert applied.stdout.splitlines() == [
        "gateway.gateway.networking.k8s.io/nginx created",
        "httproute.gateway.networking.k8s.io/kubia-foo-example-com created",
        "httproute.gateway.networking.k8s.io/kubia-kubia-example-com created",
        "httproute.gateway.networking.k8s.io/kubia-kubia-example-com-http created",
    ]


def test_canary_weight_becomes_backend_weights():
    rule = objects(MAIN, canary(canary_weight="10"))["HTTPRoute/kubia-kubia-example-com"]["spec"][
        "rules"
    ]
    assert rule == [{
        "backendRefs": [{"name": "kubia", "port": 80, "weight": 90},
                        {"name": "kubia-v2", "port": 80, "weight": 10}],
        "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
        "name": "rule-0",
    }]  # fmt: skip


def test_canary_weight_total_and_cap():
    def weights(**annotations):
        route = objects(MAIN, canary(**annotations))["HTTPRoute/kubia-kubia-example-com"]
        return [ref["weight"] for ref in route["spec"]["rules"][0]["backendRefs"]]

    assert weights(canary_weight="50", canary_weight_total="200") == [150, 50]
    assert weights(canary_weight="300") == [0, 100]
    assert weights() == [100, 0]  # canary without weight or header: all to the main backend


def test_canary_header_with_value_adds_a_header_rule_and_drops_the_canary_from_the_rest():
    rules = objects(MAIN, canary(canary_by_header="env", canary_by_header_value="canary"))[
        "HTTPRoute/kubia-kubia-example-com"
    ]["spec"]["rules"]
    assert rules == [
        {"backendRefs": [{"name": "kubia", "port": 80}],
         "matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "name": "rule-0"},
        {"backendRefs": [{"name": "kubia-v2", "port": 80}],
         "matches": [{"headers": [{"name": "env", "value": "canary"}],
                      "path": {"type": "PathPrefix", "value": "/"}}]},
    ]  # fmt: skip


def test_canary_header_without_value_routes_always_and_never():
    rules = objects(MAIN, canary(canary_by_header="canary"))["HTTPRoute/kubia-kubia-example-com"][
        "spec"
    ]["rules"]
    assert [(r["matches"][0].get("headers"), r["backendRefs"][0]["name"]) for r in rules] == [
        (None, "kubia"),
        ([{"name": "canary", "value": "always"}], "kubia-v2"),
        ([{"name": "canary", "value": "never"}], "kubia"),
    ]


def test_canary_header_and_weight_together():
    rules = objects(
        MAIN, canary(canary_by_header="env", canary_by_header_value="canary", canary_weight="10")
    )["HTTPRoute/kubia-kubia-example-com"]["spec"]["rules"]
    assert [ref.get("weight") for ref in rules[0]["backendRefs"]] == [90, 10]
    assert rules[1]["backendRefs"] == [{"name": "kubia-v2", "port": 80}]


def test_ssl_redirect_false_keeps_plain_http():
    main = copy.deepcopy(MAIN)
    main["spec"]["tls"] = [{"hosts": ["kubia.example.com"], "secretName": "tls"}]
    main["metadata"]["annotations"] = {PREFIX + "ssl-redirect": "false"}
    out = objects(main)
    assert "HTTPRoute/kubia-kubia-example-com-http" not in out
    assert out["HTTPRoute/kubia-kubia-example-com"]["spec"]["parentRefs"] == [{"name": "nginx"}]


def test_rewrite_target_becomes_url_rewrite():
    main = copy.deepcopy(MAIN)
    main["metadata"]["annotations"] = {PREFIX + "rewrite-target": "/",
                                       PREFIX + "x-forwarded-prefix": "/api"}  # fmt: skip
    filters = objects(main)["HTTPRoute/kubia-kubia-example-com"]["spec"]["rules"][0]["filters"]
    assert filters == [
        {"type": "URLRewrite",
         "urlRewrite": {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/"}}},
        {"type": "RequestHeaderModifier",
         "requestHeaderModifier": {"set": [{"name": "X-Forwarded-Prefix", "value": "/api"}]}},
    ]  # fmt: skip


def test_rewrite_with_capture_groups_on_a_regex_host_is_reported_not_converted():
    main = copy.deepcopy(MAIN)
    main["metadata"]["annotations"] = {
        PREFIX + "rewrite-target": "/$1",
        PREFIX + "use-regex": "true",
    }
    result = convert([main], {})
    route = next(o for o in result.objects if o["kind"] == "HTTPRoute")
    assert "filters" not in route["spec"]["rules"][0]
    assert any("Path rewrites with capture group references are not supported" in n.message
               for n in result.notifications)  # fmt: skip


def test_default_backend_becomes_its_own_route():
    main = copy.deepcopy(MAIN)
    main["spec"]["defaultBackend"] = {"service": {"name": "fallback", "port": {"name": "web"}}}
    services = {("default", "fallback"): {"spec": {"ports": [{"name": "web", "port": 8080}]}}}
    route = objects(main, services=services)["HTTPRoute/kubia-default-backend"]
    assert route["spec"] == {
        "parentRefs": [{"name": "nginx"}],
        "rules": [{"backendRefs": [{"name": "fallback", "port": 8080}], "name": "rule-0"}],
    }


def test_trailing_slash_paths_get_nginx_s_implicit_redirect():
    main = copy.deepcopy(MAIN)
    main["spec"]["rules"][0]["http"]["paths"][0]["path"] = "/docs/"
    rules = objects(main)["HTTPRoute/kubia-kubia-example-com"]["spec"]["rules"]
    assert rules[1] == {
        "filters": [{"type": "RequestRedirect", "requestRedirect": {
            "path": {"type": "ReplaceFullPath", "replaceFullPath": "/docs/"}, "statusCode": 301}}],
        "matches": [{"path": {"type": "Exact", "value": "/docs"}}],
    }  # fmt: skip


def test_report_lists_what_cannot_be_converted():
    main = copy.deepcopy(MAIN)
    main["metadata"]["annotations"] = {PREFIX + "force-ssl-redirect": "true",
                                       PREFIX + "affinity": "cookie"}  # fmt: skip
    report = convert([main, canary(canary_by_cookie="always")], {}).report()
    assert report == (
        "┌─ WARN  ────────────────────────────────────────\n"
        '│  Ingress NGINX serves TLS traffic for host "kubia.example.com" with a self-signed '
        "certificate. This behavior will not be translated and the host will not be accessible "
        "via HTTPS.\n"
        "│  source: INGRESS-NGINX\n"
        "└─\n"
        "┌─ WARN  ────────────────────────────────────────\n"
        "│  Unsupported annotation nginx.ingress.kubernetes.io/force-ssl-redirect\n"
        "│  source: INGRESS-NGINX\n"
        "│  object: Ingress: default/kubia\n"
        "└─\n"
        "┌─ WARN  ────────────────────────────────────────\n"
        "│  ingress default/kubia-canary uses unsupported annotation "
        "nginx.ingress.kubernetes.io/canary-by-cookie\n"
        "│  source: INGRESS-NGINX\n"
        "│  object: Ingress: default/kubia-canary\n"
        "└─\n"
        "┌─ WARN  ────────────────────────────────────────\n"
        "│  Annotation nginx.ingress.kubernetes.io/affinity is translated by ingress2gateway into "
        "settings this playground does not simulate; it is left out here\n"
        "│  source: KUBEPLAY\n"
        "│  object: Ingress: default/kubia\n"
        "└─\n"
        "┌─ WARN  ────────────────────────────────────────\n"
        "│  Gateway API does not support configuring URL normalization (RFC 3986, Section 6). "
        "Please check if this matters for your use case and consult implementation-specific "
        "details.\n"
        "│  source: STANDARD_EMITTER\n"
        "└─\n"
    )


def test_only_ingresses_of_the_chosen_class_are_converted():
    other = copy.deepcopy(MAIN)
    other["metadata"]["name"] = "wp"
    other["spec"]["ingressClassName"] = "wp-ngx-ink"
    assert list(objects(MAIN, other)) == ["Gateway/nginx", "HTTPRoute/kubia-kubia-example-com"]
    result = convert([MAIN, other], {}, ingress_class_name="wp-ngx-ink")
    gateway = result.objects[0]
    assert (gateway["metadata"]["name"], gateway["spec"]["gatewayClassName"]) == (
        "wp-ngx-ink", "nginx"
    )  # fmt: skip
    assert any(n.source == "kubeplay" and "ingress2gateway would copy" in n.message
               for n in result.notifications)  # fmt: skip


@pytest.mark.parametrize(
    ("line", "stream", "expected"),
    [
        ("ingress2gateway print", "stderr", 'Error: required flag(s) "providers" not set'),
        ("ingress2gateway print --providers=istio", "stderr",
         "Error: istio is not a supported provider"),
        ("ingress2gateway print --providers ingress-nginx --bogus", "stderr",
         "Error: unknown flag: --bogus"),
        ("ingress2gateway print --providers=ingress-nginx -n shop", "stdout",
         "No resources found in shop namespace"),
        ("ingress2gateway print --providers=ingress-nginx --input-file in.yaml", "stderr",
         "Error: input path does not exist: in.yaml"),
        ("ingress2gateway convert", "stderr",
         'Error: unknown command "convert" for "ingress2gateway"'),
    ],
)  # fmt: skip
def test_command_line(line, stream, expected):
    result = Cluster(seed=0).run(line)
    assert getattr(result, stream).splitlines()[0] == expected


def test_command_changes_nothing_and_prints_json_on_request():
    cluster = Cluster(seed=0)
    cluster.run("kubectl apply -f -", stdin=get("demo-service").manifest)
    before = cluster.export_yaml()
    result = cluster.run("ingress2gateway print --providers=ingress-nginx -o json")
    assert '"kind": "HTTPRoute"' in result.stdout
    assert cluster.export_yaml() == before


def test_the_migration_through_files_as_the_tool_is_used():
    """`kubectl get -o yaml > file`, `ingress2gateway print --input-file`, `kubectl apply -f`."""
    cluster = Cluster(seed=0)
    cluster.run("kubectl apply -f -", stdin=get("demo-service").manifest)
    for line in (
        "kubectl get ingress demo-ingress -o yaml > ingress.yaml",
        "ingress2gateway print --providers=ingress-nginx --input-file ingress.yaml > gateway.yaml",
    ):
        assert cluster.run(line).exit_code == 0, line
    applied = cluster.run("kubectl apply -f gateway.yaml")
    assert applied.stdout.splitlines() == [
        "gateway.gateway.networking.k8s.io/nginx created",
        "httproute.gateway.networking.k8s.io/demo-ingress-nodeservice-demo-com created",
    ]
    missing = cluster.run("ingress2gateway print --providers=ingress-nginx --input-file no.yaml")
    assert (missing.exit_code, missing.stderr) == (1, "Error: input path does not exist: no.yaml\n")


def test_objects_of_a_file_without_namespace_stay_without_one():
    cluster = Cluster(seed=0)
    ingress = copy.deepcopy(MAIN)
    del ingress["metadata"]["namespace"]
    cluster.run("cat > in.yaml", stdin=yaml.safe_dump(ingress))
    out = cluster.run("ingress2gateway print --providers=ingress-nginx --input-file in.yaml")
    assert all("namespace" not in doc["metadata"] for doc in yaml.safe_load_all(out.stdout))
