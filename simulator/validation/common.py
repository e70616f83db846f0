"""What every validator shares: the issue collector, value printing and typed field access.

Messages follow apimachinery's ``field.Error`` wording (``Required value``,
``Invalid value: 80: ...``, ``Unsupported value: "x": supported values: "a", "b"``).
A value of the wrong JSON type is a decoding error in Kubernetes, reported once per object
as ``json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type
int32``; the typed getters here record it and let validation carry on with a neutral value.
"""

from __future__ import annotations

import json
import re

from simulator.validation import names

_INDEX = re.compile(r"\[[^\]]*\]")
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def show(value: object) -> str:
    """Print a value as field.Error does: strings quoted, maps and lists as compact JSON."""
    kind = type(value)
    if kind is str:
        return json.dumps(value, ensure_ascii=False)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def json_kind(value: object, go_type: str = "") -> str:
    """Name a JSON value as Go's UnmarshalTypeError does.

    Numbers that do not fit an integer field carry their text (``number 80.5``); other
    mismatches name only the JSON type (``number``, ``string``, ``bool``...).
    """
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return f"number {value}" if go_type.startswith("int") else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def join(path: str, key: str) -> str:
    """Return ``path.key`` (or ``key`` at the top)."""
    return f"{path}.{key}" if path else key


class Issues:
    """Collects one object's problems as (field, message, where) triples.

    ``where`` is the field path to point the learner at when it differs from ``field``
    (e.g. ``spec.clusterIP`` for a ``spec.clusterIPs[0]`` message). ``decode`` holds the
    first type error, ``unknown`` the unknown fields (strict decoding).
    """

    __slots__ = ("items", "decode", "unknown")

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str | None]] = []
        self.decode: tuple[str, str] | None = None
        self.unknown: list[str] = []

    def add(self, field: str, message: str, where: str | None = None) -> None:
        """Record ``field: message``."""
        self.items.append((field, message, where))

    def invalid(self, field: str, value: object, detail: str, where: str | None = None) -> None:
        """Record ``Invalid value: <value>: <detail>``."""
        self.items.append((field, f"Invalid value: {show(value)}: {detail}", where))

    def required(self, field: str, detail: str = "", where: str | None = None) -> None:
        """Record ``Required value`` (with an optional detail)."""
        message = f"Required value: {detail}" if detail else "Required value"
        self.items.append((field, message, where))

    def forbidden(self, field: str, detail: str, where: str | None = None) -> None:
        """Record ``Forbidden: <detail>``."""
        self.items.append((field, f"Forbidden: {detail}", where))

    def not_supported(
        self,
        field: str,
        value: object,
        supported: tuple[str, ...] | list[str],
        where: str | None = None,
    ) -> None:
        """Record ``Unsupported value: <value>: supported values: "a", "b"``."""
        listed = ", ".join(f'"{item}"' for item in supported)
        self.items.append(
            (field, f"Unsupported value: {show(value)}: supported values: {listed}", where)
        )

    def duplicate(self, field: str, value: object, where: str | None = None) -> None:
        """Record ``Duplicate value: <value>``."""
        self.items.append((field, f"Duplicate value: {show(value)}", where))

    def bad_type(self, field: str, value: object, go_type: str, struct: str) -> None:
        """Record a decoding error (only the first one per object, as Go reports it)."""
        if self.decode is None:
            go_field = _INDEX.sub("", field)
            self.decode = (
                f"json: cannot unmarshal {json_kind(value, go_type)} into Go struct field "
                f"{struct}.{go_field} of type {go_type}",
                field,
            )

    def nonnegative(self, field: str, value: int | None) -> None:
        """ValidateNonnegativeField."""
        if value is not None and value < 0:
            self.invalid(field, value, "must be greater than or equal to 0")


def get_str(issues: Issues, obj: dict, key: str, path: str, struct: str) -> str:
    """A string field; "" when absent, null or of the wrong type (then recorded)."""
    value = obj.get(key)
    if type(value) is str:
        return value
    if value is not None:
        issues.bad_type(join(path, key), value, "string", struct)
    return ""


def get_int(
    issues: Issues, obj: dict, key: str, path: str, struct: str, go_type: str = "int32"
) -> int | None:
    """An integer field; None when absent or of the wrong type (then recorded)."""
    value = obj.get(key)
    if type(value) is int:
        low, high = INT64 if go_type == "int64" else INT32
        if low <= value <= high:
            return value
    if value is not None:
        issues.bad_type(join(path, key), value, go_type, struct)
    return None


def get_bool(issues: Issues, obj: dict, key: str, path: str, struct: str) -> bool | None:
    """A boolean field; None when absent or of the wrong type (then recorded)."""
    value = obj.get(key)
    if type(value) is bool:
        return value
    if value is not None:
        issues.bad_type(join(path, key), value, "bool", struct)
    return None


def get_map(
    issues: Issues, obj: dict, key: str, path: str, struct: str, go_type: str
) -> dict | None:
    """An object field; None when absent or of the wrong type (then recorded)."""
    value = obj.get(key)
    if type(value) is dict:
        return value
    if value is not None:
        issues.bad_type(join(path, key), value, go_type, struct)
    return None


_STRING_LISTS = frozenset({"[]v1.IPFamily"})  # named string types, not structs


def get_list(issues: Issues, obj: dict, key: str, path: str, struct: str, go_type: str) -> list:
    """A list field; [] when absent or of the wrong type (then recorded).

    A null item of a list of structs becomes the empty struct, as Go's decoder makes it,
    so it is validated (and refused) like one instead of reaching the controllers.
    """
    value = obj.get(key)
    if type(value) is list:
        if go_type.startswith("[]v1.") and go_type not in _STRING_LISTS:
            value[:] = [{} if item is None else item for item in value]
        return value
    if value is not None:
        issues.bad_type(join(path, key), value, go_type, struct)
    return []


def get_string_map(issues: Issues, obj: dict, key: str, path: str, struct: str) -> dict:
    """A ``map[string]string`` field (labels, selectors, data); wrong entries are dropped."""
    value = obj.get(key)
    if type(value) is not dict:
        if value is not None:
            issues.bad_type(join(path, key), value, "map[string]string", struct)
        return {}
    for item in value.values():
        if type(item) is not str:
            break
    else:
        return value
    kept = {}
    for name, item in value.items():
        if type(item) is str:
            kept[name] = item
        elif item is not None:
            issues.bad_type(join(path, key), item, "string", struct)
    return kept


def get_port(issues: Issues, obj: dict, key: str, path: str, struct: str) -> int | str | None:
    """An IntOrString port; None when absent or of the wrong type (then recorded)."""
    value = obj.get(key)
    if type(value) is str or (type(value) is int and INT32[0] <= value <= INT32[1]):
        return value
    if value is not None:
        issues.bad_type(join(path, key), value, "intstr.IntOrString", struct)
    return None


def check_port_num_or_name(issues: Issues, field: str, port: int | str) -> None:
    """ValidatePortNumOrName: a number 1-65535 or an IANA service name."""
    if isinstance(port, str):
        for message in names.port_name(port):
            issues.invalid(field, port, message)
    elif not 1 <= port <= 65535:
        issues.invalid(field, port, names.PORT_RANGE_ERROR)


def check_labels(issues: Issues, labels: dict, field: str) -> None:
    """ValidateLabels: keys are qualified names, values label values."""
    for key, value in labels.items():
        for message in names.qualified_name(key):
            issues.invalid(field, key, message)
        for message in names.label_value(value):
            issues.invalid(field, value, message)


def selector_matches(selector: dict, labels: dict) -> bool:
    """Whether a LabelSelector (matchLabels + matchExpressions) selects ``labels``."""
    match_labels = selector.get("matchLabels")
    if type(match_labels) is dict:
        for key, value in match_labels.items():
            if labels.get(key) != value:
                return False
    expressions = selector.get("matchExpressions")
    if type(expressions) is list:
        for expression in expressions:
            if type(expression) is not dict:
                return False
            key = expression.get("key")
            operator = expression.get("operator")
            values = expression.get("values") or []
            if operator == "In":
                if key not in labels or labels[key] not in values:
                    return False
            elif operator == "NotIn":
                if key in labels and labels[key] in values:
                    return False
            elif operator == "Exists":
                if key not in labels:
                    return False
            elif operator == "DoesNotExist":
                if key in labels:
                    return False
            else:
                return False
    return True
