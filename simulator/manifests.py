"""Parse learner input (multi-document YAML or JSON) into plain objects, safely and fast.

`parse_manifests(text)` is the edge of the simulator: everything after it sees JSON-like
data (dict, list, str, int, float, bool, None). It raises `ManifestError` with
`Problem` objects for anything it cannot decode.

YAML is decoded with libyaml (`yaml.CSafeLoader`) and a few changes that make PyYAML agree
with kubectl's YAML→JSON step: timestamps and ``1:30``-style numbers stay strings, mapping
keys must be strings, and only the JSON-like core tags are accepted.

Limits (`Limits`, defaults in `DEFAULT_LIMITS`) are checked before or while parsing, so bad
input is refused in bounded time and memory:

* ``max_bytes`` (2 MiB): checked on the text's length before any parsing.
* ``max_documents`` (5000): YAML/JSON documents in the stream, and objects after ``List``
  expansion; parsing stops at the first one too many.
* ``max_depth`` (64): nesting of mappings and sequences. libyaml composes nodes
  recursively in C and crashes the process on very deep input, so a cheap text scan
  bounds the depth first (indentation and bracket counts); input it cannot clear is
  checked with libyaml's event stream, which is not recursive, before composing.
* ``max_aliases`` (100) and ``max_alias_expansion`` (10,000 nodes): only when the text
  holds both an anchor (``&x``) and an alias (``*x``) the node graph is measured before
  construction, so a "billion laughs" input is refused without being expanded.
  Accepted aliased content is copied so no two places share one object.

Document numbering: `Document.index` counts every YAML document in the stream, including
empty ones (a ``---`` alone), so it matches what a learner counts between separators.

Locations: `ParsedManifests.locate` composes the YAML again, lazily, only when a problem
needs a line; the success path never pays for it.
"""

from __future__ import annotations

import json
import operator
import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.problems import ManifestError, Problem

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "ParsedManifests",
    "parse_manifests",
]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one input. See the module docstring for how each is enforced."""

    max_bytes: int = 2 * 1024 * 1024
    max_documents: int = 5000
    max_depth: int = 64
    max_aliases: int = 100
    max_alias_expansion: int = 10_000


DEFAULT_LIMITS = Limits()


@dataclass(slots=True)
class Document:
    """One decoded object.

    Attributes:
        index: 0-based index of the source document in the stream.
        obj: the decoded object (JSON-like data only).
        line: 1-based line where the object starts.
        item: position inside a ``List`` (or top-level sequence) the object came from;
            None for a plain document.
    """

    index: int
    obj: dict
    line: int
    item: int | None = None


_TAG = "tag:yaml.org,2002:"
_STR_TAG = _TAG + "str"
_MAP_TAG = _TAG + "map"
_SEQ_TAG = _TAG + "seq"
# Plain sequences of mappings and kubectl's `kind: List` (or typed lists such as
# `ServiceList`) both expand into their items.
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")
_WS = re.compile(r"\s*")
# The screens below scan the whole input before libyaml does: each pattern starts with a
# literal character, which the regex engine finds with a fast scan (a pattern opening with
# `^` in MULTILINE mode is tried at every position, ten times slower).
_DOCUMENT_START = re.compile(r"\n---(?=[ \t\r\n]|\Z)")


class _Refused(ConstructorError):
    """A construction refused on purpose; `text` is the learner-facing reason.

    ``refusal`` marks input refused for safety (tags) rather than as malformed (keys).
    """

    def __init__(self, text: str, node: Node, *, refusal: bool = True) -> None:
        super().__init__(None, None, text, node.start_mark)
        self.text = text
        self.refusal = refusal


def _refuse_language_tag(loader: SafeConstructor, node: Node) -> None:
    raise _Refused("language-specific YAML tags are not allowed", node)


def _refuse_unsupported_tag(loader: SafeConstructor, node: Node) -> None:
    short = node.tag.replace(_TAG, "!!")
    raise _Refused(
        f"the YAML tag {short} is not supported; use plain mappings, lists and strings",
        node,
    )


def _scalar_string(loader: SafeConstructor, node: Node) -> str:
    return loader.construct_scalar(node)


def _yaml_int(loader: SafeConstructor, node: Node) -> int:
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


class _Loader(yaml.CSafeLoader):
    """libyaml's safe loader, narrowed to what kubectl's YAML->JSON step would produce."""

    yaml_implicit_resolvers = _resolvers()
    yaml_constructors = dict(SafeConstructor.yaml_constructors)

    # libyaml's composer calls these two around every node it makes, for path resolvers,
    # which this loader has none of. Builtins that take the same arguments and do nothing
    # with them cost far less than Python methods returning at once (5% of the parse).
    descend_resolver = operator.is_  # (parent node, index) -> a bool no one reads
    ascend_resolver = int  # () -> 0, unread

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
        cls = type(node)
        if cls is ScalarNode:
            tag = node.tag
            if tag == _STR_TAG:
                return node.value
            construct = _PLAIN_SCALARS.get(tag)
            if construct is not None:
                return construct(self, node)
        elif cls is MappingNode and node.tag == _MAP_TAG:
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
        elif cls is SequenceNode and node.tag == _SEQ_TAG:
            build = self._build
            return [
                child.value if type(child) is ScalarNode and child.tag == _STR_TAG else build(child)
                for child in node.value
            ]
        return self.construct_object(node, deep=True)  # other tags: refused, or rare

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        # Same work as SafeConstructor.construct_mapping, plus the string-key rule. Keys are
        # taken from the scalar node directly: cheaper than constructing them.
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR_TAG or type(key_node) is not ScalarNode:
                raise _key_refusal(key_node)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _key_refusal(key_node: Node) -> _Refused:
    shown = key_node.value if type(key_node) is ScalarNode else "(a collection)"
    reason = f"mapping keys must be strings; put the key {shown} in quotes"
    return _Refused(reason, key_node, refusal=False)


_plain_tags: dict[str, str] = {}
_PLAIN_TAGS_KEPT = 4096
_MERGE_TAGS = (_TAG + "merge", _TAG + "value")
_PLAIN_SCALARS = {
    _TAG + "null": SafeConstructor.construct_yaml_null,
    _TAG + "bool": SafeConstructor.construct_yaml_bool,
    _TAG + "int": _yaml_int,
    _TAG + "float": SafeConstructor.construct_yaml_float,
}

_Loader.add_constructor(_TAG + "timestamp", _scalar_string)
for _name in ("set", "omap", "pairs", "binary"):
    _Loader.add_constructor(_TAG + _name, _refuse_unsupported_tag)
_Loader.add_constructor(None, _refuse_language_tag)


@dataclass(slots=True)
class ParsedManifests:
    """What `parse_manifests` returns.

    Attributes:
        documents: decoded objects in input order; empty documents are skipped and lists
            are expanded (items keep their source document's index).
        source: the name kubectl shows for the input (``STDIN`` or a file name).
        text: the input text (kept for `locate`).
    """

    documents: list[Document]
    source: str = "STDIN"
    text: str = field(default="", repr=False)
    _starts: dict[int, int] = field(default_factory=dict, repr=False)
    _json_spans: dict[int, tuple[int, int]] | None = field(default=None, repr=False)
    _roots: dict[int, Node] | None = field(default=None, repr=False)

    def locate(
        self, document: int, field: str, item: int | None = None
    ) -> tuple[int | None, int | None]:
        """Find the line and column of a field, for error messages.

        Composes the document's YAML nodes on first use (and caches them); never called on
        the success path.

        Args:
            document: the source document index (`Document.index`).
            field: a field path such as ``spec.ports[1].name`` or ``data[tls.crt]``.
            item: `Document.item` when the object came from a list.

        Returns:
            (line, column), both 1-based. A missing field falls back to its nearest existing
            parent, then to the document start; (None, None) for an unknown document.
        """
        root = self._root(document)
        if root is None:
            line = self._starts.get(document)
            return (line, 1 if line is not None else None)
        segments: list[str] = []
        if item is not None:
            if not isinstance(root, SequenceNode):
                segments.append("items")
            segments.append(str(item))
        segments += [
            m.group(1) if m.group(1) is not None else m.group(2) for m in _SEGMENT.finditer(field)
        ]
        mark = _walk(root, segments)
        line, column = mark.line, mark.column
        if self._json_spans is not None:
            start = self._json_spans[document][0]
            base_line = self.text.count("\n", 0, start)
            if line == 0:
                column += start - (self.text.rfind("\n", 0, start) + 1)
            line += base_line
        return line + 1, column + 1

    def _root(self, document: int) -> Node | None:
        if self._roots is None:
            self._roots = {}
            try:
                if self._json_spans is not None:
                    for index, (start, end) in self._json_spans.items():
                        self._roots[index] = yaml.compose(self.text[start:end], Loader=_Loader)
                else:
                    for index, node in enumerate(yaml.compose_all(self.text, Loader=_Loader)):
                        self._roots[index] = node
            except (yaml.YAMLError, ValueError):
                pass  # keep what composed; the rest falls back to document starts
        return self._roots.get(document)


def _walk(root: Node, segments: list[str]) -> yaml.Mark:
    node, mark = root, root.start_mark
    for segment in segments:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == segment:
                    node, mark = value_node, key_node.start_mark
                    break
            else:
                return mark
        elif isinstance(node, SequenceNode) and segment.isdigit():
            position = int(segment)
            if position >= len(node.value):
                return mark
            node = node.value[position]
            mark = node.start_mark
        else:
            return mark
    return mark


def parse_manifests(
    text: str, *, source: str = "STDIN", limits: Limits = DEFAULT_LIMITS
) -> ParsedManifests:
    """Decode multi-document YAML or JSON into objects.

    Accepts YAML streams (``---`` separated), a JSON object, several concatenated JSON
    objects, a JSON array of objects, and ``kind: List`` documents (expanded into their
    items).

    Args:
        text: the input (bytes are decoded as UTF-8).
        source: the name kubectl shows for the input: ``STDIN`` or a file name.
        limits: size, document, depth and alias bounds.

    Returns:
        The decoded documents.

    Raises:
        ManifestError: the input is too large, too deep, alias-bombed, carries refused
            tags, is not valid YAML/JSON, or a document is not a mapping. Every problem
            found before the first fatal one is reported.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"error: error parsing {source}: not valid UTF-8 (byte {exc.start})"
            raise _failure(0, message) from None
    _check_size(text, limits)
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = ParsedManifests([], source, text)
    start = _WS.match(text).end()
    if text[start : start + 1] in ("{", "["):
        try:
            _parse_json(parsed, limits)
            return parsed
        except _JSONFailure as failure:
            if not failure.first:
                raise ManifestError([failure.problem]) from None
            parsed = ParsedManifests([], source, text)
            try:
                _parse_yaml(parsed, limits)
            except ManifestError:
                raise ManifestError([failure.problem]) from None
            return parsed
    _parse_yaml(parsed, limits)
    return parsed


def _check_size(text: str, limits: Limits) -> None:
    size = len(text)
    # A character is 1-4 UTF-8 bytes: only encode when the length alone cannot decide.
    if size * 4 > limits.max_bytes and size <= limits.max_bytes:
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        limit = limits.max_bytes
        raise _refused(
            0, f"the input is {size:,} bytes; the limit is {limit:,} bytes ({_human(limit)})"
        )


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:g} MiB" if size >= 1024 * 1024 else f"{size / 1024:g} KiB"


def _failure(
    document: int, message: str, line: int | None = None, column: int | None = None
) -> ManifestError:
    return ManifestError([Problem(document, "", message, line=line, column=column)])


def _refused(
    document: int, reason: str, line: int | None = None, column: int | None = None
) -> ManifestError:
    where = f" (line {line})" if line is not None else ""
    return _failure(document, f"error: refused: {reason}{where}", line, column)


def _nesting_error(
    document: int, limits: Limits, line: int | None = None, column: int | None = None
) -> ManifestError:
    return _refused(document, f"nesting deeper than {limits.max_depth} levels", line, column)


def _too_many(document: int, limits: Limits) -> ManifestError:
    return _refused(document, f"more than {limits.max_documents:,} documents in one input")


# --- JSON -------------------------------------------------------------------------------


class _JSONFailure(Exception):
    def __init__(self, problem: Problem, first: bool) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.first = first


def _parse_json(parsed: ParsedManifests, limits: Limits) -> None:
    text = parsed.text
    decoder = json.JSONDecoder()
    spans: dict[int, tuple[int, int]] = {}
    parsed._json_spans = spans
    pos = _WS.match(text).end()
    index = 0
    line, counted = 1, 0
    while pos < len(text):
        if index >= limits.max_documents:
            raise _too_many(index, limits)
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            problem = Problem(
                index,
                "",
                f"error: error parsing {parsed.source}: json: line {exc.lineno}, column "
                f"{exc.colno}: {exc.msg}",
                line=exc.lineno,
                column=exc.colno,
            )
            raise _JSONFailure(problem, first=index == 0) from None
        except RecursionError:
            raise _nesting_error(index, limits) from None
        line += text.count("\n", counted, pos)
        counted = pos
        spans[index] = (pos, end)
        parsed._starts[index] = line
        _add_document(parsed, index, value, line, None, limits)
        index += 1
        pos = _WS.match(text, end).end()
    _check_depths(parsed, limits, parsed.documents)


# --- YAML -------------------------------------------------------------------------------


def _parse_yaml(parsed: ParsedManifests, limits: Limits) -> None:
    text = parsed.text
    walk = _screen_depth(parsed, limits)
    aliased = _screen_aliases(parsed, limits)
    loader = _Loader(text)
    index = 0
    try:
        while loader.check_node():
            if index >= limits.max_documents:
                raise _too_many(index, limits)
            node = loader.get_node()
            line = node.start_mark.line + 1
            parsed._starts[index] = line
            value = loader.build_document(node)
            if value is not None:
                item_lines = _item_lines(node, value)
                _add_document(parsed, index, value, line, item_lines, limits)
            index += 1
    except _Refused as exc:
        line, column = exc.problem_mark.line + 1, exc.problem_mark.column + 1
        if exc.refusal:
            raise _refused(index, exc.text, line, column) from None
        message = f"error: error parsing {parsed.source}: {exc.text} (line {line})"
        raise _failure(index, message, line, column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        where = f"line {line}: " if line is not None else ""
        message = (
            f"error: error parsing {parsed.source}: error converting YAML to JSON: "
            f"yaml: {where}{exc.problem or exc.context}"
        )
        raise _failure(index, message, line, column) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        message = (
            f"error: error parsing {parsed.source}: error converting YAML to JSON: "
            f"yaml: line {line}: {exc.reason}: unacceptable character #x{exc.character:04x}"
        )
        raise _failure(index, message, line, column) from None
    except (yaml.YAMLError, UnicodeError) as exc:
        raise _failure(index, f"error: error parsing {parsed.source}: {exc}") from None
    except RecursionError:
        raise _nesting_error(index, limits) from None
    finally:
        loader.dispose()
    if walk or aliased:
        _check_depths(parsed, limits, parsed.documents)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _item_lines(node: Node, value: object) -> list[int] | None:
    # Lines of list items, read from the node we already have (free on this path).
    if isinstance(value, list) and isinstance(node, SequenceNode):
        return [item.start_mark.line + 1 for item in node.value]
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        for key_node, value_node in node.value:
            if key_node.value == "items" and isinstance(value_node, SequenceNode):
                return [item.start_mark.line + 1 for item in value_node.value]
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "value")


def _add_document(
    parsed: ParsedManifests,
    index: int,
    value: object,
    line: int,
    item_lines: list[int] | None,
    limits: Limits,
) -> None:
    documents = parsed.documents
    items: list | None = None
    list_kind = ""
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        kind = value.get("kind")
        if kind == "List" or (isinstance(kind, str) and kind.endswith("List") and "items" in value):
            items = value.get("items") or []
            list_kind = kind[:-4]
            if not isinstance(items, list):
                items = []
    else:
        message = (
            f'error: unable to decode "{parsed.source}": json: cannot unmarshal '
            f"{_json_type(value)} into Go value of type map[string]interface {{}}"
        )
        raise _failure(index, message, line, 1)
    if items is None:
        documents.append(Document(index, value, line))
    else:
        api_version = value.get("apiVersion") if isinstance(value, dict) else None
        for position, entry in enumerate(items):
            entry_line = item_lines[position] if item_lines and position < len(item_lines) else line
            if not isinstance(entry, dict):
                message = (
                    f'error: unable to decode "{parsed.source}": item {position} of the list is '
                    f"a {_json_type(entry)}, not an object"
                )
                raise _failure(index, message, entry_line, 1)
            # Typed lists (ServiceList) may omit each item's kind and apiVersion.
            if list_kind and "kind" not in entry:
                entry["kind"] = list_kind
            if api_version and "apiVersion" not in entry and list_kind:
                entry["apiVersion"] = api_version
            documents.append(Document(index, entry, entry_line, position))
    if len(documents) > limits.max_documents:
        raise _too_many(index, limits)


# --- depth ------------------------------------------------------------------------------

# libyaml's composer recurses in C; stay far below the depth that exhausts a thread stack.
_SAFE_DEPTH = 1000
_prefix_patterns: dict[tuple[int, bool], re.Pattern[str]] = {}


def _deep_prefix(text: str, width: int, odd_breaks: bool) -> bool:
    # Whether a line's block prefix (indentation and "- ", "? ", ": " indicators) is at least
    # `width` characters long. Block collections nested in one another start at
    # non-decreasing columns, at most two per column (a sequence right under a mapping key),
    # and at least every other one starts a line, so block nesting is at most
    # 2 * (longest prefix + 2). libyaml also breaks lines at a lone CR, NEL, LS and PS; only
    # then is the slower pattern needed.
    pattern = _prefix_patterns.get((width, odd_breaks))
    if pattern is None:
        start = "(?:^|\r|[\x85\u2028\u2029])" if odd_breaks else "\n"
        flags = re.M if odd_breaks else 0
        pattern = re.compile(start + "[ \t?:\\-]{" + str(width) + "}", flags)
        _prefix_patterns[(width, odd_breaks)] = pattern
    if pattern.search(text) is not None:
        return True
    return not odd_breaks and len(text) >= width and not text[:width].strip(" \t?:-")


def _odd_breaks(text: str) -> bool:
    # A lone CR, NEL, LS or PS: line breaks to libyaml that "\n" patterns do not see.
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return True
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def _screen_depth(parsed: ParsedManifests, limits: Limits) -> bool:
    """Bound nesting before libyaml composes; return True if a precise walk is still needed."""
    text = parsed.text
    flow = _flow_bound(text)
    odd = _odd_breaks(text)
    # No prefix of `width` characters: block depth <= 2 * (width + 1), plus the flow bound.
    width = (limits.max_depth - flow) // 2 - 1
    if width >= 1 and not _deep_prefix(text, width, odd):
        return False  # provably within max_depth
    width = (_SAFE_DEPTH - flow) // 2 - 1
    if width >= 1 and not _deep_prefix(text, width, odd):
        return True  # safe to compose; check the exact depth on the objects
    _scan_depth_events(parsed, limits)
    return False


def _flow_bound(text: str) -> int:
    # Each non-empty flow collection needs its own "[" or "{"; empty ones add one level.
    # Flow nesting cannot continue past a "---" line (libyaml ends the document or fails
    # there), so the bound is taken per document-sized segment.
    if "[" not in text and "{" not in text:
        return 0
    worst = 0
    for segment in _DOCUMENT_START.split(text):
        openers = segment.count("[") + segment.count("{")
        if openers > worst:
            empties = segment.count("[]") + segment.count("{}")
            worst = max(worst, openers - empties + (1 if empties else 0))
    return worst


def _scan_depth_events(parsed: ParsedManifests, limits: Limits) -> None:
    # libyaml's event stream is produced without recursion, so it can measure any input.
    depth = 0
    index = -1
    try:
        for event in yaml.parse(parsed.text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                index += 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    raise _nesting_error(max(index, 0), limits, mark.line + 1, mark.column + 1)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
    except (yaml.YAMLError, UnicodeError):
        return  # syntax errors are reported by the real load, with its wording


def _check_depths(parsed: ParsedManifests, limits: Limits, documents: list[Document]) -> None:
    seen: set[int] = set()
    for document in documents:
        if id(document.obj) in seen:
            continue
        seen.add(id(document.obj))
        path = _too_deep(document.obj, limits.max_depth)
        if path is not None:
            field_path = ".".join(str(p) for p in reversed(path))
            line, column = parsed.locate(document.index, field_path, document.item)
            raise _nesting_error(document.index, limits, line, column)


def _too_deep(value: object, budget: int) -> list | None:
    # Path (innermost first) to the first container nested deeper than `budget` levels.
    if budget <= 0:
        return []
    items = value.items() if type(value) is dict else enumerate(value)
    for key, child in items:
        if type(child) is dict or type(child) is list:
            path = _too_deep(child, budget - 1)
            if path is not None:
                path.append(key)
                return path
    return None


# --- aliases ----------------------------------------------------------------------------

_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]", re.M)
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s\[\]{},]", re.M)


def _screen_aliases(parsed: ParsedManifests, limits: Limits) -> bool:
    """Refuse alias bombs before construction; return True if the input uses aliases."""
    text = parsed.text
    if "&" not in text or "*" not in text:
        return False
    if _ANCHOR.search(text) is None or _ALIAS.search(text) is None:
        return False
    loader = _Loader(text)
    aliases = 0
    extra = 0
    index = 0
    try:
        while loader.check_node():
            root = loader.get_node()
            sizes: dict[int, int] = {}
            on_path: set[int] = set()
            stack: list[tuple[Node, bool]] = [(root, False)]
            while stack:
                node, finished = stack.pop()
                key = id(node)
                children = _children(node)
                if finished:
                    on_path.discard(key)
                    sizes[key] = 1 + sum(sizes[id(child)] for child in children)
                    continue
                if key in sizes:
                    aliases += 1
                    if aliases > limits.max_aliases:
                        reason = f"more than {limits.max_aliases} YAML aliases"
                        raise _refused(index, reason, node.start_mark.line + 1)
                    continue
                if key in on_path:
                    reason = "a YAML alias refers to a node that contains it"
                    raise _refused(index, reason, node.start_mark.line + 1)
                on_path.add(key)
                stack.append((node, True))
                stack.extend((child, False) for child in children)
            extra += sizes[id(root)] - len(sizes)
            if extra > limits.max_alias_expansion:
                reason = (
                    f"YAML aliases would expand to more than {limits.max_alias_expansion:,} "
                    "extra nodes"
                )
                raise _refused(index, reason, root.start_mark.line + 1)
            index += 1
    except (yaml.YAMLError, UnicodeError):
        pass  # syntax errors are reported by the real load, with its wording
    finally:
        loader.dispose()
    return True


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return node.value
    return []
