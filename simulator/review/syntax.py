"""Where a YAML syntax error really is, and what most likely caused it.

libyaml reports the place it gave up, which is often a line or more after the mistake: a
key indented one space too little on line 30 is only noticed at the next sibling on line
32 (``did not find expected key``). `locate_break` looks for the smallest edit that makes
the document read correctly: re-indenting one line, adding a missing ``": "`` or space
after a colon, or quoting a value that holds ``": "``. Among the edits that make the
document parse, it prefers the one whose result Kubernetes understands best (fewest
fields that are unknown or of the wrong shape for the object's kind), then an indentation
on the document's own grid (multiples of its smallest step), then the line closest to
where the parser stopped.

Cost: each edit is checked with libyaml's event parser on the one document (and, for
documents up to 30 KB, decoded when it parses), within a budget of characters parsed
(`Budget`, shared by every error of one input), so a large document is explained with
fewer candidates rather than slowly: a few milliseconds for a learner's paste, a few
tenths of a second at most for any input; a document too large for two candidates keeps
the parser's place and a plain sentence. Inputs that
use aliases are not decoded (only parsed), so no edit can expand an alias bomb; a
candidate that nests deeper than the safety screen allows is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from simulator.hints import Hint, hint, then
from simulator.kinds import LEGACY_INGRESS_VERSIONS
from simulator.manifest_screens import screen_depth
from simulator.manifests import DEFAULT_LIMITS
from simulator.problems import ManifestError
from simulator.review.lines import indent as _indent
from simulator.review.lines import is_content as _content
from simulator.validation.fields import LEGACY_INGRESS, TOP_LEVEL, Shape

_WINDOW = 25  # lines above the parser's stop that may hold the mistake
BUDGET = 250_000  # characters parsed while searching, per input (about 0.2 s at most)
_MAX_TRIALS = 120
_DECODED = 30_000  # documents up to this size are also decoded to rank the edits

_MISSING_COLON = re.compile(r"^(\s*(?:- +)?)([A-Za-z0-9_./-]+) +(\S.*)$")
_NO_SPACE = re.compile(r"^(\s*(?:- +)?)([A-Za-z0-9_./-]+):([^\s:/].*)$")
_VALUE_WITH_COLON = re.compile(r"^(\s*(?:- +)?[A-Za-z0-9_./-]+: +)([^\"'\s].*: .*)$")
_ODD_START = re.compile(r"^(\s*(?:- +)?[A-Za-z0-9_./-]+: +)([@`].*)$")


@dataclass(frozen=True, slots=True)
class YamlError:
    """What libyaml said: 0-based ``line``/``column`` of the problem, the context's line."""

    problem: str
    context: str
    line: int
    column: int
    context_line: int | None
    context_column: int = 0


@dataclass(slots=True)
class Budget:
    """Characters the repair search may still parse (one per input, shared by its errors)."""

    left: int = BUDGET


@dataclass(frozen=True, slots=True)
class Break:
    """Where the structure broke: 0-based ``line`` in the document, 0-based ``column``,
    and a plain ``hint``."""

    line: int
    column: int
    hint: str


def first_error(text: str) -> YamlError | None:
    """libyaml's first syntax error in ``text``, or None when it parses."""
    try:
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        assert mark is not None  # the parser marks where it stopped
        context = exc.context_mark
        return YamlError(
            exc.problem or "",
            exc.context or "",
            mark.line,
            mark.column,
            context.line if context is not None else None,
            context.column if context is not None else 0,
        )
    except yaml.YAMLError:
        return None
    return None


def locate_break(
    text: str, error: YamlError, first_line: int = 1, budget: Budget | None = None
) -> Break:
    """The line most likely at fault for ``error`` in one document's ``text``, and why.

    Args:
        text: one document (what `first_error` was given).
        error: its first syntax error.
        first_line: the input line ``text`` starts on, for the line numbers in the hint.
        budget: what the search may still parse; spent as it goes (a fresh one if None).

    Returns:
        The line and column in ``text`` (0-based) and the hint.
    """
    lines = text.split("\n")
    found = _search(lines, error, first_line - 1, budget or Budget())
    if found is not None:
        return found
    hint = _generic_hint(error, first_line - 1)
    if error.context_line is not None and _opened_earlier(error):
        # An unclosed quote or bracket, a key without ":": the trouble starts where the
        # parser began reading it.
        return Break(error.context_line, error.context_column, hint)
    return Break(error.line, error.column, hint)


def _opened_earlier(error: YamlError) -> bool:
    return (
        error.problem == "could not find expected ':'"
        or ("end of stream" in error.problem and "quoted scalar" in error.context)
        or error.problem.startswith("did not find expected ',' or")
    )


@dataclass(frozen=True, slots=True)
class _Edit:
    line: int
    new: str
    kind: str  # "indent", "colon", "space", "quote"
    indent: int = 0


def _search(lines: list[str], error: YamlError, base: int, budget: Budget) -> Break | None:
    stop = min(error.line, len(lines) - 1)
    low = max(0, stop - _WINDOW)
    window = [n for n in range(low, stop + 1) if _content(lines[n])]
    indents = {_indent(lines[n]) for n in window}
    size = sum(len(line) + 1 for line in lines)
    trials = min(_MAX_TRIALS, budget.left // max(size, 1))
    if trials < 2:
        return None
    unit = _unit(lines)
    joined_all = "\n".join(lines)
    decode = size <= _DECODED and not ("&" in joined_all and "*" in joined_all)
    best: tuple | None = None
    for number in reversed(window):
        for edit in _edits(lines[number], number, indents):
            if trials <= 0:
                break
            trials -= 1
            budget.left -= size
            candidate = lines[:number] + [edit.new] + lines[number + 1 :]
            joined = "\n".join(candidate)
            later = first_error(joined)
            if later is not None and later.line <= stop + 1:
                continue  # the same trouble, or trouble this edit made
            # An edit that only moves the error further down (a second mistake below) is
            # kept, behind any that make the document parse.
            badness = 500 if later is not None else _badness(joined) if decode else 0
            old = _indent(lines[number])
            off_grid = edit.kind == "indent" and edit.indent % unit != 0
            fixes_odd = edit.kind == "indent" and old % unit != 0
            nearby = candidate[max(0, number - _WINDOW) : stop + _WINDOW]
            key = (badness, _jumps(nearby, unit), off_grid, not fixes_odd, stop - number)
            if best is None or key < best[0]:
                best = (key, edit)
    if best is None:
        return None
    edit = best[1]
    return Break(edit.line, _indent(lines[edit.line]), _edit_hint(lines, edit, error, base))


def _edits(line: str, number: int, indents: set[int]) -> list[_Edit]:
    edits = []
    old = _indent(line)
    body = line.lstrip(" ")
    # Nearest indentations first: the budget may run out before the far ones.
    for indent in sorted(
        indents | {old - 2, old - 1, old + 1, old + 2}, key=lambda i: (abs(i - old), i)
    ):
        if indent >= 0 and indent != old:
            edits.append(_Edit(number, " " * indent + body, "indent", indent))
    if ":" not in line and (match := _MISSING_COLON.match(line)):
        edits.append(_Edit(number, f"{match[1]}{match[2]}: {match[3]}", "colon"))
    if match := _NO_SPACE.match(line):
        edits.append(_Edit(number, f"{match[1]}{match[2]}: {match[3]}", "space"))
    if (match := _VALUE_WITH_COLON.match(line)) or (match := _ODD_START.match(line)):
        value = match[2].replace("\\", "\\\\").replace('"', '\\"')
        edits.append(_Edit(number, f'{match[1]}"{value}"', "quote"))
    return edits


def _edit_hint(lines: list[str], edit: _Edit, error: YamlError, base: int) -> str:
    number = base + edit.line + 1
    shown = lines[edit.line].strip()
    fixed = edit.new.strip()
    said: Hint
    if edit.kind == "colon":
        return hint("missing-colon", line=number, shown=shown, fixed=fixed)
    if edit.kind == "space":
        said = hint("missing-space", line=number, fixed=fixed, shown=shown)
    elif edit.kind == "quote":
        said = hint("needs-quotes", line=number, fixed=edit.new.strip())
    else:
        said = _indent_hint(lines, edit, number, shown, base)
    if edit.line != error.line:
        return then(said, hint("parser-noticed", line=base + error.line + 1))
    return said


def _indent_hint(lines: list[str], edit: _Edit, number: int, shown: str, base: int) -> Hint:
    spaces, wanted = _spaces(_indent(lines[edit.line])), _spaces(edit.indent)
    sibling = _sibling(lines, edit.line, edit.indent, shown.startswith("- "))
    if sibling is not None:
        return hint(
            "indent-like-sibling", line=number, spaces=spaces, sibling=base + sibling + 1,
            other=lines[sibling].strip(), indent=edit.indent, shown=shown, wanted=wanted,
        )  # fmt: skip
    parent = _parent(lines, edit.line, edit.indent)
    if parent is not None:
        return hint(
            "indent-under-parent", line=number, spaces=spaces, wanted=wanted,
            other=lines[parent].strip(), parent=base + parent + 1,
        )  # fmt: skip
    return hint("indent-to", line=number, spaces=spaces, wanted=wanted)


def _parent(lines: list[str], number: int, indent: int) -> int | None:
    # The nearest line above that is shallower: the block a line at `indent` belongs to.
    for above in range(number - 1, -1, -1):
        if _content(lines[above]) and _indent(lines[above]) < indent:
            return above
    return None


def _sibling(lines: list[str], number: int, indent: int, item: bool) -> int | None:
    # The nearest line above at the wanted indentation and of the same sort (a list item or
    # a key), before a shallower line ends the block.
    for above in range(number - 1, max(-1, number - _WINDOW - 1), -1):
        if not _content(lines[above]):
            continue
        depth = _indent(lines[above])
        if depth == indent and lines[above].lstrip(" ").startswith("- ") == item:
            return above
        if depth < indent:
            return None
    return None


def _generic_hint(error: YamlError, base: int) -> str:
    problem = error.problem
    at = base + error.line + 1
    if problem == "did not find expected key":
        return hint("does-not-fit", line=at)
    if problem == "mapping values are not allowed in this context":
        return hint("colon-cannot-start-key", line=at)
    if problem == "could not find expected ':'":
        line = base + (error.context_line if error.context_line is not None else error.line) + 1
        return hint("key-without-colon", line=line)
    if problem == "found character that cannot start any token":
        return hint("cannot-start-value", line=at, column=error.column + 1)
    if problem == "did not find expected '-' indicator":
        return hint("not-a-list-item", line=at)
    if "end of stream" in problem and "quoted scalar" in error.context:
        return hint("quote-not-closed", line=base + (error.context_line or 0) + 1)
    if problem.startswith("did not find expected ',' or"):
        return hint("bracket-not-closed", line=base + (error.context_line or 0) + 1)
    return ""


def _badness(text: str) -> int:
    # Fields the object's kind does not have, or of the wrong shape: fewer is likelier.
    try:
        screen_depth(text, DEFAULT_LIMITS)
        value = yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ManifestError, RecursionError, ValueError):
        return 1_000
    if type(value) is not dict:
        return 100
    shape = TOP_LEVEL.get(str(value.get("kind")))
    if value.get("kind") == "Ingress" and value.get("apiVersion") in LEGACY_INGRESS_VERSIONS:
        shape = LEGACY_INGRESS
    return _shape_badness(value, shape) if shape is not None else 50


def _shape_badness(value: dict, shape: Shape) -> int:
    count = sum(1 for key in value if key not in shape.keys)
    for key, child in shape.maps:
        if key in value:
            item = value[key]
            count += _shape_badness(item, child) if type(item) is dict else 1
    for key, child in shape.lists:
        if key in value:
            items = value[key]
            if type(items) is not list:
                count += 1
                continue
            for item in items:
                count += _shape_badness(item, child) if type(item) is dict else 1
    return count


def _jumps(lines: list[str], unit: int) -> int:
    # Lines indented deeper than one step below the line before them (a list item's "- "
    # counts as a step): a document written by hand rarely has any.
    count, previous = 0, None
    for line in lines:
        if not _content(line):
            continue
        depth = _indent(line)
        if previous is not None:
            allowed = _indent(previous) + unit
            if previous.lstrip(" ").startswith("- "):
                allowed += 2
            if depth > allowed:
                count += 1
        previous = line
    return count


def _unit(lines: list[str]) -> int:
    # The document's indentation step: the smallest positive indentation it uses (2 or 4).
    steps = {_indent(line) for line in lines if _content(line)} - {0}
    smallest = min(steps, default=2)
    return smallest if smallest in (2, 3, 4) else 2


def _spaces(count: int) -> Hint:
    return hint("one-space") if count == 1 else hint("spaces", count=count)
