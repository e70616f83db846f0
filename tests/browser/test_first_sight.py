"""A room that teaches at first sight: first steps that work, time you can see, a diagram
that stays legible, keyboard and accessibility (axe-core from the npm lockfile)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playground import rooms
from tests.browser.conftest import MANIFESTS, ROOT, expect, open_room, run

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def example_room(page, base_url: str, slug: str, text: str | None = None) -> str:
    """A room made from an example through the home page's form (or other text over it)."""
    page.context.request.get(base_url + "/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.context.request.post(
        base_url + "/rooms/",
        form={"manifests": text or rooms.example(slug)["manifest"], "example": slug},
        headers={"X-CSRFToken": token, "Referer": base_url + "/"},
    )
    assert response.ok
    return response.url


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    assert AXE.exists(), "node_modules/axe-core is missing: ./dev test installs it (npm ci)"
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return violations


# Elements that take a tab stop but show nothing (the skip link shows once focused).
HIDDEN_TAB_STOPS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')]
  .filter(el => el.tabIndex >= 0 && !el.disabled && !el.closest('[hidden], dialog:not([open])'))
  .filter(el => !el.closest('details:not([open])') || el.matches('details > summary'))
  .filter(el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return (r.width === 0 && r.height === 0) || s.visibility === 'hidden'; })
  .filter(el => !el.classList.contains('skip-link'))
  .map(el => el.outerHTML.slice(0, 80))"""


def last_request(page):
    return page.locator("[data-requests] li").first


@pytest.mark.parametrize(
    ("slug", "path"),
    [
        (
            "kubia-affinity",
            r"^✓ kubia-\w+ → http://kubia\.default\.svc\.cluster\.local/: 200 kubia-",
        ),
        ("ingress-tls", r"^✓ host → https://kubia\.example\.com/: 200 kubia-"),
        ("nodeport", r"^✓ host → http://192\.168\.49\.\d+:30123/: 200 kubia-"),
        ("ngx-dep", r"^✓ host → http://ngx\.test/: 200 ngx-dep-"),
        # A worker's NodePort (externalTrafficPolicy Local): its own redis-ds pod answers.
        (
            "daemonset-taints",
            r"^✓ host → http://192\.168\.49\.3:30379/: 200 redis-ds-\w{5}node worker-1 ",
        ),
    ],
)
def test_the_first_click_works_and_says_why(page, live_server_url, screenshot, slug, path):
    open_room(page, example_room(page, live_server_url, slug))
    target = page.get_by_role("combobox", name="To", exact=True)
    expect(target).not_to_have_value("")
    expect(page.locator("[data-target-why]")).to_be_visible()
    page.get_by_role("button", name="Send one request").click()
    expect(last_request(page)).to_have_text(re.compile(path))
    # The terminal shows the command and its answer, once the dot has arrived.
    expect(page.locator("[data-terminal-output]")).to_contain_text("You've hit ")
    screenshot(f"first-click-{slug}")


def test_nothing_to_send_to_says_what_to_add(page, live_server_url, screenshot):
    # The DaemonSet example without its Service.
    daemonsets = rooms.example("daemonset-taints")["manifest"].split("\n---\n# Not in")[0]
    open_room(page, example_room(page, live_server_url, "daemonset-taints", daemonsets))
    nothing = page.get_by_role("status").filter(has_text="Nothing to send a request to yet")
    expect(nothing).to_be_visible()
    expect(nothing).to_contain_text("a Service with selector name=redis-ds")
    page.get_by_role("button", name="Send one request").click()
    expect(nothing).to_be_focused()
    # The pods of the two DaemonSets keep the part of their names that tells them apart.
    names = page.locator("svg.diagram .kind-pod .title").all_text_contents()
    assert any(re.search(r"redis-ds-tolerant-\w{5}$", n) for n in names), names
    assert any(re.search(r"✓ redis-ds-\w{5}$", n) for n in names), names
    screenshot("first-sight-daemonset")


def test_a_pasted_room_has_its_own_title_and_commands(page, live_server_url):
    text = (MANIFESTS / "readiness.yaml").read_text()
    open_room(page, example_room(page, live_server_url, "kubia-affinity", text))
    expect(page.locator("[data-room-title]")).not_to_contain_text("session affinity")
    expect(page.locator("[data-room-title]")).not_to_be_empty()
    options = page.locator("[data-try] option").all_text_contents()
    assert "kubectl get pods -o wide" in options
    assert not any(o == "kubectl exec POD -- ping -c 3 kubia" for o in options), options


def test_probe_state_and_next_change(page, live_server_url, screenshot):
    open_room(page, example_room(page, live_server_url, "readiness"))
    page.get_by_role("button", name="Pause").click()
    chip = page.locator("svg.diagram .kind-pod").first
    expect(chip.locator(".probe")).to_have_text(
        re.compile(r"probe failed \d+/3|probe: not run yet")
    )
    name = chip.get_attribute("aria-label").split(",")[0].removeprefix("Pod ")
    run(page, f"kubectl exec {name} -- touch /var/ready")
    button = page.get_by_role("button", name=re.compile(r"^Fast-forward to t = .* turns ready"))
    expect(button).to_be_visible()
    button.click()
    expect(page.locator("[data-terminal-output]")).to_contain_text(re.compile(r"\$ sleep \d"))
    chip = page.get_by_role("button", name=re.compile(rf"^Pod {name}, ready "))
    expect(chip).to_be_visible()
    run(page, f"kubectl exec {name} -- rm /var/ready")
    failing = page.get_by_role(
        "button", name=re.compile(r"turns not ready: its readiness probe fails 3 times in a row")
    )
    expect(failing).to_be_visible()
    run(page, "sleep 10")
    # Still ready, and counting the failures against the threshold.
    expect(
        page.get_by_role(
            "button", name=re.compile(rf"^Pod {name}, ready .*, probe failed 1.3, on ")
        )
    ).to_be_visible()
    screenshot("probe-counting")
    failing.click()
    not_ready = page.get_by_role("button", name=re.compile(rf"^Pod {name}, not ready"))
    expect(not_ready).to_be_visible()
    # A not-ready pod's focus ring is blue, not amber on amber (reached by keyboard, as
    # the ring shows only then).
    not_ready.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(not_ready).to_be_focused()
    ring = not_ready.locator(".focus-ring")
    assert ring.evaluate("el => getComputedStyle(el).stroke") == "rgb(29, 78, 216)"
    box = not_ready.locator(".box")
    assert box.evaluate("el => getComputedStyle(el).stroke") != "rgb(29, 78, 216)"
    screenshot("focus-not-ready")


def test_keyboard_focus_skip_link_and_no_serious_axe_violation(page, live_server_url, screenshot):
    page.goto(live_server_url + "/")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Simulate").click()
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    # Focus lands on the room, not on <body>.
    expect(page.locator("[data-room-heading]")).to_be_focused()
    expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()
    violations = serious_violations(page)
    assert violations == [], violations
    # The first Tab offers the skip link; it leads to the inspector.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=re.compile("Skip the diagram"))
    for _ in range(12):
        if skip.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    # Choose a pod, then skip straight to its actions.
    pod = page.get_by_role("button", name=re.compile(r"^Pod kubia-")).first
    pod.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("button", name=re.compile("Toggle readiness|Delete pod")).first
    ).to_be_visible()
    skip.focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.closest('.actions') !== null")
    assert focused
    assert serious_violations(page) == []
    # No tab stop on something nobody can see.
    hidden = page.evaluate(HIDDEN_TAB_STOPS)
    assert hidden == []
    pod.focus()
    ring = pod.locator(".focus-ring")
    assert ring.evaluate("el => getComputedStyle(el).stroke") == "rgb(29, 78, 216)"
    screenshot("keyboard-focus")


def test_layout_of_many_services_routes_edges_per_band(page, live_server_url, screenshot):
    text = Path(MANIFESTS / "traffic.yaml").read_text()
    open_room(page, example_room(page, live_server_url, "", text))
    # Each Endpoints reaches each node's band once, whatever the number of pods.
    edges = page.locator("svg.diagram path.edge-ready, svg.diagram path.edge-notready")
    expect(edges.first).to_be_attached()
    paths = edges.evaluate_all("els => els.map(e => e.getAttribute('d'))")
    # Orthogonal routes: every segment is horizontal or vertical.
    for d in paths:
        points = [tuple(map(float, p.split(","))) for p in re.findall(r"[\d.]+,[\d.]+", d)]
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            assert x1 == x2 or y1 == y2, d
    screenshot("layout-traffic")


SIBLINGS = """
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: app
        image: luksa/kubia
        ports:
        - containerPort: 8080
---
"""


def test_several_services_with_look_alike_names_stay_apart(page, live_server_url, screenshot):
    names = ["web", "web-api", "web-api-canary", "web-api-canary-eu"]
    text = "".join(SIBLINGS.format(name=n) for n in names)
    open_room(page, example_room(page, live_server_url, "", text))
    pods = page.locator("svg.diagram .kind-pod[role=button]")
    expect(pods).to_have_count(8)
    # Every Service is somewhere to send to.
    options = page.get_by_role("combobox", name="To", exact=True).locator("option")
    labels = options.all_text_contents()
    for name in names:
        assert any(label.startswith(f"{name} (Service)") for label in labels), labels
    # Each pod's shown name is its own: no two alike, however they were fitted.
    shown = pods.locator(".title").all_text_contents()
    assert len(set(shown)) == 8, shown
    screenshot("first-sight-look-alike-services")


def test_the_first_steps_and_the_next_change_speak_the_pages_language(
    browser, live_server_url, screenshot
):
    """A Chinese page words the simulator's sentences (why a request works, what changes
    next) in Chinese; names stay as the cluster has them."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        url = example_room(page, live_server_url, "readiness")
        # The language switch's cookie, for the whole site (pages and their catalogue).
        cookie = {"name": "django_language", "value": "zh-hans", "url": live_server_url + "/"}
        context.add_cookies([cookie])
        page.goto(url)
        expect(page.locator("[data-status]")).to_have_text("已连接")
        why = page.locator("[data-target-why]")
        expect(why).to_contain_text("每个节点都打开端口")  # the NodePort, sent first
        expect(why).to_contain_text("后面还没有就绪的 Pod")  # and why it fails for now
        assert not re.search(r"\b(opens|forwards|ready|yet)\b", why.inner_text())
        pod = page.locator('svg.diagram [data-object^="Pod|default|"]').first
        name = pod.get_attribute("data-object").split("|")[2]
        command = page.get_by_role("textbox", name="命令")
        command.fill(f"kubectl exec {name} -- touch /var/ready")
        command.press("Enter")
        button = page.locator("[data-next-change]")
        expect(button).to_have_attribute("aria-label", re.compile(rf"Pod {name} 变为就绪"))
        screenshot("first-steps-zh", page)
    finally:
        context.close()


def test_a_pasted_rooms_title_speaks_the_pages_language(browser, live_server_url):
    """A pasted room is named after its objects, joined as the page's language joins them."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        text = (MANIFESTS / "readiness.yaml").read_text()
        url = example_room(page, live_server_url, "kubia-affinity", text)
        context.add_cookies(
            [{"name": "django_language", "value": "zh-hans", "url": live_server_url + "/"}]
        )
        page.goto(url)
        expect(page.locator("[data-status]")).to_have_text("已连接")
        title = page.locator("[data-room-title]")
        expect(title).to_have_text(re.compile(r"^\S+ \S+、\S+ \S+"))  # "Deployment a、Service b"
        assert ", " not in title.inner_text()
    finally:
        context.close()
