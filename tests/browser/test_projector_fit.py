"""Projector mode on the screens a classroom has: the page itself never scrolls sideways (the
diagram scrolls inside its own area, and followers follow the presenter's scroll), at a
projector's 1366x768, at full HD, with the browser zoomed to 150% (a 911x512 page of 1.5
device pixels per CSS pixel) and on a 1.5x display, in English and in Chinese; every word of
the diagram at 18 px or more."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, create_room

SCREENS = {
    "1366x768": ({"width": 1366, "height": 768}, 1),
    "1920x1080": ({"width": 1920, "height": 1080}, 1),
    # A 1366x768 projector with the browser zoomed to 150%: the page is 911x512 CSS pixels.
    "1366x768-zoom150": ({"width": 911, "height": 512}, 1.5),
    "1366x768-scale150": ({"width": 1366, "height": 768}, 1.5),
}


@pytest.mark.parametrize(
    ("screen", "locale"),
    [(screen, "en") for screen in SCREENS]
    + [("1366x768", "zh-Hans"), ("1366x768-zoom150", "zh-Hans")],
)
def test_projector_mode_never_scrolls_the_page_sideways(
    browser, console_errors, live_server_url, screen, locale
):
    viewport, scale = SCREENS[screen]
    context = browser.new_context(
        viewport=viewport, device_scale_factor=scale, locale=locale, bypass_csp=True
    )
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        page.goto(create_room(page, live_server_url, "traffic"))
        expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()
        command = page.locator("[data-terminal-input]")  # its name is in the page's language
        command.fill("kubectl get svc")
        command.press("Enter")
        expect(command).to_have_value("")
        page.locator("[data-projector-toggle]").click()
        expect(page.locator(".terminal")).to_be_hidden()
        caption = page.locator("[data-caption]")
        expect(caption).to_contain_text("$ kubectl get svc")
        page.wait_for_timeout(600)  # boxes glide to their new places
        widths = page.evaluate(
            """() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
                      view: document.documentElement.clientWidth,
                      // what sticks out of the screen, but for the diagram's own scrolled area
                      over: [...document.querySelectorAll("body *")].filter((e) => {
                          const r = e.getBoundingClientRect();
                          const inside = e.closest("[data-diagram]");
                          return r.width && r.right > innerWidth + 1 && !inside;
                      }).map((e) => e.tagName + "." + e.className).slice(0, 8)})"""
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"11-projector-{screen}-{locale}.png")
        assert widths["doc"] <= widths["view"], widths
        assert widths["body"] <= widths["view"], widths
        assert widths["over"] == [], widths
        for selector in (".caption-line", ".caption-output"):
            size = page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert float(size) >= 18
        sizes = page.evaluate(
            """() => [...document.querySelectorAll("svg.diagram text")]
                .filter((t) => t.getBBox().width > 0 && !t.closest(".leaving"))
                .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
        )
        assert len(sizes) > 20
        assert min(sizes) >= 18, sorted(sizes)[:5]
    finally:
        context.close()
