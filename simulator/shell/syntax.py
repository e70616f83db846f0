"""Reading a command line as a POSIX shell does: words, quotes, pipes, lists, redirections.

`parse(line)` returns a `Script`: pipelines joined by `;`, `&&` and `||`, each
pipeline a list of simple commands, each command its words (with which parts
were quoted and which are `$VARIABLES`, for expansion) and redirections.
What a one-line playground terminal has no use for (command substitution,
here-documents, background jobs but a last one, subshells, globbing) is
refused with a message instead of being half-understood. A `&` ending the
line makes its last pipeline a job (the runner lets only `kubectl
port-forward` run so: simulator.port_forwards).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_WORDS = 512  # words in one line
MAX_COMMANDS = 32  # simple commands in one line (pipeline stages and list items)

_OPERATOR_CHARS = "|&;<>"
_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_NAME_CHARS = _NAME_START + "0123456789"
_SPECIAL_PARAMS = "?$#0123456789@*!-"


class ShellSyntaxError(ValueError):
    """A line the shell cannot run: `str()` is the text after `bash: `; exit status 2."""


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of a word: literal text, or a parameter to expand (`var` set).

    Attributes:
        text: the literal text, or the parameter's name (`HOME`, `?`, `~` for the home).
        quoted: inside quotes or escaped: never split into fields.
        var: whether `text` names a parameter.
    """

    text: str
    quoted: bool = False
    var: bool = False


Word = tuple[Part, ...]


@dataclass(slots=True)
class Redirect:
    """`N>file`, `N>>file`, `N<file`, `N>&M`: which descriptor goes where."""

    fd: int
    op: str  # ">", ">>", "<", ">&"
    target: Word


@dataclass(slots=True)
class Command:
    """A simple command: its words and redirections, in the order written."""

    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Step:
    """One pipeline of a list, how it joins the one before (`""`, `;`, `&&`, `||`), and
    whether it runs as a background job (a trailing `&`)."""

    joiner: str
    pipeline: list[Command]
    background: bool = False


Script = list[Step]


def literal(word: Word) -> str | None:
    """The word's text when it has no parameter in it, else None (aliases, assignments)."""
    if any(p.var for p in word):
        return None
    return "".join(p.text for p in word)


def unquoted_literal(word: Word) -> str | None:
    """The word's text when it is plain, unquoted text (alias names must be)."""
    if any(p.var or p.quoted for p in word):
        return None
    return "".join(p.text for p in word)


# -- tokens ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Op:
    text: str


def _tokens(line: str) -> list[Word | _Op]:
    """Words and operators of `line`, quotes removed but remembered in each `Part`."""
    out: list[Word | _Op] = []
    parts: list[Part] = []
    started = False  # a word is open (even an empty quoted one)
    i, n = 0, len(line)

    def end_word() -> None:
        nonlocal parts, started
        if started:
            out.append(tuple(_merge(parts)))
            if len(out) > MAX_WORDS:
                raise ShellSyntaxError(f"too many words in one line (over {MAX_WORDS})")
        parts, started = [], False

    while i < n:
        c = line[i]
        if c in " \t":
            end_word()
            i += 1
        elif c == "#" and not started:
            break  # a comment runs to the end of the line
        elif c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ShellSyntaxError("unexpected EOF while looking for matching `''")
            parts.append(Part(line[i + 1 : end], quoted=True))
            started, i = True, end + 1
        elif c == '"':
            i = _double_quoted(line, i + 1, parts)
            started = True
        elif c == "\\":
            if i + 1 < n:
                parts.append(Part(line[i + 1], quoted=True))
            i += 2
            started = True
        elif c == "$":
            i = _dollar(line, i, parts, quoted=False)
            started = True
        elif c == "`":
            raise ShellSyntaxError(_unsupported("command substitution with `...`"))
        elif c in "()":
            raise ShellSyntaxError(
                f"syntax error near unexpected token `{c}'"
                if started
                else _unsupported("subshells and grouping with ( )")
            )
        elif c == "~" and not started:
            tail = line[i + 1 : i + 2]
            if tail in ("", "/", " ", "\t") or tail in _OPERATOR_CHARS:
                parts.append(Part("~", var=True))
            else:
                parts.append(Part("~"))
            started, i = True, i + 1
        elif c in _OPERATOR_CHARS:
            fd_word = literal(tuple(parts)) if started else None
            if c in "<>" and fd_word is not None and fd_word.isdigit() and len(fd_word) < 3:
                parts, started = [], False
                op, i = _operator(line, i)
                out.append(_Op(fd_word + op))
                continue
            end_word()
            op, i = _operator(line, i)
            out.append(_Op(op))
        else:
            j = i
            while j < n and line[j] not in " \t'\"\\$`()|&;<>":
                j += 1
            parts.append(Part(line[i:j]))
            started, i = True, j
    end_word()
    return out


def _merge(parts: list[Part]) -> list[Part]:
    """Adjacent literal parts of the same quoting joined (fewer parts to expand)."""
    merged: list[Part] = []
    for p in parts:
        if merged and not p.var and not merged[-1].var and merged[-1].quoted == p.quoted:
            merged[-1] = Part(merged[-1].text + p.text, p.quoted)
        else:
            merged.append(p)
    return merged or [Part("", quoted=True)]


def _double_quoted(line: str, i: int, parts: list[Part]) -> int:
    """Read a `"..."` body from `i` into `parts`; returns the index after the closing quote."""
    n = len(line)
    text: list[str] = []
    while i < n:
        c = line[i]
        if c == '"':
            parts.append(Part("".join(text), quoted=True))
            return i + 1
        if c == "\\" and i + 1 < n and line[i + 1] in '$`"\\':
            text.append(line[i + 1])
            i += 2
        elif c == "$":
            parts.append(Part("".join(text), quoted=True))
            text = []
            i = _dollar(line, i, parts, quoted=True)
        elif c == "`":
            raise ShellSyntaxError(_unsupported("command substitution with `...`"))
        else:
            text.append(c)
            i += 1
    raise ShellSyntaxError("unexpected EOF while looking for matching `\"'")


def _dollar(line: str, i: int, parts: list[Part], *, quoted: bool) -> int:
    """Read `$NAME`, `${NAME}` or `$?` at `i`; a lone `$` stays literal."""
    n = len(line)
    nxt = line[i + 1] if i + 1 < n else ""
    if nxt == "(":
        raise ShellSyntaxError(_unsupported("command substitution with $(...)"))
    if nxt == "{":
        end = line.find("}", i + 2)
        name = line[i + 2 : end] if end > 0 else ""
        if end < 0 or not name or not (_is_name(name) or name in _SPECIAL_PARAMS):
            shown = line[i : end + 1] if end > 0 else line[i:]
            raise ShellSyntaxError(f"{shown}: bad substitution")
        parts.append(Part(name, quoted=quoted, var=True))
        return end + 1
    if nxt and nxt in _SPECIAL_PARAMS:
        parts.append(Part(nxt, quoted=quoted, var=True))
        return i + 2
    if nxt and nxt in _NAME_START:
        j = i + 1
        while j < n and line[j] in _NAME_CHARS:
            j += 1
        parts.append(Part(line[i + 1 : j], quoted=quoted, var=True))
        return j
    parts.append(Part("$", quoted=quoted))
    return i + 1


def _operator(line: str, i: int) -> tuple[str, int]:
    for op in ("&&", "||", ">>", ">&", "&>", "<<", "|", "&", ";", ">", "<"):
        if line.startswith(op, i):
            return op, i + len(op)
    raise AssertionError("not an operator")  # pragma: no cover - callers check first


def _is_name(text: str) -> bool:
    return bool(text) and text[0] in _NAME_START and all(c in _NAME_CHARS for c in text)


def _unsupported(what: str) -> str:
    return f"{what} is not available in this playground's shell: run one command at a time"


# -- parsing -----------------------------------------------------------------------------


def parse(line: str) -> Script:
    """The list of pipelines in `line`.

    Raises:
        ShellSyntaxError: unbalanced quotes, a misplaced operator, or a construct
            this shell does not run (its text says which).
    """
    tokens = _tokens(line)
    script: Script = []
    pipeline: list[Command] = []
    command = Command()
    joiner = ""
    count = 0
    background = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if not isinstance(tok, _Op):
            command.words.append(tok)
            continue
        op = tok.text
        if op == "&" and i == len(tokens) and (command.words or command.redirects):
            background = True
            break
        if op in ("&", "<<") or op.endswith("<<"):
            what = "background jobs with &" if op == "&" else "here-documents with <<"
            raise ShellSyntaxError(_unsupported(what))
        if op in ("|", "&&", "||", ";"):
            if not command.words and not command.redirects:
                raise ShellSyntaxError(f"syntax error near unexpected token `{op}'")
            pipeline.append(command)
            count += 1
            command = Command()
            if op != "|":
                script.append(Step(joiner, pipeline))
                pipeline, joiner = [], op
            if count > MAX_COMMANDS:
                raise ShellSyntaxError(f"too many commands in one line (over {MAX_COMMANDS})")
            continue
        # a redirection: its target is the next word
        target = tokens[i] if i < len(tokens) else None
        if not isinstance(target, tuple):
            shown = target.text if target is not None else "newline"
            raise ShellSyntaxError(f"syntax error near unexpected token `{shown}'")
        i += 1
        command.redirects.extend(_redirects(op, target))
    if command.words or command.redirects:
        pipeline.append(command)
    elif pipeline or joiner in ("&&", "||"):
        raise ShellSyntaxError("syntax error: unexpected end of file")
    if pipeline:
        script.append(Step(joiner, pipeline, background))
    return script


def _redirects(op: str, target: Word) -> list[Redirect]:
    digits = ""
    while op and op[0].isdigit():
        digits, op = digits + op[0], op[1:]
    if op == "&>":
        return [Redirect(1, ">", target), Redirect(2, ">&", (Part("1"),))]
    if op == ">&":
        text = literal(target)
        if text is None or not text.isdigit():
            if digits:
                raise ShellSyntaxError(f"{text or ''}: ambiguous redirect")
            return [Redirect(1, ">", target), Redirect(2, ">&", (Part("1"),))]
        return [Redirect(int(digits or 1), ">&", target)]
    default = 0 if op == "<" else 1
    return [Redirect(int(digits) if digits else default, op, target)]
