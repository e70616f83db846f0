"""HTTPRoute matching and precedence, with the spec's own examples.

Each table is a Gateway API conformance test (kubernetes-sigs/gateway-api v1.6.1,
``conformance/tests/<name>.yaml`` and ``.go``): the routes as the suite applies them and
every request it sends with the backend (or status) it expects.
"""

from __future__ import annotations

import pytest

from simulator.gatewayapi.hostnames import accepted_hostnames, hostname_matches, more_specific
from simulator.gatewayapi.matching import Request, match_applies, path_matches

from .gateway_fixtures import INFRA, World

V1, V2, V3 = "infra-backend-v1", "infra-backend-v2", "infra-backend-v3"


MATCHING = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    - headers: [{name: version, value: one}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("target", "headers", "expected"),
    [
        ("/", {}, V1),
        ("/example", {}, V1),
        ("/", {"Version": "one"}, V1),
        ("/v2", {}, V2),
        ("/v2/example", {}, V2),
        ("/", {"Version": "two"}, V2),
        ("/v2/", {}, V2),
        ("/v2example", {}, V1),
        ("/foo/v2/example", {}, V1),
    ],
)
def test_httproute_matching(target, headers, expected):
    """HTTPRouteMatching: PathPrefix element-wise, a header match beats a bare `/`."""
    assert World(INFRA, MATCHING).serve(target, headers=headers) == expected


ACROSS_ROUTES = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: matching-part1}
spec:
  parentRefs: [{name: same-namespace}]
  hostnames: [example.com, example.net]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    - headers: [{name: version, value: one}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: matching-part2}
spec:
  hostnames: [example.com]
  parentRefs: [{name: same-namespace}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("host", "target", "headers", "expected"),
    [
        ("example.com", "/", {}, V1),
        ("example.com", "/example", {}, V1),
        ("example.net", "/example", {}, V1),
        ("example.com", "/example", {"Version": "one"}, V1),
        ("example.com", "/v2", {}, V2),
        ("example.net", "/v2", {}, V1),  # v2 matches are limited to example.com
        ("example.com", "/v2/example", {}, V2),
        ("example.com", "/", {"Version": "two"}, V2),
    ],
)
def test_httproute_matching_across_routes(host, target, headers, expected):
    """HTTPRouteMatchingAcrossRoutes: matches of two routes merge under a shared hostname."""
    assert World(INFRA, ACROSS_ROUTES).serve(target, host, headers=headers) == expected


EXACT = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: exact-matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /one}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: Exact, value: /two}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/one", V1), ("/two", V2), ("/", "404"), ("/one/example", "404"), ("/two/", "404"),
     ("/Two", "404")],
)  # fmt: skip
def test_httproute_exact_path_matching(target, expected):
    """HTTPRouteExactPathMatching: the whole path, case-sensitive, no trailing slash."""
    assert World(INFRA, EXACT).serve(target) == expected


PATH_ORDER = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: path-matching-order}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: Exact, value: /match}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: Exact, value: /match/exact}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{path: {type: Exact, value: /match/exact/one}}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /match/}}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /match/prefix/}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /match/prefix/one}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/match/exact/one", V3),
        ("/match/exact", V2),
        ("/match", V1),
        ("/match/prefix/one/any", V2),
        ("/match/prefix/any", V1),
        ("/match/any", V3),
    ],
)
def test_httproute_path_match_order(target, expected):
    """HTTPRoutePathMatchOrder: Exact beats every prefix; the longest prefix wins."""
    assert World(INFRA, PATH_ORDER).serve(target) == expected


HEADERS = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: header-matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{headers: [{name: version, value: one}]}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{headers: [{name: version, value: two}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - headers: [{name: color, value: blue}]
    - headers: [{name: color, value: green}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - headers: [{name: color, value: red}]
    - headers: [{name: color, value: yellow}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Version": "one"}, V1),
        ({"Version": "two"}, V2),
        ({"Version": "two", "Color": "orange"}, V1),
        ({"Version": "two", "Color": "blue"}, V2),
        ({"Color": "orange"}, "404"),
        ({"Some-Other-Header": "one"}, "404"),
        ({"Color": "blue"}, V1),
        ({"Color": "green"}, V1),
        ({"Color": "red"}, V2),
        ({"Color": "yellow"}, V2),
        ({"Color": "purple"}, "404"),
    ],
)
def test_httproute_header_matching(headers, expected):
    """HTTPRouteHeaderMatching: names case-insensitive, every header ANDed, most wins."""
    assert World(INFRA, HEADERS).serve("/", headers=headers) == expected


QUERY = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: query-param-matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{queryParams: [{name: animal, value: whale}]}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: dolphin}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches:
    - queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]
    - queryParams: [{name: ANIMAL, value: Whale}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /path1}
      queryParams: [{name: animal, value: whale}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - headers: [{name: version, value: one}]
      queryParams: [{name: animal, value: whale}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /path2}
      headers: [{name: version, value: two}]
      queryParams: [{name: animal, value: whale}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /path3}
      queryParams: [{name: animal, value: shark}]
    - path: {type: PathPrefix, value: /path4}
      headers: [{name: version, value: three}]
      queryParams: [{name: animal, value: kraken}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path5}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{queryParams: [{name: animal, value: hydra}]}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{headers: [{name: version, value: four}]}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
"""


@pytest.mark.parametrize(
    ("target", "headers", "expected"),
    [
        ("/?animal=whale", {}, V1),
        ("/?animal=dolphin", {}, V2),
        ("/?animal=dolphin&color=blue", {}, V3),
        ("/?ANIMAL=Whale", {}, V3),
        ("/?animal=whale&otherparam=irrelevant", {}, V1),
        ("/?animal=dolphin&color=yellow", {}, V2),
        ("/?color=blue", {}, "404"),
        ("/?animal=dog", {}, "404"),
        ("/?animal=whaledolphin", {}, "404"),
        ("/", {}, "404"),
        ("/path1?animal=whale", {}, V1),
        ("/?animal=whale", {"version": "one"}, V2),
        ("/path2?animal=whale", {"version": "two"}, V3),
        ("/path3?animal=shark", {}, V1),
        ("/path4?animal=kraken", {"version": "three"}, V1),
        ("/?animal=shark", {}, "404"),
        ("/path4?animal=kraken", {}, "404"),
        ("/path5?animal=hydra", {}, V1),  # the longer path beats a query match
        ("/?animal=hydra", {"version": "four"}, V3),  # a header match beats a query match
    ],
)
def test_httproute_query_param_matching(target, headers, expected):
    """HTTPRouteQueryParamMatching: names case-sensitive, precedence path > headers > query."""
    assert World(INFRA, QUERY).serve(target, headers=headers) == expected


METHODS = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: method-matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{method: POST}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{method: GET}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path1}, method: GET}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{headers: [{name: version, value: one}], method: PUT}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /path2}
      headers: [{name: version, value: two}]
      method: POST
    backendRefs: [{name: infra-backend-v3, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /path3}
      method: PATCH
    - path: {type: PathPrefix, value: /path4}
      headers: [{name: version, value: three}]
      method: DELETE
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /path5}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches: [{method: PATCH}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{headers: [{name: version, value: four}]}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
"""


@pytest.mark.parametrize(
    ("method", "target", "headers", "expected"),
    [
        ("POST", "/", {}, V1),
        ("GET", "/", {}, V2),
        ("HEAD", "/", {}, "404"),
        ("GET", "/path1", {}, V1),
        ("PUT", "/", {"version": "one"}, V2),
        ("POST", "/path2", {"version": "two"}, V3),
        ("PATCH", "/path3", {}, V1),
        ("DELETE", "/path4", {"version": "three"}, V1),
        ("PUT", "/", {}, "404"),
        ("DELETE", "/path4", {}, "404"),
        ("PATCH", "/path5", {}, V1),  # the longer path beats a method match
        ("PATCH", "/", {"version": "four"}, V2),  # a method match beats a header match
    ],
)
def test_httproute_method_matching(method, target, headers, expected):
    """HTTPRouteMethodMatching: precedence path > method > headers."""
    assert World(INFRA, METHODS).serve(target, method=method, headers=headers) == expected


HOSTNAME_INTERSECTION = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: httproute-hostname-intersection}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: listener-1, port: 80, protocol: HTTP, hostname: very.specific.com}
  - {name: listener-2, port: 80, protocol: HTTP, hostname: "*.wildcard.io"}
  - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.anotherwildcard.io"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: httproute-hostname-intersection-all}
spec:
  gatewayClassName: nginx
  listeners: [{name: listener-1, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: specific-host-matches-listener-specific-host}
spec:
  parentRefs: [{name: httproute-hostname-intersection}]
  hostnames: [non.matching.com, "*.nonmatchingwildcard.io", very.specific.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /s1}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: specific-host-matches-listener-wildcard-host}
spec:
  parentRefs: [{name: httproute-hostname-intersection}]
  hostnames: [non.matching.com, wildcard.io, foo.wildcard.io, bar.wildcard.io,
              foo.bar.wildcard.io]
  rules:
  - matches: [{path: {type: PathPrefix, value: /s2}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wildcard-host-matches-listener-specific-host}
spec:
  parentRefs: [{name: httproute-hostname-intersection}]
  hostnames: [non.matching.com, "*.specific.com"]
  rules:
  - matches: [{path: {type: PathPrefix, value: /s3}}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wildcard-host-matches-listener-wildcard-host}
spec:
  parentRefs: [{name: httproute-hostname-intersection}]
  hostnames: ["*.anotherwildcard.io"]
  rules:
  - matches: [{path: {type: PathPrefix, value: /s4}}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: no-intersecting-hosts}
spec:
  parentRefs: [{name: httproute-hostname-intersection}]
  hostnames: [specific.but.wrong.com, wildcard.io]
  rules:
  - matches: [{path: {type: PathPrefix, value: /s5}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: httproute-hostname-intersection-all}
spec:
  parentRefs: [{name: httproute-hostname-intersection-all}]
  hostnames: [first.com, sub.first.com, second.com, sub.second.com]
  rules:
  - backendRefs: [{name: infra-backend-v2, port: 8080}]
"""


@pytest.mark.parametrize(
    ("host", "target", "expected"),
    [
        ("very.specific.com", "/s1", V1),
        ("very.specific.com:1234", "/s1", V1),  # the port of the Host header is ignored
        ("non.matching.com", "/s1", "404"),
        ("foo.nonmatchingwildcard.io", "/s1", "404"),
        ("foo.wildcard.io", "/s1", "404"),
        ("very.specific.com", "/non-matching-prefix", "404"),
        ("foo.wildcard.io", "/s2", V2),
        ("bar.wildcard.io", "/s2", V2),
        ("foo.bar.wildcard.io", "/s2", V2),
        ("non.matching.com", "/s2", "404"),
        ("wildcard.io", "/s2", "404"),
        ("very.specific.com", "/s2", "404"),
        ("foo.wildcard.io", "/non-matching-prefix", "404"),
        ("very.specific.com", "/s3", V3),
        ("non.matching.com", "/s3", "404"),
        ("foo.specific.com", "/s3", "404"),
        ("foo.wildcard.io", "/s3", "404"),
        ("foo.anotherwildcard.io", "/s4", V1),
        ("bar.anotherwildcard.io", "/s4", V1),
        ("foo.bar.anotherwildcard.io", "/s4", V1),
        ("anotherwildcard.io", "/s4", "404"),
        ("foo.wildcard.io", "/s4", "404"),
        ("very.specific.com", "/s4", "404"),
        ("specific.but.wrong.com", "/s5", "404"),
        ("wildcard.io", "/s5", "404"),
    ],
)
def test_httproute_hostname_intersection(host, target, expected):
    """HTTPRouteHostnameIntersection: only the hostnames a listener and a route share."""
    world = World(INFRA, HOSTNAME_INTERSECTION)
    assert world.serve(target, host, gateway="httproute-hostname-intersection") == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [("first.com", V2), ("sub.first.com", V2), ("second.com", V2), ("sub.second.com", V2),
     ("third.com", "404"), ("sub.third.com", "404")],
)  # fmt: skip
def test_httproute_hostname_intersection_listener_without_hostname(host, expected):
    """A listener with no hostname serves exactly the route's hostnames."""
    world = World(INFRA, HOSTNAME_INTERSECTION)
    assert world.serve("/", host, gateway="httproute-hostname-intersection-all") == expected


def test_route_sharing_no_hostname_with_the_listeners_is_not_accepted():
    world = World(INFRA, HOSTNAME_INTERSECTION)
    assert world.route_status("no-intersecting-hosts")[0] == (
        "Accepted", "False", "NoMatchingListenerHostname"
    )  # fmt: skip


LISTENER_HOSTNAMES = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: httproute-listener-hostname-matching}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: listener-1, port: 80, protocol: HTTP, hostname: bar.com}
  - {name: listener-2, port: 80, protocol: HTTP, hostname: foo.bar.com}
  - {name: listener-3, port: 80, protocol: HTTP, hostname: "*.bar.com"}
  - {name: listener-4, port: 80, protocol: HTTP, hostname: "*.foo.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: backend-v1}
spec:
  parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-1}]
  rules: [{backendRefs: [{name: infra-backend-v1, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: backend-v2}
spec:
  parentRefs: [{name: httproute-listener-hostname-matching, sectionName: listener-2}]
  rules: [{backendRefs: [{name: infra-backend-v2, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: backend-v3}
spec:
  parentRefs:
  - {name: httproute-listener-hostname-matching, sectionName: listener-3}
  - {name: httproute-listener-hostname-matching, sectionName: listener-4}
  rules: [{backendRefs: [{name: infra-backend-v3, port: 8080}]}]
"""


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("bar.com", V1),
        ("foo.bar.com", V2),  # an exact listener hostname beats the wildcard
        ("baz.bar.com", V3),
        ("boo.bar.com", V3),
        ("multiple.prefixes.bar.com", V3),  # a wildcard covers several labels
        ("multiple.prefixes.foo.com", V3),
        ("foo.com", "404"),  # *.foo.com does not match foo.com
        ("no.matching.host", "404"),
    ],
)
def test_httproute_listener_hostname_matching(host, expected):
    """HTTPRouteListenerHostnameMatching: routes take their listener's hostname."""
    world = World(INFRA, LISTENER_HOSTNAMES)
    assert world.serve("/", host, gateway="httproute-listener-hostname-matching") == expected


# -- the pure functions, with the spec's wording as examples -------------------------------


@pytest.mark.parametrize(
    ("pattern", "host", "expected"),
    [
        ("*.example.com", "test.example.com", True),
        ("*.example.com", "foo.test.example.com", True),
        ("*.example.com", "example.com", False),
        ("test.example.com", "test.example.com", True),
        ("test.example.com", "foo.test.example.com", False),
        ("*", "anything.at.all", True),
    ],
)
def test_hostname_matches(pattern, host, expected):
    assert hostname_matches(pattern, host) is expected


@pytest.mark.parametrize(
    ("listener", "route", "expected"),
    [
        # "A Listener with test.example.com as the hostname matches HTTPRoutes that have
        # either not specified any hostnames, or have specified at least one of
        # test.example.com or *.example.com."
        ("test.example.com", [], ["test.example.com"]),
        ("test.example.com", ["test.example.com"], ["test.example.com"]),
        ("test.example.com", ["*.example.com"], ["test.example.com"]),
        # "A Listener with *.example.com ... *.example.com, test.example.com, and
        # foo.test.example.com would all match. On the other hand, example.com and
        # test.example.net would not match."
        ("*.example.com", ["*.example.com"], ["*.example.com"]),
        ("*.example.com", ["test.example.com"], ["test.example.com"]),
        ("*.example.com", ["foo.test.example.com"], ["foo.test.example.com"]),
        ("*.example.com", ["example.com", "test.example.net"], []),
        # "...test.example.net must not be considered for a match."
        ("*.example.com", ["test.example.com", "test.example.net"], ["test.example.com"]),
        (None, [], ["*"]),
        (None, ["a.com", "*.b.com"], ["a.com", "*.b.com"]),
    ],
)
def test_accepted_hostnames(listener, route, expected):
    assert accepted_hostnames(listener, route) == expected


def test_more_specific_prefers_exact_then_more_labels():
    assert more_specific("*.example.com", "a.example.com") == "a.example.com"
    assert more_specific("*.a.example.com", "*.example.com") == "*.a.example.com"
    assert more_specific("", "*.example.com") == "*.example.com"


@pytest.mark.parametrize(
    ("kind", "value", "path", "expected"),
    [
        # PathMatchType's own examples: "/abc" matches "/abc", "/abc/", "/abc/def", not "/abcd";
        # Exact "/abc" matches neither "/abc/" nor "/Abc" nor "/abcd".
        ("PathPrefix", "/abc", "/abc", True),
        ("PathPrefix", "/abc", "/abc/", True),
        ("PathPrefix", "/abc", "/abc/def", True),
        ("PathPrefix", "/abc", "/abcd", False),
        ("PathPrefix", "/abc/", "/abc", True),  # a trailing slash in the value is ignored
        ("PathPrefix", "/", "/anything", True),
        ("Exact", "/abc", "/abc", True),
        ("Exact", "/abc", "/abc/", False),
        ("Exact", "/abc", "/Abc", False),
        ("Exact", "/abc", "/abcd", False),
        ("RegularExpression", r"/v[0-9]+/", "/api/v2/x", True),
        ("RegularExpression", r"^/v[0-9]+$", "/v2/x", False),
    ],
)
def test_path_matches(kind, value, path, expected):
    assert path_matches(kind, value, path) is expected


def test_only_the_first_entry_for_a_header_name_counts():
    """ "If multiple entries specify equivalent header names, only the first entry with an
    equivalent name MUST be considered" (HTTPHeaderMatch.Name)."""
    match = {"headers": [{"name": "Version", "value": "one"}, {"name": "version", "value": "2"}]}
    assert match_applies(match, Request("GET", "/", headers=(("version", "one"),)))


def test_the_first_value_of_a_repeated_query_parameter_counts():
    match = {"queryParams": [{"name": "animal", "value": "whale"}]}
    assert match_applies(match, Request.from_target("GET", "/?animal=whale&animal=dog"))
    assert not match_applies(match, Request.from_target("GET", "/?animal=dog&animal=whale"))


def test_an_older_route_wins_a_tie_then_namespace_and_name():
    """Ties across routes go to the oldest route, then to the first by namespace/name."""
    twin = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}}}
spec:
  parentRefs: [{{name: same-namespace}}]
  rules: [{{backendRefs: [{{name: {backend}, port: 8080}}]}}]
"""
    older_b = World(INFRA, twin.format(name="b", backend=V1), twin.format(name="a", backend=V2))
    assert older_b.serve("/") == V1
    same_age = World(INFRA)
    for name, backend_name in (("b", V1), ("a", V2)):
        same_age.add(twin.format(name=name, backend=backend_name))
        same_age.clock -= 1  # both created in the same second
    assert same_age.serve("/") == V2


def test_within_a_route_the_first_matching_rule_wins():
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: twice}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /x}}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /x}}]
    backendRefs: [{name: infra-backend-v3, port: 8080}]
"""
    assert World(INFRA, route).serve("/x/y") == V2
