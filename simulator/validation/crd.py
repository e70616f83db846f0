"""Structural schemas and validation rules, checked as the API server checks a CRD's objects.

CustomResourceDefinitions (the Gateway API kinds) are not validated by hand-written Go like
the built-in kinds: the API server prunes, defaults and checks each object against the CRD's
OpenAPI schema (kube-openapi), then the list types, then the ``x-kubernetes-validations`` CEL
rules. This module does the same, in the same order and with the same wording
(apiextensions-apiserver ``ConvertSchemaValidationErrors``, kube-openapi ``errors``):

* a value of the wrong type: ``spec.listeners[0].port: Invalid value: "string":
  spec.listeners[0].port in body must be of type integer: "string"``;
* ``Required value``; ``Unsupported value: "x": supported values: "a", "b"`` (enums);
* patterns and bounds: ``Invalid value: "Foo": spec.hostnames[0] in body should match '^…$'``,
  ``… in body should be at least 1 chars long``, ``… should be greater than or equal to 1``,
  ``… should have at least 1 items``; ``Too long: may not be more than 253 bytes``;
  ``Too many: 17: must have at most 16 items``;
* list types: a repeated key of a ``map`` list is ``spec.listeners[1]: Duplicate value:
  map[string]interface {}{"name":"http"}``, of a ``set`` list ``Duplicate value: "x"``;
* a failed CEL rule: ``spec.rules[0]: Invalid value: "object": <the rule's message>``.

Errors of the kinds that make CEL unsafe to run (a missing field, a wrong type or enum, a
value too long or a list too long) stop the rules: the server then adds
``<nil>: Invalid value: null: some validation rules were not checked because the object was
invalid; correct the existing errors to complete validation``.

Rules are Python predicates over the defaulted object, each with its CRD message; nulls are
dropped first, as the server prunes them from non-nullable fields. The schema also knows the
field names, for strict decoding (``unknown field "spec.rules[0].matchs"``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.validation.common import Issues, show

SKIPPED_RULES = (
    "Invalid value: null: some validation rules were not checked because the object was "
    "invalid; correct the existing errors to complete validation"
)
_TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer",
               float: "number"}  # fmt: skip


class MissingKey(LookupError):
    """A rule read a field the object does not have: CEL's ``no such key: <key>``."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``x-kubernetes-validations`` entry: ``check(value) is False`` reports ``message``."""

    message: str
    check: Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Schema:
    """A node of a structural schema.

    Attributes:
        type: ``object``, ``array``, ``string``, ``integer`` or ``boolean``.
        properties: an object's fields, in the CRD's order.
        values: the schema of a map's values (``additionalProperties``).
        items: an array's item schema.
        required: an object's required fields.
        enum: allowed values.
        pattern: a regular expression, as the CRD spells it.
        min_length, max_length: string bounds (characters).
        minimum, maximum: integer bounds.
        min_items, max_items: array bounds.
        map_keys: for ``x-kubernetes-list-type: map``, the item keys that must be unique.
        is_set: ``x-kubernetes-list-type: set`` (items unique).
        default: the value the server fills in when the field is absent.
        rules: CEL rules on this node, in the CRD's order.
    """

    type: str
    properties: tuple[tuple[str, Schema], ...] = ()
    values: Schema | None = None
    items: Schema | None = None
    required: tuple[str, ...] = ()
    enum: tuple = ()
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    map_keys: tuple[str, ...] = ()
    is_set: bool = False
    default: object = None
    rules: tuple[Rule, ...] = ()
    _compiled: list = field(default_factory=list, compare=False, repr=False)

    def prop(self, name: str) -> Schema | None:
        """The schema of field ``name`` (None when the object has no such field)."""
        for key, child in self.properties:
            if key == name:
                return child
        return None

    def regex(self) -> re.Pattern:
        """The compiled pattern (compiled once per node)."""
        if not self._compiled:
            self._compiled.append(re.compile(self.pattern or ""))
        return self._compiled[0]


def obj(properties: dict[str, Schema], *, required: str = "", rules: tuple[Rule, ...] = (),
        default: object = None) -> Schema:  # fmt: skip
    """An object node; ``required`` is a space-separated list of field names."""
    return Schema("object", tuple(properties.items()), required=tuple(required.split()),
                  rules=rules, default=default)  # fmt: skip


def string_map(values: Schema, rules: tuple[Rule, ...] = ()) -> Schema:
    """An object whose keys are free and whose values follow ``values``."""
    return Schema("object", values=values, rules=rules)


def array(items: Schema, *, max_items: int | None = None, min_items: int | None = None,
          map_keys: str = "", is_set: bool = False, rules: tuple[Rule, ...] = (),
          default: object = None) -> Schema:  # fmt: skip
    """An array node; ``map_keys`` makes it an ``x-kubernetes-list-type: map`` list."""
    return Schema("array", items=items, max_items=max_items, min_items=min_items,
                  map_keys=tuple(map_keys.split()), is_set=is_set, rules=rules,
                  default=default)  # fmt: skip


def string(pattern: str | None = None, *, min_length: int | None = None,
           max_length: int | None = None, enum: tuple[str, ...] = (), default: object = None,
           rules: tuple[Rule, ...] = ()) -> Schema:  # fmt: skip
    """A string node."""
    return Schema("string", pattern=pattern, min_length=min_length, max_length=max_length,
                  enum=enum, default=default, rules=rules)  # fmt: skip


def integer(minimum: int | None = None, maximum: int | None = None, *, enum: tuple = (),
            default: object = None) -> Schema:  # fmt: skip
    """An integer (int32) node."""
    return Schema("integer", minimum=minimum, maximum=maximum, enum=enum, default=default)


BOOLEAN = Schema("boolean")


def prune_nulls(value: Any) -> Any:
    """Drop null fields and items, as the server prunes them from non-nullable fields."""
    if type(value) is dict:
        return {k: prune_nulls(v) for k, v in value.items() if v is not None}
    if type(value) is list:
        return [prune_nulls(v) for v in value if v is not None]
    return value


def apply_schema_defaults(value: Any, schema: Schema) -> None:
    """Fill in the schema's defaults in place, as structural defaulting does.

    A default is set on an absent field of an object that is there; defaults are applied
    top-down, so a defaulted object gets its own fields' defaults too.
    """
    if schema.type == "object" and type(value) is dict:
        for name, child in schema.properties:
            if name not in value and child.default is not None:
                value[name] = copy.deepcopy(child.default)
            if name in value:
                apply_schema_defaults(value[name], child)
        if schema.values is not None:
            for item in value.values():
                apply_schema_defaults(item, schema.values)
    elif schema.type == "array" and type(value) is list and schema.items is not None:
        for item in value:
            apply_schema_defaults(item, schema.items)


def unknown_fields(value: Any, schema: Schema, path: str, found: list[str]) -> None:
    """Append the paths of fields ``value`` has that the schema does not know."""
    if schema.type == "object" and type(value) is dict:
        if schema.values is not None:
            for key, item in value.items():
                unknown_fields(item, schema.values, f"{path}.{key}", found)
            return
        for key, item in value.items():
            child = schema.prop(key)
            where = f"{path}.{key}" if path else key
            if child is None:
                found.append(where)
            else:
                unknown_fields(item, child, where, found)
    elif schema.type == "array" and type(value) is list and schema.items is not None:
        for index, item in enumerate(value):
            unknown_fields(item, schema.items, f"{path}[{index}]", found)


class _Walk:
    """One validation pass: schema errors, then list types, then (unless blocked) rules."""

    def __init__(self, issues: Issues) -> None:
        self.issues = issues
        self.blocked = False

    def invalid(self, path: str, value: Any, detail: str) -> None:
        self.issues.add(path, f"Invalid value: {show(value)}: {detail}")

    def blocking(self, path: str, message: str) -> None:
        self.issues.add(path, message)
        self.blocked = True

    def schema(self, value: Any, schema: Schema, path: str) -> None:
        actual = _TYPE_NAMES.get(type(value), "object")
        if actual != schema.type and not (schema.type == "number" and actual == "integer"):
            name = _TYPE_NAMES.get(type(value), "object")
            self.blocking(
                path,
                f"Invalid value: {show(name)}: {path} in body must be of type {schema.type}: "
                f"{show(name)}",
            )
            return
        if schema.enum and value not in schema.enum:
            listed = ", ".join(f'"{item}"' for item in schema.enum)
            self.blocking(path, f"Unsupported value: {show(value)}: supported values: {listed}")
        if schema.type == "string":
            self.string(value, schema, path)
        elif schema.type == "integer":
            if schema.minimum is not None and value < schema.minimum:
                self.invalid(
                    path,
                    value,
                    f"{path} in body should be greater than or equal to {schema.minimum}",
                )
            if schema.maximum is not None and value > schema.maximum:
                self.invalid(
                    path, value, f"{path} in body should be less than or equal to {schema.maximum}"
                )
        elif schema.type == "array":
            self.array(value, schema, path)
        elif schema.type == "object":
            for name in schema.required:
                if name not in value:
                    self.blocking(f"{path}.{name}" if path else name, "Required value")
            for key, item in value.items():
                child = schema.values if schema.values is not None else schema.prop(key)
                if child is not None:
                    self.schema(item, child, f"{path}.{key}" if path else key)

    def string(self, value: str, schema: Schema, path: str) -> None:
        if schema.max_length is not None and len(value) > schema.max_length:
            self.blocking(path, f"Too long: may not be more than {schema.max_length} bytes")
        if schema.min_length is not None and len(value) < schema.min_length:
            self.invalid(
                path, value, f"{path} in body should be at least {schema.min_length} chars long"
            )
        if schema.pattern is not None and schema.regex().search(value) is None:
            self.invalid(path, value, f"{path} in body should match '{schema.pattern}'")

    def array(self, value: list, schema: Schema, path: str) -> None:
        if schema.max_items is not None and len(value) > schema.max_items:
            items = "item" if schema.max_items == 1 else "items"
            self.blocking(
                path, f"Too many: {len(value)}: must have at most {schema.max_items} {items}"
            )
        if schema.min_items is not None and len(value) < schema.min_items:
            self.invalid(
                path, len(value), f"{path} in body should have at least {schema.min_items} items"
            )
        if schema.items is not None:
            for index, item in enumerate(value):
                self.schema(item, schema.items, f"{path}[{index}]")

    def list_types(self, value: Any, schema: Schema, path: str) -> None:
        if schema.type == "object" and type(value) is dict:
            for key, item in value.items():
                child = schema.values if schema.values is not None else schema.prop(key)
                if child is not None:
                    self.list_types(item, child, f"{path}.{key}" if path else key)
        elif schema.type == "array" and type(value) is list:
            if schema.map_keys or schema.is_set:
                seen: list = []
                for index, item in enumerate(value):
                    if schema.map_keys:
                        if type(item) is not dict:
                            continue
                        key = {k: item.get(k) for k in schema.map_keys if k in item}
                    else:
                        key = item
                    if key in seen:
                        shown = (
                            "map[string]interface {}"
                            + json.dumps(key, separators=(",", ":"), ensure_ascii=False)
                            if schema.map_keys
                            else show(key)
                        )
                        self.issues.add(f"{path}[{index}]", f"Duplicate value: {shown}")
                    else:
                        seen.append(key)
            if schema.items is not None:
                for index, item in enumerate(value):
                    self.list_types(item, schema.items, f"{path}[{index}]")

    def rules(self, value: Any, schema: Schema, path: str) -> None:
        for rule in schema.rules:
            kind = _TYPE_NAMES.get(type(value), "object")
            try:
                if rule.check(value):
                    continue
                message = rule.message
            except MissingKey as missing:
                message = f"no such key: {missing.args[0]} evaluating rule: {rule.message}"
            self.issues.add(path, f'Invalid value: "{kind}": {message}')
        if schema.type == "object" and type(value) is dict:
            for key, item in value.items():
                child = schema.values if schema.values is not None else schema.prop(key)
                if child is not None:
                    self.rules(item, child, f"{path}.{key}" if path else key)
        elif schema.type == "array" and type(value) is list and schema.items is not None:
            for index, item in enumerate(value):
                self.rules(item, schema.items, f"{path}[{index}]")


def validate(issues: Issues, value: dict, schema: Schema, root: str = "") -> dict:
    """Check ``value`` (a whole object's fields below ``root``) as the API server would.

    Args:
        issues: where problems go (unknown fields in ``issues.unknown``).
        value: the object as submitted.
        schema: its structural schema (the object's root: ``spec`` and friends).
        root: the path of ``value`` ("" for a whole object).

    Returns:
        The object with nulls pruned and defaults applied (a copy): what the rules saw.
    """
    unknown_fields(value, schema, root, issues.unknown)
    defaulted = prune_nulls(value)
    apply_schema_defaults(defaulted, schema)
    walk = _Walk(issues)
    walk.schema(defaulted, schema, root)
    walk.list_types(defaulted, schema, root)
    if walk.blocked:
        issues.add("<nil>", SKIPPED_RULES)
    else:
        walk.rules(defaulted, schema, root)
    return defaulted
