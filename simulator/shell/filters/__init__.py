"""Text filters, as GNU grep, coreutils and gawk behave: what `| grep` and friends run.

Each filter is `filter(argv, stdin, read_file) -> CommandResult`: it reads its
standard input (or the files it names, through `read_file`, which raises
`FileError`) and never touches the cluster. The same filters run on the
learner's workstation and inside containers.
"""

from __future__ import annotations

from collections.abc import Callable

from simulator.result import CommandResult

from .awk import awk
from .chars import base64, cut, tr
from .grep import grep
from .lines import head, sort, tail, uniq, wc

Filter = Callable[[list[str], str, Callable[[str], str]], CommandResult]

FILTERS: dict[str, Filter] = {
    "grep": grep,
    "egrep": lambda argv, stdin, read: grep(["grep", "-E", *argv[1:]], stdin, read),
    "fgrep": lambda argv, stdin, read: grep(["grep", "-F", *argv[1:]], stdin, read),
    "head": head,
    "tail": tail,
    "wc": wc,
    "sort": sort,
    "uniq": uniq,
    "tr": tr,
    "cut": cut,
    "awk": awk,
    "gawk": awk,
    "base64": base64,
}

__all__ = ["FILTERS", "Filter"]
