"""ingress-nginx annotations in ingress2gateway v1.0.0's translation, and what it reports.

From ``pkg/i2gw/providers/ingressnginx`` (``canary.go``, ``redirect.go``, ``rewrite.go``,
``converter.go``) and the standard emitter:

* canary (``canary: "true"`` on an Ingress sharing a host and path with another):
  ``canary-weight`` (of ``canary-weight-total``, default 100) becomes the backends'
  weights; ``canary-by-header`` (+ ``canary-by-header-value``, default ``always``; without
  a value a ``never`` rule goes to the main backend) becomes an extra rule with a header
  match; ``canary-by-header-pattern`` and ``canary-by-cookie`` are reported, not converted;
* hosts with a ``tls`` section get an ``<route>-http`` route on port 80 whose rules
  redirect to HTTPS with 308 (``RequestRedirect``, scheme https), unless their Ingress says
  ``ssl-redirect: "false"``; the main route then binds to port 443;
* ``rewrite-target`` becomes a ``URLRewrite`` filter with ``ReplaceFullPath`` (a target
  with ``$1``-style captures on a ``use-regex`` host is reported, not converted), with
  ``X-Forwarded-Prefix`` set when ``x-forwarded-prefix`` is given;
* a path ending in ``/`` gets nginx's implicit ``301`` from the path without it;
* annotations under ``nginx.ingress.kubernetes.io/`` it does not know are listed as
  unsupported, as are hosts served only on port 80 (ingress-nginx also serves them over
  HTTPS with its fake certificate).
"""

from __future__ import annotations

import copy

from .convert import Notification, RouteDraft

PREFIX = "nginx.ingress.kubernetes.io/"
CANARY = PREFIX + "canary"
SSL_REDIRECT = PREFIX + "ssl-redirect"
REWRITE_TARGET = PREFIX + "rewrite-target"
USE_REGEX = PREFIX + "use-regex"
X_FORWARDED_PREFIX = PREFIX + "x-forwarded-prefix"
#: Annotations ingress2gateway's ingress-nginx provider recognises (annotations.go).
_PARSED = (
    "canary", "canary-weight", "canary-weight-total", "canary-by-header",
    "canary-by-header-value", "canary-by-header-pattern", "canary-by-cookie", "rewrite-target",
    "permanent-redirect", "permanent-redirect-code", "temporal-redirect",
    "temporal-redirect-code", "proxy-redirect-from", "proxy-redirect-to", "x-forwarded-prefix",
    "upstream-vhost", "connection-proxy-header", "custom-headers", "proxy-connect-timeout",
    "proxy-send-timeout", "proxy-read-timeout", "proxy-body-size", "client-body-buffer-size",
    "backend-protocol", "use-regex", "ssl-redirect", "enable-cors", "cors-allow-origin",
    "cors-allow-headers", "cors-allow-methods", "cors-allow-credentials", "cors-expose-headers",
    "cors-max-age", "whitelist-source-range", "denylist-source-range", "proxy-ssl-verify",
    "proxy-ssl-secret", "proxy-ssl-name", "proxy-ssl-server-name", "proxy-ssl-verify-depth",
    "proxy-ssl-protocols", "affinity", "session-cookie-expires",
)  # fmt: skip
PARSED = frozenset(PREFIX + name for name in _PARSED)
#: Of those, the ones this playground translates (the rest are reported).
TRANSLATED = frozenset(PREFIX + name for name in _PARSED[:8] + ("ssl-redirect", "use-regex",
                                                              "x-forwarded-prefix"))  # fmt: skip
URL_NORMALIZATION = (
    "Gateway API does not support configuring URL normalization (RFC 3986, Section 6). Please "
    "check if this matters for your use case and consult implementation-specific details."
)


def _annotations(ingress: dict) -> dict:
    return ingress["metadata"].get("annotations") or {}


def _ref(ingress: dict) -> str:
    meta = ingress["metadata"]
    return f"Ingress: {meta.get('namespace', '')}/{meta['name']}"


def _canary_config(ingress: dict, notes: list) -> tuple[bool, str, str, bool, int, int]:
    """``(by_header, header, value, by_weight, weight, total)`` of a canary Ingress."""
    notes_for = _annotations(ingress)
    meta = ingress["metadata"]
    name = f"{meta.get('namespace', '')}/{meta['name']}"
    for unsupported in ("canary-by-header-pattern", "canary-by-cookie"):
        if notes_for.get(PREFIX + unsupported):
            notes.append(Notification(
                "WARNING", f"ingress {name} uses unsupported annotation {PREFIX + unsupported}",
                objects=(_ref(ingress),),
            ))  # fmt: skip
    header = notes_for.get(PREFIX + "canary-by-header", "")
    weight_text = notes_for.get(PREFIX + "canary-weight", "")
    by_weight, weight, total = bool(weight_text), 0, 100
    if weight_text:
        try:
            weight = int(weight_text)
        except ValueError:
            notes.append(Notification(
                "ERROR", f'Invalid canary-weight annotation "{weight_text}", defaulting to 0',
                objects=(_ref(ingress),),
            ))  # fmt: skip
            by_weight = False
        if weight < 0:
            notes.append(Notification("ERROR", f"Negative canary-weight {weight}, defaulting to 0",
                                      objects=(_ref(ingress),)))  # fmt: skip
            by_weight, weight = False, 0
    total_text = notes_for.get(PREFIX + "canary-weight-total", "")
    if total_text:
        try:
            total = int(total_text)
        except ValueError:
            total = 0
        if total <= 0:
            notes.append(Notification(
                "ERROR", f"Non-positive canary-weight-total {total}, defaulting to 100",
                objects=(_ref(ingress),),
            ))  # fmt: skip
            total = 100
    if weight > total:
        notes.append(Notification(
            "ERROR", f"Canary-weight ({weight}) exceeding canary-weight-total ({total}), "
            f"capping weight to {total}", objects=(_ref(ingress),),
        ))  # fmt: skip
        weight = total
    return bool(header), header, notes_for.get(PREFIX + "canary-by-header-value", ""), by_weight, \
        weight, total  # fmt: skip


def canary(draft: RouteDraft, notes: list) -> None:
    """Weights and header rules for a canary Ingress sharing a rule with its main one."""
    rules = draft.route["spec"]["rules"]
    added, added_sources = [], []
    for index, sources in enumerate(draft.sources[: len(rules)]):
        canary_at = main_at = -1
        config = None
        for position, source in enumerate(sources):
            if _annotations(source.ingress).get(CANARY) == "true":
                if canary_at == -1:
                    canary_at, config = position, _canary_config(source.ingress, notes)
            elif main_at == -1:
                main_at = position
        if canary_at == -1 or main_at == -1 or config is None:
            continue
        by_header, header, value, by_weight, weight, total = config
        refs = rules[index]["backendRefs"]
        if by_weight or not by_header:
            refs[canary_at]["weight"] = weight
            refs[main_at]["weight"] = total - weight
        if not by_header:
            continue
        path = rules[index]["matches"][0].get("path")
        for target, header_value in ((canary_at, value or "always"), (main_at, "never")):
            if target == main_at and value:
                continue
            backend = {k: v for k, v in refs[target].items() if k != "weight"}
            match = {"headers": [{"name": header, "value": header_value}]}
            if path is not None:
                match["path"] = copy.deepcopy(path)
            added.append({"backendRefs": [backend], "matches": [match]})
            added_sources.append([sources[canary_at], sources[main_at]] if target == canary_at
                                 else [sources[main_at]])  # fmt: skip
        if not by_weight:
            del refs[canary_at]
            del sources[canary_at]
    rules += added
    draft.sources += added_sources


def main_ingress(sources: list) -> dict | None:
    """The rule's first non-canary Ingress (the one whose annotations govern the rule)."""
    for source in sources:
        if _annotations(source.ingress).get(CANARY) != "true":
            return source.ingress
    return None


def rewrite(draft: RouteDraft, regex_hosts: set[str], notes: list) -> None:
    """``rewrite-target`` (and ``x-forwarded-prefix``) as filters on each rule."""
    hosts = set(draft.route["spec"].get("hostnames") or ())
    for rule, sources in zip(draft.route["spec"]["rules"], draft.sources, strict=False):
        ingress = main_ingress(sources)
        if ingress is None:
            continue
        target = _annotations(ingress).get(REWRITE_TARGET)
        if not target:
            continue
        if hosts & regex_hosts and "$" in target:
            meta = ingress["metadata"]
            notes.append(Notification(
                "WARNING",
                f'Failed to apply metadata.annotations["{REWRITE_TARGET}"] from rewrite-target '
                f"from Ingress {meta.get('namespace', '')}/{meta['name']}: Path rewrites "
                "with capture group references are not supported",
                "standard_emitter", (f"HTTPRoute: {_route_key(draft)}",),
            ))  # fmt: skip
            continue
        filters = rule.setdefault("filters", [])
        filters.append({"type": "URLRewrite",
                        "urlRewrite": {"path": {"type": "ReplaceFullPath",
                                                "replaceFullPath": target}}})  # fmt: skip
        forwarded = _annotations(ingress).get(X_FORWARDED_PREFIX)
        if forwarded:
            filters.append({"type": "RequestHeaderModifier", "requestHeaderModifier": {
                "set": [{"name": "X-Forwarded-Prefix", "value": forwarded}]}})  # fmt: skip


def _route_key(draft: RouteDraft) -> str:
    meta = draft.route["metadata"]
    return f"{meta['namespace']}/{meta['name']}"


def _covered(prefixes: list[str], path: str) -> bool:
    for prefix in prefixes:
        if path.startswith(prefix) and (
            len(path) == len(prefix) or prefix.endswith("/") or path[len(prefix)] == "/"
        ):
            return True
    return False


def trailing_slash_rules(rules: list[dict]) -> list[dict]:
    """nginx's implicit 301 from ``/path`` to ``/path/`` for paths that end in ``/``."""
    matched, prefixes, out, done = set(), [], [], set()
    for rule in rules:
        for match in rule.get("matches") or ():
            path = match.get("path") or {}
            matched.add(path.get("value"))
            if path.get("type") == "PathPrefix":
                prefixes.append(path.get("value", ""))
    for rule in rules:
        for match in rule.get("matches") or ():
            path = match.get("path") or {}
            target = path.get("value", "")
            if path.get("type") not in ("Exact", "PathPrefix") or target == "/":
                continue
            source = target.rstrip("/") if target.endswith("/") else ""
            if not source or source in matched or _covered(prefixes, source) or source in done:
                continue
            done.add(source)
            out.append({
                "filters": [{"type": "RequestRedirect", "requestRedirect": {
                    "path": {"type": "ReplaceFullPath", "replaceFullPath": target},
                    "statusCode": 301}}],
                "matches": [{"path": {"type": "Exact", "value": source}}],
            })  # fmt: skip
    return out


def tls_hosts(ingresses: list[dict]) -> set[str]:
    """Hosts with a TLS entry (an entry without hosts covers its Ingress's rule hosts)."""
    hosts: set[str] = set()
    for ingress in ingresses:
        spec = ingress.get("spec") or {}
        for entry in spec.get("tls") or ():
            if entry.get("hosts"):
                hosts.update(entry["hosts"])
            else:
                hosts.update(r["host"] for r in spec.get("rules") or () if r.get("host"))
                break
    return hosts


def ssl_redirect(draft: RouteDraft, secured: set[str]) -> RouteDraft | None:
    """The ``<route>-http`` route redirecting to HTTPS, binding the main route to 443."""
    spec = draft.route["spec"]
    rules = spec["rules"]
    slash = trailing_slash_rules(rules)
    rules += copy.deepcopy(slash)
    if not set(spec.get("hostnames") or ()) & secured:
        return None
    http_rules, redirect = [], False
    for index, sources in enumerate(draft.sources):
        ingress = main_ingress(sources)
        if ingress is None or index >= len(rules):
            continue
        enabled = _annotations(ingress).get(SSL_REDIRECT, "true").lower() not in ("false", "0",
                                                                                  "f")  # fmt: skip
        if enabled:
            redirect = True
            http_rules.append({
                "filters": [{"type": "RequestRedirect",
                             "requestRedirect": {"scheme": "https", "statusCode": 308}}],
                "matches": copy.deepcopy(rules[index].get("matches")),
            })  # fmt: skip
        else:
            http_rules.append(copy.deepcopy(rules[index]))
    if not redirect:
        return None
    for rule in slash:
        combined = copy.deepcopy(rule)
        combined["filters"][0]["requestRedirect"]["scheme"] = "https"
        http_rules.append(combined)
    meta = draft.route["metadata"]
    parents = copy.deepcopy(spec.get("parentRefs") or [])
    for parent in parents:
        parent["port"] = 80
    for parent in spec.get("parentRefs") or ():
        parent["port"] = 443
    route = {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": f"{meta['name']}-http", "namespace": meta["namespace"]},
        "spec": {"hostnames": copy.deepcopy(spec.get("hostnames")), "parentRefs": parents,
                 "rules": http_rules},
    }  # fmt: skip
    return RouteDraft(route)


def annotation_notes(ingresses: list[dict]) -> list[Notification]:
    """Unknown ingress-nginx annotations, and known ones this playground does not translate."""
    notes = []
    for ingress in ingresses:
        for name in _annotations(ingress):
            if not name.startswith(PREFIX):
                continue
            if name not in PARSED:
                notes.append(Notification("WARNING", f"Unsupported annotation {name}",
                                          objects=(_ref(ingress),)))  # fmt: skip
            elif name not in TRANSLATED:
                notes.append(Notification(
                    "WARNING",
                    f"Annotation {name} is translated by ingress2gateway into settings this "
                    "playground does not simulate; it is left out here",
                    "kubeplay", (_ref(ingress),),
                ))  # fmt: skip
    return notes


def self_signed_notes(gateways: list[dict]) -> list[Notification]:
    """Hosts served on port 80 only: ingress-nginx also answers them on 443."""
    notes = []
    for gateway in gateways:
        listeners = gateway["spec"]["listeners"]
        https = {item.get("hostname") for item in listeners if item["port"] == 443}
        for item in listeners:
            host = item.get("hostname")
            if host and item["port"] == 80 and host not in https:
                notes.append(Notification(
                    "WARNING",
                    f'Ingress NGINX serves TLS traffic for host "{host}" with a self-signed '
                    "certificate. This behavior will not be translated and the host will not be "
                    "accessible via HTTPS.",
                ))  # fmt: skip
    return notes
