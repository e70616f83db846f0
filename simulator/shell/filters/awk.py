"""A small awk: `[pattern] { print ... }` programs as gawk runs them, on RE2 regexes.

Understood: `BEGIN`/`END`, patterns (`/re/`, `NR>1`, `$3 == "Running"`,
`$1 ~ /kubia/`, `&&`, `||`, `!`), actions of `print` and `printf`
statements and assignments (`n++`, `s += $2`), fields `$N`, `$NF`, `$(NF-1)`,
`NR`, `NF`, `FS`/`OFS`, string concatenation and arithmetic, `-F SEP`,
`-v NAME=VALUE`. Anything else (functions, arrays, if/for) is refused with a
message saying what this awk runs.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

import re2

from simulator.result import CommandResult
from simulator.shell.errors import FileError

from .options import lines_of

Reader = Callable[[str], str]
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<str>\"(?:[^\"\\]|\\.)*\")|"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\+\+|--|\+=|-=|\*=|/=|==|!=|<=|>=|&&|\|\||!~|"
    r"[-+*/%<>!~=(){};,$]|\n))"
)
_ESC = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "/": "/"}
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}  # fmt: skip
UNSUPPORTED = (
    "awk: this playground's awk runs `[pattern] {{ print ... }}` programs (fields $1..$NF, NR, NF,"
    " -F SEP, printf, n++ and sums); {what} is not available"
)


class AwkError(ValueError):
    """A program this awk cannot run; `str()` is the message."""


def awk(argv: list[str], stdin: str, read: Reader) -> CommandResult:
    """`awk [-F SEP] [-v N=V] 'PROGRAM' [FILE...]`."""
    args = argv[1:]
    sep, assigned = None, {}
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flag = args.pop(0)
        if flag == "--":
            break
        value = flag[2:] or (args.pop(0) if args else None)
        if flag[:2] not in ("-F", "-v") or value is None:
            return CommandResult.error(
                f"awk: option requires an argument -- {flag[1:2]}"
                if value is None
                else f"awk: not an option: {flag}",
                2,
            )
        if flag[:2] == "-F":
            sep = "\t" if value == "t" else value
        else:
            name, eq, val = value.partition("=")
            if not eq:
                return CommandResult.error(
                    f"awk: `{value}' argument to `-v' not in var=value form", 2
                )
            assigned[name] = val
    if not args:
        return CommandResult.error(
            "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]", 2
        )
    source, files = args[0], args[1:]
    try:
        program = _Parser(source).program()
    except AwkError as err:
        return CommandResult.error(str(err), 2)
    text_parts, errors = [], []
    for name in files or ["-"]:
        try:
            text_parts.append(stdin if name == "-" else read(name))
        except FileError as err:
            errors.append(f"awk: cmd. line:1: fatal: cannot open file `{name}' for reading: "
                          f"{err.reason}\n")  # fmt: skip
    machine = _Machine(sep, assigned)
    try:
        out = machine.run(program, [line for t in text_parts for line in lines_of(t)])
    except AwkError as err:
        return CommandResult(stdout="".join(machine.out), stderr=f"{err}\n", exit_code=2)
    return CommandResult(stdout=out, stderr="".join(errors), exit_code=2 if errors else 0)


# -- parsing: a Pratt parser into nested tuples -------------------------------------------


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        i = 0
        while i < len(source):
            if source[i] in " \t":
                i += 1
                continue
            if source[i] == "/" and self._operand_expected():
                end = i + 1
                while end < len(source) and source[end] != "/":
                    end += 2 if source[end] == "\\" else 1
                if end >= len(source):
                    raise AwkError("awk: cmd. line:1: unterminated regexp")
                self.tokens.append(("re", source[i + 1 : end]))
                i = end + 1
                continue
            m = _TOKEN.match(source, i)
            if not m or m.end() == i:
                raise AwkError(f"awk: cmd. line:1: syntax error near `{source[i : i + 10]}'")
            kind = m.lastgroup or "op"
            text = m.group(kind)
            self.tokens.append((kind, text))
            i = m.end()
        self.tokens.append(("end", ""))
        self.pos = 0

    def _operand_expected(self) -> bool:
        if not self.tokens:
            return True
        kind, text = self.tokens[-1]
        return kind == "op" and text not in (")", "$") or kind == "end"

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos]

    def take(self, text: str | None = None) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        if text is not None and tok[1] != text:
            raise AwkError(f"awk: cmd. line:1: syntax error: expected `{text}' near `{tok[1]}'")
        self.pos += 1
        return tok

    def skip_separators(self) -> None:
        while self.peek()[1] in (";", "\n"):
            self.pos += 1

    def program(self) -> list[tuple]:
        items: list[tuple] = []
        self.skip_separators()
        while self.peek()[0] != "end":
            kind, text = self.peek()
            if kind == "name" and text in ("BEGIN", "END"):
                self.pos += 1
                items.append((text, None, self.block()))
            else:
                pattern = None if text == "{" else self.expr()
                action = self.block() if self.peek()[1] == "{" else [("print", [])]
                items.append(("main", pattern, action))
            self.skip_separators()
        return items

    def block(self) -> list[tuple]:
        self.take("{")
        statements = []
        self.skip_separators()
        while self.peek()[1] != "}":
            statements.append(self.statement())
            self.skip_separators()
            if self.peek()[0] == "end":
                raise AwkError("awk: cmd. line:1: syntax error: missing `}'")
        self.take("}")
        return statements

    def statement(self) -> tuple:
        kind, text = self.peek()
        if kind == "name" and text in ("print", "printf"):
            self.pos += 1
            args = []
            if self.peek()[1] not in (";", "}", "\n"):
                args.append(self.expr(no_gt=True))
                while self.peek()[1] == ",":
                    self.pos += 1
                    args.append(self.expr(no_gt=True))
            if self.peek()[1] == ">":
                raise AwkError(UNSUPPORTED.format(what="redirecting print to a file"))
            return (text, args)
        if kind == "name" and text in ("if", "for", "while", "do", "next", "exit", "getline",
                                       "delete", "function"):  # fmt: skip
            raise AwkError(UNSUPPORTED.format(what=f"`{text}'"))
        return ("expr", self.expr())

    _BINARY = {"||": 1, "&&": 2, "~": 4, "!~": 4, "==": 5, "!=": 5, "<": 5, "<=": 5, ">": 5,
               ">=": 5, "+": 7, "-": 7, "*": 8, "/": 8, "%": 8}  # fmt: skip

    def expr(self, level: int = 0, no_gt: bool = False) -> tuple:
        left = self.unary(no_gt)
        while True:
            kind, text = self.peek()
            if kind == "op" and text in ("=", "+=", "-=", "*=", "/=") and level == 0:
                if left[0] not in ("var", "field"):
                    raise AwkError("awk: cmd. line:1: syntax error: assignment to a non-variable")
                self.pos += 1
                left = ("assign", text, left, self.expr(0, no_gt))
                continue
            prec = self._BINARY.get(text) if kind == "op" else None
            if prec is not None and not (no_gt and text == ">"):
                if prec <= level:
                    return left
                self.pos += 1
                right = self.expr(prec, no_gt)
                if text in ("~", "!~") and right[0] == "match":
                    right = right[2]  # `$1 ~ /re/`: the regex itself, not a match against $0
                left = ("bin", text, left, right)
                continue
            if (
                level < 6
                and (kind in ("num", "str", "name", "re") or text in ("$", "(", "!"))
                and (kind != "name" or text not in ("print", "printf"))
            ):
                if text == "!":
                    return left
                left = ("cat", left, self.expr(6, no_gt))
                continue
            return left

    def unary(self, no_gt: bool) -> tuple:
        kind, text = self.take()
        if kind == "num":
            return ("num", float(text))
        if kind == "str":
            body = text[1:-1]
            return ("str", re.sub(r"\\(.)", lambda m: _ESC.get(m.group(1), m.group(1)), body))
        if kind == "re":
            return ("match", ("field", ("num", 0.0)), ("re", text))
        if text == "$":
            return ("field", self.unary(no_gt))
        if text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if text in ("!", "-", "+"):
            return ("unary", text, self.expr(6, no_gt))
        if text in ("++", "--"):
            target = self.unary(no_gt)
            return ("assign", "+=" if text == "++" else "-=", target, ("num", 1.0))
        if kind == "name":
            if self.peek()[1] == "(":
                raise AwkError(UNSUPPORTED.format(what=f"the function `{text}()'"))
            node: tuple = ("var", text)
            if self.peek()[1] in ("++", "--"):
                op = self.take()[1]
                return ("post", op, node)
            return node
        raise AwkError(f"awk: cmd. line:1: syntax error near `{text or 'end of program'}'")


# -- running -------------------------------------------------------------------------------


class _Machine:
    def __init__(self, sep: str | None, assigned: dict[str, str]) -> None:
        self.vars: dict[str, object] = {"FS": sep if sep is not None else " ", "OFS": " ",
                                        "NR": 0.0, **assigned}  # fmt: skip
        self.fields: list[str] = [""]
        self.out: list[str] = []
        self.regexes: dict[str, object] = {}

    def run(self, program: list[tuple], lines: list[str]) -> str:
        for kind, _, action in program:
            if kind == "BEGIN":
                self.execute(action)
        for line in lines:
            self.vars["NR"] = _number(self.vars["NR"]) + 1
            self.split(line)
            for kind, pattern, action in program:
                if kind == "main" and (pattern is None or _true(self.eval(pattern))):
                    self.execute(action)
        for kind, _, action in program:
            if kind == "END":
                self.execute(action)
        return "".join(self.out)

    def split(self, line: str) -> None:
        fs = str(self.vars["FS"])
        if fs == " ":
            parts = line.split()
        elif len(fs) == 1:
            parts = line.split(fs)
        else:
            parts = self.regex(fs).split(line)
        self.fields = [line, *parts]

    def regex(self, text: str):
        compiled = self.regexes.get(text)
        if compiled is None:
            options = re2.Options()
            options.log_errors = False
            try:
                compiled = re2.compile(text, options)
            except re2.error:
                raise AwkError(f"awk: cmd. line:1: fatal: invalid regexp: /{text}/") from None
            self.regexes[text] = compiled
        return compiled

    def execute(self, statements: list[tuple]) -> None:
        for statement in statements:
            kind = statement[0]
            if kind == "print":
                items = statement[1] or [("field", ("num", 0.0))]
                text = str(self.vars["OFS"]).join(_text(self.eval(e)) for e in items)
                self.out.append(text + "\n")
            elif kind == "printf":
                values = [self.eval(e) for e in statement[1]]
                if not values:
                    raise AwkError("awk: cmd. line:1: fatal: printf: no format")
                self.out.append(_printf(_text(values[0]), values[1:]))
            else:
                self.eval(statement[1])

    def eval(self, node: tuple) -> object:  # noqa: C901 - one branch per node kind
        kind = node[0]
        if kind in ("num", "str"):
            return node[1]
        if kind == "var":
            name = node[1]
            if name == "NF":
                return float(len(self.fields) - 1)
            return self.vars.get(name, "")
        if kind == "field":
            index = int(_number(self.eval(node[1])))
            if index < 0:
                raise AwkError(f"awk: cmd. line:1: fatal: attempt to access field {index}")
            return _strnum(self.fields[index]) if index < len(self.fields) else ""
        if kind == "match":
            return self.eval(("bin", "~", node[1], node[2]))
        if kind == "re":
            return node[1]
        if kind == "unary":
            value = self.eval(node[2])
            if node[1] == "!":
                return 0.0 if _true(value) else 1.0
            return -_number(value) if node[1] == "-" else _number(value)
        if kind == "cat":
            return _text(self.eval(node[1])) + _text(self.eval(node[2]))
        if kind in ("assign", "post"):
            return self.assign(node)
        op, left, right = node[1], node[2], node[3]
        if op == "&&":
            return 1.0 if _true(self.eval(left)) and _true(self.eval(right)) else 0.0
        if op == "||":
            return 1.0 if _true(self.eval(left)) or _true(self.eval(right)) else 0.0
        a = self.eval(left)
        if op in ("~", "!~"):
            pattern = right[1] if right[0] == "re" else _text(self.eval(right))
            found = self.regex(pattern).search(_text(a)) is not None
            return 1.0 if found == (op == "~") else 0.0
        b = self.eval(right)
        if op in ("+", "-", "*", "/", "%"):
            x, y = _number(a), _number(b)
            if op in ("/", "%") and y == 0:
                raise AwkError("awk: cmd. line:1: fatal: division by zero attempted")
            return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else 0.0,
                    "%": x % y if y else 0.0}[op]  # fmt: skip
        # Two numbers compare as numbers, anything else as strings.
        if isinstance(a, float) and isinstance(b, float):
            return 1.0 if _COMPARISONS[op](a, b) else 0.0
        return 1.0 if _COMPARISONS[op](_text(a), _text(b)) else 0.0

    def assign(self, node: tuple) -> object:
        if node[0] == "post":
            target, op, delta = node[2], node[1], 1.0
            old = _number(self.eval(target))
            self.store(target, old + (delta if op == "++" else -delta))
            return old
        op, target, value_node = node[1], node[2], node[3]
        value = self.eval(value_node)
        if op != "=":
            current = _number(self.eval(target))
            value = {"+=": current + _number(value), "-=": current - _number(value),
                     "*=": current * _number(value),
                     "/=": current / _number(value) if _number(value) else 0.0}[op]  # fmt: skip
        self.store(target, value)
        return value

    def store(self, target: tuple, value: object) -> None:
        if target[0] == "var":
            self.vars[target[1]] = value
            return
        index = int(_number(self.eval(target[1])))
        while len(self.fields) <= index:
            self.fields.append("")
        self.fields[index] = _text(value)
        if index:
            self.fields[0] = str(self.vars["OFS"]).join(self.fields[1:])


def _strnum(text: str) -> object:
    """A field that looks numeric compares as a number (awk's strnum)."""
    try:
        return float(text) if text.strip() else text
    except ValueError:
        return text


def _number(value: object) -> float:
    if isinstance(value, float):
        return value
    match = re.match(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", str(value))
    return float(match.group(0)) if match else 0.0


def _text(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value == int(value) and abs(value) < 1e16 else f"{value:.6g}"
    return str(value)


def _true(value: object) -> bool:
    return value != 0.0 if isinstance(value, float) else value != ""


def _printf(fmt: str, values: list[object]) -> str:
    out, k = [], 0
    for piece in re.split(r"(%[-+ 0#]*\d*(?:\.\d+)?[a-zA-Z%])", fmt):
        if not piece.startswith("%") or len(piece) < 2:
            out.append(piece)
            continue
        conv = piece[-1]
        if conv == "%":
            out.append("%")
            continue
        value = values[k] if k < len(values) else ""
        k += 1
        if conv in "di":
            out.append((piece[:-1] + "d") % int(_number(value)))
        elif conv in "feEgG":
            out.append(piece % _number(value))
        elif conv == "c":
            out.append(_text(value)[:1])
        else:
            out.append((piece[:-1] + "s") % _text(value))
    return "".join(out)
