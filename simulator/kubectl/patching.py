"""`kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`.

* strategic (the default): the API server's strategic merge patch. Maps
  merge, `null` deletes a key, and lists the API declares with a merge key
  merge item by item (containers and volumes by `name`, container ports by
  `containerPort`, Service ports by `port`, env by `name`, volumeMounts by
  `mountPath`...), with the `$patch: delete|replace` directives; other lists
  are replaced whole.
* merge: JSON merge patch (RFC 7386): lists are always replaced.
* json: JSON patch (RFC 6902), applied by the `jsonpatch` library.

The patched object then goes through the manifest pipeline like any other
update, so validation and immutable fields answer as they do for `apply`.
"""

from __future__ import annotations

import copy
import json

import jsonpatch
import yaml

from .applying import qualified, submit
from .changing import targets
from .context import Context
from .errors import error, usage_error

PATCH_TYPES = ("json", "merge", "strategic")
#: List fields the API merges item by item, by this key (Go struct tag `patchMergeKey`).
MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "volumes": "name", "env": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath",
    "volumeDevices": "devicePath", "hostAliases": "ip", "ownerReferences": "uid",
    "topologySpreadConstraints": "topologyKey", "conditions": "type",
}  # fmt: skip


class PatchError(ValueError):
    """A patch that cannot be applied; `str()` is the API server's explanation."""


def patch(ctx: Context) -> None:
    """Run `kubectl patch` (see the module docstring)."""
    a = ctx.args
    kind = str(a.get("type") or "strategic")
    if kind not in PATCH_TYPES:
        raise error(f'--type must be one of [json merge strategic], not "{kind}"')
    text = a.get("patch")
    if a.get("patch-file"):
        if text is not None:
            raise error("both patch and patch-file cannot be specified")
        text = ctx.read_file(str(a.get("patch-file")))
    if not text:
        raise error("must specify --patch or --patch-file containing the contents of the patch")
    try:
        document = yaml.safe_load(str(text))
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0]
        raise error(f'unable to parse "{text}": yaml: {first}') from None
    if not a.positional:
        raise usage_error("You must provide one or more resources by argument or filename.",
                          "patch")  # fmt: skip
    for rt, obj in targets(ctx, a.positional, "patch"):
        name = obj["metadata"]["name"]
        live = {k: v for k, v in copy.deepcopy(obj).items() if k != "status"}
        try:
            patched = apply_patch(kind, live, document)
        except PatchError as err:
            ctx.error(f"The request is invalid: {err}")
            continue
        if patched == live:
            ctx.print(f"{qualified(rt.kind)}/{name} patched (no change)")
            continue
        for key in ("apiVersion", "kind"):
            if patched.get(key) != live.get(key):
                ctx.error(f'error: unable to patch {key}: patches may not change "{key}"')
                break
        else:
            if replace_object(ctx, patched, "patch"):
                ctx.print(f"{qualified(rt.kind)}/{name} patched")


def replace_object(ctx: Context, changed: dict, verb: str) -> bool:
    """Submit a changed copy of a live object as an update, through the manifest pipeline
    (validation, immutable fields, the controllers); whether it was applied.

    Raises:
        KubectlError: the update was refused, with the API server's words.
    """
    text = yaml.safe_dump(changed, sort_keys=False)
    return bool(submit(ctx, text, "replace", verb, generated=True))


def apply_patch(kind: str, obj: dict, document: object) -> dict:
    """`obj` with the patch applied (a new object; `obj` is left alone).

    Raises:
        PatchError: a patch of the wrong shape, or a JSON patch whose test or path fails.
    """
    if kind == "json":
        if not isinstance(document, list):
            raise PatchError("the server rejected our request due to an error in our request: "
                             "json: cannot unmarshal object into Go value of type "
                             "jsonpatch.Patch")  # fmt: skip
        result = obj
        for op in document:
            try:
                result = jsonpatch.apply_patch(result, [op])
            except jsonpatch.JsonPatchTestFailed:
                raise PatchError(f"testing value {op.get('path')} failed") from None
            except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
                raise PatchError(
                    f"{op.get('op')} operation does not apply: doc is missing path: "
                    f"{op.get('path')}"
                ) from None
            except (TypeError, KeyError, AttributeError):
                raise PatchError(f"invalid JSON patch operation: {json.dumps(op)}") from None
        return result
    if not isinstance(document, dict):
        raise PatchError("unable to parse the patch: it must be a JSON or YAML object")
    if kind == "merge":
        return merge_patch(obj, document)
    return strategic_merge(obj, document, obj.get("kind", ""), ())


def merge_patch(target: object, patch: dict) -> dict:
    """RFC 7386 section 2's MergePatch(Target, Patch), as its pseudo-code says, for a
    patch that is an object (a patch value that is not one replaces the target's)."""
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            result[key] = merge_patch(result.get(key), value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def strategic_merge(target: dict, patch: dict, kind: str, path: tuple[str, ...]) -> dict:
    """The API server's strategic merge of a map (see the module docstring)."""
    directive = patch.get("$patch")
    if directive == "delete":
        return {}
    if directive == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if directive is not None:
        raise PatchError(f"Unknown patch type: {directive}")
    result = dict(target)
    for key, value in patch.items():
        if key.startswith("$setElementOrder/"):
            continue  # an ordering hint kubectl sends; the order of the patch is kept anyway
        if key.startswith("$"):
            raise PatchError(f"the patch directive {key} is not simulated here")
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            merged = strategic_merge(result[key], value, kind, (*path, key))
            if merged or value.get("$patch") != "delete":
                result[key] = merged
            else:
                result.pop(key, None)
        elif isinstance(value, list) and isinstance(result.get(key), list):
            merge_key = _merge_key(kind, path, key)
            result[key] = (
                _merge_list(result[key], value, merge_key, kind, (*path, key))
                if merge_key
                else _replace_list(value)
            )
        else:
            result[key] = _clean(value)
    return result


def _merge_key(kind: str, path: tuple[str, ...], field: str) -> str | None:
    if field == "ports":
        return "port" if kind == "Service" and path == ("spec",) else "containerPort"
    return MERGE_KEYS.get(field)


def _merge_list(live: list, patch: list, key: str, kind: str, path: tuple[str, ...]) -> list:
    if any(isinstance(p, dict) and p.get("$patch") == "replace" for p in patch):
        return _replace_list([p for p in patch if not (isinstance(p, dict) and "$patch" in p)])
    result = [copy.deepcopy(item) for item in live]
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            raise PatchError(f"map: {json.dumps(item)} does not contain declared merge key: {key}")
        index = next(
            (i for i, existing in enumerate(result)
             if isinstance(existing, dict) and existing.get(key) == item[key]),
            None,
        )  # fmt: skip
        if item.get("$patch") == "delete":
            if index is not None:
                del result[index]
            continue
        if index is None:
            result.append(_clean(item))
        else:
            result[index] = strategic_merge(result[index], item, kind, path)
    return result


def _replace_list(items: list) -> list:
    return [_clean(item) for item in items]


def _clean(value: object) -> object:
    """A patch value stored as is, without directives and null map entries."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("$") and v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
