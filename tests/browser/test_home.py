"""Flow 1: paste or pick manifests, see every problem as you type, simulate."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import MANIFESTS


def test_home_editor_examples_validation_and_simulate(page, live_server_url, screenshot):
    page.goto(live_server_url)
    expect(page).to_have_title("Kubeplay")
    editor = page.get_by_role("textbox", name="Manifests (YAML)")
    expect(editor).to_have_value(re.compile(r"kind: Service"))
    # Line numbers and highlighting follow the text.
    expect(page.locator(".editor-gutter")).to_contain_text("1\n2\n3")
    expect(page.locator(".editor-highlight .y-k").first).to_have_text("apiVersion")
    expect(page.get_by_role("region", name="Problems")).to_contain_text("No problems")
    screenshot("1-home")

    # The examples menu is built from the built-in scenarios.
    examples = page.get_by_role("navigation", name="Examples")
    # 13 from the notes, their 5 Gateway API twins, 6 NetworkPolicy recipes
    expect(examples.get_by_role("link")).to_have_count(24)
    examples.get_by_role("link", name=re.compile("Readiness probe")).click()
    expect(page).to_have_url(re.compile(r"\?example=readiness$"))
    expect(editor).to_have_value(re.compile(r"readinessProbe"))

    # Problems appear while typing, each with its line; clicking one moves the cursor there.
    editor.fill((MANIFESTS / "broken.yaml").read_text())
    problems = page.get_by_role("region", name="Problems")
    expect(problems.get_by_role("heading")).to_have_text(re.compile(r"\d+ problems?"))
    first = problems.get_by_role("button").first
    line = int(first.get_attribute("data-line"))
    gutter_marks = page.locator(".editor-gutter .bad")
    expect(gutter_marks.filter(has_text=re.compile(rf"^{line}$"))).to_have_count(1)
    screenshot("1-home-problems")
    first.click()
    expect(editor).to_be_focused()
    expect(page.get_by_role("status", name="Cursor position")).to_have_text(
        re.compile(rf"^Line {line},")
    )
    # A name full of HTML is shown as text, never as markup.
    expect(problems).to_contain_text('"<img src=x onerror=alert(1)>"')
    expect(page.locator(".problems img")).to_have_count(0)

    # Fixing the text clears the problems; Simulate opens the new room.
    editor.fill((MANIFESTS / "kubia.yaml").read_text())
    expect(problems).to_contain_text("No problems")
    page.get_by_role("button", name="Simulate").click()
    expect(page).to_have_url(re.compile(r"/rooms/[a-z0-9]+/$"))
    expect(page.get_by_role("button", name=re.compile(r"^Service kubia"))).to_be_visible()


def test_simulate_with_problems_stays_on_the_page(page, live_server_url):
    page.goto(live_server_url)
    page.get_by_role("textbox", name="Manifests (YAML)").fill("kind: Nothing\n")
    page.get_by_role("button", name="Simulate").click()
    expect(page).to_have_url(re.compile(r"/rooms/$"))
    expect(page.get_by_role("region", name="Problems").get_by_role("heading")).to_be_visible()
