"""One plain sentence for kubectl's cryptic messages about fields.

kubectl's wording stays as it is; these sentences go beside it:

* ``strict decoding error: unknown field "spec.containers"``: where that field does
  belong in this kind (a nesting mistake: usually indentation), or the closest known
  name (a typo).
* ``json: cannot unmarshal string into Go struct field Service.metadata of type
  v1.ObjectMeta``: what the field should hold and what the YAML gave it.
* ``Object 'Kind' is missing``: every document needs ``apiVersion`` and ``kind`` at its
  top level.
"""

from __future__ import annotations

import difflib
import re

from simulator.hints import hint, then
from simulator.validation.fields import TOP_LEVEL, Shape

_UNKNOWN = re.compile(r'unknown field "([^"]+)"')
_UNMARSHAL = re.compile(
    r"cannot unmarshal (\w+)(?: [^ ]+)? into Go struct field [\w]+\.([\w.]+) of type (\S+)"
)
_INDEX = re.compile(r"\[[^\]]*\]")
# What a Go type or a JSON type holds, as sentences of hints.py.
_GO_TYPES = {
    "string": "type-string",
    "bool": "type-bool",
    "int32": "type-whole-number",
    "int64": "type-whole-number",
    "intstr.IntOrString": "type-number-or-name",
    "map[string]string": "type-pairs",
    "map[string][]byte": "type-pairs",
}
_JSON_TYPES = {
    "string": "type-string",
    "number": "type-number",
    "bool": "type-bool",
    "array": "type-list",
    "object": "type-mapping",
}


def hint_for(message: str, kind: str) -> str:
    """A plain sentence explaining ``message`` for an object of ``kind``, or ""."""
    if "strict decoding error" in message:
        return _unknown_fields_hint(_UNKNOWN.findall(message), kind)
    match = _UNMARSHAL.search(message)
    if match is not None:
        return _type_hint(match[1], match[2], match[3])
    if "Object 'Kind' is missing" in message or "Object 'apiVersion' is missing" in message:
        return hint("needs-apiversion-and-kind")
    return ""


def _unknown_fields_hint(paths: list[str], kind: str) -> str:
    shape = TOP_LEVEL.get(kind)
    if shape is None or not paths:
        return ""
    sentences = []
    for path in paths[:3]:
        parent, _, name = _INDEX.sub("", path).rpartition(".")
        homes = [home for home in _homes(shape, name, "") if home != parent]
        if homes:
            where = [_place(home) for home in homes[:2]]
            sentences.append(
                hint(
                    "field-belongs-elsewhere",
                    name=name,
                    kind=kind,
                    where=where[0]
                    if len(where) == 1
                    else hint("either", first=where[0], second=where[1]),
                    parent=parent or hint("the-top"),
                )  # fmt: skip
            )
            continue
        known = _shape_at(shape, parent)
        close = difflib.get_close_matches(name, sorted(known.keys), n=1) if known else []
        if close:
            sentences.append(hint("did-you-mean", kind=kind, path=path, close=close[0]))
    return then(*sentences) if len(sentences) > 1 else (sentences[0] if sentences else "")


def _place(home: str) -> str:
    return hint("the-top-level") if home == "" else home


def _homes(shape: Shape, name: str, path: str) -> list[str]:
    # Every path in the kind's described fields where `name` is a known field.
    found = [path] if name in shape.keys else []  # "": the top level
    for key, child in (*shape.maps, *shape.lists):
        found += _homes(child, name, f"{path}.{key}" if path else key)
    return found


def _shape_at(shape: Shape, path: str) -> Shape | None:
    if not path:
        return shape
    for part in path.split("."):
        children = dict((*shape.maps, *shape.lists))
        if part not in children:
            return None
        shape = children[part]
    return shape


def _type_hint(given: str, field: str, go_type: str) -> str:
    wanted = _GO_TYPES.get(go_type)
    if wanted is None:
        wanted = "type-items" if go_type.startswith("[]") else "type-fields"
    actual = _JSON_TYPES.get(given)
    said = hint(
        "wrong-type", field=field, wanted=hint(wanted), actual=hint(actual) if actual else given
    )
    if given == "string" and wanted in ("type-fields", "type-pairs"):
        return then(said, hint("lines-not-keys"))
    return said
