"""Flow 3: requests from the host or a pod, as dots along their hops; streams and hit counters."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, pod_buttons, watch_dots_at_answer


def dots_in_flight(page) -> int:
    return page.evaluate("window.kubeplay.dots.inFlight")


def test_one_request_a_failure_and_a_stream(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "traffic"))
    panel = page.get_by_role("tabpanel", name="Traffic")
    target = panel.get_by_role("combobox", name="To")
    # Targets come from the cluster: Ingress hosts, the NodePort, Service names.
    options = target.locator("option")
    expect(options.filter(has_text="kubia.example.com/ (Ingress sites)")).to_have_count(1)
    expect(options.filter(has_text=re.compile(r":30080 \(NodePort of kubia\)"))).to_have_count(1)
    expect(options.filter(has_text="kubia (Service)")).to_have_count(1)

    # One request from the host: the terminal shows the curl, a dot travels, a pod counts a hit.
    target.select_option(label="kubia.example.com/ (Ingress sites)")
    watch_dots_at_answer(page)
    panel.get_by_role("button", name="Send one request").click()
    terminal = page.get_by_role("log", name="Terminal output")
    expect(terminal).to_contain_text("$ curl -sS http://kubia.example.com/")
    # The dot sets off; the terminal answers when it arrives, the dot still on the diagram.
    expect(terminal).to_contain_text("You've hit kubia-")
    assert page.evaluate("window.dotsAtAnswer") > 0
    recent = panel.get_by_role("log", name="Recent requests")
    expect(recent.get_by_role("listitem").first).to_contain_text(
        re.compile(r"✓ host → http://kubia.example.com/: 200 kubia-")
    )
    expect(panel.get_by_role("list", name="Hits per pod").get_by_role("listitem")).to_have_count(1)

    # A failure stops at the failing hop, in red, with its reason.
    target.select_option(label="broken.example.com/ (Ingress sites)")
    panel.get_by_role("button", name="Send one request").click()
    failed = recent.get_by_role("listitem").first
    expect(failed).to_contain_text("✗ host → http://broken.example.com/: 503 http_error")
    expect(failed).to_contain_text("has no ready endpoints")
    expect(failed).to_have_class("fail")
    screenshot("3-request-failed")

    # From a pod, to a Service name.
    source = panel.get_by_role("combobox", name="From")
    pod = source.locator("option").nth(1).get_attribute("value")
    source.select_option(pod)
    target.select_option(label="kubia (Service)")
    panel.get_by_role("button", name="Send one request").click()
    expect(terminal).to_contain_text(
        f"$ kubectl exec {pod.split('/')[2]} -n default -- curl -sS http://kubia.default.svc.cluster.local/"
    )

    # A stream: many dots, counters for every pod, a chart; then stop.
    source.select_option("host")
    target.select_option(label="kubia.example.com/ (Ingress sites)")
    panel.get_by_role("spinbutton", name="Rate").fill("60")
    panel.get_by_role("button", name="Start stream").click()
    streams = panel.get_by_role("list", name="Running streams")
    expect(streams).to_contain_text("60/s host → http://kubia.example.com/")
    page.wait_for_function("window.kubeplay.dots.inFlight >= 30")
    hits = panel.get_by_role("list", name="Hits per pod").get_by_role("listitem")
    expect(hits).to_have_count(3)
    screenshot("3-stream")
    assert dots_in_flight(page) >= 30
    streams.get_by_role("button", name=re.compile("Stop stream")).click()
    expect(streams).to_be_hidden()
    counts = [
        int(text.split(":")[1].split()[0])
        for text in hits.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    ]
    assert min(counts) > 0, counts
    assert pod_buttons(page).count() == 3
