"""The text filters, as GNU grep, coreutils and gawk print them, with their exit codes."""

from __future__ import annotations

import pytest

from simulator.shell.errors import FileError
from simulator.shell.filters import FILTERS

TABLE = (
    "NAME                     READY   STATUS    RESTARTS   AGE\n"
    "kubia-7d9c-abcde         1/1     Running   0          5m\n"
    "kubia-7d9c-fghij         0/1     Running   0          5m\n"
    "ngx-dep-6796688696-dp222 1/1     Running   1          9h\n"
)
FILES = {"pods.txt": TABLE, "empty": ""}


def read(path: str) -> str:
    if path not in FILES:
        raise FileError(path, "No such file or directory")
    return FILES[path]


def run(line: list[str], stdin: str = TABLE) -> tuple[str, str, int]:
    result = FILTERS[line[0]](line, stdin, read)
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize(
    ("argv", "out", "code"),
    [
        pytest.param(
            ["grep", "kubia"], TABLE.splitlines(True)[1] + TABLE.splitlines(True)[2], 0, id="match"
        ),  # fmt: skip
        pytest.param(["grep", "-c", "Running"], "3\n", 0, id="count"),
        pytest.param(["grep", "-v", "Running"], TABLE.splitlines(True)[0], 0, id="invert"),
        pytest.param(["grep", "-i", "name"], TABLE.splitlines(True)[0], 0, id="ignore case"),
        pytest.param(["grep", "-c", "-E", "0/1|9h"], "2\n", 0, id="extended alternation"),
        pytest.param(["grep", "-c", "0/1\\|9h"], "2\n", 0, id="BRE alternation"),
        pytest.param(["grep", "-c", "a|b"], "0\n", 1, id="BRE pipe is literal"),
        pytest.param(["grep", "-cw", "dep"], "1\n", 0, id="word: dashes delimit"),
        pytest.param(["grep", "-cw", "kubi"], "0\n", 1, id="word: not a part"),
        pytest.param(["grep", "-o", "[[:digit:]]/1"], "1/1\n0/1\n1/1\n", 0, id="only matching"),
        pytest.param(["grep", "-n", "0/1"], "3:" + TABLE.splitlines(True)[2], 0, id="numbers"),
        pytest.param(
            ["grep", "-F", "1/1 "],
            TABLE.splitlines(True)[1] + TABLE.splitlines(True)[3],
            0,
            id="fixed strings",
        ),  # fmt: skip
        pytest.param(["grep", "-q", "kubia"], "", 0, id="quiet"),
        pytest.param(["grep", "nothing"], "", 1, id="no match exits 1"),
        pytest.param(["grep", "-x", "kubia"], "", 1, id="whole line"),
        pytest.param(["grep", "-A1", "NAME"], "".join(TABLE.splitlines(True)[:2]), 0, id="after"),
        pytest.param(["grep", "-e", "0/1", "-e", "9h", "-c"], "2\n", 0, id="several patterns"),
        pytest.param(
            ["grep", "-c", "Running", "pods.txt", "empty"],
            "pods.txt:3\nempty:0\n",
            0,
            id="files are labelled",
        ),  # fmt: skip
    ],
)
def test_grep(argv: list[str], out: str, code: int) -> None:
    assert run(argv)[0::2] == (out, code)


def test_grep_errors_exit_2() -> None:
    usage = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
    assert run(["grep"]) == ("", usage, 2)
    assert run(["grep", "-z", "x"]) == ("", "grep: invalid option -- 'z'\n" + usage, 2)
    assert run(["grep", "x", "nope"]) == ("", "grep: nope: No such file or directory\n", 2)
    assert run(["grep", "("]) == ("", "", 1)  # BRE ( is literal
    assert run(["grep", "-E", "("]) == ("", "grep: Unmatched ( or \\(\n", 2)
    assert run(["grep", "[a"]) == ("", "grep: Unmatched [, [^, [:, [., or [=\n", 2)
    assert run(["grep", "\\(a\\)\\1"])[2] == 2  # back-references: refused, not mis-run


def test_grep_is_linear_on_a_pattern_that_backtracks_elsewhere() -> None:
    text = "a" * 5000 + "!\n"
    assert run(["grep", "-cE", "(a+)+b"], text) == ("0\n", "", 1)


@pytest.mark.parametrize(
    ("argv", "stdin", "out"),
    [
        (["head", "-n", "2"], "1\n2\n3\n", "1\n2\n"),
        (["head", "-2"], "1\n2\n3\n", "1\n2\n"),
        (["head", "-n", "-1"], "1\n2\n3\n", "1\n2\n"),
        (["head", "-c", "3"], "abcdef", "abc"),
        (["tail", "-n", "2"], "1\n2\n3\n", "2\n3\n"),
        (["tail", "-3"], "1\n2\n3\n4\n", "2\n3\n4\n"),
        (["tail", "-n", "+2"], "1\n2\n3\n", "2\n3\n"),
        (["tail", "-f", "-n", "1"], "1\n2\n", "2\n"),
        (["wc", "-l"], "a b\nc\n", "2\n"),
        (["wc"], "a b\nc\n", "      2       3       6\n"),
        (["wc", "-w", "-l"], "a b\nc\n", "      2       3\n"),
        (["sort"], "b\na\nC\n", "C\na\nb\n"),
        (["sort", "-r"], "b\na\nc\n", "c\nb\na\n"),
        (["sort", "-n"], "10\n9\n-1\n", "-1\n9\n10\n"),
        (["sort", "-u"], "b\na\nb\n", "a\nb\n"),
        (["sort", "-k", "2", "-n"], "x 3\ny 1\nz 2\n", "y 1\nz 2\nx 3\n"),
        (["sort", "-t", ":", "-k", "2"], "a:c\nb:a\n", "b:a\na:c\n"),
        (["uniq"], "a\na\nb\na\n", "a\nb\na\n"),
        (["uniq", "-c"], "a\na\nb\n", "      2 a\n      1 b\n"),
        (["tr", " ", "\\n"], "a b c", "a\nb\nc"),
        (["tr", "a-z", "A-Z"], "kubia\n", "KUBIA\n"),
        (["tr", "[:lower:]", "[:upper:]"], "x\n", "X\n"),
        (["tr", "-d", "-"], "a-b-c\n", "abc\n"),
        (["tr", "-s", " "], "a   b\n", "a b\n"),
        (["tr", "-cd", "0-9\\n"], "a1b2\n", "12\n"),
        (["cut", "-d", ":", "-f", "2"], "a:b:c\nno\n", "b\nno\n"),
        (["cut", "-d:", "-f1,3"], "a:b:c\n", "a:c\n"),
        (["cut", "-s", "-d", ":", "-f", "2"], "a:b\nno\n", "b\n"),
        (["cut", "-c", "1-3"], "kubia\n", "kub\n"),
        (["cut", "-f", "2-"], "a\tb\tc\n", "b\tc\n"),
        (["base64"], "hi", "aGk=\n"),
        (["base64", "-d"], "aGk=\n", "hi"),
    ],
)
def test_line_and_character_tools(argv: list[str], stdin: str, out: str) -> None:
    assert run(argv, stdin) == (out, "", 0)


@pytest.mark.parametrize(
    ("argv", "err", "code"),
    [
        (["head", "-n", "x"], "head: invalid number of lines: 'x'\n", 1),
        (["head", "nope"], "head: cannot open 'nope' for reading: No such file or directory\n", 1),
        (
            ["tail", "-z"],
            "tail: invalid option -- 'z'\nTry 'tail --help' for more information.\n",
            1,
        ),  # fmt: skip
        (["wc", "nope"], "wc: nope: No such file or directory\n", 1),
        (["sort", "nope"], "sort: cannot read: nope: No such file or directory\n", 2),
        (["tr"], "tr: missing operand\nTry 'tr --help' for more information.\n", 1),
        (
            ["tr", "a"],
            "tr: missing operand after 'a'\nTwo strings must be given when "
            "translating.\nTry 'tr --help' for more information.\n",
            1,
        ),  # fmt: skip
        (
            ["cut", "-f", "x"],
            "cut: invalid field value 'x'\nTry 'cut --help' for more information.\n",
            1,
        ),  # fmt: skip
        (
            ["cut", "-d", "ab", "-f", "1"],
            "cut: the delimiter must be a single character\n"
            "Try 'cut --help' for more information.\n",
            1,
        ),  # fmt: skip
        (
            ["cut"],
            "cut: you must specify a list of bytes, characters, or fields\nTry 'cut "
            "--help' for more information.\n",
            1,
        ),  # fmt: skip
        (["base64", "-d"], "base64: invalid input\n", 1),
    ],
)
def test_errors_as_coreutils_word_them(argv: list[str], err: str, code: int) -> None:
    assert run(argv, "!!")[1:] == (err, code)


@pytest.mark.parametrize(
    ("program", "out"),
    [
        ("{print $1}", "NAME\nkubia-7d9c-abcde\nkubia-7d9c-fghij\nngx-dep-6796688696-dp222\n"),
        (
            "NR>1 {print $1, $3}",
            "kubia-7d9c-abcde Running\nkubia-7d9c-fghij Running\n"
            "ngx-dep-6796688696-dp222 Running\n",
        ),  # fmt: skip
        ('$2 == "0/1" {print $1}', "kubia-7d9c-fghij\n"),
        ("/ngx/ {print $NF}", "9h\n"),
        ("$1 ~ /kubia/ && $4 == 0 {n++} END {print n}", "2\n"),
        ("{print $(NF-1)}", "RESTARTS\n0\n0\n1\n"),
        ("NR==2", TABLE.splitlines(True)[1]),
        (
            '{printf "%s-%d\\n", $1, NR}',
            "NAME-1\nkubia-7d9c-abcde-2\nkubia-7d9c-fghij-3\nngx-dep-6796688696-dp222-4\n",
        ),  # fmt: skip
        ("END {print NR}", "4\n"),
        ('{s += $4} END {print "restarts:", s}', "restarts: 1\n"),
    ],
)
def test_awk_programs(program: str, out: str) -> None:
    assert run(["awk", program]) == (out, "", 0)


def test_awk_field_separator_and_refusals() -> None:
    assert run(["awk", "-F:", "{print $2}"], "a:b\n") == ("b\n", "", 0)
    assert run(["awk", "-F", ":", "-v", "x=1", "{print x $1}"], "a:b\n") == ("1a\n", "", 0)
    out, err, code = run(["awk", "{ if ($1) print }"])
    assert (out, code) == ("", 2)
    assert "`if' is not available" in err
    assert run(["awk", "{print length($1)}"])[2] == 2
    assert run(["awk"])[1].startswith("usage: awk")
