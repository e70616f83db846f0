"""The home page's problems list at 1366x768, with the notes' paste and its usual mistakes.

Each mistake (tests/fixtures/notes.py) is pasted as a learner would; the list must show
the line and column of the mistake itself, kubectl's message, the plain hint and the caret,
and clicking the item must put the editor's cursor there. Warnings stand apart from errors.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.fixtures.notes import INGRESS_LINE, MISTAKES, NOTES

WARNING_BACKGROUND = "rgb(255, 247, 230)"  # --warn-bg: amber, not the errors' red


def paste(page, live_server_url: str, text: str):
    page.goto(live_server_url)
    editor = page.get_by_role("textbox", name="Manifests (YAML)")
    editor.fill(text)
    return editor, page.get_by_role("region", name="Problems")


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_shown_where_it_is(page, live_server_url, screenshot, name):
    mistake = MISTAKES[name]
    editor, problems = paste(page, live_server_url, mistake.text)
    errors = problems.get_by_role("list", name="1 problem")
    expect(errors).to_be_visible()
    item = errors.get_by_role("button")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"Line {mistake.line}, column {mistake.column}")
    expect(item).to_contain_text(f"yaml: line {mistake.parser_line}: ")  # kubectl's words
    expect(item.locator(".hint")).to_have_text(mistake.hint)
    excerpt = errors.locator("pre.excerpt")
    expect(excerpt).to_contain_text(f"{mistake.line} | ")
    # The caret sits under the column named (full-width characters take two cells).
    caret_line = excerpt.inner_text().split("\n")[-1]
    assert caret_line.rstrip().endswith("^")
    # The warning for the notes' Ingress stays beside the error.
    expect(problems.get_by_role("list", name="1 warning")).to_contain_text(
        f"Line {INGRESS_LINE}, column 1"
    )
    gutter = page.locator(".editor-gutter")
    expect(gutter.locator(".bad")).to_have_text([str(mistake.line)])
    expect(gutter.locator(".warn")).to_have_text([str(INGRESS_LINE)])
    screenshot(f"problems-{name.replace(' ', '-')}")

    item.click()
    expect(editor).to_be_focused()
    expect(page.get_by_role("status", name="Cursor position")).to_have_text(
        f"Line {mistake.line}, column {mistake.column}"
    )


def test_the_notes_v1beta1_ingress_is_a_warning_not_a_clean_bill(page, live_server_url, screenshot):
    editor, problems = paste(page, live_server_url, NOTES)
    expect(problems).to_contain_text("✓ A cluster would accept these manifests, with 1 warning.")
    expect(problems).not_to_contain_text("No problems")
    warnings = problems.get_by_role("list", name="1 warning")
    item = warnings.get_by_role("button")
    expect(item).to_contain_text("Warning")
    expect(item).to_contain_text(f"Line {INGRESS_LINE}, column 1")
    expect(item).to_contain_text(
        "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use "
        "networking.k8s.io/v1 Ingress"
    )
    expect(item.locator(".hint")).to_contain_text(
        'a current cluster (v1.35) refuses it with “no matches for kind "Ingress" in version '
        '"extensions/v1beta1"”. Kubeplay converts it to networking.k8s.io/v1'
    )
    expect(item).to_have_css("background-color", WARNING_BACKGROUND)
    expect(problems.get_by_role("list", name=re.compile("problem"))).to_have_count(0)
    screenshot("problems-v1beta1-warning")
    item.click()
    expect(page.get_by_role("status", name="Cursor position")).to_have_text(
        f"Line {INGRESS_LINE}, column 1"
    )

    # A selector that matches none of the pods: a second warning, with the labels there are.
    editor.fill(
        NOTES.replace(
            "    app: k8s-node-demo-replication-controller-label\n  ports",
            "    app: k8s-node-demo\n  ports",
        )
    )
    warnings = problems.get_by_role("list", name="2 warnings")
    expect(warnings.get_by_role("button")).to_have_count(2)
    selector = warnings.get_by_role("button").first
    expect(selector).to_contain_text("Line 32, column 3")
    expect(selector).to_contain_text(
        "Service “demo-service” selects app=k8s-node-demo, but no pod or pod template in this input"
    )
    expect(selector).to_contain_text(
        "The pods here are labelled app=k8s-node-demo-replication-controller-label."
    )
    screenshot("problems-selector-warning")


def test_several_mistakes_in_several_documents_are_all_listed(page, live_server_url, screenshot):
    text = (
        MISTAKES["indentation"]
        .text.replace("  replicas: 3", "  replica: 3")
        .replace("      paths:\n", "      paths：\n")
    )
    editor, problems = paste(page, live_server_url, text)
    errors = problems.get_by_role("list", name="3 problems")
    expect(errors.get_by_role("button")).to_have_count(3)
    expect(errors.get_by_role("button").nth(0)).to_contain_text(
        "A ReplicationController has no field “spec.replica”: did you mean “replicas”?"
    )
    expect(errors.get_by_role("button").nth(1)).to_contain_text("Line 32, column 1")
    expect(errors.get_by_role("button").nth(2)).to_contain_text("A full-width colon “：” (U+FF1A)")
    expect(page.locator(".editor-gutter .bad")).to_have_text(["6", "32", "50"])
    screenshot("problems-several")


def test_a_chinese_page_words_the_hints_in_chinese(browser, live_server_url):
    # What text copied from Chinese pages brings, explained in the page's language; kubectl's
    # own words stay as kubectl prints them.
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(live_server_url)
        editor = page.get_by_role("textbox", name="清单（YAML）")
        editor.fill(MISTAKES["full-width colon"].text)
        item = page.get_by_role("region", name="问题").get_by_role("button").first
        expect(item.locator(".hint")).to_contain_text("这是全角冒号“：”（U+FF1A）")
        assert item.locator(".hint").get_attribute("lang") is None  # the page's own
        expect(item.locator(".message")).to_have_attribute("lang", "en")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "problems-zh.png")
    finally:
        context.close()
