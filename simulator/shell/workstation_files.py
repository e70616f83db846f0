"""The workstation's file programs, as GNU coreutils 9 prints them: ls, cat, rm, mkdir, touch.

The locale is C (no LANG is set), so messages quote with plain apostrophes
and `ls` sorts by byte value.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from simulator.clock import EPOCH
from simulator.result import CommandResult

from .errors import FileError
from .filters.options import OptionError, Spec, parse


@dataclass(slots=True)
class File:
    """A file the learner wrote on the workstation."""

    text: str
    mode: int  # permission bits
    at: float  # simulated time of the last write


class Disk(Protocol):
    """What the file programs use of the machine they run on (`workstation.Workstation`)."""

    files: dict[str, File]  # by absolute path
    dirs: set[str]  # absolute paths

    def path(self, path: str) -> str: ...

    def entries(self, directory: str) -> list[str]: ...

    def read_file(self, path: str) -> str: ...

    def write_file(self, path: str, text: str, append: bool, private: bool = False) -> None: ...

    def writable(self, full: str) -> bool: ...


LS = Spec("ls", {"l": ("l", False), "a": ("a", False), "A": ("A", False), "1": ("1", False),
                 "h": ("h", False)},
          {"all": ("a", False), "almost-all": ("A", False),
           "human-readable": ("h", False)})  # fmt: skip
_TERMINAL_WIDTH = 80


def ls(ws: Disk, argv: list[str], tty: bool) -> CommandResult:
    """`ls [-laA1] [PATH...]`: columns on a terminal, one name a line into a pipe."""
    try:
        options, operands = parse(LS, argv[1:])
    except OptionError as err:
        err.result.exit_code = 2
        return err.result
    flags = {name for name, _ in options}
    out, errors = [], []
    files, dirs = [], []
    for operand in operands or ["."]:
        full = ws.path(operand)
        if full in ws.dirs:
            dirs.append((operand, full))
        elif full in ws.files:
            files.append((operand, full))
        else:
            errors.append(f"ls: cannot access '{operand}': No such file or directory\n")
    if files:
        out.append(_listing(ws, files, flags, tty, total=False))
    for k, (operand, full) in enumerate(dirs):
        names = ws.entries(full)
        if "a" in flags:
            names = [".", "..", *names]
        listed = [(name, posixpath.join(full, name)) for name in names]
        header = f"{operand}:\n" if len(dirs) + len(files) > 1 else ""
        if out or k:
            header = "\n" + header
        out.append(header + _listing(ws, listed, flags, tty, total=True))
    return CommandResult(stdout="".join(out), stderr="".join(errors), exit_code=2 if errors else 0)


def _listing(ws: Disk, entries: list[tuple[str, str]], flags: set[str], tty: bool,
             total: bool) -> str:  # fmt: skip
    if "l" in flags:
        rows = []
        blocks = 0
        for name, full in entries:
            is_dir = full in ws.dirs or name in (".", "..")
            file = ws.files.get(full)
            size = 4096 if is_dir else len(file.text.encode()) if file else 0
            blocks += 4 if is_dir else -(-size // 4096) * 4
            mode = "drwxr-xr-x" if is_dir else _mode(file.mode if file else 0o644)
            at = file.at if file else 0
            when = EPOCH + timedelta(seconds=int(at))
            stamp = f"{when:%b} {when.day:2d} {when:%H:%M}"
            rows.append((mode, "2" if is_dir else "1", str(size), stamp, name))
        width = max((len(r[2]) for r in rows), default=1)
        lines = [
            f"{m} {links} learner learner {s:>{width}} {t} {n}\n" for m, links, s, t, n in rows
        ]
        return (f"total {blocks}\n" if total else "") + "".join(lines)
    names = [name for name, _ in entries]
    if not names:
        return ""
    if tty and "1" not in flags and sum(len(n) + 2 for n in names) - 2 <= _TERMINAL_WIDTH:
        return "  ".join(names) + "\n"
    return "".join(n + "\n" for n in names)


def _mode(bits: int) -> str:
    letters = "".join(("rwx"[i % 3] if bits & (1 << (8 - i)) else "-") for i in range(9))
    return "-" + letters


def cat(ws: Disk, argv: list[str], stdin: str) -> CommandResult:
    """`cat [FILE...]` (stdin for none or `-`)."""
    out, errors = [], []
    for name in [a for a in argv[1:] if a != "-u"] or ["-"]:
        if name == "-":
            out.append(stdin)
            continue
        if name.startswith("-"):
            return CommandResult.error(
                f"cat: invalid option -- '{name[1:2]}'\nTry 'cat --help' for more information."
            )
        try:
            out.append(ws.read_file(name))
        except FileError as err:
            errors.append(f"cat: {name}: {err.reason}\n")
    return CommandResult(stdout="".join(out), stderr="".join(errors), exit_code=1 if errors else 0)


def rm(ws: Disk, argv: list[str]) -> CommandResult:
    """`rm [-rf] PATH...`."""
    flags = "".join(a[1:] for a in argv[1:] if a.startswith("-") and len(a) > 1)
    paths = [a for a in argv[1:] if not a.startswith("-") or a == "-"]
    if not paths:
        if "f" in flags:
            return CommandResult()
        return CommandResult.error("rm: missing operand\nTry 'rm --help' for more information.")
    errors = []
    for path in paths:
        full = ws.path(path)
        if full in ws.files:
            del ws.files[full]
        elif full in ws.dirs:
            if "r" not in flags and "R" not in flags:
                errors.append(f"rm: cannot remove '{path}': Is a directory\n")
            elif not ws.writable(full):
                errors.append(f"rm: cannot remove '{path}': Permission denied\n")
            else:
                inside = full + "/"
                for name in [f for f in ws.files if f.startswith(inside)]:
                    del ws.files[name]
                ws.dirs -= {d for d in ws.dirs if d == full or d.startswith(inside)}
        elif "f" not in flags:
            errors.append(f"rm: cannot remove '{path}': No such file or directory\n")
    return CommandResult(stderr="".join(errors), exit_code=1 if errors else 0)


def mkdir(ws: Disk, argv: list[str]) -> CommandResult:
    """`mkdir [-p] DIR...`."""
    parents = any(a.startswith("-") and "p" in a for a in argv[1:])
    paths = [a for a in argv[1:] if not a.startswith("-")]
    if not paths:
        return CommandResult.error(
            "mkdir: missing operand\nTry 'mkdir --help' for more information."
        )
    errors = []
    for path in paths:
        full = ws.path(path)
        chain = [full]
        while parents and posixpath.dirname(chain[-1]) not in ws.dirs:
            chain.append(posixpath.dirname(chain[-1]))
        for directory in reversed(chain):
            message = _make_dir(ws, directory, path, parents)
            if message:
                errors.append(message)
                break
    return CommandResult(stderr="".join(errors), exit_code=1 if errors else 0)


def _make_dir(ws: Disk, full: str, shown: str, parents: bool) -> str:
    if full in ws.dirs:
        return "" if parents else f"mkdir: cannot create directory '{shown}': File exists\n"
    if full in ws.files:
        return f"mkdir: cannot create directory '{shown}': File exists\n"
    if posixpath.dirname(full) not in ws.dirs:
        return f"mkdir: cannot create directory '{shown}': No such file or directory\n"
    if not ws.writable(full):
        return f"mkdir: cannot create directory '{shown}': Permission denied\n"
    if len(ws.dirs) >= 64 + 10:
        return f"mkdir: cannot create directory '{shown}': No space left on device\n"
    ws.dirs.add(full)
    return ""


def touch(ws: Disk, argv: list[str]) -> CommandResult:
    """`touch FILE...`: create empty files (existing ones keep their text)."""
    paths = [a for a in argv[1:] if not a.startswith("-")]
    if not paths:
        return CommandResult.error(
            "touch: missing file operand\nTry 'touch --help' for more information."
        )
    errors = []
    for path in paths:
        try:
            ws.write_file(path, "", True)
        except FileError as err:
            errors.append(f"touch: cannot touch '{path}': {err.reason}\n")
    return CommandResult(stderr="".join(errors), exit_code=1 if errors else 0)
