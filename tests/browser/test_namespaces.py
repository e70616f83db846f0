"""Same names in two namespaces: a request's dot passes through its own namespace's boxes."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, run


def test_a_dot_finds_the_boxes_of_its_own_namespace(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "two-namespaces"))
    expect(page.locator("svg.diagram .kind-service")).to_have_count(2, timeout=10_000)
    for namespace, node_port in (("green", 30082), ("blue", 30081)):
        run(page, f"curl -s http://192.168.49.3:{node_port}/")
        through = "ns => window.kubeplay.dots.dots.some(d => d.points.some(p => p.id === ns))"
        page.wait_for_function(through, arg=f"svc:{namespace}/web")
        paths = page.evaluate("window.kubeplay.dots.dots.map(d => d.points.map(p => p.id))")
        last = paths[-1]
        assert f"svc:{namespace}/web" in last
        other = "blue" if namespace == "green" else "green"
        assert f"svc:{other}/web" not in last, last
    screenshot("namespaces-dots")
