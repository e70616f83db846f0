"""Gateway API validation: the CRDs' schemas and CEL rules, worded as the API server words them.

Cases come from the Gateway API's own CEL tests (kubernetes-sigs/gateway-api v1.6.1
``tests/cel/*_test.go``) and the errors a real API server printed for the same input
(Envoy Gateway's ``egctl x validate`` tests, which run the CRDs' validators).
"""

from __future__ import annotations

import copy

import pytest
import yaml

from simulator import Cluster
from simulator.manifests import parse_manifests
from simulator.validation import validate_documents

from .test_validation import DELETE, patched

SKIPPED = (
    "<nil>: Invalid value: null: some validation rules were not checked because the object "
    "was invalid; correct the existing errors to complete validation"
)
GATEWAY = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "Gateway",
    "metadata": {"name": "eg"},
    "spec": {
        "gatewayClassName": "nginx",
        "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}],
    },
}
ROUTE = {
    "apiVersion": "gateway.networking.k8s.io/v1",
    "kind": "HTTPRoute",
    "metadata": {"name": "backend"},
    "spec": {
        "parentRefs": [{"name": "eg"}],
        "rules": [
            {
                "matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                "backendRefs": [{"name": "backend", "port": 3000}],
            }
        ],
    },
}


def causes(*objects: dict) -> list[str]:
    text = "---\n".join(yaml.safe_dump(o, sort_keys=False) for o in objects)
    _, _, problems = validate_documents(parse_manifests(text))
    return [p.cause() for p in problems]


def route(**rule) -> dict:
    """The route with its one rule replaced by ``rule``."""
    obj = copy.deepcopy(ROUTE)
    obj["spec"]["rules"] = [rule]
    return obj


def test_valid_objects_pass():
    grant = {
        "apiVersion": "gateway.networking.k8s.io/v1beta1",
        "kind": "ReferenceGrant",
        "metadata": {"name": "g"},
        "spec": {
            "from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                      "namespace": "default"}],
            "to": [{"group": "", "kind": "Service"}],
        },
    }  # fmt: skip
    assert causes(GATEWAY, ROUTE, grant) == []


def test_port_out_of_range_as_egctl_reports_it():
    assert causes(patched(GATEWAY, {"spec.listeners[0].port": 88888})) == [
        "spec.listeners[0].port: Invalid value: 88888: spec.listeners[0].port in body should be "
        "less than or equal to 65535"
    ]


def test_duplicate_listener_names_as_egctl_reports_them():
    tcp = {"name": "tcp", "protocol": "TCP", "port": 80}
    assert causes(patched(GATEWAY, {"spec.listeners": [tcp, dict(tcp)]})) == [
        'spec.listeners[1]: Duplicate value: map[string]interface {}{"name":"tcp"}',
        'spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway',
        'spec.listeners: Invalid value: "array": Combination of port, protocol and hostname '
        "must be unique for each listener",
    ]


def test_hostname_pattern_as_egctl_reports_it():
    assert causes(patched(ROUTE, {"spec.hostnames": [".;'.';[]"]})) == [
        "spec.hostnames[0]: Invalid value: \".;'.';[]\": spec.hostnames[0] in body should match "
        r"'^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
    ]


@pytest.mark.parametrize(
    ("listener", "message"),
    [
        ({"name": "h", "protocol": "HTTP", "port": 80, "tls": {"certificateRefs": [{"name": "c"}]}},
         "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"),
        ({"name": "h", "protocol": "HTTPS", "port": 443,
          "tls": {"mode": "Passthrough", "certificateRefs": [{"name": "c"}]}},
         "tls mode must be Terminate for protocol HTTPS"),
        ({"name": "t", "protocol": "TLS", "port": 443}, "tls mode must be set for protocol TLS"),
        ({"name": "t", "protocol": "TCP", "port": 80, "hostname": "a.com"},
         "hostname must not be specified for protocols ['TCP', 'UDP']"),
    ],
)  # fmt: skip
def test_listener_rules(listener, message):
    assert causes(patched(GATEWAY, {"spec.listeners": [listener]})) == [
        f'spec.listeners: Invalid value: "array": {message}'
    ]


def test_terminate_without_certificates_reads_a_missing_field():
    """CEL cannot size an absent list: the server reports `no such key` with the rule."""
    listener = {"name": "https", "protocol": "HTTPS", "port": 443, "tls": {"mode": "Terminate"}}
    assert causes(patched(GATEWAY, {"spec.listeners": [listener]})) == [
        'spec.listeners[0].tls: Invalid value: "object": no such key: certificateRefs evaluating '
        "rule: certificateRefs or options must be specified when mode is Terminate"
    ]


def test_required_fields_and_the_rules_they_block():
    assert causes(patched(GATEWAY, {"spec.listeners": DELETE})) == [
        "spec.listeners: Required value", SKIPPED
    ]  # fmt: skip
    assert causes(patched(GATEWAY, {"spec": DELETE})) == ["spec: Required value", SKIPPED]
    assert causes(patched(GATEWAY, {"spec.listeners": []})) == [
        "spec.listeners: Invalid value: 0: spec.listeners in body should have at least 1 items"
    ]


def test_enum_type_and_length_errors_block_the_rules():
    bad = route(
        matches=[{"path": {"type": "Regex", "value": "/"}}],
        backendRefs=[{"name": "b", "port": "http"}],
        filters=[{"type": "RequestRedirect", "requestRedirect": {}}],
    )
    assert causes(bad) == [
        'spec.rules[0].matches[0].path.type: Unsupported value: "Regex": supported values: '
        '"Exact", "PathPrefix", "RegularExpression"',
        'spec.rules[0].backendRefs[0].port: Invalid value: "string": '
        'spec.rules[0].backendRefs[0].port in body must be of type integer: "string"',
        SKIPPED,
    ]
    long_name = patched(ROUTE, {"spec.parentRefs[0].name": "x" * 254})
    assert causes(long_name) == [
        "spec.parentRefs[0].name: Too long: may not be more than 253 bytes", SKIPPED
    ]  # fmt: skip
    many = patched(ROUTE, {"spec.hostnames": [f"h{i}.com" for i in range(17)]})
    assert causes(many) == ["spec.hostnames: Too many: 17: must have at most 16 items", SKIPPED]


def test_redirect_status_code_enum():
    bad = route(filters=[{"type": "RequestRedirect", "requestRedirect": {"statusCode": 304}}])
    assert causes(bad)[0] == (
        "spec.rules[0].filters[0].requestRedirect.statusCode: Unsupported value: 304: supported "
        'values: "301", "302", "303", "307", "308"'
    )


@pytest.mark.parametrize(
    ("rule", "where", "message"),
    [
        ({"backendRefs": [{"name": "b", "port": 80}],
          "filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}]},
         "spec.rules[0]", "RequestRedirect filter must not be used together with backendRefs"),
        ({"matches": [{"path": {"type": "Exact", "value": "/a"}}],
          "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {
              "type": "ReplacePrefixMatch", "replacePrefixMatch": "/b"}}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0]",
         "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix "
         "match must be specified"),
        ({"matches": [{"path": {"type": "PathPrefix", "value": "/a"}},
                      {"path": {"type": "PathPrefix", "value": "/b"}}],
          "filters": [{"type": "RequestRedirect", "requestRedirect": {"path": {
              "type": "ReplacePrefixMatch", "replacePrefixMatch": "/c"}}}]},
         "spec.rules[0]",
         "When using RequestRedirect filter with path.replacePrefixMatch, exactly one "
         "PathPrefix match must be specified"),
        ({"filters": [{"type": "RequestRedirect", "requestRedirect": {}},
                      {"type": "URLRewrite", "urlRewrite": {}}]},
         "spec.rules[0].filters",
         "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, "
         "but not both"),
        ({"filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {}},
                      {"type": "RequestHeaderModifier", "requestHeaderModifier": {}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].filters", "RequestHeaderModifier filter cannot be repeated"),
        ({"filters": [{"type": "RequestHeaderModifier"}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].filters[0]",
         "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type"),
        ({"filters": [{"type": "URLRewrite", "requestHeaderModifier": {}, "urlRewrite": {}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].filters[0]",
         "filter.requestHeaderModifier must be nil if the filter.type is not "
         "RequestHeaderModifier"),
        ({"filters": [{"type": "URLRewrite", "urlRewrite": {"path": {
            "type": "ReplaceFullPath"}}}], "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].filters[0].urlRewrite.path",
         "replaceFullPath must be specified when type is set to 'ReplaceFullPath'"),
        ({"backendRefs": [{"name": "b"}]}, "spec.rules[0].backendRefs[0]",
         "Must have port for Service reference"),
        ({"matches": [{"path": {"type": "PathPrefix", "value": "/foo/./bar"}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].matches[0].path",
         "must not contain '/./' when type one of ['Exact', 'PathPrefix']"),
        ({"matches": [{"path": {"type": "Exact", "value": "/foo/."}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].matches[0].path",
         "must not end with '/.' when type one of ['Exact', 'PathPrefix']"),
        ({"matches": [{"path": {"type": "Exact", "value": "/foo bar"}}],
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].matches[0].path",
         "must only contain valid characters (matching "
         "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types "
         "['Exact', 'PathPrefix']"),
        ({"timeouts": {"request": "1s", "backendRequest": "2s"},
          "backendRefs": [{"name": "b", "port": 80}]},
         "spec.rules[0].timeouts",
         "backendRequest timeout cannot be longer than request timeout"),
    ],
)  # fmt: skip
def test_httproute_rules(rule, where, message):
    found = causes(route(**rule))
    kind = "array" if where.endswith("filters") else "object"
    assert f'{where}: Invalid value: "{kind}": {message}' in found


def test_parent_refs_to_one_gateway_need_distinct_section_names():
    twice = patched(ROUTE, {"spec.parentRefs": [{"name": "eg"}, {"name": "eg"}]})
    assert causes(twice) == [
        'spec.parentRefs: Invalid value: "array": sectionName must be unique when parentRefs '
        "includes 2 or more references to the same parent"
    ]
    one_section = patched(
        ROUTE, {"spec.parentRefs": [{"name": "eg", "sectionName": "http"}, {"name": "eg"}]}
    )
    assert causes(one_section) == [
        'spec.parentRefs: Invalid value: "array": sectionName must be specified when parentRefs '
        "includes 2 or more references to the same parent"
    ]
    assert causes(patched(ROUTE, {"spec.parentRefs": [
        {"name": "eg", "sectionName": "a"}, {"name": "eg", "sectionName": "b"},
    ]})) == []  # fmt: skip


def test_experimental_fields_are_unknown_on_the_standard_channel():
    retry = route(backendRefs=[{"name": "b", "port": 80}], retry={"attempts": 2})
    (problem,) = causes(retry)
    assert problem == (
        'Error from server (BadRequest): error when creating "STDIN": HTTPRoute in version "v1" '
        "cannot be handled as a HTTPRoute: strict decoding error: unknown field "
        '"spec.rules[0].retry"'
    )


def test_refused_input_changes_nothing_and_is_worded_as_kubectl_words_it():
    cluster = Cluster(seed=0)
    text = yaml.safe_dump(GATEWAY) + "---\n" + yaml.safe_dump(route(backendRefs=[{"name": "b"}]))
    result = cluster.run("kubectl apply -f -", stdin=text)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'The HTTPRoute "backend" is invalid: spec.rules[0].backendRefs[0]: Invalid value: '
        '"object": Must have port for Service reference'
    )
    assert (
        cluster.run("kubectl get gateways").stderr == "No resources found in default namespace.\n"
    )


def test_reference_grant_v1beta1_is_stored_and_printed_as_v1():
    cluster = Cluster(seed=0)
    grant = {
        "apiVersion": "gateway.networking.k8s.io/v1beta1",
        "kind": "ReferenceGrant",
        "metadata": {"name": "g"},
        "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                           "namespace": "default"}],
                 "to": [{"group": "", "kind": "Service"}]},
    }  # fmt: skip
    result = cluster.run("kubectl apply -f -", stdin=yaml.safe_dump(grant))
    assert result.stdout == "referencegrant.gateway.networking.k8s.io/g created\n"
    shown = yaml.safe_load(cluster.run("kubectl get referencegrant g -o yaml").stdout)
    assert shown["apiVersion"] == "gateway.networking.k8s.io/v1"
