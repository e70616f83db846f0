"""`kubectl set image` and `kubectl set env`: change a workload's pod template.

As kubectl's `set` commands do, the template of a Deployment, DaemonSet,
StatefulSet, ReplicaSet or ReplicationController (or a pod's spec, for
`set image`) is changed and sent back as an update, through the same path
as `kubectl patch`; a Deployment then rolls out. An object left as it was
prints nothing, as kubectl skips an empty patch.
"""

from __future__ import annotations

import copy
import re

from .args import BOOL, MULTI, SELECTOR, Flag
from .changing import targets
from .context import Context
from .errors import error, usage_error
from .patching import replace_object

FLAGS = (
    SELECTOR,
    Flag("all", type=BOOL),
    Flag("containers", "c"),
    Flag("env", "e", MULTI),
    Flag("overwrite", type=BOOL),
    Flag("output", "o"),
    Flag("dry-run"),
)
WITH_TEMPLATE = ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "ReplicationController")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


def set_command(ctx: Context) -> None:
    """Dispatch `kubectl set image|env`."""
    args = ctx.args.positional
    if not args:
        raise usage_error("You must specify the type of resource to set", "set")
    sub, rest = args[0], args[1:]
    if sub == "image":
        _set_image(ctx, rest)
    elif sub == "env":
        _set_env(ctx, rest)
    else:
        raise usage_error(f'unknown command "{sub}"', "set")


def _split(args: list[str]) -> tuple[list[str], list[str]]:
    """Resources (`TYPE NAME`, `TYPE/NAME`) first, then `KEY=VALUE` (or `KEY-`) changes."""
    resources: list[str] = []
    changes: list[str] = []
    for arg in args:
        if "=" in arg or (arg.endswith("-") and changes) or (arg.endswith("-") and resources):
            changes.append(arg)
        else:
            resources.append(arg)
    return resources, changes


def _pod_spec(obj: dict) -> dict:
    return obj["spec"] if obj["kind"] == "Pod" else obj["spec"]["template"]["spec"]


def _set_image(ctx: Context, args: list[str]) -> None:
    resources, changes = _split(args)
    problems = []
    if not resources and not ctx.args.get("selector"):
        problems.append(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not changes:
        problems.append("at least one image update is required")
    if problems:
        raise error(problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]")
    images = {}
    for change in changes:
        name, _, image = change.partition("=")
        images[name] = image
    for rt, obj in targets(ctx, resources, "set image"):
        if rt.kind not in WITH_TEMPLATE and rt.kind != "Pod":
            ctx.error(f'error: {rt.resource_qualified}/{obj["metadata"]["name"]} the object is '
                      "not a pod or does not have a pod template")  # fmt: skip
            continue
        live = {k: copy.deepcopy(v) for k, v in obj.items() if k != "status"}
        spec = _pod_spec(live)
        changed = False
        for name, image in images.items():
            found = False
            for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
                if name in ("*", container["name"]):
                    found = True
                    if container.get("image") != image:
                        container["image"] = image
                        changed = True
            if not found:
                ctx.error(f'error: unable to find container named "{name}"')
        if changed and replace_object(ctx, live, "set"):
            ctx.print(f"{rt.qualified}/{obj['metadata']['name']} image updated")


def _set_env(ctx: Context, args: list[str]) -> None:
    resources, changes = _split(args)
    changes += ctx.args.values("env")
    if not resources and not ctx.args.get("selector"):
        raise error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not changes:
        raise error("at least one environment variable must be provided")
    add: dict[str, str] = {}
    remove: list[str] = []
    for change in changes:
        if "=" in change:
            name, _, value = change.partition("=")
            if not _ENV_NAME.match(name):
                raise error(f'invalid environment variable name "{name}": a valid environment '
                            "variable name must consist of alphabetic characters, digits, '_', "
                            "'-', or '.', and must not start with a digit")  # fmt: skip
            add[name] = value
        else:
            remove.append(change[:-1])
    selector = str(ctx.args.get("containers") or "*")
    overwrite = ctx.args.get("overwrite", True)
    for rt, obj in targets(ctx, resources, "set env"):
        name = obj["metadata"]["name"]
        if rt.kind not in WITH_TEMPLATE:
            ctx.error(f"error: the {rt.plural} {name} is not a pod or does not have a pod "
                      "template")  # fmt: skip
            continue
        live = {k: copy.deepcopy(v) for k, v in obj.items() if k != "status"}
        containers = [c for c in _pod_spec(live).get("containers") or ()
                      if selector in ("*", c["name"])]  # fmt: skip
        if not containers:
            ctx.warn(f'warning: {rt.plural}/{name} does not have any containers matching '
                     f'"{selector}"')  # fmt: skip
            continue
        for container in containers:
            env = list(container.get("env") or [])
            if not overwrite:
                taken = [e["name"] for e in env if e["name"] in add]
                if taken:
                    raise error(f"'{taken[0]}' already has a value ({_value(env, taken[0])}), "
                                "and --overwrite is false")  # fmt: skip
            kept = [e for e in env if e["name"] not in add and e["name"] not in remove]
            for key, value in add.items():
                existing = next((e for e in env if e["name"] == key), None)
                if existing is not None and existing.get("value") == value:
                    kept.append(existing)
                else:
                    kept.append({"name": key, "value": value})
            order = {e["name"]: i for i, e in enumerate(env)}
            kept.sort(key=lambda e: order.get(e["name"], len(order)))
            if kept:
                container["env"] = kept
            else:
                container.pop("env", None)
        unchanged = live == {k: v for k, v in obj.items() if k != "status"}
        if not unchanged and replace_object(ctx, live, "set"):
            ctx.print(f"{rt.qualified}/{name} env updated")


def _value(env: list[dict], name: str) -> str:
    return next((str(e.get("value", "")) for e in env if e["name"] == name), "")
