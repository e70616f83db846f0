"""Flow 6: play, pause and speed for simulated time; probes visibly tick."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room


def sim_time(page) -> float:
    text = page.get_by_role("status", name="Simulated time").inner_text()
    return float(re.search(r"[\d.]+", text)[0])


def test_clock_play_pause_speed_and_probe_ticks(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "readiness"))
    pause = page.get_by_role("button", name="Pause the clock")
    expect(pause).to_have_attribute("aria-pressed", "true")
    pause.click()
    play = page.get_by_role("button", name="Play the clock")
    expect(play).to_have_attribute("aria-pressed", "false")
    stopped = sim_time(page)
    page.wait_for_timeout(600)
    assert sim_time(page) == stopped

    # Probed pods carry a ring that fills until the next probe.
    probes = page.evaluate("window.kubeplay.diagram.probedPods().map(p => p.probe.periodSeconds)")
    assert probes == [1.0, 1.0]

    page.get_by_role("combobox", name="Speed").select_option("10.0")
    play.click()
    expect(page.get_by_role("button", name="Pause the clock")).to_be_visible()
    # Ten simulated seconds a second: five of them within a second or so.
    started = time.monotonic()
    page.wait_for_function(
        "limit => parseFloat(document.querySelector('[data-clock-time]').textContent"
        ".match(/[\\d.]+/)[0]) >= limit",
        arg=stopped + 5,
    )
    assert time.monotonic() - started < 3

    # Each probe run bumps the pod's probe counters: the ring flashes.
    counts = (
        "window.kubeplay.model.list('pods').filter(p => p.probe)"
        ".map(p => window.kubeplay.model.probeCounts.get(`${p.namespace}/${p.name}`) || [0, 0])"
        ".map(([successes, failures]) => successes + failures)"
    )
    first = page.evaluate(counts)
    page.wait_for_function(f"({counts}).some((n, i) => n > {first}[i])")
    screenshot("6-clock")
    # The speed is shared: a new viewer sees it.
    page.reload()
    expect(page.get_by_role("combobox", name="Speed")).to_have_value("10.0")
