"""Lesson files in, `Lesson` values out, checked strictly (docs/lessons.md).

Each `content/<slug>.yaml` is read as YAML (safe loader), validated against
`lesson.schema.json`, then checked for what a schema cannot say: the slug is
the file name, check ids are unique in their step, regular expressions
compile, check commands only read (the simulator says which do), placeholders
are known ones. Every problem is reported with its file and field path, all at
once, in a `LessonError`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from markdown_it import MarkdownIt

from playground.lessons import placeholders
from playground.lessons.model import CHECK_KINDS, LANGUAGES, Check, Command, Lesson, Step, Text
from simulator import observation_problem

CONTENT = Path(__file__).resolve().parent / "content"
SCHEMA = Path(__file__).resolve().parent / "lesson.schema.json"
#: Lesson files are small; a bigger one is a mistake (or not a lesson).
MAX_FILE_BYTES = 256 * 1024
# CommonMark without raw HTML: a lesson's prose can only make Markdown's own markup.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


class LessonError(ValueError):
    """A lesson file is not valid; `problems` lists every reason, each with its place."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{path.name} is not a valid lesson:\n{listed}")


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@cache
def lessons() -> dict[str, Lesson]:
    """Every lesson of `CONTENT`, by slug, in their `order`.

    Raises:
        LessonError: the first file that is not valid (with all of its problems).
    """
    loaded = [load(path) for path in sorted(CONTENT.glob("*.yaml"))]
    loaded.sort(key=lambda lesson: (lesson.order, lesson.slug))
    return {lesson.slug: lesson for lesson in loaded}


def load(path: Path) -> Lesson:
    """Read and check one lesson file.

    Raises:
        LessonError: with every problem found.
    """
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise LessonError(path, [f"the file is over {MAX_FILE_BYTES // 1024} KiB"])
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        raise LessonError(path, [f"not readable as UTF-8 YAML: {err}"]) from None
    problems = [_schema_problem(error) for error in _validator().iter_errors(data)]
    if problems:
        raise LessonError(path, sorted(problems))
    problems = list(_meaning_problems(path, data))
    if problems:
        raise LessonError(path, problems)
    return _build(data)


def _where(parts) -> str:
    where = ""
    for part in parts:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where or "(the file)"


def _schema_problem(error: jsonschema.ValidationError) -> str:
    where = _where(error.absolute_path)
    if error.validator == "additionalProperties":
        return f"{where}: {error.message}"
    if error.validator in ("minProperties", "maxProperties") and where.endswith("]"):
        kinds = ", ".join(CHECK_KINDS)
        return f"{where}: a check has an id, a label and exactly one of {kinds}"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "oneOf":
        return f"{where}: {error.instance!r} is none of the forms this field takes"
    return f"{where}: {error.message}"


def _meaning_problems(path: Path, data: dict[str, Any]):
    if data["slug"] != path.stem:
        yield f"slug: {data['slug']!r} must be the file name without .yaml ({path.stem!r})"
    for s, step in enumerate(data["steps"]):
        seen: set[str] = set()
        for c, check in enumerate(step["checks"]):
            where = f"steps[{s}].checks[{c}]"
            if check["id"] in seen:
                yield f"{where}.id: {check['id']!r} is used twice in this step"
            seen.add(check["id"])
            kind = next(k for k in CHECK_KINDS if k in check)
            yield from _check_problems(f"{where}.{kind}", kind, check[kind])
        for i, command in enumerate(step["solution"]):
            line = command if isinstance(command, str) else command["run"]
            yield from _placeholder_problems(f"steps[{s}].solution[{i}]", line)


def _check_problems(where: str, kind: str, spec: dict[str, Any]):
    if kind == "held":
        inner = next(iter(spec["check"]))
        yield from _check_problems(f"{where}.check.{inner}", inner, spec["check"][inner])
        return
    for field in ("output", "output_lacks", "stderr", "matches", "line", "url"):
        value = spec.get(field)
        pattern = value.get("matches") if isinstance(value, dict) else value
        if isinstance(pattern, str) and field != "url":
            try:
                re.compile(pattern)
            except re.error as err:
                yield f"{where}.{field}: not a regular expression ({err})"
    if kind == "command":
        yield from _placeholder_problems(f"{where}.run", spec["run"])
        problem = observation_problem(placeholders.PLACEHOLDER.sub("x", spec["run"]))
        if problem is not None:
            yield f"{where}.run: {problem}"
    if kind == "request":
        yield from _placeholder_problems(f"{where}.url", spec["url"])
    if kind == "object":
        tests = [key for key in ("equals", "matches", "count", "absent") if key in spec]
        if len(tests) != 1:
            yield f"{where}: give exactly one of equals, matches, count, absent"
        elif tests != ["absent"] and "jsonpath" not in spec:
            yield f"{where}: {tests[0]} needs a jsonpath"
    if kind == "ran" and "distinct" in spec and "same" in spec:
        yield f"{where}: distinct and same cannot both hold"
    if kind == "ran" and ("distinct" in spec or "same" in spec):
        try:
            groups = re.compile(spec.get("output", "")).groups
        except re.error:
            groups = 1  # reported above
        if groups < 1:
            yield f"{where}: distinct and same compare the output's first (group)"


def _placeholder_problems(where: str, text: str):
    for match in re.finditer(r"\{(\w+):", text):
        if match.group(1) not in ("pod", "node_ip", "cluster_ip", "lb_ip", "node_port"):
            yield f"{where}: unknown placeholder {{{match.group(1)}:...}}"


def _text(value: dict[str, str], markdown: bool = False) -> Text:
    render = _MARKDOWN.render if markdown else str.strip
    return Text(tuple((language, render(value[language])) for language in LANGUAGES))


def _build(data: dict[str, Any]) -> Lesson:
    steps = []
    for step in data["steps"]:
        checks = []
        for check in step["checks"]:
            kind = next(k for k in CHECK_KINDS if k in check)
            checks.append(Check(check["id"], _text(check["label"]), kind, check[kind]))
        solution = tuple(
            Command(c) if isinstance(c, str) else Command(c["run"], c["stdin"])
            for c in step["solution"]
        )
        steps.append(
            Step(
                title=_text(step["title"]),
                body=_text(step["text"], markdown=True),
                checks=tuple(checks),
                hints=tuple(_text(hint, markdown=True) for hint in step["hints"]),
                solution=solution,
            )
        )
    return Lesson(
        slug=data["slug"],
        order=data["order"],
        minutes=data["minutes"],
        title=_text(data["title"]),
        goal=_text(data["goal"], markdown=True),
        source=data["source"],
        manifests=data["manifests"],
        steps=tuple(steps),
    )
