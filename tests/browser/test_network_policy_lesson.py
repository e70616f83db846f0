"""Flow: the NetworkPolicy lesson in Chinese, done with its "show me" buttons: each step's
checks tick, the kubia pods get their ingress wall, the client its egress wall, and the
lesson ends done."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT

STEPS = 5


def step(page, index: int):
    return page.locator(f'.lesson-step[data-step="{index}"]')


def expect_current(page, index: int) -> None:
    expect(step(page, index)).to_have_attribute("data-state", "current")
    expect(page.locator("[data-lesson-progress]")).to_have_text(f"第 {index + 1} 步，共 {STEPS} 步")


def show_me(page, index: int) -> None:
    step(page, index).get_by_role("button", name="演示给我看").click()


def test_the_network_policy_lesson_in_chinese(browser, console_errors, live_server_url, screenshot):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        page.goto(live_server_url + "/")
        card = page.locator(".lesson-card").filter(
            has=page.locator('form[action="/lessons/network-policy/"]')
        )
        expect(card).to_contain_text("网络策略（NetworkPolicy）：谁可以访问谁")
        card.get_by_role("button", name=re.compile("开始")).click()
        page.wait_for_url(re.compile(r"/rooms/[a-z0-9]+/$"))
        expect(page.locator("[data-status]")).to_have_text("已连接")
        kubia = page.locator('svg.diagram [data-object^="Pod|default|kubia-"]')
        expect(kubia).to_have_count(2)
        expect(page.locator("svg.diagram .iso")).to_have_count(0)

        expect_current(page, 0)
        show_me(page, 0)
        expect_current(page, 1)

        # Deny all ingress: the check that the request times out ticks, the pods get a wall.
        show_me(page, 1)
        expect_current(page, 2)
        expect(step(page, 1)).to_have_attribute("data-state", "done")
        expect(page.locator("svg.diagram .iso-in")).to_have_count(2)
        expect(kubia.first).to_have_accessible_name(re.compile("被 kubia-deny-ingress 隔离入站"))
        terminal = page.get_by_role("log", name="终端输出")
        expect(terminal).to_contain_text("command terminated with exit code 28")
        screenshot("np-lesson-denied-zh", page)

        # Let client in on the pod's port; then isolate client for egress: DNS goes.
        show_me(page, 2)
        expect_current(page, 3)
        show_me(page, 3)
        expect_current(page, 4)
        expect(page.locator("svg.diagram .iso-out")).to_have_count(1)
        command = page.get_by_role("textbox", name="命令")
        command.fill("kubectl exec client -- nslookup kubia")
        command.press("Enter")
        expect(terminal).to_contain_text(";; connection timed out; no servers could be reached")

        # Allow DNS: every step is done.
        show_me(page, 4)
        expect(page.locator("[data-lesson-done]")).to_be_visible()
        expect(page.locator('.lesson-step[data-state="done"]')).to_have_count(STEPS)
        screenshot("np-lesson-done-zh", page)
    finally:
        context.close()
