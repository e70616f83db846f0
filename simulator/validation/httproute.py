"""HTTPRoute (``gateway.networking.k8s.io/v1``, standard channel v1.6) validation.

The schema transcribes ``gateway.networking.k8s.io_httproutes.yaml`` (kubernetes-sigs/
gateway-api v1.6.1): matches, filters, backendRefs, parentRefs and timeouts with their
patterns, bounds, enums, defaults and CEL rules, worded as the CRD words them. Experimental
fields (``retry``, ``sessionPersistence``, ``externalAuth``) are not part of the standard
channel, so strict decoding reports them as unknown fields, as it does on such a cluster.
"""

from __future__ import annotations

import re

from simulator.validation.common import Issues
from simulator.validation.crd import Rule, array, obj, string
from simulator.validation.gateway_refs import (
    GROUP,
    HOSTNAME,
    KIND,
    NAMESPACE,
    OBJECT_NAME,
    PORT,
    SECTION_NAME,
    check_custom,
)
from simulator.validation.httproute_filters import BACKEND_REF, FILTERS, HEADER_NAME, METHODS

_EXACT_OR_PREFIX = " when type one of ['Exact', 'PathPrefix']"
_PATH_CHARACTERS = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")
_DURATION = re.compile(r"([0-9]{1,5})(h|m|s|ms)")
_UNITS = {"h": 3_600_000, "m": 60_000, "s": 1_000, "ms": 1}


def _path_rule(message: str, ok) -> Rule:
    """A rule that applies to Exact and PathPrefix paths only."""
    return Rule(
        message,
        lambda p: p.get("type") not in ("Exact", "PathPrefix") or ok(p.get("value", "")),
    )


_PATH_RULES = (
    _path_rule(
        "value must be an absolute path and start with '/'" + _EXACT_OR_PREFIX,
        lambda v: v.startswith("/"),
    ),
    *(
        _path_rule(f"must not contain '{part}'{_EXACT_OR_PREFIX}", lambda v, p=part: p not in v)
        for part in ("//", "/./", "/../", "%2f", "%2F", "#")
    ),
    *(
        _path_rule(
            f"must not end with '{end}'{_EXACT_OR_PREFIX}", lambda v, e=end: not v.endswith(e)
        )
        for end in ("/..", "/.")
    ),
    Rule(
        "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
        lambda p: p.get("type") in ("Exact", "PathPrefix", "RegularExpression"),
    ),
    _path_rule(
        "must only contain valid characters (matching "
        r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types "
        "['Exact', 'PathPrefix']",
        lambda v: _PATH_CHARACTERS.search(v) is not None,
    ),
)  # fmt: skip

MATCH = obj(
    {
        "headers": array(
            obj(
                {
                    "name": HEADER_NAME,
                    "type": string(enum=("Exact", "RegularExpression"), default="Exact"),
                    "value": string(min_length=1, max_length=4096),
                },
                required="name value",
            ),
            max_items=16,
            map_keys="name",
        ),
        "method": string(enum=METHODS),
        "path": obj(
            {
                "type": string(
                    enum=("Exact", "PathPrefix", "RegularExpression"), default="PathPrefix"
                ),
                "value": string(max_length=1024, default="/"),
            },
            default={"type": "PathPrefix", "value": "/"},
            rules=_PATH_RULES,
        ),
        "queryParams": array(
            obj(
                {
                    "name": HEADER_NAME,
                    "type": string(enum=("Exact", "RegularExpression"), default="Exact"),
                    "value": string(min_length=1, max_length=1024),
                },
                required="name value",
            ),
            max_items=16,
            map_keys="name",
        ),
    }
)


def _prefix_modifier(filters: list, field: str) -> bool:
    """``filters.exists_one(f, has(f.<field>.path) with a replacePrefixMatch)``."""
    found = 0
    for f in filters:
        path = (f.get(field) or {}).get("path") or {}
        if path.get("type") == "ReplacePrefixMatch" and "replacePrefixMatch" in path:
            found += 1
    return found == 1


def _one_prefix_match(rule: dict) -> bool:
    matches = rule.get("matches") or []
    return len(matches) == 1 and (matches[0].get("path") or {}).get("type") == "PathPrefix"


def _rule_rule(message: str, uses_modifier) -> Rule:
    return Rule(message, lambda r: not uses_modifier(r) or _one_prefix_match(r))


def _in_backends(field: str):
    def uses(rule: dict) -> bool:
        refs = rule.get("backendRefs") or []
        return sum(1 for b in refs if _prefix_modifier(b.get("filters") or [], field)) == 1

    return uses


_PREFIX_ONLY = ", exactly one PathPrefix match must be specified"
RULE = obj(
    {
        "backendRefs": array(BACKEND_REF, max_items=16),
        "filters": FILTERS,
        "matches": array(
            MATCH, max_items=64, default=[{"path": {"type": "PathPrefix", "value": "/"}}]
        ),
        "name": SECTION_NAME,
        "timeouts": obj(
            {
                "backendRequest": string(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"),
                "request": string(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"),
            },
            rules=(
                Rule(
                    "backendRequest timeout cannot be longer than request timeout",
                    lambda t: (
                        not (
                            "request" in t
                            and "backendRequest" in t
                            and duration_ms(t["request"]) != 0
                            and duration_ms(t["backendRequest"]) > duration_ms(t["request"])
                        )
                    ),
                ),
            ),
        ),
    },
    rules=(
        Rule(
            "RequestRedirect filter must not be used together with backendRefs",
            lambda r: (
                not r.get("backendRefs")
                or all("requestRedirect" not in f for f in r.get("filters") or ())
            ),
        ),
        _rule_rule(
            "When using RequestRedirect filter with path.replacePrefixMatch" + _PREFIX_ONLY,
            lambda r: _prefix_modifier(r.get("filters") or [], "requestRedirect"),
        ),
        _rule_rule(
            "When using URLRewrite filter with path.replacePrefixMatch" + _PREFIX_ONLY,
            lambda r: _prefix_modifier(r.get("filters") or [], "urlRewrite"),
        ),
        _rule_rule(
            "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch"
            + _PREFIX_ONLY,
            _in_backends("requestRedirect"),
        ),
        _rule_rule(
            "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch"
            + _PREFIX_ONLY,
            _in_backends("urlRewrite"),
        ),
    ),
)


def duration_ms(text: str) -> int:
    """A Gateway API Duration (GEP-2257, e.g. ``1h30m``) in milliseconds."""
    return sum(int(n) * _UNITS[unit] for n, unit in _DURATION.findall(text))


def _same_parent(a: dict, b: dict) -> bool:
    return (
        a.get("group") == b.get("group")
        and a.get("kind") == b.get("kind")
        and a.get("name") == b.get("name")
        and (a.get("namespace") or "") == (b.get("namespace") or "")
        and (not a.get("namespace")) == (not b.get("namespace"))
    )


def _section_given_for_all(refs: list) -> bool:
    return all(
        bool(p1.get("sectionName")) == bool(p2.get("sectionName"))
        for p1 in refs
        for p2 in refs
        if _same_parent(p1, p2)
    )


def _section_unique(refs: list) -> bool:
    for p1 in refs:
        same = [
            p2
            for p2 in refs
            if _same_parent(p1, p2)
            and (p1.get("sectionName") or "") == (p2.get("sectionName") or "")
        ]
        if len(same) != 1:
            return False
    return True


_SAME_PARENT = " when parentRefs includes 2 or more references to the same parent"
PARENT_REF = obj(
    {
        "group": string(GROUP.pattern, max_length=253, default="gateway.networking.k8s.io"),
        "kind": string(KIND.pattern, min_length=1, max_length=63, default="Gateway"),
        "name": OBJECT_NAME,
        "namespace": NAMESPACE,
        "port": PORT,
        "sectionName": SECTION_NAME,
    },
    required="name",
)


def _total_matches(rules: list) -> bool:
    return sum(len(rule.get("matches") or ()) for rule in rules[:16]) <= 128


HTTP_ROUTE = obj(
    {
        "spec": obj(
            {
                "hostnames": array(HOSTNAME, max_items=16),
                "parentRefs": array(
                    PARENT_REF,
                    max_items=32,
                    rules=(
                        Rule(
                            "sectionName must be specified" + _SAME_PARENT, _section_given_for_all
                        ),
                        Rule("sectionName must be unique" + _SAME_PARENT, _section_unique),
                    ),
                ),
                "rules": array(
                    RULE,
                    min_items=1,
                    max_items=16,
                    default=[{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}],
                    rules=(
                        Rule(
                            "While 16 rules and 64 matches per rule are allowed, the total number "
                            "of matches across all rules in a route must be less than 128",
                            _total_matches,
                        ),
                    ),
                ),
            }
        )
    },
    required="spec",
)


def check_http_route(issues: Issues, manifest: dict) -> None:
    """HTTPRoute (``gateway.networking.k8s.io/v1``)."""
    check_custom(issues, manifest, HTTP_ROUTE)
