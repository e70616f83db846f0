"""Node commands: `kubectl taint`, `cordon` and `uncordon` (kubectl's taint.go, drain.go)."""

from __future__ import annotations

import re

from simulator.errors import Conflict

from .context import Context
from .errors import error, not_found, usage_error
from .getting import selector_of
from .resources import list_objects, resolve_type

EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_QUALIFIED = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def taint_text(key: str, value: str, effect: str) -> str:
    """`Taint.ToString()`."""
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def parse_taint(spec: str) -> tuple[str, str, str]:
    """`key[=value]:Effect` or `key` (removal) as (key, value, effect), with kubectl's errors."""
    parts = spec.split(":")
    value = effect = ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise usage_error(f"invalid taint effect: {effect}, unsupported taint effect", "taint")
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise usage_error(f"invalid taint spec: {spec}", "taint")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            if len(value) > 63 or not _LABEL_VALUE.match(value):
                raise usage_error(
                    f"invalid taint spec: {spec}, a valid label must be an empty string or consist "
                    "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                    "alphanumeric character",
                    "taint",
                )
    else:
        raise usage_error(f"invalid taint spec: {spec}", "taint")
    prefix, _, name = key.rpartition("/")
    if (
        not name
        or len(name) > 63
        or not _QUALIFIED.match(name)
        or (prefix and not _DNS_SUBDOMAIN.match(prefix))
    ):
        raise usage_error(
            f"invalid taint spec: {spec}, name part must consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character",
            "taint",
        )
    return key, value, effect


def _nodes(ctx: Context, names: list[str], verb: str) -> list[dict]:
    store = ctx.state.store
    if ctx.args.get("all") or ctx.args.get("selector"):
        rt = resolve_type("nodes")
        return list_objects(ctx.state, rt, None, selector_of(ctx))
    out = []
    for name in names:
        node = store.get("Node", "", name)
        if node is None:
            ctx.error(not_found("nodes", name))
        else:
            out.append(node)
    return out


def taint(ctx: Context) -> None:
    """`kubectl taint nodes NAME key[=value]:Effect[-]...`: `tainted`, `untainted`, `modified`."""

    resources, specs = [], []
    for arg in ctx.args.positional:
        if "=" in arg or ":" in arg or arg.endswith("-"):
            specs.append(arg)
        elif specs:
            raise error(f"all resources must be specified before taint changes: {arg}")
        else:
            resources.append(arg)
    if not resources:
        raise error("one or more resources must be specified as <resource> <name>")
    if not specs:
        raise error("at least one taint update is required")
    adds: list[tuple[str, str, str]] = []
    removes: list[tuple[str, str]] = []
    for spec in specs:
        if spec.endswith("-"):
            key, _, effect = parse_taint(spec[:-1])
            removes.append((key, effect))
            continue
        key, value, effect = parse_taint(spec)
        if not effect:
            raise usage_error(f"invalid taint spec: {spec}", "taint")
        if any(k == key and e == effect for k, _, e in adds):
            raise usage_error(
                f"duplicated taints with the same key and effect: {{{key} {value} {effect} <nil>}}",
                "taint",
            )
        adds.append((key, value, effect))
    type_text, _, first_name = resources[0].partition("/")
    rt = resolve_type(type_text)
    if rt.kind != "Node":
        raise error(f"invalid resource type {type_text.lower()}, only node types are supported")
    conflicts = [
        f"{k}={e}" for k, _, ae in adds for k2, e in removes if k == k2 and (not e or e == ae)
    ]
    if conflicts:
        raise error(
            "can not both modify and remove the following taint(s) in the same "
            f"command: {', '.join(conflicts)}"
        )
    names = ([first_name] if first_name else []) + resources[1:]
    if not names and not ctx.args.get("all") and not ctx.args.get("selector"):
        raise error("at least one resource name must be specified since 'all' parameter is not set")
    overwrite = bool(ctx.args.get("overwrite"))
    for node in _nodes(ctx, names, "taint"):
        name = node["metadata"]["name"]
        old = [
            (t.get("key", ""), t.get("value", ""), t.get("effect", ""))
            for t in (node.get("spec") or {}).get("taints") or ()
        ]
        if not overwrite:
            exists = [k for k, _, e in adds for ok, _, oe in old if k == ok and e == oe]
            if exists:
                raise error(
                    f"node {name} already has {','.join(exists)} taint(s) with same "
                    "effect(s) and --overwrite is false"
                )
        kept = list(adds) + [t for t in old if not any(t[0] == k and t[2] == e for k, _, e in adds)]
        added = len(kept) != len(old)
        problems, removed = [], False
        for key, effect in removes:
            before = len(kept)
            kept = [t for t in kept if not (t[0] == key and (not effect or t[2] == effect))]
            removed = len(kept) != before
            if not removed:
                problems.append(f'taint "{taint_text(key, "", effect)}" not found')
        if problems:
            raise error(problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]")
        operation = (
            "modified" if (added and removed) or overwrite else "tainted" if added else "untainted"
        )
        try:
            for key, value, effect in old:
                if (key, value, effect) not in kept:
                    ctx.state.taint(name, key, value, effect, remove=True)
            for key, value, effect in kept:
                if (key, value, effect) not in old:
                    ctx.state.taint(name, key, value, effect)
        except Conflict as err:
            ctx.error(str(err))
            continue
        ctx.print(f"node/{name} {operation}")


def _cordon(ctx: Context, desired: bool) -> None:
    verb = "cordon" if desired else "uncordon"
    names = ctx.args.positional
    if not names and not ctx.args.get("selector"):
        raise usage_error(f"USAGE: {verb} NODE [flags]", verb)
    for node in _nodes(ctx, names, verb):
        name = node["metadata"]["name"]
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == desired:
            ctx.print(f"node/{name} already {verb}ed")
            continue
        ctx.state.set_unschedulable(name, desired)
        ctx.print(f"node/{name} {verb}ed")


def cordon(ctx: Context) -> None:
    """`kubectl cordon NODE`: mark a node unschedulable."""
    _cordon(ctx, True)


def uncordon(ctx: Context) -> None:
    """`kubectl uncordon NODE`: mark a node schedulable again."""
    _cordon(ctx, False)
