"""Parse learner input (multi-document YAML or JSON) into plain objects, safely and fast.

`parse_manifests(text)` is the edge of the simulator: everything after it sees JSON-like
data (dict, list, str, int, float, bool, None). It raises `ManifestError` with
`Problem` objects for anything it cannot decode.

YAML is decoded with libyaml through `simulator.yaml_loader`, which makes PyYAML agree with
kubectl's YAML→JSON step (timestamps stay strings, keys must be strings, JSON-like tags
only).

Limits (`Limits`, defaults in `DEFAULT_LIMITS`) are checked before or while parsing, so bad
input is refused in bounded time and memory (the screens live in
`simulator.manifest_screens`):

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

Syntax errors in a multi-document YAML stream: libyaml stops at the first one, so the
stream is cut at its ``---`` lines (a ``---`` at the start of a line always begins a
document: YAML forbids it inside any scalar or collection) and every document is parsed on
its own. Every document that fails reports its own error, and the `ManifestError` carries
the documents that did decode (``parsed``) so their problems can be reported too. What
cannot be recovered: a second mistake inside a document that already failed (libyaml stops
at the first), documents separated only by ``...`` without a ``---``, and JSON input
(concatenated JSON objects have no separator to cut at), which stops at its first error.
Refusals for safety (size, depth, aliases, tags, document count) end the parse at once.

Locations: `ParsedManifests.locate` (`simulator.documents`) composes the YAML again, lazily,
only when a problem needs a line; the success path never pays for it.
"""

from __future__ import annotations

import json
import re

import yaml
from yaml.nodes import Node, SequenceNode

from simulator.documents import Document, ParsedManifests
from simulator.manifest_screens import (
    DEFAULT_LIMITS,
    Limits,
    check_depths,
    failure,
    nesting_error,
    refused,
    screen_aliases,
    screen_depth,
    too_many,
)
from simulator.problems import ManifestError, Problem
from simulator.yaml_loader import ManifestLoader, Refused

_Loader = ManifestLoader  # the loader every parse and every `locate` uses

__all__ = [
    "DEFAULT_LIMITS",
    "DOCUMENT_LINE",
    "Document",
    "Limits",
    "ParsedManifests",
    "parse_manifests",
]


_WS = re.compile(r"\s*")


def _skip_space(text: str, pos: int) -> int:
    """Where the whitespace at `pos` ends (`_WS` matches everywhere, even nothing)."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


# A "---" at the start of a line, followed by a space, a break or the end: a document start
# (the recovery after a syntax error and the review's explanations cut the input there).
DOCUMENT_LINE = re.compile(r"^---(?=[ \t\r\n]|\Z)", re.M)


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
            found before the first fatal one is reported; a YAML stream with syntax
            errors reports every failing document and carries the others in
            ``ManifestError.parsed``.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            message = f"error: error parsing {source}: not valid UTF-8 (byte {exc.start})"
            raise failure(0, message) from None
    _check_size(text, limits)
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = ParsedManifests([], source, text)
    start = _skip_space(text, 0)
    if text[start : start + 1] in ("{", "["):
        try:
            _parse_json(parsed, limits)
            return parsed
        except _JSONFailure as json_failure:
            if not json_failure.first:
                raise ManifestError([json_failure.problem]) from None
            parsed = ParsedManifests([], source, text)
            try:
                _parse_yaml(parsed, limits)
            except ManifestError:
                raise ManifestError([json_failure.problem]) from None
            return parsed
    try:
        _parse_yaml(parsed, limits)
    except ManifestError as err:
        if _recoverable(err):
            raise _recover(text, source, limits, err) from None
        raise
    return parsed


def _check_size(text: str, limits: Limits) -> None:
    size = len(text)
    # A character is 1-4 UTF-8 bytes: only encode when the length alone cannot decide.
    if size * 4 > limits.max_bytes and size <= limits.max_bytes:
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        limit = limits.max_bytes
        raise refused(
            0, f"the input is {size:,} bytes; the limit is {limit:,} bytes ({_human(limit)})"
        )


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:g} MiB" if size >= 1024 * 1024 else f"{size / 1024:g} KiB"


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
    parsed._spans = spans
    pos = _skip_space(text, 0)
    index = 0
    line, counted = 1, 0
    while pos < len(text):
        if index >= limits.max_documents:
            raise too_many(index, limits)
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
            raise nesting_error(index, limits) from None
        line += text.count("\n", counted, pos)
        counted = pos
        spans[index] = (pos, end)
        parsed._starts[index] = line
        _add_document(parsed, index, value, line, None, limits)
        index += 1
        pos = _skip_space(text, end)
    check_depths(parsed.documents, parsed.locate, limits)


# --- YAML -------------------------------------------------------------------------------


def _parse_yaml(
    parsed: ParsedManifests, limits: Limits, start: int = 0, end: int | None = None
) -> None:
    """Decode the YAML documents of ``parsed.text[start:end]`` into ``parsed``.

    A part cut out of a longer input (a document being recovered) keeps the whole input's
    document numbers and lines: ``parsed._starts`` says how many documents came before.
    """
    text = parsed.text if start == 0 and end is None else parsed.text[start:end]
    first = len(parsed._starts)
    offset = parsed.text.count("\n", 0, start)
    walk = screen_depth(text, limits, first=first, offset=offset)
    aliased = screen_aliases(text, limits, first=first, offset=offset)
    loader = _Loader(text)
    index = first
    try:
        while loader.check_node():
            if index >= limits.max_documents:
                raise too_many(index, limits)
            node = loader.get_node()
            assert node is not None  # check_node said a document follows
            line = node.start_mark.line + 1 + offset
            parsed._starts[index] = line
            value = loader.build_document(node)
            if value is not None:
                # Only lists have item lines to read (most documents are plain objects).
                listed = type(value) is list or (type(value) is dict and "items" in value)
                item_lines = _item_lines(node, value, offset) if listed else None
                _add_document(parsed, index, value, line, item_lines, limits)
            index += 1
    except Refused as exc:
        mark = exc.problem_mark
        assert mark is not None  # a Refused always names its node's mark
        line, column = mark.line + 1 + offset, mark.column + 1
        if exc.refusal:
            raise refused(index, exc.text, line, column) from None
        message = f"error: error parsing {parsed.source}: {exc.text} (line {line})"
        raise failure(index, message, line, column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line + 1 + offset if mark else None
        error_column = mark.column + 1 if mark else None
        where = f"line {error_line}: " if error_line is not None else ""
        message = (
            f"error: error parsing {parsed.source}: error converting YAML to JSON: "
            f"yaml: {where}{exc.problem or exc.context}"
        )
        raise failure(index, message, error_line, error_column) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        line += offset
        message = (
            f"error: error parsing {parsed.source}: error converting YAML to JSON: "
            f"yaml: line {line}: {exc.reason}: unacceptable character #x{exc.character:04x}"
        )
        raise failure(index, message, line, column) from None
    except (yaml.YAMLError, UnicodeError) as exc:
        raise failure(index, f"error: error parsing {parsed.source}: {exc}") from None
    except RecursionError:
        raise nesting_error(index, limits) from None
    finally:
        loader.dispose()
    if walk or aliased:
        check_depths(parsed.documents, parsed.locate, limits)


def _recoverable(err: ManifestError) -> bool:
    # Safety refusals and the document limit end the parse; decoding errors do not.
    message = err.problems[0].message if err.problems else ""
    return not message.startswith("error: refused: ")


def _recover(text: str, source: str, limits: Limits, err: ManifestError) -> ManifestError:
    """Parse each ``---`` separated document on its own after a syntax error.

    Returns the error to raise: every failing document's problem, in input order, with the
    documents that did decode in ``parsed`` (marked ``recovered``).
    """
    cuts = [match.start() for match in DOCUMENT_LINE.finditer(text)]
    if cuts and cuts[0] != 0:
        head = "\n".join(
            line for line in text[: cuts[0]].splitlines() if not line.lstrip().startswith("#")
        )
        if head.lstrip().startswith("%"):
            cuts.pop(0)  # directives belong to the document their "---" starts
        cuts.insert(0, 0)
    if len(cuts) < 2:
        return err  # one document: nothing else to recover
    parsed = ParsedManifests([], source, text, recovered=True)
    parsed._spans = {}
    problems: list[Problem] = []
    for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
        before = len(parsed._starts)
        try:
            _parse_yaml(parsed, limits, start, end)
        except ManifestError as part:
            if not _recoverable(part):
                raise part from None
            problems.extend(part.problems)
            failed = part.problems[0].document if part.problems else before
            # The failing document counts (a learner counts it), but none of it is kept.
            parsed._starts.setdefault(failed, text.count("\n", 0, start) + 1)
            parsed.documents = [d for d in parsed.documents if d.index != failed]
        for index in range(before, len(parsed._starts)):
            parsed._spans[index] = (start, end)
    return ManifestError(problems, parsed=parsed)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _item_lines(node: Node, value: object, offset: int) -> list[int] | None:
    # Lines of list items, read from the node we already have (free on this path).
    if isinstance(value, list) and isinstance(node, SequenceNode):
        return [item.start_mark.line + 1 + offset for item in node.value]
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        for key_node, value_node in node.value:
            if key_node.value == "items" and isinstance(value_node, SequenceNode):
                return [item.start_mark.line + 1 + offset for item in value_node.value]
    return None


_JSON_TYPES: dict[type, str] = {str: "string", list: "array", dict: "object"}


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return _JSON_TYPES.get(type(value), "value")


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
            documents.append(Document(index, value, line))
    else:
        message = (
            f'error: unable to decode "{parsed.source}": json: cannot unmarshal '
            f"{_json_type(value)} into Go value of type map[string]interface {{}}"
        )
        raise failure(index, message, line, 1)
    if items is not None:
        api_version = value.get("apiVersion") if isinstance(value, dict) else None
        for position, entry in enumerate(items):
            entry_line = item_lines[position] if item_lines and position < len(item_lines) else line
            if not isinstance(entry, dict):
                message = (
                    f'error: unable to decode "{parsed.source}": item {position} of the list is '
                    f"a {_json_type(entry)}, not an object"
                )
                raise failure(index, message, entry_line, 1)
            # Typed lists (ServiceList) may omit each item's kind and apiVersion.
            if list_kind and "kind" not in entry:
                entry["kind"] = list_kind
            if api_version and "apiVersion" not in entry and list_kind:
                entry["apiVersion"] = api_version
            documents.append(Document(index, entry, entry_line, position))
    if len(documents) > limits.max_documents:
        raise too_many(index, limits)
