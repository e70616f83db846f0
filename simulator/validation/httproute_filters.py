"""HTTPRoute filters and backend references (standard channel v1.6), as the CRD words them.

``RequestHeaderModifier``, ``ResponseHeaderModifier``, ``RequestRedirect``, ``URLRewrite``,
``RequestMirror``, ``CORS`` and ``ExtensionRef`` with their one-of rules, and the
``backendRefs`` they may sit in; `httproute` assembles the route.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.validation.crd import BOOLEAN, Rule, array, integer, obj, string
from simulator.validation.gateway_refs import (
    GROUP,
    KIND,
    NAMESPACE,
    OBJECT_NAME,
    PORT,
    PRECISE_HOSTNAME,
)

HEADER_NAME = string(r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$", min_length=1, max_length=256)
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
FILTER_TYPES = (
    "RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect",
    "URLRewrite", "ExtensionRef", "CORS",
)  # fmt: skip

_HEADER = obj(
    {"name": HEADER_NAME, "value": string(min_length=1, max_length=4096)},
    required="name value",
)
HEADER_FILTER = obj(
    {
        "add": array(_HEADER, max_items=16, map_keys="name"),
        "remove": array(string(), max_items=16, is_set=True),
        "set": array(_HEADER, max_items=16, map_keys="name"),
    }
)


def _field_given_for(kind: str, field: str) -> Callable[[dict], bool]:
    """CEL's ``self.type == kind ? has(self.field) : true``."""
    return lambda value: value.get("type") != kind or field in value


def _type_given_for(kind: str, field: str) -> Callable[[dict], bool]:
    """CEL's ``has(self.field) ? self.type == kind : true``."""
    return lambda value: field not in value or value.get("type") == kind


def _modifier_rules() -> tuple[Rule, ...]:
    rules = []
    for kind, field in (("ReplaceFullPath", "replaceFullPath"),
                        ("ReplacePrefixMatch", "replacePrefixMatch")):  # fmt: skip
        rules.append(
            Rule(
                f"{field} must be specified when type is set to '{kind}'",
                _field_given_for(kind, field),
            )
        )
        rules.append(
            Rule(
                f"type must be '{kind}' when {field} is set",
                _type_given_for(kind, field),
            )
        )
    return tuple(rules)


PATH_MODIFIER = obj(
    {
        "replaceFullPath": string(max_length=1024),
        "replacePrefixMatch": string(max_length=1024),
        "type": string(enum=("ReplaceFullPath", "ReplacePrefixMatch")),
    },
    required="type",
    rules=_modifier_rules(),
)


def _has_port(ref: dict) -> bool:
    return not (len(ref.get("group", "")) == 0 and ref.get("kind") == "Service") or "port" in ref


_BACKEND_OBJECT = {
    "group": string(GROUP.pattern, max_length=253, default=""),
    "kind": string(KIND.pattern, min_length=1, max_length=63, default="Service"),
    "name": OBJECT_NAME,
    "namespace": NAMESPACE,
    "port": PORT,
}
_MUST_HAVE_PORT = Rule("Must have port for Service reference", _has_port)


def _origins(items: list) -> bool:
    return not ("*" in items and len(items) > 1)


_CORS = obj(
    {
        "allowCredentials": BOOLEAN,
        "allowHeaders": array(
            HEADER_NAME, max_items=64, is_set=True,
            rules=(Rule("AllowHeaders cannot contain '*' alongside other methods", _origins),),
        ),
        "allowMethods": array(
            string(enum=(*METHODS, "*")), max_items=9, is_set=True,
            rules=(Rule("AllowMethods cannot contain '*' alongside other methods", _origins),),
        ),
        "allowOrigins": array(
            string(
                r"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)"
                r"(:([0-9]{1,5}))?)$)",
                min_length=1, max_length=253,
            ),
            max_items=64, is_set=True,
            rules=(Rule("AllowOrigins cannot contain '*' alongside other origins", _origins),),
        ),
        "exposeHeaders": array(HEADER_NAME, max_items=64, is_set=True),
        "maxAge": integer(1, default=5),
    }
)  # fmt: skip

_FILTER_FIELDS = (
    ("cors", "CORS"),
    ("requestHeaderModifier", "RequestHeaderModifier"),
    ("responseHeaderModifier", "ResponseHeaderModifier"),
    ("requestMirror", "RequestMirror"),
    ("requestRedirect", "RequestRedirect"),
    ("urlRewrite", "URLRewrite"),
    ("extensionRef", "ExtensionRef"),
)


def _filter_rules() -> tuple[Rule, ...]:
    rules = []
    for field, kind in _FILTER_FIELDS:
        rules.append(
            Rule(
                f"filter.{field} must be nil if the filter.type is not {kind}",
                _type_given_for(kind, field),
            )
        )
        rules.append(
            Rule(
                f"filter.{field} must be specified for {kind} filter.type",
                _field_given_for(kind, field),
            )
        )
    return tuple(rules)


def _once(kind: str) -> Rule:
    return Rule(
        f"{kind} filter cannot be repeated",
        lambda filters: sum(1 for f in filters if f.get("type") == kind) <= 1,
    )


FILTER = obj(
    {
        "cors": _CORS,
        "extensionRef": obj(
            {"group": GROUP, "kind": KIND, "name": OBJECT_NAME}, required="group kind name"
        ),
        "requestHeaderModifier": HEADER_FILTER,
        "requestMirror": obj(
            {
                "backendRef": obj(_BACKEND_OBJECT, required="name", rules=(_MUST_HAVE_PORT,)),
                "fraction": obj(
                    {"denominator": integer(1, default=100), "numerator": integer(0)},
                    required="numerator",
                    rules=(
                        Rule(
                            "numerator must be less than or equal to denominator",
                            lambda f: f.get("numerator", 0) <= f.get("denominator", 100),
                        ),
                    ),
                ),
                "percent": integer(0, 100),
            },
            required="backendRef",
            rules=(
                Rule(
                    "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
                    lambda m: not ("percent" in m and "fraction" in m),
                ),
            ),
        ),
        "requestRedirect": obj(
            {
                "hostname": PRECISE_HOSTNAME,
                "path": PATH_MODIFIER,
                "port": PORT,
                "scheme": string(enum=("http", "https")),
                "statusCode": integer(enum=(301, 302, 303, 307, 308), default=302),
            }
        ),
        "responseHeaderModifier": HEADER_FILTER,
        "type": string(enum=FILTER_TYPES),
        "urlRewrite": obj({"hostname": PRECISE_HOSTNAME, "path": PATH_MODIFIER}),
    },
    required="type",
    rules=_filter_rules(),
)
FILTERS = array(
    FILTER,
    max_items=16,
    rules=(
        Rule(
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, "
            "but not both",
            lambda fs: (
                not (
                    any(f.get("type") == "RequestRedirect" for f in fs)
                    and any(f.get("type") == "URLRewrite" for f in fs)
                )
            ),
        ),
        _once("CORS"),
        _once("RequestHeaderModifier"),
        _once("ResponseHeaderModifier"),
        _once("RequestRedirect"),
        _once("URLRewrite"),
    ),
)

BACKEND_REF = obj(
    {
        "filters": FILTERS,
        **_BACKEND_OBJECT,
        "weight": integer(0, 1_000_000, default=1),
    },
    required="name",
    rules=(_MUST_HAVE_PORT,),
)
