"""Every page works under the site's Content-Security-Policy, enforced (no bypass).

The policy forbids inline script and style and eval: a page that needed any of
them would log a violation, which the console check (and the listener below)
turns into a failure.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import MANIFESTS, pod_buttons, run

# Recorded in the page before any of its own scripts run (the init script is the
# browser's, not the page's, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_every_page_works_under_the_policy(new_page, live_server_url, screenshot):
    page = new_page(enforce_csp=True)
    page.add_init_script(RECORD_VIOLATIONS)

    # Home: the editor, an example through htmx, validation as you type, Simulate.
    response = page.goto(live_server_url)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    examples = page.get_by_role("navigation", name="Examples")
    examples.get_by_role("link", name=re.compile("Readiness probe")).click()
    editor = page.get_by_role("textbox", name="Manifests (YAML)")
    expect(editor).to_have_value(re.compile(r"readinessProbe"))
    editor.fill((MANIFESTS / "broken.yaml").read_text())
    problems = page.get_by_role("region", name="Problems")
    expect(problems.get_by_role("heading")).to_have_text(re.compile(r"\d+ problems?"))
    editor.fill((MANIFESTS / "kubia.yaml").read_text())
    expect(problems).to_contain_text("No problems")
    page.get_by_role("button", name="Simulate").click()

    # The room: the diagram over the websocket, the inspector, the terminal, traffic.
    expect(page).to_have_url(re.compile(r"/rooms/[a-z0-9]+/$"))
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    expect(pod_buttons(page)).to_have_count(3)
    page.get_by_role("button", name=re.compile(r"^Service kubia")).click()
    inspector = page.get_by_role("tabpanel", name="Inspector")
    expect(inspector.get_by_role("table")).to_contain_text("has app=kubia")
    run(page, "kubectl get pods")
    expect(page.get_by_role("log", name="Terminal output")).to_contain_text("Running")
    page.get_by_role("tab", name="Traffic").click()
    page.get_by_role("button", name="Start stream").click()
    expect(page.get_by_role("list", name="Running streams")).to_be_visible()
    page.get_by_role("tab", name="Manifests").click()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("tabpanel", name="Manifests")).to_contain_text("Applied")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("dialog", name="Share this room")).to_be_visible()
    screenshot("csp-room")
    assert violations(page) == []
