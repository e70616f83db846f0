"""The shell layer's reading of a line: words, quotes, expansion, lists, pipes, redirections."""

from __future__ import annotations

import pytest

from simulator.result import CommandResult
from simulator.shell.errors import FileError
from simulator.shell.expand import expand
from simulator.shell.runner import Runner
from simulator.shell.syntax import ShellSyntaxError, parse


class FakeMachine:
    """A machine whose `args` prints its argv, `fail` exits 3 and `err` writes stderr."""

    shell = "bash"

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.vars = {"HOME": "/home/learner", "SPACED": "  a  b  ", "EMPTY": ""}
        self.files: dict[str, str] = {}
        self.calls: list[list[str]] = []

    def variable(self, name):
        return self.vars.get(name)

    def assign(self, name, value, exported):
        self.vars[name] = value

    def unset(self, name):
        self.vars.pop(name, None)

    def environment(self):
        return sorted(self.vars.items())

    def program(self, argv, stdin, tty):
        self.calls.append(argv)
        if argv[0] == "args":
            return CommandResult(stdout="".join(f"<{a}>" for a in argv[1:]) + "\n")
        if argv[0] == "fail":
            return CommandResult(exit_code=3)
        if argv[0] == "err":
            return CommandResult(stdout="to out\n", stderr="to err\n", exit_code=1)
        if argv[0] == "cat":
            return CommandResult(stdout=stdin + "".join(self.read_file(p) for p in argv[1:]))
        return None

    def background(self, argv):
        return None  # no job runs on this machine

    def not_found(self, name):
        return f"bash: {name}: command not found"

    def read_file(self, path):
        if path not in self.files:
            raise FileError(path, "No such file or directory")
        return self.files[path]

    def write_file(self, path, text, append):
        self.files[path] = (self.files.get(path, "") if append else "") + text

    def change_directory(self, path):
        return None

    def working_directory(self):
        return "/home/learner"


def run(line: str, machine: FakeMachine | None = None, stdin: str = "") -> CommandResult:
    return Runner(machine or FakeMachine()).run(line, stdin)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        pytest.param("args a 'b c' \"d e\"", "<a><b c><d e>", id="quotes keep blanks"),
        pytest.param(r"args a\ b \$HOME", "<a b><$HOME>", id="backslash escapes"),
        pytest.param(
            "args $HOME ~ ~/x '~'",
            "</home/learner></home/learner></home/learner/x><~>",
            id="parameters and tilde",
        ),  # fmt: skip
        pytest.param("args $SPACED", "<a><b>", id="unquoted values split on blanks"),
        pytest.param('args "$SPACED"', "<  a  b  >", id="quoted values kept whole"),
        pytest.param("args x$SPACED'y'", "<x><a><b><y>", id="blanks at both ends split too"),
        pytest.param("args $EMPTY $NOPE", "", id="empty unquoted expansions vanish"),
        pytest.param('args "" $EMPTY""', "<><>", id="quoted empties stay"),
        pytest.param("args ${HOME}x $?", "</home/learnerx><0>", id="braces and status"),
        pytest.param("args 'it''s' \"a'b\" 'a\"b'", "<its><a'b><a\"b>", id="nested quotes"),
        pytest.param("args a # a comment", "<a>", id="comments"),
        pytest.param("args a#b", "<a#b>", id="a hash inside a word"),
        pytest.param("args $ x$", "<$><x$>", id="a lone dollar"),
    ],
)
def test_words_quotes_and_expansion(line: str, shown: str) -> None:
    assert run(line).stdout == shown + "\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("| args", "bash: syntax error near unexpected token `|'"),
        ("args |", "bash: syntax error: unexpected end of file"),
        ("args && ;", "bash: syntax error near unexpected token `;'"),
        ("args 'open", "bash: unexpected EOF while looking for matching `''"),
        ('args "open', "bash: unexpected EOF while looking for matching `\"'"),
        ("args >", "bash: syntax error near unexpected token `newline'"),
        (
            "args $(ls)",
            "bash: command substitution with $(...) is not available in this "
            "playground's shell: run one command at a time",
        ),  # fmt: skip
        (
            "args `ls`",
            "bash: command substitution with `...` is not available in this "
            "playground's shell: run one command at a time",
        ),  # fmt: skip
        (
            "sleep 1 &",
            "bash: background jobs with & are not available in this playground's shell: "
            "only `kubectl port-forward ... &` runs as a job (run other commands one at a time)",
        ),  # fmt: skip
        (
            "sleep 1 & echo x",
            "bash: background jobs with & is not available in this playground's "
            "shell: run one command at a time",
        ),  # fmt: skip
        (
            "cat <<EOF",
            "bash: here-documents with << is not available in this playground's "
            "shell: run one command at a time",
        ),  # fmt: skip
        ("args ${bad-name}", "bash: ${bad-name}: bad substitution"),
    ],
)
def test_syntax_errors_exit_2_with_bash_wording(line: str, message: str) -> None:
    result = run(line)
    assert (result.stdout, result.stderr, result.exit_code) == ("", message + "\n", 2)


def test_lists_run_by_status_and_keep_the_last_status() -> None:
    assert run("fail; args x").stdout == "<x>\n"
    assert run("fail && args no").exit_code == 3
    assert run("fail || args yes").stdout == "<yes>\n"
    assert run("args a && fail || args b").stdout == "<a>\n<b>\n"
    assert run("fail; echo $?").stdout == "3\n"
    assert run("nosuch; echo $?").stdout == "127\n"
    assert run("exit 4; args never").exit_code == 4
    assert run("exit x").stderr == "bash: exit: x: numeric argument required\n"


def test_pipes_pass_stdout_on_and_stderr_to_the_terminal_in_order() -> None:
    result = run("err | cat | cat")
    assert (result.stdout, result.stderr, result.exit_code) == ("to out\n", "to err\n", 0)
    assert result.output() == [("err", "to err\n"), ("out", "to out\n")]
    assert run("args a | fail").exit_code == 3  # a pipeline's status is its last stage's
    assert run("fail | args b").exit_code == 0


def test_redirections_write_files_and_route_descriptors() -> None:
    machine = FakeMachine()
    assert run("args one > f; args two >> f", machine).stdout == ""
    assert machine.files["f"] == "<one>\n<two>\n"
    assert run("cat < f", machine).stdout == "<one>\n<two>\n"
    result = run("err 2>/dev/null", machine)
    assert (result.stdout, result.stderr) == ("to out\n", "")
    result = run("err 2>&1 | cat > both", machine)
    assert machine.files["both"] == "to out\nto err\n"
    assert run("err > only 2>&1", machine).output() == []
    assert run("err &> all", machine).stderr == ""
    assert run("cat < nope", machine).stderr == "bash: nope: No such file or directory\n"
    assert run("args x 3>f", machine).exit_code == 1


def test_assignments_export_and_aliases_last_on_the_machine() -> None:
    machine = FakeMachine()
    run('out="--dry-run=client -o yaml"', machine)
    assert run("args $out", machine).stdout == "<--dry-run=client><-o><yaml>\n"
    run("export A=1 B", machine)
    assert run("export", machine).stdout.count("declare -x ") == len(machine.vars)
    assert run("export 1x=2", machine).stderr == "bash: export: `1x=2': not a valid identifier\n"
    run("alias k=args 'g=args -g'", machine)
    assert run("k get pods", machine).stdout == "<get><pods>\n"
    assert run("g x", machine).stdout == "<-g><x>\n"
    assert run("'k' x", machine).stderr == "bash: k: command not found\n"  # quoted: no alias
    assert run("alias k", machine).stdout == "alias k='args'\n"
    assert run("alias", machine).stdout == "alias g='args -g'\nalias k='args'\n"
    assert run("alias nope", machine).stderr == "bash: alias: nope: not found\n"
    assert run("alias a/b=x", machine).stderr == "bash: alias: `a/b': invalid alias name\n"
    run("unalias k", machine)
    assert run("k", machine).exit_code == 127
    assert run("unalias k", machine).stderr == "bash: unalias: k: not found\n"
    run("alias args=args", machine)  # an alias naming itself is not expanded again
    assert run("args y", machine).stdout == "<y>\n"


def test_echo_options_as_bash() -> None:
    assert run("echo -n a b").stdout == "a b"
    assert run("echo -e 'a\\tb\\nc'").stdout == "a\tb\nc\n"
    assert run("echo 'a\\tb'").stdout == "a\\tb\n"
    assert run("echo -x").stdout == "-x\n"


def test_parse_bounds_words_and_commands() -> None:
    with pytest.raises(ShellSyntaxError, match="too many words"):
        parse("x " * 600)
    with pytest.raises(ShellSyntaxError, match="too many commands"):
        parse("x; " * 40)


def test_expand_splits_only_unquoted_parts() -> None:
    words = parse("a$V'b c'")[0].pipeline[0].words
    assert expand(words[0], {"V": "1 2"}.get) == ["a1", "2b c"]
