"""ObjectMeta validation (``ValidateObjectMeta``): name, generateName, namespace, labels,
annotations."""

from __future__ import annotations

from collections.abc import Callable

from simulator.problems import Problem
from simulator.validation import names
from simulator.validation.common import Issues, check_labels, get_map, get_str, get_string_map

NameCheck = Callable[[str, bool], tuple[str, ...]]
MAX_ANNOTATIONS_BYTES = 256 * 1024


def check_object_meta(
    issues: Issues, obj: dict, kind: str, name_check: NameCheck, path: str = "metadata"
) -> dict:
    """Validate ``obj[metadata]`` and return it ({} when absent or not an object).

    Args:
        issues: where problems go.
        obj: the whole object (or a pod template, with ``path`` set accordingly).
        kind: the Go struct that holds ``metadata`` (for type errors): ``Service``...
        name_check: the kind's name rule, e.g. `names.name_is_dns1035_label`.
        path: ``metadata`` or e.g. ``spec.template.metadata``.
    """
    struct = kind
    meta = get_map(issues, obj, "metadata", path.rpartition(".")[0], struct, "v1.ObjectMeta")
    if meta is None:
        meta = {}
    name = get_str(issues, meta, "name", path, "ObjectMeta")
    generate_name = get_str(issues, meta, "generateName", path, "ObjectMeta")
    if generate_name:
        for message in name_check(generate_name, True):
            issues.invalid(f"{path}.generateName", generate_name, message)
    if name:
        for message in name_check(name, False):
            issues.invalid(f"{path}.name", name, message)
    elif not generate_name:
        issues.required(f"{path}.name", "name or generateName is required")
    namespace = get_str(issues, meta, "namespace", path, "ObjectMeta")
    if namespace:
        for message in names.name_is_dns_label(namespace):
            issues.invalid(f"{path}.namespace", namespace, message)
    check_meta_maps(issues, meta, path)
    return meta


def check_meta_maps(issues: Issues, meta: dict, path: str) -> None:
    """Labels and annotations of an ObjectMeta (also used for pod templates)."""
    if "labels" in meta:
        check_labels(
            issues, get_string_map(issues, meta, "labels", path, "ObjectMeta"), f"{path}.labels"
        )
    if "annotations" in meta:
        annotations = get_string_map(issues, meta, "annotations", path, "ObjectMeta")
        field = f"{path}.annotations"
        size = 0
        for key, value in annotations.items():
            for message in names.qualified_name(key.lower()):
                issues.invalid(field, key, message)
            size += len(key) + len(value)
        if size > MAX_ANNOTATIONS_BYTES:
            issues.add(field, f"Too long: must have at most {MAX_ANNOTATIONS_BYTES} bytes")


def meta_update_problems(kind: str, name: str, labels: dict[str, str]) -> list[Problem]:
    """What the API server refuses in an object's new labels (`kubectl label`), as the
    same checks manifests get: one `Problem` per invalid key or value, in order."""
    issues = Issues()
    check_labels(issues, labels, "metadata.labels")
    return [Problem(0, field, message, kind, name) for field, message, _ in issues.items]
