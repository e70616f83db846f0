"""Safety screens for learner input: bounded size, nesting and aliases, before libyaml runs.

Limits (`Limits`, defaults in `DEFAULT_LIMITS`) are checked before or while parsing, so bad
input is refused in bounded time and memory:

* ``max_depth``: libyaml composes nodes recursively in C and crashes the process on very
  deep input, so a cheap text scan bounds the depth first (indentation and bracket
  counts); input it cannot clear is checked with libyaml's event stream, which is not
  recursive, before composing (`screen_depth`).
* ``max_aliases`` and ``max_alias_expansion``: only when the text holds both an anchor
  (``&x``) and an alias (``*x``) the node graph is measured before construction, so a
  "billion laughs" input is refused without being expanded (`screen_aliases`).

Every screen takes the text it checks plus where that text starts in the whole input
(``first`` document index, ``offset`` lines), so one document cut out of a longer input
reports the lines a learner sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from simulator.problems import ManifestError, Problem
from simulator.yaml_loader import ManifestLoader


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on one input. See the module docstring for how each is enforced."""

    max_bytes: int = 2 * 1024 * 1024
    max_documents: int = 5000
    max_depth: int = 64
    max_aliases: int = 100
    max_alias_expansion: int = 10_000


DEFAULT_LIMITS = Limits()


class _Decoded(Protocol):
    """A decoded document (`simulator.manifests.Document`), as the depth check reads it."""

    index: int
    obj: dict
    item: int | None


# The screens scan the whole input before libyaml does: each pattern starts with a literal
# character, which the regex engine finds with a fast scan (a pattern opening with `^` in
# MULTILINE mode is tried at every position, ten times slower).
DOCUMENT_START = re.compile(r"\n---(?=[ \t\r\n]|\Z)")


# --- refusals ---------------------------------------------------------------------------


def failure(
    document: int, message: str, line: int | None = None, column: int | None = None
) -> ManifestError:
    """Input refused as a whole, with kubectl's complete text in ``message``."""
    return ManifestError([Problem(document, "", message, line=line, column=column)])


def refused(
    document: int, reason: str, line: int | None = None, column: int | None = None
) -> ManifestError:
    """Input refused for safety (size, depth, aliases, tags): ``error: refused: ...``."""
    where = f" (line {line})" if line is not None else ""
    return failure(document, f"error: refused: {reason}{where}", line, column)


def nesting_error(
    document: int, limits: Limits, line: int | None = None, column: int | None = None
) -> ManifestError:
    """Nesting deeper than ``limits.max_depth``."""
    return refused(document, f"nesting deeper than {limits.max_depth} levels", line, column)


def too_many(document: int, limits: Limits) -> ManifestError:
    """More documents than ``limits.max_documents``."""
    return refused(document, f"more than {limits.max_documents:,} documents in one input")


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


def screen_depth(text: str, limits: Limits, *, first: int = 0, offset: int = 0) -> bool:
    """Bound nesting before libyaml composes; return True if a precise walk is still needed.

    Raises:
        ManifestError: the text nests deeper than ``limits.max_depth``.
    """
    flow = _flow_bound(text)
    odd = _odd_breaks(text)
    # No prefix of `width` characters: block depth <= 2 * (width + 1), plus the flow bound.
    width = (limits.max_depth - flow) // 2 - 1
    if width >= 1 and not _deep_prefix(text, width, odd):
        return False  # provably within max_depth
    width = (_SAFE_DEPTH - flow) // 2 - 1
    if width >= 1 and not _deep_prefix(text, width, odd):
        return True  # safe to compose; check the exact depth on the objects
    scan_depth_events(text, limits, first=first, offset=offset)
    return False


def _flow_bound(text: str) -> int:
    # Each non-empty flow collection needs its own "[" or "{"; empty ones add one level.
    # Flow nesting cannot continue past a "---" line (libyaml ends the document or fails
    # there), so the bound is taken per document-sized segment.
    if "[" not in text and "{" not in text:
        return 0
    worst = 0
    for segment in DOCUMENT_START.split(text):
        openers = segment.count("[") + segment.count("{")
        if openers > worst:
            empties = segment.count("[]") + segment.count("{}")
            worst = max(worst, openers - empties + (1 if empties else 0))
    return worst


def scan_depth_events(text: str, limits: Limits, *, first: int = 0, offset: int = 0) -> None:
    """Measure nesting on libyaml's event stream, which is produced without recursion."""
    depth = 0
    index = first - 1
    try:
        for event in yaml.parse(text, Loader=ManifestLoader):
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                index += 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    assert mark is not None  # the parser marks every event
                    line = mark.line + 1 + offset
                    raise nesting_error(max(index, first), limits, line, mark.column + 1)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
    except (yaml.YAMLError, UnicodeError):
        return  # syntax errors are reported by the real load, with its wording


def check_depths(
    documents: Sequence[_Decoded],
    locate: Callable[[int, str, int | None], tuple[int | None, int | None]],
    limits: Limits,
) -> None:
    """Refuse decoded documents nested deeper than the limit (after `screen_depth` asked).

    ``locate`` is `simulator.manifests.ParsedManifests.locate`, to say where.
    """
    seen: set[int] = set()
    for document in documents:
        if id(document.obj) in seen:
            continue
        seen.add(id(document.obj))
        path = _too_deep(document.obj, limits.max_depth)
        if path is not None:
            field_path = ".".join(str(p) for p in reversed(path))
            line, column = locate(document.index, field_path, document.item)
            raise nesting_error(document.index, limits, line, column)


def _too_deep(value: dict | list, budget: int) -> list | None:
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


def screen_aliases(text: str, limits: Limits, *, first: int = 0, offset: int = 0) -> bool:
    """Refuse alias bombs before construction; return True if the input uses aliases.

    Raises:
        ManifestError: too many aliases, a recursive alias, or too large an expansion.
    """
    if "&" not in text or "*" not in text:
        return False
    if _ANCHOR.search(text) is None or _ALIAS.search(text) is None:
        return False
    loader = ManifestLoader(text)
    aliases = 0
    extra = 0
    index = first
    try:
        while loader.check_node():
            root = loader.get_node()
            assert root is not None  # check_node said a document follows
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
                        raise refused(index, reason, node.start_mark.line + 1 + offset)
                    continue
                if key in on_path:
                    reason = "a YAML alias refers to a node that contains it"
                    raise refused(index, reason, node.start_mark.line + 1 + offset)
                on_path.add(key)
                stack.append((node, True))
                stack.extend((child, False) for child in children)
            extra += sizes[id(root)] - len(sizes)
            if extra > limits.max_alias_expansion:
                reason = (
                    f"YAML aliases would expand to more than {limits.max_alias_expansion:,} "
                    "extra nodes"
                )
                raise refused(index, reason, root.start_mark.line + 1 + offset)
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
