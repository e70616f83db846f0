"""YAML syntax errors: the line where the structure broke, the likely cause, a caret.

Cases are the notes' demo-service paste with one line changed (tests/fixtures/notes.py) and
small documents for each kind of slip; every expectation is the exact text a learner sees.
"""

from __future__ import annotations

import random

import pytest

from simulator import Cluster
from simulator.review import review_manifests
from simulator.review.syntax import first_error, locate_break
from tests.fixtures.notes import MISTAKES, NOTES


def syntax_problem(text: str):
    (problem,) = [p for p in review_manifests(text).errors if "YAML to JSON" in p.message]
    return problem


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_the_notes_mistakes_point_at_the_changed_line(name: str) -> None:
    mistake = MISTAKES[name]
    problem = syntax_problem(mistake.text)
    assert (problem.document, problem.line, problem.column) == (1, mistake.line, mistake.column)
    assert f"yaml: line {mistake.parser_line}: " in problem.message  # kubectl's words kept
    assert problem.hint == mistake.hint
    assert problem.severity == "error"


def test_indentation_error_has_a_caret_excerpt() -> None:
    problem = syntax_problem(MISTAKES["indentation"].text)
    assert problem.message == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 34: "
        "did not find expected key"
    )
    assert problem.excerpt == (
        "30 |   # 同一个 IP 的客户端发起的请求将会被转发到同一个 pod\n"
        "31 |   sessionAffinity: ClientIP\n"
        "32 | selector:\n"
        "   | ^"
    )


def test_kubectl_stderr_keeps_kubectls_text_only() -> None:
    result = Cluster(0).run("kubectl apply -f -", stdin=MISTAKES["indentation"].text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Warning: extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; "
        "use networking.k8s.io/v1 Ingress\n"
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 34: "
        "did not find expected key\n"
    )
    assert [(p.severity, p.line) for p in result.problems] == [("error", 32), ("warning", 42)]


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "hint"),
    [
        pytest.param(
            "kind: Service",
            "kind:Service",
            2,
            1,
            "Line 2 needs a space after the colon: write “kind: Service”. Without it YAML "
            "reads “kind:Service” as one string. The parser only noticed on line 3.",
            id="no space after a colon",
        ),
        pytest.param(
            "    targetPort: 8080",
            "    targetPort: web: 8080",
            10,
            5,
            "The value on line 10 holds “: ” or starts with a character YAML reserves: put "
            'it in quotes, as in targetPort: "web: 8080".',
            id="colon inside a value",
        ),
        pytest.param(
            "    app: kubia",
            "    app: @kubia",
            7,
            5,
            "The value on line 7 holds “: ” or starts with a character YAML reserves: put "
            'it in quotes, as in app: "@kubia".',
            id="value starting with @",
        ),
        pytest.param(
            "  selector:",
            "   selector:",
            6,
            4,
            "Line 6 is indented 3 spaces; with 2 spaces it sits under “spec:” (line 5) and "
            "the document reads correctly. The parser only noticed on line 8.",
            id="one space too many",
        ),
        pytest.param(
            "    targetPort: 8080",
            "   targetPort: 8080",
            10,
            4,
            "Line 10 is indented 3 spaces; with 4 spaces it sits under “- port: 80” (line 9) "
            "and the document reads correctly.",
            id="one space too few under a list item",
        ),
        pytest.param(
            "  name: kubia",
            '  name: "kubia',
            4,
            9,
            "The quote opened on line 4 is never closed.",
            id="unclosed quote",
        ),
    ],
)
def test_each_slip_is_located_and_explained(
    old: str, new: str, line: int, column: int, hint: str
) -> None:
    assert old in SERVICE
    problem = syntax_problem(SERVICE.replace(old, new))
    assert (problem.line, problem.column) == (line, column)
    assert problem.hint.startswith(hint)


def test_the_hint_counts_lines_of_the_whole_input() -> None:
    text = SERVICE + "---\n" + SERVICE.replace("  selector:", "selector:")
    problem = syntax_problem(text)
    assert (problem.document, problem.line) == (1, 17)
    assert problem.hint.startswith("Line 17 is indented 0 spaces")
    assert problem.hint.endswith("The parser only noticed on line 19.")


def test_without_a_repair_the_parsers_place_and_a_plain_sentence_remain() -> None:
    text = "kind: Pod\nmetadata:\n  name: [a, b\n  labels: {}\n"
    problem = syntax_problem(text)
    assert problem.line == 3
    assert problem.hint == "The bracket opened on line 3 is not closed, or a comma is missing."


def test_locate_break_on_a_document_alone() -> None:
    text = "a:\n  b: 1\n c: 2\n"
    error = first_error(text)
    assert error is not None
    found = locate_break(text, error, first_line=10)
    assert (found.line, found.column) == (2, 1)
    assert found.hint.startswith("Line 12 is indented 1 space")


def test_first_error_is_none_for_valid_yaml() -> None:
    assert first_error(SERVICE) is None


def test_repair_search_is_bounded_on_a_large_document() -> None:
    # One 300 KiB List with a slip near its end: explained with fewer candidates, not slowly.
    items = [
        f"- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c{i}\n  data:\n    k: v{i}\n"
        for i in range(5000)
    ]
    items[4990] = items[4990].replace("  kind:", "   kind:")
    text = "apiVersion: v1\nkind: List\nitems:\n" + "".join(items)
    assert len(text) > 300_000
    problem = syntax_problem(text)
    assert problem.line == 3 + 4990 * 6 + 2
    assert "YAML to JSON" in problem.message


def test_review_never_raises_on_mangled_input() -> None:
    rng = random.Random(4)
    pieces = ["\t", "\u3000", "：", "\u00a0", ": ", "- ", "  ", "\n", '"', "'", "[", "{"]
    pieces += ["&a ", "*a", "|\n", "---\n"]
    for _ in range(150):
        chars = list(NOTES)
        for _ in range(rng.randint(1, 6)):
            chars.insert(rng.randrange(len(chars)), rng.choice(pieces))
        text = "".join(chars)
        review = review_manifests(text)
        for problem in review.problems:
            assert problem.line is None or 1 <= problem.line <= text.count("\n") + 1
