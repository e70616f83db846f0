"""A rolling update watched in the room while a stream of requests runs: old and new
ReplicaSets' pods side by side on the diagram, no failed request while readiness probes
gate the rollout (the lesson's traffic check ticks), and failures with Recreate, which
leaves nothing serving between the old pods and the new."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_lessons import WORDS, open_lesson, step, type_line

EN = WORDS["en-US"]


def pod_hashes(page) -> set[str]:
    """The pod-template-hash of every kubia pod the diagram draws."""
    names = page.locator('svg.diagram [data-object^="Pod|default|kubia-"]').evaluate_all(
        "els => els.map(e => e.getAttribute('data-object').split('|')[2])"
    )
    return {name.rsplit("-", 2)[1] for name in names}


ONE_TEMPLATE = (
    "() => new Set([...document.querySelectorAll("
    "'svg.diagram [data-object^=\"Pod|default|kubia-\"]')]"
    ".map(e => e.getAttribute('data-object').split('|')[2].split('-')[1])).size === 1"
)


def wait_for_one_template(page) -> set[str]:
    """The old ReplicaSet's pods gone from the diagram (their preStop ends, they are
    removed): only one pod-template-hash is left. Waits rather than sampling, since the
    step's check may pass before the diagram draws the old pods Terminating."""
    page.wait_for_function(ONE_TEMPLATE, timeout=20_000)
    return pod_hashes(page)


def start_stream(page) -> None:
    panel = page.get_by_role("tab", name="Traffic")
    panel.click()
    traffic = page.get_by_role("tabpanel", name="Traffic")
    target = traffic.get_by_role("combobox", name="To")
    option = target.locator("option").filter(has_text=re.compile(r":30080 \(NodePort of kubia\)"))
    target.select_option(option.get_attribute("value"))
    traffic.get_by_role("spinbutton", name="Rate").fill("10")
    traffic.get_by_role("button", name="Start stream").click()
    expect(traffic.get_by_role("list", name="Running streams")).to_contain_text("10/s host")


def play(page) -> None:
    page.get_by_role("combobox", name="Speed").select_option("2.0")
    play = page.get_by_role("button", name="Play the clock")
    if play.is_visible():  # a lesson room's clock plays from the start
        play.click()
    expect(page.get_by_role("button", name="Pause the clock")).to_be_visible()


def test_a_rolling_update_keeps_serving_and_recreate_does_not(page, live_server_url, screenshot):
    open_lesson(page, live_server_url, "rolling-update", EN)
    step(page, 0).get_by_role("button", name=EN["show"]).click()
    expect(step(page, 0)).to_have_attribute("data-state", "done", timeout=20_000)
    # v1's last pods run their preStop hook (5 s), then only v2's are left.
    terminating = page.locator("svg.diagram .kind-pod.state-terminating")
    first = wait_for_one_template(page)
    assert len(first) == 1
    expect(terminating).to_have_count(0)

    start_stream(page)
    play(page)
    type_line(page, EN, "kubectl set image deployment kubia kubia=luksa/kubia:v3")
    # Old and new ReplicaSets' pods side by side while the rollout runs.
    page.wait_for_function(
        "() => new Set([...document.querySelectorAll("
        "'svg.diagram [data-object^=\"Pod|default|kubia-\"]')]"
        ".map(e => e.getAttribute('data-object').split('|')[2].split('-')[1])).size === 2",
        timeout=20_000,
    )
    # An old pod Terminating (its preStop hook runs) while the Endpoints already dropped it.
    expect(terminating.first).to_be_visible(timeout=20_000)
    expect(terminating.first).to_contain_text("Terminating")
    screenshot("rollout-side-by-side")
    # The step's checks: ten or more requests, none failed, and the rollout complete.
    no_failure = step(page, 1).locator('[data-check="no-failure"]')
    expect(step(page, 1)).to_have_attribute("data-state", "done", timeout=60_000)
    expect(no_failure).to_have_attribute("data-passed", "true")
    last = wait_for_one_template(page)
    assert len(last) == 1
    expect(terminating).to_have_count(0)
    assert last != first
    recent = page.get_by_role("log", name="Recent requests")
    expect(recent.locator("li.fail")).to_have_count(0)
    screenshot("rollout-done")

    # Recreate: every old pod goes before a new one runs, so the stream hits nothing.
    patch = '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'
    type_line(page, EN, f"kubectl patch deployment kubia -p '{patch}'")
    type_line(page, EN, "kubectl set image deployment kubia kubia=luksa/kubia:v4")
    expect(recent.locator("li.fail").first).to_be_visible(timeout=20_000)
    expect(recent.locator("li.fail").first).to_contain_text(
        re.compile(r"refused|no ready endpoints")
    )
    screenshot("recreate-fails")
