"""A room in a small window: a 1366x768 screen with the browser zoomed to 150% is a page of
911x512 CSS pixels. The diagram keeps most of a screen (the page scrolls down to the
terminal instead of squeezing the diagram between panels that keep their size), nothing
sticks out sideways, and the terminal and a lesson's panel stay usable."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, create_room, run

ZOOMED = {"width": 911, "height": 512}

# The diagram's own scrolled area, the page's widths, and what sticks out sideways.
MEASURE = """() => {
  const diagram = document.querySelector("[data-diagram]").getBoundingClientRect();
  return {diagram: diagram.height, view: innerHeight,
          doc: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
          over: [...document.querySelectorAll("body *")].filter((e) => {
            const r = e.getBoundingClientRect();
            return r.width && r.right > innerWidth + 1 && !e.closest("[data-diagram]");
          }).map((e) => e.tagName + "." + e.className).slice(0, 8)};
}"""


@pytest.fixture
def zoomed(browser, console_errors):
    context = browser.new_context(viewport=ZOOMED, device_scale_factor=1.5, bypass_csp=True)
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


def check_fits(page, name: str) -> None:
    page.wait_for_timeout(500)  # boxes glide to their places
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    measured = page.evaluate(MEASURE)
    # Most of a screen for the diagram (it was 0-220 px with the panels at their size).
    assert measured["diagram"] >= 0.6 * measured["view"], measured
    assert measured["doc"] <= measured["width"], measured
    assert measured["over"] == [], measured


def test_a_zoomed_room_keeps_the_diagram_and_its_terminal(zoomed, live_server_url):
    page = zoomed
    page.goto(create_room(page, live_server_url, "kubia"))
    expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()
    check_fits(page, "room-zoom150")
    # The terminal follows the diagram: scrolled to, it runs commands.
    command = page.get_by_role("textbox", name="Command")
    command.scroll_into_view_if_needed()
    run(page, "kubectl get svc kubia")
    expect(page.locator(".terminal")).to_contain_text("ClusterIP")


def test_a_zoomed_lesson_room_shows_the_lesson_above_the_diagram(zoomed, live_server_url):
    page = zoomed
    page.goto(live_server_url + "/")
    page.locator('form[action="/lessons/services-endpoints/"]').get_by_role("button").click()
    page.wait_for_url(re.compile(r"/rooms/[a-z0-9]+/$"))
    expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()
    lesson = page.locator(".lesson-panel")
    expect(lesson).to_be_in_viewport()
    box = lesson.bounding_box()
    assert box is not None
    assert box["width"] > 800  # across the page, not a 21rem column
    check_fits(page, "lesson-zoom150")
