"""Look-alike characters, plain sentences beside kubectl's cryptic messages, excerpts."""

from __future__ import annotations

import pytest

from simulator.review import review_manifests
from simulator.review.characters import find_characters
from simulator.review.excerpt import render

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80
"""


@pytest.mark.parametrize(
    ("old", "new", "where", "hint"),
    [
        pytest.param(
            "  name: web",
            "  name： web",
            (4, 7),
            "A full-width colon “：” (U+FF1A), common in text copied from "
            "Chinese pages. YAML only reads the ASCII colon “:” followed by a space as the end "
            "of a key: write “name: ”.",
            id="full-width colon",
        ),
        pytest.param(
            "    app: web",
            "\u3000\u3000app: web",
            (6, 1),
            "A full-width space (U+3000, shown as “＿” below) in the "
            "indentation. YAML indents with ordinary spaces only: replace it with spaces (two "
            "for a full-width space).",
            id="full-width space in the indentation",
        ),
        pytest.param(
            "    app: web",
            "    app:\u3000web",
            (6, 9),
            "A full-width space (U+3000, shown as “＿” below) after the "
            "colon of a key. YAML needs an ordinary space there, so it reads the whole line as "
            "one string: retype it as a space.",
            id="full-width space after a colon",
        ),
        pytest.param(
            "    image: nginx",
            "\timage: nginx",
            (10, 1),
            "A tab (U+0009, shown as “→” below) in the indentation. YAML "
            "indents with ordinary spaces only: replace it with spaces (as many as the lines "
            "around it use).",
            id="tab in the indentation",
        ),
        pytest.param(
            "  - name: web",
            "  -\u00a0name: web",
            (9, 4),
            "A non-breaking space (U+00A0, shown as “·” below) after the "
            "dash of a list item. YAML needs an ordinary space there, so it reads the whole "
            "line as one string: retype it as a space.",
            id="non-breaking space after a dash",
        ),
        pytest.param(
            "  - name: web",
            "  \u2013 name: web",
            (9, 3),
            "An en dash “–” (U+2013). YAML starts a list item with the ASCII "
            "hyphen “-” followed by a space: retype it.",
            id="en dash as a list item",
        ),
        pytest.param(
            "  name: web",
            "  \u200bname: web",
            (4, 3),
            "A zero-width space (U+200B, shown as “¦” below) in the "
            "indentation. YAML indents with ordinary spaces only: replace it with spaces (as "
            "many as the lines around it use).",
            id="zero-width space",
        ),
        pytest.param(
            "  name: web",
            "  name: \u201cweb\u201d",
            (4, 9),
            "A curly double quote ““” (U+201C). YAML only quotes with "
            "straight quotes \" or ', so these quotes become part of the value: retype them.",
            id="curly quotes",
        ),
    ],
)
def test_look_alike_characters_are_named_where_they_are(
    old: str, new: str, where: tuple[int, int], hint: str
) -> None:
    assert old in POD
    text = POD.replace(old, new)
    review = review_manifests(text)
    assert review.errors, "the input must be refused"
    # When the character breaks the YAML, the hint also says where the parser stopped.
    matching = [p for p in review.errors if p.hint.startswith(hint)]
    assert len(matching) == 1, [p.hint for p in review.errors]
    (problem,) = matching
    assert (problem.line, problem.column) == where
    assert problem.excerpt.endswith("^")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(POD + "# 注释：这里用全角冒号　和全角空格\n", id="in a comment"),
        pytest.param(
            POD.replace("    image: nginx", "    image: nginx\n    args:\n    - |\n      \tx：y"),
            id="in a block scalar",
        ),
        pytest.param(
            POD.replace("name: web\n  labels", 'name: web\n  labels:\n    x: "a：b"\n  l'),
            id="in a quoted value",
        ),
        pytest.param(POD.replace("    app: web", "    app: web：1"), id="inside a plain value"),
    ],
)
def test_characters_where_yaml_allows_them_are_left_alone(text: str) -> None:
    assert find_characters(text) == []


def test_characters_named_per_input_are_bounded() -> None:
    text = "kind: ConfigMap\nmetadata:\n  name: x\ndata:\n" + "\tk: v\n" * 20_000
    review = review_manifests(text)
    named = [p for p in review.errors if "tab (U+0009" in p.hint]
    assert len(named) == 200
    assert named[0].line == 5


def test_accepted_input_is_not_scanned_for_characters() -> None:
    text = POD.replace("  labels:", "  annotations:\n    note: 端口：80\n  labels:")
    review = review_manifests(text)
    assert review.errors == []


def test_a_character_explains_the_syntax_error_it_causes_without_a_second_item() -> None:
    text = POD.replace("  containers:", "  containers：")
    review = review_manifests(text)
    (problem,) = review.errors
    assert problem.message == (
        "error: error parsing STDIN: error converting YAML to JSON: yaml: line 9: mapping "
        "values are not allowed in this context"
    )
    assert (problem.line, problem.column) == (8, 13)
    assert problem.hint.endswith("write “containers: ”. (The parser stopped on line 9.)")


def test_a_character_beside_field_errors_is_its_own_item_in_line_order() -> None:
    text = POD.replace("  name: web\n  labels:\n    app: web\n", "  name： web\n")
    review = review_manifests(text)
    assert [(p.line, p.field, p.message != "") for p in review.errors] == [
        (3, "", True),  # metadata cannot be decoded
        (3, "metadata.name", True),
        (4, "", False),  # the full-width colon, Kubeplay's own finding
    ]
    assert review.errors[0].hint.startswith(
        "metadata should be a mapping of fields (key: value lines indented under it), but "
        "the YAML gives it a string."
    )


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        pytest.param(
            "apiVersion: v1\nkind: Pod",
            "apiVersion: v1\nkind: Deployment",
            "Deployment is served as apps/v1: write apiVersion: apps/v1.",
            id="kind served by another group",
        ),
        pytest.param(
            "apiVersion: v1\nkind: Pod",
            "apiVersion: v1\nkind: pod",
            "Kinds are case-sensitive: write kind: Pod (apiVersion: v1).",
            id="kind in lower case",
        ),
        pytest.param(
            "apiVersion: v1\nkind: Pod",
            "apiVersion: extensions/v1beta1\nkind: Deployment",
            "Deployment in extensions/v1beta1 was removed in Kubernetes v1.16; write "
            "apiVersion: apps/v1 (apps/v1 also requires spec.selector, matching the template's "
            "labels).",
            id="removed Deployment version",
        ),
        pytest.param(
            "apiVersion: v1\nkind: Pod",
            "apiVersion: apps/v1beta2\nkind: DaemonSet",
            "DaemonSet in apps/v1beta2 was removed in Kubernetes v1.16; write apiVersion: "
            "apps/v1 (apps/v1 also requires spec.selector, matching the template's labels).",
            id="removed DaemonSet version",
        ),
        pytest.param(
            "  containers:",
            "  container:",
            "A Pod has no field “spec.container”: did you mean “containers”?",
            id="typo in a field",
        ),
        pytest.param(
            "    ports:",
            "  ports:",
            "“ports” belongs under spec.containers or spec.initContainers in a Pod, not under "
            "spec: check its indentation.",
            id="field at the wrong depth",
        ),
        pytest.param(
            "    - containerPort: 80",
            "    - containerPort: eighty",
            "spec.containers.ports.containerPort should be a whole number, but the YAML gives "
            "it a string.",
            id="wrong type",
        ),
    ],
)
def test_cryptic_kubectl_messages_get_a_plain_sentence(old: str, new: str, hint: str) -> None:
    assert old in POD
    review = review_manifests(POD.replace(old, new))
    assert hint in [p.hint for p in review.errors]


def test_the_no_matches_error_points_at_the_apiversion_line() -> None:
    text = "# a Pod\napiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n"
    (problem,) = review_manifests(text).errors
    assert problem.message.startswith('error: resource mapping not found for name: "x"')
    assert (problem.line, problem.column) == (2, 1)


def test_excerpt_counts_wide_characters_and_shows_invisible_ones() -> None:
    lines = ["a: 1", "# 端口", "名字：\tx"]
    assert render(lines, 3, 4) == "1 | a: 1\n2 | # 端口\n3 | 名字：→x\n  |       ^"


def test_excerpt_skips_blank_lines_above_and_clips_long_lines() -> None:
    lines = ["", "", "key: " + "x" * 300]
    block = render(lines, 3, 250)
    first, caret = block.split("\n")
    assert first.startswith("3 | …")
    assert first.endswith("…")
    assert caret.index("^") < len(first)
    assert render(lines, 9, 1) == ""
