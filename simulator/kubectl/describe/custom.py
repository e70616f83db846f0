"""`kubectl describe` for custom resources (the Gateway API kinds): the generic describer.

kubectl has no describer of its own for CRDs; ``genericDescriber`` (describe.go) prints
``Name``, ``Namespace``, labels and annotations, then the whole object with
``printUnstructuredContent``: fields in alphabetical order at every level, names made
readable by ``smartLabelFor`` (``gatewayClassName`` -> ``Gateway Class Name``,
``apiVersion`` -> ``API Version``), maps and lists indented two spaces per level, list items
one after the other without dashes, scalars after a tab (aligned by the tabwriter), and the
events last.
"""

from __future__ import annotations

import re

from .writer import Writer, annotations_multiline, describe_events, labels_multiline

_SKIPPED = frozenset(
    {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
     ".metadata.annotations"}
)  # fmt: skip
_ACRONYMS = frozenset({"API", "URL", "UID", "OSB", "GUID"})
_NOT_A_LABEL = re.compile(r"[^A-Za-z-]")
_RUNS = re.compile(r"[a-z]+|[A-Z]+|[0-9]+|[^a-zA-Z0-9]+")


def camelcase_split(text: str) -> list[str]:
    """fatih/camelcase's ``Split``: ``HTTPRoute`` -> ``HTTP``, ``Route``; ``apiVersion`` ->
    ``api``, ``Version``."""
    runs = _RUNS.findall(text)
    for i in range(len(runs) - 1):
        # The last capital of a run of capitals starts the lower-case word after it.
        if runs[i][:1].isupper() and runs[i + 1][:1].islower():
            runs[i + 1] = runs[i][-1] + runs[i + 1]
            runs[i] = runs[i][:-1]
    return [run for run in runs if run]


def smart_label(field: str) -> str:
    """kubectl's ``smartLabelFor``: a field name as a readable label."""
    if _NOT_A_LABEL.search(field):
        return field
    parts = []
    for part in camelcase_split(field):
        if part == "_":
            continue
        parts.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(parts)


def _scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "<nil>"
    return str(value)


def _content(w: Writer, level: int, content: dict, prefix: str) -> None:
    """``printUnstructuredContent``."""
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in _SKIPPED:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _content(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _content(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{_scalar(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{_scalar(value)}\n")


def describe_custom(obj: dict, events: list | None, now: float) -> str:
    """The generic describer's text for a custom resource."""
    meta = obj.get("metadata") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    _content(w, 0, obj, "")
    describe_events(w, events, now)
    return w.text()
