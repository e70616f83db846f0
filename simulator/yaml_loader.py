"""The YAML loader behind `simulator.manifests`: libyaml, narrowed to what kubectl reads.

YAML is decoded with libyaml (`yaml.CSafeLoader`) and a few changes that make PyYAML agree
with kubectl's YAML->JSON step: timestamps and ``1:30``-style numbers stay strings, mapping
keys must be strings, and only the JSON-like core tags are accepted; language-specific
tags are refused (`Refused`).
"""

from __future__ import annotations

import operator
import re

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["ManifestLoader", "Refused"]

_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"


class Refused(ConstructorError):
    """A construction refused on purpose; `text` is the learner-facing reason.

    ``refusal`` marks input refused for safety (tags) rather than as malformed (keys).
    """

    def __init__(self, text: str, node: Node, *, refusal: bool = True) -> None:
        super().__init__(None, None, text, node.start_mark)
        self.text = text
        self.refusal = refusal


def _refuse_language_tag(loader: ManifestLoader, node: Node) -> None:
    raise Refused("language-specific YAML tags are not allowed", node)


def _refuse_unsupported_tag(loader: ManifestLoader, node: Node) -> None:
    short = node.tag.replace(_TAG, "!!")
    raise Refused(
        f"the YAML tag {short} is not supported; use plain mappings, lists and strings",
        node,
    )


def _scalar_string(loader: ManifestLoader, node: ScalarNode) -> str:
    return loader.construct_scalar(node)


def _yaml_int(loader: ManifestLoader, node: ScalarNode) -> int:
    # Plain decimals (ports, replicas) directly; signs, "_", octal "0755", hex and binary
    # through PyYAML's reading.
    value = node.value
    if value.isdigit() and value.isascii() and (value[0] != "0" or value == "0"):
        return int(value)
    return SafeConstructor.construct_yaml_int(loader, node)


def _resolvers() -> dict[str, list]:
    # YAML 1.1 timestamps and sexagesimal numbers ("1:30" -> 90) are PyYAML-only readings;
    # kubectl's YAML->JSON conversion keeps them as strings, and so do we.
    dropped = {_TAG + "timestamp", _TAG + "int", _TAG + "float"}
    table = {
        first: [(tag, rx) for tag, rx in entries if tag not in dropped]
        for first, entries in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }
    int_rx = re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    )
    float_rx = re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    )
    for first in "-+0123456789.":
        entries = table.setdefault(first, [])
        entries.append((_TAG + "float", float_rx))
        if first != ".":
            entries.append((_TAG + "int", int_rx))
    return {first: entries for first, entries in table.items() if entries}


class ManifestLoader(yaml.CSafeLoader):
    """libyaml's safe loader, narrowed to what kubectl's YAML->JSON step would produce."""

    yaml_implicit_resolvers = _resolvers()
    yaml_constructors = dict(SafeConstructor.yaml_constructors)

    # libyaml's composer calls these two around every node it makes, for path resolvers,
    # which this loader has none of. Builtins that take the same arguments and do nothing
    # with them cost far less than Python methods returning at once (5% of the parse).
    # The stubs declare both as methods returning None; libyaml ignores what they return,
    # which the stubs cannot say of a builtin.
    descend_resolver = operator.is_  # type: ignore[assignment]  # (node, index) -> unread bool
    ascend_resolver = int  # type: ignore[assignment]  # () -> 0, unread

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        # libyaml calls this for every scalar it composes. Manifests repeat the same few
        # hundred plain words (keys, kinds, protocols), so their tags are remembered.
        if kind is not ScalarNode:  # a collection without a tag (no path resolvers here)
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG
        if not implicit[0]:
            return _STR_TAG  # quoted: always a string
        tag = _plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_plain_tags) >= _PLAIN_TAGS_KEPT:
                _plain_tags.clear()
            _plain_tags[value] = tag
        return tag

    def build_document(self, node: Node) -> object:
        """The document's data: what `construct_document` returns, in one recursive pass.

        PyYAML's generic constructor pays for recursive objects and state generators that
        JSON-like manifests never need. A node reached twice through an alias is built
        twice, so aliased content comes out as a tree (no shared objects).
        """
        try:
            return self._build(node)
        finally:
            self.constructed_objects.clear()

    def _build(self, node: Node) -> object:
        # `type(node) is` (not a saved type) so the checker narrows `node` in each branch.
        if type(node) is ScalarNode:
            tag = node.tag
            if tag == _STR_TAG:
                return node.value
            construct = _PLAIN_SCALARS.get(tag)
            if construct is not None:
                return construct(self, node)
        elif type(node) is MappingNode and node.tag == _MAP_TAG:
            build = self._build
            mapping = {}
            for key_node, value_node in node.value:
                if key_node.tag != _STR_TAG or type(key_node) is not ScalarNode:
                    if key_node.tag in _MERGE_TAGS:
                        self.flatten_mapping(node)  # `<<: *base` merges; then build again
                        return self._build(node)
                    raise _key_refusal(key_node)
                # Most values are strings: taken here, without a call.
                if type(value_node) is ScalarNode and value_node.tag == _STR_TAG:
                    mapping[key_node.value] = value_node.value
                else:
                    mapping[key_node.value] = build(value_node)
            return mapping
        elif type(node) is SequenceNode and node.tag == _SEQ_TAG:
            build = self._build
            return [
                child.value if type(child) is ScalarNode and child.tag == _STR_TAG else build(child)
                for child in node.value
            ]
        return self.construct_object(node, deep=True)  # other tags: refused, or rare

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict:
        # Same work as SafeConstructor.construct_mapping, plus the string-key rule. Keys are
        # taken from the scalar node directly: cheaper than constructing them.
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR_TAG or type(key_node) is not ScalarNode:
                raise _key_refusal(key_node)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _key_refusal(key_node: Node) -> Refused:
    shown = key_node.value if type(key_node) is ScalarNode else "(a collection)"
    reason = f"mapping keys must be strings; put the key {shown} in quotes"
    return Refused(reason, key_node, refusal=False)


_plain_tags: dict[str, str] = {}
_PLAIN_TAGS_KEPT = 4096
_MERGE_TAGS = (_TAG + "merge", _TAG + "value")
_PLAIN_SCALARS = {
    _TAG + "null": SafeConstructor.construct_yaml_null,
    _TAG + "bool": SafeConstructor.construct_yaml_bool,
    _TAG + "int": _yaml_int,
    _TAG + "float": SafeConstructor.construct_yaml_float,
}

ManifestLoader.add_constructor(_TAG + "timestamp", _scalar_string)
for _name in ("set", "omap", "pairs", "binary"):
    ManifestLoader.add_constructor(_TAG + _name, _refuse_unsupported_tag)
ManifestLoader.add_constructor(None, _refuse_language_tag)
