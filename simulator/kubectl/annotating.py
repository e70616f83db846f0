"""`kubectl annotate TYPE NAME k=v k2- [--overwrite]`: `annotated`.

As kubectl does, the pairs are read on the client (`invalid annotation format`,
`--overwrite is false but found the following declared annotation(s)`) and the
change goes to the server as a patch: the annotated object takes the manifest
pipeline of any update, so keys, their size and everything else answer as they
do for `apply` (`The Deployment "web" is invalid: metadata.annotations: ...`).
"""

from __future__ import annotations

import copy

import yaml

from .applying import qualified, submit
from .changing import resources_and_changes, targets
from .context import Context
from .errors import error


def parse_annotation_changes(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """`k=v` and `k-` arguments as (annotations to set, keys to remove), as kubectl's
    `ParsePairs` and `validateAnnotations` read them."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in pairs:
        if "=" in spec:
            key, _, value = spec.partition("=")
            new[key] = value
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise error(f"invalid annotation format: {', '.join(invalid)}")
    both = [key for key in remove if key in new]
    if both:
        raise error(
            "can not both modify and remove the following annotation(s) in the same command: "
            + ", ".join(both)
        )
    return new, remove


def annotate(ctx: Context) -> None:
    """Run `kubectl annotate` (see the module docstring)."""
    resources, pairs = resources_and_changes(ctx, "annotation")
    new, remove = parse_annotation_changes(pairs)
    overwrite = bool(ctx.args.get("overwrite"))
    for rt, obj in targets(ctx, resources, "annotate"):
        meta = obj["metadata"]
        old = dict(meta.get("annotations") or {})
        clashes = [
            f"'{k}' already has a value ({old[k]})" for k, v in new.items() if old.get(k, v) != v
        ]
        if clashes and not overwrite:
            raise error(
                "--overwrite is false but found the following declared annotation(s): "
                + "; ".join(clashes)
            )
        annotations = {**old, **new}
        for key in remove:
            annotations.pop(key, None)
        if annotations != old:
            changed = {k: copy.deepcopy(v) for k, v in obj.items() if k != "status"}
            changed["metadata"] = {**changed["metadata"], "annotations": annotations}
            submit(ctx, yaml.safe_dump(changed, sort_keys=False), "replace", "annotate",
                   generated=True)  # fmt: skip
        name = f"{qualified(rt.kind)}/{meta['name']}"
        ctx.print(name if ctx.args.get("output") == "name" else f"{name} annotated")
