"""The diagram's ready/desired counts say what kubectl's READY column says for the same
object at the same moment: during a rollout with a surge pod, and while pods terminate."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, run

OUTPUT = "[data-terminal-output]"


def kubectl(page, line: str) -> str:
    """Run `line` in the room's terminal; what it printed."""
    before = page.locator(OUTPUT).inner_text()
    run(page, line)
    page.wait_for_function(
        "([sel, n]) => { const t = document.querySelector(sel).innerText;"
        " return t.length > n && /NAME/.test(t.slice(n)); }",
        arg=[OUTPUT, len(before)],
    )
    page.wait_for_timeout(200)  # the rest of its lines
    return page.locator(OUTPUT).inner_text()[len(before) :]


def column(output: str, name: str, header: str) -> str:
    """One column of kubectl's table for the row `name`."""
    lines = [line for line in output.splitlines() if line.strip()]
    head = next(i for i, line in enumerate(lines) if line.startswith("NAME"))
    titles = lines[head].split()
    row = next(line.split() for line in lines[head + 1 :] if line.split()[0] == name)
    return row[titles.index(header)]


def chip_counts(page, title: str) -> set[str]:
    """The READY counts the diagram's chips of workload `title` show."""
    subs = page.evaluate(
        "title => [...document.querySelectorAll('svg.diagram .kind-pod:not(.leaving)')]"
        ".filter(g => g.querySelector('.title').textContent.endsWith(' ' + title))"
        ".map(g => g.querySelector('.sub').textContent)",
        title,
    )
    return {re.search(r"READY (\d+/\d+)", sub)[1] for sub in subs}


def expect_same(page) -> list[str]:
    """The Deployment's and the DaemonSet's counts on the diagram are kubectl's, now."""
    deploy = column(kubectl(page, "kubectl get deploy web"), "web", "READY")
    ds = kubectl(page, "kubectl get ds logs")
    ds_ready = f"{column(ds, 'logs', 'READY')}/{column(ds, 'logs', 'DESIRED')}"
    page.wait_for_function(
        "([d, s]) => { const subs = [...document.querySelectorAll("
        "'svg.diagram .kind-pod:not(.leaving) .sub')].map(t => t.textContent);"
        " return subs.some(t => t.includes('READY ' + d))"
        " && subs.some(t => t.includes('READY ' + s)); }",
        arg=[deploy, ds_ready],
    )
    assert chip_counts(page, "web") == {deploy}
    assert chip_counts(page, "logs") == {ds_ready}
    return [deploy, ds_ready]


def test_counts_match_kubectl_during_a_rollout_and_termination(page, live_server_url, screenshot):
    # One chip per workload and node (what big rooms show), from the first paint.
    open_room(page, create_room(page, live_server_url, "rollout-counts") + "?pods=on")
    expect(page.locator("svg.diagram .kind-pod .sub").first).to_contain_text("READY")
    page.wait_for_function(
        "window.kubeplay.model.list('pods').filter(p => p.ready).length >= 6", timeout=20_000
    )
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_role("button", name="Play the clock")).to_be_visible()
    assert expect_same(page) == ["3/3", "2/2"]  # the DaemonSet: the two workers

    # A rollout, one surge pod at a time, old pods Terminating for 20 s: step through
    # its changes, comparing at each.
    run(page, "kubectl set image deploy/web web=luksa/kubia:v2")
    seen = set()
    for _ in range(8):
        page.locator("[data-next-change]").click()
        page.wait_for_timeout(300)
        seen.add(expect_same(page)[0])
    pods = page.evaluate(
        "window.kubeplay.model.list('pods').filter(p => p.name.startsWith('web-'))"
    )
    assert len(pods) > 3  # surge and terminating pods drawn beside the counted ones
    assert all(re.fullmatch(r"\d/3", count) for count in seen), seen
    screenshot("counts-rollout")

    # Scaled down: three pods terminate while kubectl already counts one desired.
    run(page, "kubectl scale deploy web --replicas=1")
    expect(page.locator("svg.diagram .kind-pod .sub", has_text="READY 1/1").first).to_be_visible()
    assert expect_same(page)[0] == "1/1"
    terminating = page.evaluate(
        "window.kubeplay.model.list('pods').filter(p => p.name.startsWith('web-')"
        " && p.status === 'Terminating').length"
    )
    assert terminating >= 2
    screenshot("counts-terminating")
