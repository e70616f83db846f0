"""Label selectors: kubectl's `-l` syntax and the API's LabelSelector, and matching.

A selector is a tuple of `Requirement`s that must all hold. Equality-only
selectors (what Services use) are also kept as plain dicts so that the store's
label index can answer them without scanning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

EXISTS = "exists"
NOT_EXISTS = "!"
IN = "in"
NOT_IN = "notin"
EQUALS = "="
NOT_EQUALS = "!="


class SelectorError(ValueError):
    """A selector a user typed cannot be parsed."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One clause of a selector: `key op values`."""

    key: str
    op: str
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether `labels` satisfy this clause (set semantics as in apimachinery)."""
        op = self.op
        if op in (EQUALS, IN):
            return self.key in labels and labels[self.key] in self.values
        if op in (NOT_EQUALS, NOT_IN):
            return self.key not in labels or labels[self.key] not in self.values
        if op == EXISTS:
            return self.key in labels
        return self.key not in labels

    def __str__(self) -> str:
        values = sorted(self.values)
        if self.op == EQUALS:
            return f"{self.key}={values[0]}"
        if self.op == NOT_EQUALS:
            return f"{self.key}!={values[0]}"
        if self.op == EXISTS:
            return self.key
        if self.op == NOT_EXISTS:
            return f"!{self.key}"
        return f"{self.key} {self.op} ({','.join(values)})"


Selector = tuple[Requirement, ...]

_TOKEN = re.compile(r"\s*(!=|==|=|!|\(|\)|,|[^\s!=(),]+)")
_KEY = re.compile(
    r"^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
)
_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")


def parse_selector(text: str) -> Selector:
    """Parse kubectl's selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.

    Raises:
        SelectorError: with a message like kubectl's when the text is malformed.
    """
    tokens = list(_TOKEN.findall(text))
    if "".join(tokens).replace(" ", "") != text.replace(" ", ""):
        raise SelectorError(f"unable to parse requirement: found '{text}', expected: identifier")
    reqs: list[Requirement] = []
    i = 0

    def need(cond: bool, msg: str) -> None:
        if not cond:
            raise SelectorError(msg)

    while i < len(tokens):
        tok = tokens[i]
        if tok == "!":
            need(i + 1 < len(tokens), "unable to parse requirement: found '', expected: identifier")
            key = tokens[i + 1]
            _check_key(key)
            reqs.append(Requirement(key, NOT_EXISTS))
            i += 2
        else:
            key = tok
            _check_key(key)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ","
            if nxt == ",":
                reqs.append(Requirement(key, EXISTS))
                i += 1
            elif nxt in ("=", "==", "!="):
                value = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 2] != "," else ""
                _check_value(value)
                op = NOT_EQUALS if nxt == "!=" else EQUALS
                reqs.append(Requirement(key, op, frozenset([value])))
                i += 3 if value else 2
            elif nxt.lower() in (IN, NOT_IN):
                need(
                    i + 2 < len(tokens) and tokens[i + 2] == "(",
                    f"unable to parse requirement: found '{nxt}', expected: '('",
                )
                j = i + 3
                values: list[str] = []
                while j < len(tokens) and tokens[j] != ")":
                    if tokens[j] != ",":
                        _check_value(tokens[j])
                        values.append(tokens[j])
                    j += 1
                need(j < len(tokens), "unable to parse requirement: found '', expected: ')'")
                need(bool(values), "for 'in', 'notin' operators, values set can't be empty")
                reqs.append(Requirement(key, nxt.lower(), frozenset(values)))
                i = j + 1
            else:
                raise SelectorError(
                    f"unable to parse requirement: found '{nxt}', expected: "
                    "'=', '!=', '==', 'in', notin'"
                )
        if i < len(tokens):
            need(tokens[i] == ",", f"found '{tokens[i]}', expected: ',' or 'end of string'")
            i += 1
    return tuple(reqs)


def _check_key(key: str) -> None:
    if not _KEY.match(key) or len(key.rsplit("/", 1)[-1]) > 63:
        raise SelectorError(
            f'unable to parse requirement: invalid label key "{key}": name part must consist '
            "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character"
        )


def _check_value(value: str) -> None:
    if len(value) > 63 or not _VALUE.match(value):
        raise SelectorError(
            f'unable to parse requirement: invalid label value: "{value}": a valid label must '
            "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
            "must start and end with an alphanumeric character"
        )


def from_match_labels(match_labels: Mapping[str, str] | None) -> Selector:
    """A selector for a plain `{key: value}` map (Service and RC selectors)."""
    return tuple(
        Requirement(k, EQUALS, frozenset([str(v)])) for k, v in (match_labels or {}).items()
    )


def from_label_selector(selector: Mapping | None) -> Selector:
    """A selector for a `metav1.LabelSelector` (matchLabels + matchExpressions)."""
    if not selector:
        return ()
    reqs = list(from_match_labels(selector.get("matchLabels")))
    ops = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": NOT_EXISTS}
    for expr in selector.get("matchExpressions") or ():
        values = frozenset(str(v) for v in expr.get("values") or ())
        reqs.append(Requirement(expr["key"], ops.get(expr.get("operator"), IN), values))
    return tuple(reqs)


def matches(selector: Selector, labels: Mapping[str, str] | None) -> bool:
    """Whether every requirement holds for `labels` (an empty selector matches everything)."""
    labels = labels or {}
    return all(req.matches(labels) for req in selector)


def equality_items(selector: Selector) -> dict[str, str] | None:
    """The selector as `{key: value}` when it only uses equality, else None (for indexes)."""
    items: dict[str, str] = {}
    for req in selector:
        if req.op != EQUALS and not (req.op == IN and len(req.values) == 1):
            return None
        items[req.key] = next(iter(req.values))
    return items


def format_selector(selector: Selector) -> str:
    """kubectl's rendering, e.g. `app=kubia,tier in (a,b)`; `<none>` for an empty selector."""
    return ",".join(str(r) for r in selector) or "<none>"


def format_labels(labels: Mapping[str, str] | None) -> str:
    """`k=v,k2=v2` sorted by key, or `<none>` (kubectl's --show-labels and describe)."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
