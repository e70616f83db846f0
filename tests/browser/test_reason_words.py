"""Why a request went where it went, in the page's language: a trace's reason is worded
by the browser from its key and values (reasons.js), with the sentences the room page
holds translated."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, VIEWPORT, create_room, run
from tests.browser.test_lessons import assert_no_english_ui

#: Requests whose reasons cover the common paths: an Ingress, a Service from a pod, a
#: Service with no ready endpoint, a name the host cannot resolve, a port no rule has
#: (a wait), a pod answering ping, a cluster IP from the host.
REQUESTS = (
    "curl -sS http://kubia.example.com/",
    "curl -sS http://broken.example.com/",
    "curl -sS http://kubia",
    "kubectl exec {pod} -- curl -sS http://kubia",
    "kubectl exec {pod} -- curl -sS -m 1 http://kubia:4321",
    "kubectl exec {pod} -- curl -sS http://nobody",
    "kubectl exec {pod} -- ping -c 1 kubia",
)


def a_pod(page) -> str:
    source = page.get_by_role("tabpanel", name=re.compile("Traffic|流量"))
    option = source.get_by_role("combobox").first.locator("option").nth(1)
    return option.get_attribute("value").split("/")[-1]


def recent_reasons(page) -> list[dict]:
    return page.evaluate(
        """() => window.kubeplay.traffic.recent.map((t) => ({
          english: t.reason,
          worded: t.reasonWords ? window.kubeplay.wordReason(t.reasonWords) : null,
        }))"""
    )


def test_an_english_page_words_each_reason_as_the_simulator_says_it(page, live_server_url):
    # The browser words the simulator's keys and values with the sentences the page holds:
    # on an English page that must give the simulator's own English, letter for letter.
    page.goto(create_room(page, live_server_url, "traffic"))
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    pod = a_pod(page)
    for line in REQUESTS:
        run(page, line.format(pod=pod))
    page.wait_for_function(f"window.kubeplay.traffic.recent.length >= {len(REQUESTS)}")
    reasons = recent_reasons(page)
    assert len(reasons) >= len(REQUESTS)
    for reason in reasons:
        assert reason["worded"] == reason["english"], reasons
    assert any("has no ready endpoints" in r["english"] for r in reasons)
    assert any("picked at random among" in r["english"] for r in reasons)


def test_a_chinese_page_explains_requests_in_chinese(browser, live_server_url):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(create_room(page, live_server_url, "traffic"))
        expect(page.locator("[data-status]")).to_have_text("已连接")
        pod = a_pod(page)
        command = page.get_by_role("textbox", name="命令")
        for line in REQUESTS:
            command.fill(line.format(pod=pod))
            command.press("Enter")
            expect(command).to_have_value("")
        page.wait_for_function(f"window.kubeplay.traffic.recent.length >= {len(REQUESTS)}")
        panel = page.get_by_role("tabpanel", name="流量")
        recent = panel.get_by_role("log", name="最近的请求")
        failed = recent.locator("li.fail").filter(has_text="broken.example.com").first
        expect(failed).to_contain_text("503")
        reason = failed.locator("small")
        expect(reason).to_have_attribute("lang", "zh-Hans")
        assert re.search(r"[\u4e00-\u9fff]", reason.inner_text())
        for reason in recent_reasons(page):
            assert reason["worded"] is not None
            assert reason["worded"] != reason["english"]
            assert re.search(r"[\u4e00-\u9fff]", reason["worded"])
        recent.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "reasons-zh.png"))
        # The room's objects (Service nobody, Ingress sites) and namespace keep their names.
        assert_no_english_ui(page, frozenset({"nobody", "sites", "default"}))
    finally:
        context.close()
