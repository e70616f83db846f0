"""HTTPRoute filters and weights, with the spec's and the conformance suite's examples."""

from __future__ import annotations

import pytest

from simulator.gatewayapi.filters import (
    modified_path,
    modify_headers,
    redirect_location,
    replace_prefix,
)
from simulator.gatewayapi.model import Backend, Rule
from simulator.gatewayapi.table import pick_backend

from .gateway_fixtures import INFRA, World


@pytest.mark.parametrize(
    ("path", "prefix", "replacement", "expected"),
    [
        # The table of HTTPPathModifier.ReplacePrefixMatch, row by row.
        ("/foo/bar", "/foo", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo", "/xyz/", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz", "/xyz/bar"),
        ("/foo/bar", "/foo/", "/xyz/", "/xyz/bar"),
        ("/foo", "/foo", "/xyz", "/xyz"),
        ("/foo/", "/foo", "/xyz", "/xyz/"),
        ("/foo/bar", "/foo", "", "/bar"),
        ("/foo/", "/foo", "", "/"),
        ("/foo", "/foo", "", "/"),
        ("/foo/", "/foo", "/", "/"),
        ("/foo", "/foo", "/", "/"),
        # HTTPRouteRewritePath (conformance)
        ("/prefix/one/two", "/prefix/one", "/one", "/one/two"),
        ("/strip-prefix/three", "/strip-prefix", "/", "/three"),
        ("/strip-prefix", "/strip-prefix", "/", "/"),
        ("/anything", "/", "/api", "/api/anything"),
    ],
)
def test_replace_prefix_match(path, prefix, replacement, expected):
    assert replace_prefix(path, prefix, replacement) == expected


def test_replace_full_path_ignores_the_rest_of_the_path():
    """HTTPRouteRewritePath: /full/one/two with ReplaceFullPath /one is sent as /one."""
    modifier = {"type": "ReplaceFullPath", "replaceFullPath": "/one"}
    assert modified_path(modifier, "/full/one/two", None) == "/one"


def _redirect(spec: dict, *, path: str, listener_port: int = 80, scheme: str = "http",
              prefix: str | None = None, query: str = "") -> tuple[int, str]:  # fmt: skip
    match = {"path": {"type": "PathPrefix", "value": prefix}} if prefix else None
    return redirect_location(
        {"statusCode": 302, **spec}, scheme=scheme, host="example.com",
        listener_port=listener_port, path=path, query=query, match=match,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "listener_port", "scheme", "location"),
    [
        # HTTPRouteRedirectPortAndScheme, listener on port 80
        ({"hostname": "example.org"}, 80, "http", "http://example.org/p"),
        ({"hostname": "example.org", "port": 80}, 80, "http", "http://example.org/p"),
        ({"hostname": "example.org", "port": 8080}, 80, "http", "http://example.org:8080/p"),
        ({"hostname": "example.org", "scheme": "https"}, 80, "http", "https://example.org/p"),
        ({"hostname": "example.org", "scheme": "https", "port": 443}, 80, "http",
         "https://example.org/p"),
        ({"hostname": "example.org", "scheme": "https", "port": 8443}, 80, "http",
         "https://example.org:8443/p"),
        # ... listener on port 8080
        ({"hostname": "example.org"}, 8080, "http", "http://example.org:8080/p"),
        ({"hostname": "example.org", "port": 80}, 8080, "http", "http://example.org/p"),
        ({"hostname": "example.org", "scheme": "https"}, 8080, "http", "https://example.org/p"),
        # ... HTTPS listener on port 443
        ({"hostname": "example.org"}, 443, "https", "https://example.org/p"),
        ({"hostname": "example.org", "port": 8443}, 443, "https",
         "https://example.org:8443/p"),
        ({"hostname": "example.org", "scheme": "http"}, 443, "https", "http://example.org/p"),
        ({"hostname": "example.org", "scheme": "http", "port": 8080}, 443, "https",
         "http://example.org:8080/p"),
    ],
)  # fmt: skip
def test_redirect_port_and_scheme(spec, listener_port, scheme, location):
    assert _redirect(spec, path="/p", listener_port=listener_port, scheme=scheme)[1] == location


@pytest.mark.parametrize(
    ("spec", "path", "prefix", "expected"),
    [
        # HTTPRouteRedirectPath
        ({"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/replacement-prefix"}},
         "/original-prefix/lemon", "/original-prefix",
         (302, "http://example.com/replacement-prefix/lemon")),
        ({"path": {"type": "ReplaceFullPath", "replaceFullPath": "/full-path-replacement"}},
         "/full/path/original", "/full", (302, "http://example.com/full-path-replacement")),
        ({"hostname": "example.org",
          "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/replacement-prefix"}},
         "/path-and-host", "/path-and-host", (302, "http://example.org/replacement-prefix")),
        ({"statusCode": 301,
          "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/replacement-prefix"}},
         "/path-and-status", "/path-and-status", (301, "http://example.com/replacement-prefix")),
        # HTTPRouteRedirectHostAndStatus
        ({"hostname": "example.org", "statusCode": 301}, "/hostname-and-status", None,
         (301, "http://example.org/hostname-and-status")),
    ],
)  # fmt: skip
def test_redirect_path_host_and_status(spec, path, prefix, expected):
    assert _redirect(spec, path=path, prefix=prefix) == expected


def test_redirect_keeps_the_query_string():
    assert _redirect({"scheme": "https"}, path="/a", query="x=1")[1] == "https://example.com/a?x=1"


def test_request_header_modifier_set_add_remove():
    """HTTPRouteRequestHeaderModifier: set overwrites, add appends with a comma, remove drops
    (names case-insensitive)."""
    modifier = {
        "set": [{"name": "X-Header-Set", "value": "set-overwrites-values"}],
        "add": [{"name": "X-Header-Add", "value": "add-appends-values"}],
        "remove": ["X-Header-Remove"],
    }
    headers = [("Some-Other-Header", "val"), ("x-header-set", "some-other-value"),
               ("X-Header-Add", "some-other-value"), ("x-header-remove", "val")]  # fmt: skip
    assert modify_headers(headers, modifier) == [
        ("Some-Other-Header", "val"),
        ("X-Header-Add", "some-other-value,add-appends-values"),
        ("X-Header-Set", "set-overwrites-values"),
    ]
    assert modify_headers([("A", "1")], modifier) == [
        ("A", "1"),
        ("X-Header-Set", "set-overwrites-values"),
        ("X-Header-Add", "add-appends-values"),
    ]


def _rule(*weights: int) -> Rule:
    backends = [Backend("ns", f"v{i + 1}", 8080, w) for i, w in enumerate(weights)]
    return Rule(0, "", [], [], backends)


def test_weights_split_traffic_in_proportion_and_weight_zero_gets_none():
    """HTTPRouteWeight: weights 70, 30 and 0 give 70 %, 30 % and nothing."""
    rule = _rule(70, 30, 0)
    draws = [i / 1000 for i in range(1000)]
    counts = {"v1": 0, "v2": 0, "v3": 0}
    for draw in draws:
        counts[pick_backend(rule, draw).name] += 1
    assert counts == {"v1": 700, "v2": 300, "v3": 0}


def test_no_backend_when_every_weight_is_zero_or_there_is_none():
    assert pick_backend(_rule(0, 0), 0.5) is None
    assert pick_backend(_rule(), 0.5) is None


def test_an_invalid_backend_gets_its_share_as_500():
    """Half the traffic of two equal backends, one missing, gets 500 (HTTPRouteRule)."""
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: half}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs:
    - {name: infra-backend-v1, port: 8080}
    - {name: no-such-service, port: 8080}
"""
    world = World(INFRA, route)
    assert world.serve("/", draw=0.25) == "infra-backend-v1"
    assert world.serve("/", draw=0.75) == "500"


def test_a_rule_without_backends_or_with_only_weight_zero_answers_500():
    """HTTPRouteOmittedBackendRefs: a rule with no backendRefs (and no redirect) is a 500."""
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: empty}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /none}}]
  - matches: [{path: {type: PathPrefix, value: /zero}}]
    backendRefs: [{name: infra-backend-v1, port: 8080, weight: 0}]
"""
    world = World(INFRA, route)
    assert world.serve("/none") == "500"
    assert world.serve("/zero") == "500"
