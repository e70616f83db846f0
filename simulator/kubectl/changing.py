"""`kubectl delete`, `scale` and `label`: changes to objects the cluster already has."""

from __future__ import annotations

import json
import re

from simulator import kinds
from simulator.errors import Conflict, NotFound
from simulator.kinds import ResourceType
from simulator.problems import format_problems
from simulator.validation.metadata import meta_update_problems

from .applying import read_documents
from .context import Context
from .errors import KubectlError, error
from .getting import selector_of
from .resources import find, parse_request

MISSING_FILES = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)


_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


_LABEL_VALUE_ERROR = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


def delete(ctx: Context) -> None:
    """`kubectl delete TYPE NAME... | TYPE/NAME... | -l SEL | --all | -f -`."""
    a = ctx.args
    targets: list[tuple[ResourceType, dict]] = []
    if a.get("filename"):
        for doc in read_documents(ctx):
            obj = doc.obj
            rt = kinds.by_kind(obj.get("kind", ""))
            if rt is None:
                raise error(
                    f'resource mapping not found for name: "{obj["metadata"].get("name")}" '
                    f'namespace: "" from "STDIN": no matches for kind "{obj.get("kind")}" '
                    f'in version "{obj.get("apiVersion")}"'
                )
            ns = (obj["metadata"].get("namespace") or ctx.namespace) if rt.namespaced else ""
            live = ctx.state.store.get(rt.kind, ns, obj["metadata"]["name"])
            if live is None:
                ctx.error(
                    f'Error from server (NotFound): error when deleting "STDIN": '
                    f'{rt.resource_qualified} "{obj["metadata"]["name"]}" not found'
                )
            else:
                targets.append((rt, live))
    else:
        if not a.positional:
            raise error(MISSING_FILES)
        request = parse_request(a.positional)
        selector = selector_of(ctx)
        if request.by_name and selector:
            raise error("name cannot be provided when a selector is specified")
        if request.by_name and a.get("all"):
            raise error("name cannot be provided when --all is specified")
        if not request.by_name and not selector and not a.get("all"):
            raise error("resource(s) were provided, but no name was specified")
        found = find(
            ctx.state,
            request,
            ctx.namespace,
            all_namespaces=bool(a.get("all-namespaces")),
            selector=selector,
        )
        for f in found:
            if not a.get("ignore-not-found"):
                for line in f.errors:
                    ctx.error(line)
            targets += [(f.rt, obj) for obj in f.objects]
        if not targets and not any(f.errors for f in found):
            ctx.print("No resources found")
            return
    grace = grace_period(ctx)
    if grace == 0:
        ctx.warn(
            "Warning: Immediate deletion does not wait for confirmation that the running "
            "resource has been terminated. The resource may continue to run on the cluster "
            "indefinitely."
        )
    operation = "force deleted" if grace == 0 else "deleted"
    waits: list[float] = []
    for rt, obj in targets:
        meta = obj["metadata"]
        namespace = meta.get("namespace", "") if rt.namespaced else ""
        try:
            ctx.state.delete(rt.kind, namespace, meta["name"], grace)
        except NotFound:
            pass  # a cascade (a Deployment's ReplicaSet, an RS's pods) already removed it
        except Conflict as err:
            ctx.error(str(err))
            continue
        gone = ctx.state.gone_at(rt.kind, namespace, meta["name"])
        if gone is not None:
            waits.append(gone)
        if a.get("output") == "name":
            ctx.print(f"{rt.qualified}/{meta['name']}")
        else:
            ctx.print(
                deleted_line(
                    rt.qualified,
                    meta["name"],
                    meta.get("namespace") if rt.namespaced else None,
                    operation,
                )
            )
    if waits and a.get("wait", True) and grace != 0:
        # kubectl waits until what it deleted is gone: the cluster's clock moves meanwhile.
        ctx.state.advance(max(waits) - ctx.now)


def grace_period(ctx: Context) -> int | None:
    """The grace period `kubectl delete` asks for: None for each pod's own; `--now` is 1;
    `--force` alone is 0 (immediate); a 0 without `--force` becomes 1, as kubectl makes it."""
    a = ctx.args
    grace = a.number("grace-period")
    if grace is not None and grace < 0:
        grace = None
    if a.get("now"):
        if grace is not None:
            raise error("--now and --grace-period cannot be specified together")
        grace = 1
    if a.get("force") and grace is None:
        grace = 0
    if grace == 0 and not a.get("force"):
        grace = 1
    return grace


def deleted_line(
    resource: str, name: str, namespace: str | None, operation: str = "deleted"
) -> str:
    """`pod "x" deleted from default namespace`: kubectl v1.34+ names the namespace."""
    where = f" from {namespace} namespace" if namespace else ""
    return f'{resource} "{name}" {operation}{where}'


def targets(ctx: Context, args: list[str], verb: str) -> list[tuple[ResourceType, dict]]:
    """Objects named by `TYPE NAME...`, `TYPE/NAME`, `-l` or `--all`, NotFound lines reported."""
    a = ctx.args
    request = parse_request(args)
    if not request.types:
        raise error(MISSING_FILES)
    selector = selector_of(ctx) if "selector" in a.flags else ()
    if request.by_name and selector:
        raise error("name cannot be provided when a selector is specified")
    if not request.by_name and not selector and not a.get("all"):
        raise error("resource(s) were provided, but no name was specified")
    found = find(
        ctx.state,
        request,
        ctx.namespace,
        all_namespaces=bool(a.get("all-namespaces")),
        selector=selector,
    )
    out = []
    for f in found:
        for line in f.errors:
            ctx.error(line)
        out += [(f.rt, obj) for obj in f.objects]
    if not out and not any(f.errors for f in found):
        raise error(f"no objects passed to {verb}")
    return out


def scale(ctx: Context) -> None:
    """`kubectl scale --replicas=N TYPE NAME` for Deployments, ReplicaSets and RCs."""
    replicas = ctx.args.number("replicas")
    if replicas is None or replicas < 0:
        raise error(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
        )
    for rt, obj in targets(ctx, ctx.args.positional, "scale"):
        if rt.kind not in ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"):
            # No scale subresource: the API server answers 404 for .../NAME/scale.
            ctx.error(
                "Error from server (NotFound): the server could not find the requested resource"
            )
            continue
        current = ctx.args.number("current-replicas")
        spec_replicas = (obj.get("spec") or {}).get("replicas", 1)
        if current is not None and current != spec_replicas:
            ctx.error(f"error: Expected replicas to be {current}, was {spec_replicas}")
            continue
        try:
            ctx.state.scale(
                rt.kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], replicas
            )
        except Conflict as err:
            ctx.error(str(err))
            continue
        ctx.print(f"{rt.qualified}/{obj['metadata']['name']} scaled")


def split_pairs(args: list[str], what: str, is_pair) -> tuple[list[str], list[str]]:
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        if is_pair(arg):
            pairs.append(arg)
        elif pairs:
            raise error(f"all resources must be specified before {what} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def resources_and_changes(ctx: Context, what: str) -> tuple[list[str], list[str]]:
    """`label`'s and `annotate`'s arguments: the resources, then the `k=v` and `k-` changes."""
    resources, pairs = split_pairs(
        ctx.args.positional,
        what,
        lambda s: ("=" in s and not s.startswith("=")) or (s.endswith("-") and s != "-"),
    )
    if not resources:
        raise error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not pairs:
        raise error(f"at least one {what} update is required")
    return resources, pairs


def parse_label_changes(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """`k=v` and `k-` arguments as (labels to set, keys to remove), with kubectl's errors."""
    new: dict[str, str] = {}
    remove: list[str] = []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise error(f"invalid label spec: {spec}")
            if len(parts[1]) > 63 or not _LABEL_VALUE.match(parts[1]):
                raise error(f'invalid label value: "{spec}": {_LABEL_VALUE_ERROR}')
            new[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise error(f"unknown label spec: {spec}")
    if any(key in new for key in remove):
        raise error("can not both modify and remove a label in the same command")
    return new, remove


def _labels_size(labels: dict) -> int:
    # The size of `"labels":{...}` in the object's JSON (omitted when empty, as Go does).
    return len(json.dumps(labels, separators=(",", ":"))) + 10 if labels else 0


def label(ctx: Context) -> None:
    """`kubectl label TYPE NAME k=v k2- [--overwrite]`: `labeled`, `unlabeled`, `not labeled`."""
    resources, pairs = resources_and_changes(ctx, "label")
    new, remove = parse_label_changes(pairs)
    overwrite = bool(ctx.args.get("overwrite"))
    for rt, obj in targets(ctx, resources, "label"):
        meta = obj["metadata"]
        old = dict(meta.get("labels") or {})
        if not overwrite:
            clashes = [
                f"'{k}' already has a value ({old[k]}), and --overwrite is false"
                for k, v in new.items()
                if k in old and old[k] != v
            ]
            if clashes:
                raise error(clashes[0] if len(clashes) == 1 else "[" + ", ".join(clashes) + "]")
        for key in remove:
            if key not in old:
                ctx.print(f'label "{key}" not found.')
        labels = {**old, **new}
        for key in remove:
            labels.pop(key, None)
        if labels == old:
            message = "not labeled"
        elif not overwrite and _labels_size(labels) < _labels_size(old):
            message = "unlabeled"
        else:
            message = "labeled"
        refused = meta_update_problems(rt.kind, meta["name"], labels)
        if refused:  # the API server validates the object the patch makes
            raise KubectlError(format_problems(refused, locations=False))
        if labels != old:
            ctx.state.set_labels(
                rt.kind, meta.get("namespace", "") if rt.namespaced else "", meta["name"], labels
            )
        if ctx.args.get("output") == "name":
            ctx.print(f"{rt.qualified}/{meta['name']}")
        else:
            ctx.print(f"{rt.qualified}/{meta['name']} {message}")
