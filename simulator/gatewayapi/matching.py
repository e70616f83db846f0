"""HTTPRoute matching: which rule of which route serves a request, in the spec's order.

A match is the AND of its conditions (``HTTPRouteMatch``):

* path ``Exact``: the whole path, case-sensitive (``/abc`` matches neither ``/abc/`` nor
  ``/Abc``); ``PathPrefix``: whole ``/``-separated elements, a trailing ``/`` in the value
  ignored (``/abc`` matches ``/abc``, ``/abc/`` and ``/abc/def``, not ``/abcd``);
  ``RegularExpression``: implementation-specific, here a case-sensitive search as nginx's
  ``~`` location does;
* headers: names case-insensitive, values exact (or a regular expression); a request's
  first value of a header counts, and only the first entry of a match naming a header;
* query parameters: names and values exact, the first value of a parameter counts;
* method: exact.

When several matches of the routes sharing a hostname apply, precedence goes
(``HTTPRouteRule.Matches``) to: an Exact path; the PathPrefix with the most characters; a
method match; the most header matches; the most query parameter matches; then the oldest
route; then the route first by ``namespace/name``; then, within a route, the first rule and
the first match in list order. `order_key` is that order, so a table sorted by it is
searched first-match-wins; regular-expression paths (whose precedence the spec leaves to
implementations) come after every Exact and PathPrefix path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_PATH_KINDS = {"Exact": 0, "PathPrefix": 1, "RegularExpression": 2}


@dataclass(frozen=True, slots=True)
class Request:
    """What matching looks at in one HTTP request.

    Attributes:
        method: ``GET``, ``POST``...
        path: the path, without the query string.
        query: ``(name, value)`` pairs in order, as sent (not percent-decoded).
        headers: ``(name, value)`` pairs in order.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_target(cls, method: str, target: str, headers=()) -> Request:
        """A request from its method, request target (``/path?a=1``) and headers."""
        path, _, query = target.partition("?")
        return cls(method, path or "/", parse_query(query), tuple(headers))


def parse_query(query: str) -> tuple[tuple[str, str], ...]:
    """``a=1&b=2&a=3`` as ``(("a", "1"), ("b", "2"), ("a", "3"))``."""
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return tuple(pairs)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _value_matches(kind: str, expected: str, actual: str | None) -> bool:
    if actual is None:
        return False
    if kind == "RegularExpression":
        regex = _regex(expected)
        return regex is not None and regex.search(actual) is not None
    return actual == expected


def path_matches(kind: str, value: str, path: str) -> bool:
    """Whether ``path`` matches a path match of ``kind`` and ``value``."""
    if kind == "Exact":
        return path == value
    if kind == "PathPrefix":
        prefix = value.rstrip("/")
        return not prefix or path == prefix or path.startswith(prefix + "/")
    return _value_matches("RegularExpression", value, path)


def first_header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    """A request's first value of header ``name`` (case-insensitive), or None."""
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def first_param(query: tuple[tuple[str, str], ...], name: str) -> str | None:
    """A request's first value of query parameter ``name`` (case-sensitive), or None."""
    for key, value in query:
        if key == name:
            return value
    return None


def _first_entries(entries: list[dict], fold: bool) -> list[dict]:
    """Only the first entry per name counts (header names compared case-insensitively)."""
    seen, kept = set(), []
    for entry in entries:
        name = entry.get("name", "")
        key = name.lower() if fold else name
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept


def match_applies(match: dict, request: Request) -> bool:
    """Whether every condition of one ``HTTPRouteMatch`` (defaulted) holds for ``request``."""
    path = match.get("path") or {"type": "PathPrefix", "value": "/"}
    if not path_matches(path.get("type", "PathPrefix"), path.get("value", "/"), request.path):
        return False
    method = match.get("method")
    if method and method != request.method:
        return False
    for header in _first_entries(match.get("headers") or [], fold=True):
        actual = first_header(request.headers, header["name"])
        if not _value_matches(header.get("type", "Exact"), header["value"], actual):
            return False
    for param in _first_entries(match.get("queryParams") or [], fold=False):
        actual = first_param(request.query, param["name"])
        if not _value_matches(param.get("type", "Exact"), param["value"], actual):
            return False
    return True


def order_key(match: dict, created: str, namespace: str, name: str, rule: int, index: int) -> tuple:
    """The precedence of one match among all those of a hostname (smallest first)."""
    path = match.get("path") or {"type": "PathPrefix", "value": "/"}
    kind = _PATH_KINDS.get(path.get("type", "PathPrefix"), 2)
    length = len(path.get("value", "/")) if kind == 1 else 0
    return (
        kind,
        -length,
        0 if match.get("method") else 1,
        -len(_first_entries(match.get("headers") or [], fold=True)),
        -len(_first_entries(match.get("queryParams") or [], fold=False)),
        created,
        f"{namespace}/{name}",
        rule,
        index,
    )


def describe_match(match: dict) -> str:
    """A match in a few words: ``path /foo (PathPrefix), header env: canary, method GET``."""
    path = match.get("path") or {"type": "PathPrefix", "value": "/"}
    parts = [f"path {path.get('value', '/')} ({path.get('type', 'PathPrefix')})"]
    for header in _first_entries(match.get("headers") or [], fold=True):
        parts.append(f"header {header['name']}: {header['value']}")
    for param in _first_entries(match.get("queryParams") or [], fold=False):
        parts.append(f"query {param['name']}={param['value']}")
    if match.get("method"):
        parts.append(f"method {match['method']}")
    return ", ".join(parts)


def short_match(match: dict) -> str:
    """A match as the diagram's rule row shows it, nginx-location style: ``= /bar`` (Exact),
    ``/bar`` (prefix), ``~ ^/v[0-9]`` (regex), then ``GET``, ``env=canary``, ``?q=v``."""
    path = match.get("path") or {"type": "PathPrefix", "value": "/"}
    marks = {"Exact": "= ", "RegularExpression": "~ "}
    parts = [marks.get(path.get("type", "PathPrefix"), "") + path.get("value", "/")]
    if match.get("method"):
        parts.insert(0, match["method"])
    parts += [f"{h['name']}={h['value']}"
              for h in _first_entries(match.get("headers") or [], fold=True)]  # fmt: skip
    parts += [f"?{q['name']}={q['value']}"
              for q in _first_entries(match.get("queryParams") or [], fold=False)]  # fmt: skip
    return " ".join(parts)
