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

from simulator.validation.fields import TOP_LEVEL, Shape

_UNKNOWN = re.compile(r'unknown field "([^"]+)"')
_UNMARSHAL = re.compile(
    r"cannot unmarshal (\w+)(?: [^ ]+)? into Go struct field [\w]+\.([\w.]+) of type (\S+)"
)
_INDEX = re.compile(r"\[[^\]]*\]")
_GO_TYPES = {
    "string": "a string",
    "bool": "true or false",
    "int32": "a whole number",
    "int64": "a whole number",
    "intstr.IntOrString": "a number or a name",
    "map[string]string": "a mapping of key: value pairs",
    "map[string][]byte": "a mapping of key: value pairs",
}
_JSON_TYPES = {
    "string": "a string",
    "number": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "a mapping",
}


def hint_for(message: str, kind: str) -> str:
    """A plain sentence explaining ``message`` for an object of ``kind``, or ""."""
    if "strict decoding error" in message:
        return _unknown_fields_hint(_UNKNOWN.findall(message), kind)
    match = _UNMARSHAL.search(message)
    if match is not None:
        return _type_hint(match[1], match[2], match[3])
    if "Object 'Kind' is missing" in message or "Object 'apiVersion' is missing" in message:
        return (
            "Every document needs apiVersion: and kind: at its top level (no indentation), "
            "e.g. apiVersion: v1 and kind: Service."
        )
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
            where = " or ".join(homes[:2]) or "the top level"
            sentences.append(
                f"“{name}” belongs under {where} in a {kind}, not under {parent or 'the top'}"
                ": check its indentation."
            )
            continue
        known = _shape_at(shape, parent)
        close = difflib.get_close_matches(name, sorted(known.keys), n=1) if known else []
        if close:
            sentences.append(f"A {kind} has no field “{path}”: did you mean “{close[0]}”?")
    return " ".join(sentences)


def _homes(shape: Shape, name: str, path: str) -> list[str]:
    # Every path in the kind's described fields where `name` is a known field.
    found = [path or "the top level"] if name in shape.keys else []
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
        wanted = "a list (lines starting with “- ”)" if go_type.startswith("[]") else None
    if wanted is None:
        wanted = "a mapping of fields (key: value lines indented under it)"
    actual = _JSON_TYPES.get(given, given)
    hint = f"{field} should be {wanted}, but the YAML gives it {actual}."
    if given == "string" and wanted.startswith("a mapping"):
        hint += (
            " The lines under it are probably not read as keys: look for a missing “: ” "
            "(or a full-width “：”) or a wrong indentation."
        )
    return hint
