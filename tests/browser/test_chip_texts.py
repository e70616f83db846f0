"""A pod's chip keeps its texts apart: title, status line, probe line and the
countdown to the next probe never overlap, at any zoom, whatever the pod's state."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, run

# Every text of every pod chip, and the countdown the dots' canvas draws beside the
# probe line, as rectangles in the page's coordinates.
CHIP_TEXTS = """() => {
  const canvas = document.querySelector("canvas.dots").getBoundingClientRect();
  const scroller = document.querySelector("[data-diagram]");
  const labels = window.kubeplay.dots.probeLabels || [];
  const chips = [];
  for (const g of document.querySelectorAll("svg.diagram .kind-pod:not(.leaving)")) {
    const key = g.dataset.id.replace(/^pod:/, "");
    const texts = [...g.querySelectorAll("text")].map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height };
    });
    for (const l of labels.filter((l) => l.key === key)) {
      texts.push({ text: l.text, x: canvas.left + l.x - scroller.scrollLeft,
        y: canvas.top + l.y - scroller.scrollTop, w: l.w, h: l.h });
    }
    const box = g.querySelector("rect.box").getBoundingClientRect();
    chips.push({ key, texts, box: { x: box.left, y: box.top, w: box.width, h: box.height } });
  }
  return chips;
}"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and (a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
    )


def check_apart(page) -> list[dict]:
    # Boxes at their places (they glide for 0.4 s after a change) and the canvas redrawn.
    page.wait_for_function("!window.kubeplay.diagram.tweening && !window.kubeplay.diagram.busy")
    page.wait_for_timeout(150)
    chips = page.evaluate(CHIP_TEXTS)
    assert chips
    for chip in chips:
        texts = chip["texts"]
        for i, a in enumerate(texts):
            # Inside the chip (a pixel of anti-aliasing aside) ...
            box = chip["box"]
            assert a["x"] >= box["x"] - 1, (chip["key"], a)
            assert a["x"] + a["w"] <= box["x"] + box["w"] + 1, (chip["key"], a)
            # ... and clear of every other text of the chip.
            for b in texts[i + 1 :]:
                assert not overlaps(a, b), (chip["key"], a, b)
    return chips


def texts_of(chips: list[dict]) -> str:
    return " | ".join(t["text"] for chip in chips for t in chip["texts"])


def test_chip_texts_never_overlap(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "chip-texts"))
    page.get_by_role("combobox", name="Speed").select_option("10.0")
    # The probe (every 10 s) fails three times: the readiness threshold.
    probe = page.locator("svg.diagram .kind-pod text.probe")
    expect(probe.first).to_have_text("probe failed 3/3", timeout=20_000)
    # Failures past the threshold read as the threshold reached, never "4/3".
    page.wait_for_function(
        "[...window.kubeplay.model.probeCounts.values()].some(([, failures]) => failures > 3)",
        timeout=20_000,
    )
    page.wait_for_function("!window.kubeplay.diagram.busy")
    page.wait_for_timeout(200)  # the frame with those counts drawn
    for text in probe.all_text_contents():
        assert text in ("probe failed 3/3", "probe passed 1/1", "probe: not run yet"), text
    page.get_by_role("button", name="Pause the clock").click()
    expect(page.get_by_role("button", name="Play the clock")).to_be_visible()
    name = page.evaluate("window.kubeplay.model.list('pods')[0].name")
    run(page, f"kubectl delete pod {name} --wait=false")
    # Its replacement leaves Pending: ContainerCreating, while the old pod terminates
    # (its preStop hook sleeps 20 s).
    page.locator("[data-next-change]").click()
    pod_texts = page.locator("svg.diagram .kind-pod")
    expect(pod_texts.filter(has_text="Terminating")).to_have_count(1)
    expect(pod_texts.filter(has_text="ContainerCreating")).to_have_count(1)
    expect(pod_texts.filter(has_text="probe failed 3/3")).not_to_have_count(0)
    page.wait_for_function(
        '(window.kubeplay.dots.probeLabels || []).filter((l) => l.text !== "ring").length >= 2'
    )

    seen = texts_of(check_apart(page))
    for text in ("Terminating", "ContainerCreating", "probe failed 3/3", "next "):
        assert text in seen
    screenshot("chip-texts-fit")
    for button, times, name in (("Zoom in", 3, "in"), ("Zoom out", 6, "out")):
        for _ in range(times):
            scale = page.evaluate("window.kubeplay.diagram.scale")
            page.get_by_role("button", name=button).click()
            page.wait_for_function(f"window.kubeplay.diagram.scale !== {scale}")
            page.wait_for_timeout(100)  # the dots' canvas draws the next frame
            check_apart(page)
        screenshot(f"chip-texts-zoom-{name}")


def test_chinese_chips_keep_their_names_clear_of_the_probes_ring(browser, live_server_url):
    # Chinese probe lines are shorter than English ones, so the chips are narrower: only
    # the room kept for the ring stops a long name from running under it.
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto(create_room(page, live_server_url, "chip-texts"))
        expect(page.locator("[data-status]")).to_have_text("已连接")
        page.wait_for_function("(window.kubeplay.dots.probeLabels || []).length >= 4")
        chips = check_apart(page)
        assert any(t["text"] == "ring" for chip in chips for t in chip["texts"])
    finally:
        context.close()
