"""The problems partial: errors, then warnings, each with its place, kubectl's words, a hint
and the caret excerpt, as the validation-as-you-type endpoint renders them."""

from __future__ import annotations

import html
import re

import pytest

from playground import rooms
from tests.fixtures.notes import MISTAKES, NOTES

pytestmark = pytest.mark.django_db(transaction=True)

HX = {"HTTP_HX_REQUEST": "true"}


def validate(client, text: str) -> str:
    response = client.post("/validate/", {"manifests": text}, **HX)
    assert response.status_code == 200
    assert response.templates[0].name == "partials/problems.html"
    return response.content.decode()


def items(page: str) -> list[str]:
    return re.findall(r'<li class="(error|warning)">', page)


def test_validation_result_shape_errors_first() -> None:
    problems = rooms.validate(MISTAKES["indentation"].text)
    assert [(p["severity"], p["line"], p["column"]) for p in problems] == [
        ("error", 32, 1),
        ("warning", 42, 1),
    ]
    error, warning = problems
    assert set(error) == {
        "document", "line", "column", "field", "message", "severity", "hint", "hint_words",
        "excerpt",
    }  # fmt: skip
    assert error["hint"] == MISTAKES["indentation"].hint
    assert error["excerpt"].endswith("32 | selector:\n   | ^")
    assert warning["field"] == "apiVersion"


def test_an_error_shows_its_place_kubectls_words_the_hint_and_the_caret(client) -> None:
    page = validate(client, MISTAKES["indentation"].text)
    assert items(page) == ["error", "warning"]
    assert '<h3 id="problems-head">1 problem</h3>' in page
    assert '<button type="button" class="problem" data-line="32" data-column="1">' in page
    assert '<span class="where">Line 32, column 1</span>' in page
    assert (
        '<span class="message" lang="en">error: error parsing STDIN: '
        "error converting YAML to JSON: yaml: line 34: did not find expected key</span>"
    ) in page
    hint = html.escape(MISTAKES["indentation"].hint)
    assert f'<span class="hint">{hint}</span>' in page  # worded in the page's language
    assert (
        '<pre class="excerpt" lang="en" aria-label="Line 32, with a caret under the spot">'
        "30 |   # 同一个 IP 的客户端发起的请求将会被转发到同一个 pod\n"
        "31 |   sessionAffinity: ClientIP\n"
        "32 | selector:\n"
        "   | ^</pre>"
    ) in page
    # The editor's gutter marks error lines and warning lines apart.
    assert 'data-problem-lines="32 "' in page
    assert 'data-warning-lines="42 "' in page


def test_warnings_are_labelled_as_warnings_beside_errors(client) -> None:
    page = validate(client, MISTAKES["tab"].text)
    warning = page[page.index('<li class="warning">') :]
    assert '<h3 class="warnings-head" id="warnings-head">1 warning</h3>' in page
    assert '<ul aria-labelledby="warnings-head">' in page
    assert '<span class="severity">Warning</span>' in warning
    assert "extensions/v1beta1 Ingress is deprecated in v1.14+" in warning
    assert "✓" not in page


def test_only_warnings_still_say_a_cluster_would_accept_them(client) -> None:
    page = validate(client, NOTES)
    assert items(page) == ["warning"]
    assert "✓ A cluster would accept these manifests, with 1 warning." in page
    # The heading stays for screen readers, the check mark says it for the eye.
    assert '<h3 class="warnings-head visually-hidden" id="warnings-head">1 warning</h3>' in page
    assert "problem</h3>" not in page


def test_no_problems_and_no_warnings(client) -> None:
    page = validate(client, NOTES.split("---\n")[0])
    assert "✓ No problems: a cluster would accept these manifests." in page
    assert items(page) == []


def test_findings_of_kubeplays_own_have_no_kubectl_message(client) -> None:
    text = NOTES.replace("  name: demo-service\n", "  name： demo-service\n")
    page = validate(client, text)
    finding = page[page.index('data-line="28" data-column="7"') :]
    finding = finding[: finding.index("</li>")]
    assert '<span class="message"' not in finding
    assert "A full-width colon “：” (U+FF1A)" in finding
    assert "28 |   name： demo-service\n   |       ^" in finding


def test_a_look_alike_characters_hint_speaks_the_pages_language(client) -> None:
    # The notes are Chinese, and so is where full-width punctuation comes from.
    text = NOTES.replace("  name: demo-service\n", "  name： demo-service\n")
    client.cookies["django_language"] = "zh-hans"
    page = validate(client, text)
    colon = page[page.index('data-line="28" data-column="7"') :]
    colon = colon[: colon.index("</li>")]
    assert '<span class="hint">这是全角冒号“：”（U+FF1A），从中文网页复制的文本里很常见。' in colon
    assert "请写成“name: ”。" in colon
    assert "A full-width colon" not in page
    # The error the colon causes, and the notes' extensions/v1beta1 Ingress's warning.
    worded = html.unescape(page)
    assert (
        "metadata 应该是由字段组成的映射（在它下面缩进的 key: value 行），"
        "但 YAML 给它的是一个字符串。" in worded
    )
    assert "Kubernetes 从 v1.22 起不再提供 extensions/v1beta1 中的 Ingress" in worded
    assert '<span class="hint" lang="en">' not in page  # every hint here is worded
    # A character's name inside the sentence is worded too.
    page = validate(client, "apiVersion: v1\nkind: Pod\nmetadata:\n\u3000name: x\n")
    assert "缩进里有全角空格（U+3000，下方显示为“＿”）。" in html.unescape(page)
    assert "（一个全角空格换成两个空格）" in page
    # Where an indentation broke the structure, as the notes' own mistake has it.
    page = validate(client, MISTAKES["indentation"].text)
    assert (
        "第 32 行缩进了 0 个空格，但它应与第 31 行（“sessionAffinity: ClientIP”）同级，那一行"
        "缩进 2 格：请把“selector:”缩进 2 个空格。解析器直到第 34 行才发现。"
    ) in html.unescape(page)


def test_excerpts_are_escaped(client) -> None:
    page = validate(client, "kind: Pod\nmetadata:\n  name: <b>x</b>\n   bad: [\n")
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page
