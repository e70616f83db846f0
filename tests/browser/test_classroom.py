"""Flow 10: a class. A presenter and two followers, each in a browser context of their own.

Followers see everything live and follow the presenter's view, but change
nothing until the presenter opens the floor or hands it over; anyone can fork
("Try it yourself"); the presenter rewinds, and shows the room on a projector.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, pod_buttons, run


@pytest.fixture
def classroom(new_page, live_server_url):
    """A presenter's room, and two followers who opened its link."""
    presenter, first, second = new_page(), new_page(), new_page()
    url = create_room(presenter, live_server_url, "kubia")
    for page in (presenter, first, second):
        open_room(page, url)
    return presenter, first, second


def terminal(page):
    return page.get_by_role("log", name="Terminal output")


def class_tab(page):
    page.get_by_role("tab", name="Class").click()
    return page.get_by_role("tabpanel", name="Class")


def test_followers_watch_but_change_nothing_until_the_presenter_lets_them(classroom, screenshot):
    presenter, first, second = classroom
    for follower in (first, second):
        expect(follower.get_by_role("textbox", name="Command")).to_be_disabled()
        expect(follower.get_by_role("button", name="Pause the clock")).to_be_disabled()
        expect(follower.get_by_role("button", name="Send one request")).to_be_disabled()
    # Whatever a follower's page sends, the server refuses it.
    refused = first.evaluate(
        """() => window.kubeplay.socket.request({type: "command", line: "kubectl delete svc kubia"})
            .then(() => "ran", (error) => error.message)"""
    )
    assert "Only the presenter changes this room" in refused
    expect(presenter.get_by_role("button", name=re.compile(r"^Service kubia,"))).to_be_visible()

    run(presenter, "kubectl scale deployment kubia --replicas=2")
    for follower in (first, second):
        expect(pod_buttons(follower)).to_have_count(2)
        expect(terminal(follower)).to_contain_text(
            "kubectl scale deployment kubia --replicas=2   # run by presenter"
        )
    screenshot("10-follower", first)

    # The presenter opens the floor: everyone may act, and each change names who made it.
    panel = class_tab(presenter)
    expect(panel.get_by_role("listitem").filter(has_text="follower 2")).to_be_visible()
    panel.get_by_role("radio", name="Everyone (open the floor)").check()
    expect(first.get_by_role("textbox", name="Command")).to_be_enabled()
    run(first, "kubectl scale deployment kubia --replicas=1")
    expect(terminal(presenter)).to_contain_text("--replicas=1   # run by follower 1")
    expect(pod_buttons(second)).to_have_count(1)

    # Control handed to follower 2 alone, then taken back.
    panel.get_by_role("listitem").filter(has_text="follower 2").get_by_role(
        "button", name="Hand control"
    ).click()
    expect(second.get_by_role("textbox", name="Command")).to_be_enabled()
    expect(first.get_by_role("textbox", name="Command")).to_be_disabled()
    expect(class_tab(first)).to_contain_text("Follower 2 has control")
    expect(panel).to_contain_text("has control")
    screenshot("10-class-view", presenter)
    panel.get_by_role("button", name="Take back").click()
    expect(second.get_by_role("textbox", name="Command")).to_be_disabled()

    # A raised hand, with the follower's name, reaches the presenter's class view.
    followers_panel = class_tab(second)
    followers_panel.get_by_role("textbox", name="Your name (shown to the presenter)").fill("Li Wei")
    followers_panel.get_by_role("textbox", name="Your name (shown to the presenter)").press("Enter")
    followers_panel.get_by_role("button", name="Raise hand").click()
    expect(followers_panel.get_by_role("button", name="Lower hand")).to_be_visible()
    hands = panel.get_by_role("list", name="Raised hands")
    expect(hands).to_contain_text("Li Wei · follower 2")


def test_followers_follow_the_presenters_selection_pointer_and_zoom(classroom, screenshot):
    presenter, first, second = classroom
    name = pod_buttons(presenter).first.get_attribute("aria-label").split(",")[0]
    presenter.get_by_role("button", name=re.compile(rf"^{re.escape(name)},")).click()
    for follower in (first, second):
        heading = follower.get_by_role("tabpanel", name="Inspector").get_by_role("heading", level=2)
        expect(heading).to_have_text(name)

    # "Look here": the presenter points at the Service; followers see it marked.
    presenter.get_by_role("button", name="Point at a box").click()
    presenter.get_by_role("button", name=re.compile(r"^Service kubia,")).click()
    for follower in (first, second):
        expect(
            follower.locator('svg.diagram [data-id="svc:default/kubia"].pointed')
        ).to_be_visible()
    # Pointing is not choosing: the presenter's inspector still shows the pod.
    inspector = presenter.get_by_role("tabpanel", name="Inspector")
    expect(inspector.get_by_role("heading", level=2)).to_have_text(name)
    screenshot("10-pointer", first)

    # Follower 2 steps away (scrolls the diagram with the wheel); follower 1 keeps following.
    second.locator("[data-diagram]").hover()
    second.mouse.wheel(0, 200)
    expect(second.get_by_role("button", name="Follow")).to_be_visible()
    presenter.get_by_role("button", name="Point at a box").click()
    presenter.get_by_role("button", name=re.compile(r"^Endpoints kubia")).click()
    expect(
        first.get_by_role("tabpanel", name="Inspector").get_by_role("heading", level=2)
    ).to_have_text("Endpoints kubia")
    second_heading = second.get_by_role("tabpanel", name="Inspector").get_by_role(
        "heading", level=2
    )
    expect(second_heading).to_have_text(name)
    presenter.get_by_role("button", name="Zoom in").click()
    first.wait_for_function("window.kubeplay.diagram.zoom === 1.25")
    assert second.evaluate("window.kubeplay.diagram.zoom") == 1
    second.get_by_role("button", name="Follow").click()
    expect(second_heading).to_have_text("Endpoints kubia")
    second.wait_for_function("window.kubeplay.diagram.zoom === 1.25")
    expect(second.get_by_role("button", name="Follow")).to_be_hidden()


def test_try_it_yourself_gives_a_fork_the_presenter_can_open(classroom, screenshot):
    presenter, first, _ = classroom
    run(presenter, "kubectl scale deployment kubia --replicas=2")
    expect(pod_buttons(first)).to_have_count(2)
    with first.expect_popup() as opened:
        first.get_by_role("button", name="Try it yourself").click()
    fork = opened.value
    expect(fork.get_by_role("status", name="Server connection")).to_have_text("connected")
    assert fork.url != presenter.url
    expect(pod_buttons(fork)).to_have_count(2)  # the room as it was, to change at will
    run(fork, "kubectl delete deployment kubia")
    expect(pod_buttons(fork)).to_have_count(0)
    expect(pod_buttons(presenter)).to_have_count(2)  # the class's room is untouched

    panel = class_tab(presenter)
    row = panel.get_by_role("row").filter(has_text="follower 1")
    expect(row).to_contain_text("1 command since command 1")
    with presenter.expect_popup() as shown:
        row.get_by_role("link", name="Open (read-only)").click()
    watching = shown.value
    expect(watching.get_by_role("status", name="Server connection")).to_have_text("connected")
    expect(watching.get_by_role("textbox", name="Command")).to_be_disabled()
    expect(pod_buttons(watching)).to_have_count(0)
    screenshot("10-forks", presenter)


def test_the_presenter_rewinds_the_room_and_keeps_the_rest_as_a_branch(classroom, screenshot):
    presenter, first, _ = classroom
    for replicas in (1, 2, 4):
        run(presenter, f"kubectl scale deployment kubia --replicas={replicas}")
    expect(pod_buttons(first)).to_have_count(4)
    panel = class_tab(presenter)
    panel.get_by_role("button", name="Show the timeline").click()
    slider = panel.get_by_role("slider", name="Keep the commands up to")
    expect(slider).to_have_value("3")
    slider.fill("1")
    chosen = panel.locator("[data-rewind-list] li.chosen")
    expect(chosen).to_contain_text("kubectl scale deployment kubia --replicas=1")
    screenshot("10-timeline", presenter)
    panel.get_by_role("button", name="Rewind to this point").click()
    for page in (presenter, first):
        expect(pod_buttons(page)).to_have_count(1)
    expect(terminal(first)).to_contain_text("presenter moved the room back to command 1")
    expect(slider).to_have_value("1")  # the timeline as it is now
    branch = panel.get_by_role("row").filter(has_text="branch set aside by a rewind")
    expect(branch).to_contain_text("0 commands since command 3")
    with presenter.expect_popup() as opened:
        branch.get_by_role("link", name="Open (read-only)").click()
    kept = opened.value
    expect(pod_buttons(kept)).to_have_count(4)
    # The branch is the presenter's (same key): they could carry on from there.
    expect(kept.get_by_role("textbox", name="Command")).to_be_enabled()


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 768}, {"width": 1920, "height": 1080}], ids=str
)
def test_projector_mode_is_readable_from_the_back_of_the_room(
    new_page, live_server_url, screenshot, viewport
):
    page = new_page(viewport)
    open_room(page, create_room(page, live_server_url, "traffic"))
    run(page, "kubectl get svc")
    page.get_by_role("button", name="Projector").click()
    expect(page.get_by_role("textbox", name="Command")).to_be_hidden()
    caption = page.get_by_role("figure", name="Last command")
    expect(caption).to_contain_text("$ kubectl get svc")
    expect(caption).to_contain_text("NAME")
    page.wait_for_timeout(500)  # boxes glide to their new places
    sizes = page.evaluate(
        """() => [...document.querySelectorAll("svg.diagram text")]
            .filter((t) => t.getBBox().width > 0 && !t.closest(".leaving"))
            .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )
    assert len(sizes) > 20
    assert min(sizes) >= 18, sorted(sizes)[:5]
    scroller = page.locator("[data-diagram]")
    # A full HD screen shows this room whole; at 1366 px its six columns at 18 px are wider
    # than the screen, and the diagram scrolls sideways to its pods (followers follow).
    if viewport["width"] >= 1920:
        assert scroller.evaluate("s => s.scrollWidth <= s.clientWidth + 1")
    else:
        assert scroller.evaluate("s => s.scrollWidth > s.clientWidth")
        scroller.evaluate("s => { s.scrollLeft = s.scrollWidth; }")
        for pod in pod_buttons(page).all():
            expect(pod).to_be_in_viewport(ratio=1)
    for selector in (".caption-line", ".caption-output"):
        assert (
            float(page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
            >= 18
        )
    assert page.evaluate("[window.kubeplay.dots.size, window.kubeplay.dots.pace]") == [1.8, 2]
    # The speed control stays: slow is slower still on the projector.
    page.get_by_role("combobox", name="Pace of request dots").select_option("slow")
    assert page.evaluate("[window.kubeplay.dots.speed, window.kubeplay.dots.pace]") == [140, 2]
    screenshot(f"10-projector-{viewport['width']}x{viewport['height']}", page)
    page.get_by_role("button", name="Leave projector").click()
    expect(page.get_by_role("textbox", name="Command")).to_be_visible()
