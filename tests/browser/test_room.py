"""Flow 2: the room's topology in columns, and an inspector for every object."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import NODE_HEADER, create_room, open_room, pod_buttons


def box(locator):
    return locator.bounding_box()


def test_topology_in_columns_with_edges_and_inspector(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "kubia"))
    ingress = page.get_by_role("button", name=re.compile(r"^Ingress kubia"))
    service = page.get_by_role("button", name=re.compile(r"^Service kubia"))
    endpoints = page.get_by_role("button", name=re.compile(r"^Endpoints kubia"))
    pods = pod_buttons(page)
    expect(pods).to_have_count(3)
    node = page.get_by_role("button", name=re.compile(r"^Node worker-1"))
    client = page.get_by_role("img", name=re.compile(r"^Client: your computer"))
    # Columns, left to right: clients, Ingress, Services, Endpoints, pods inside nodes.
    xs = [box(x)["x"] for x in (client, ingress, service, endpoints, pods.first)]
    assert xs == sorted(xs), xs
    assert box(node)["x"] <= box(pods.first)["x"]
    # Edges: Ingress rule -> Service -> Endpoints -> the band of its pods on each node
    # that runs some (one edge per node, not per pod).
    expect(page.locator("svg.diagram path.edge-rule")).to_have_count(1)
    expect(page.locator("svg.diagram path.edge-ep")).to_have_count(1)
    pods_of = page.evaluate("window.kubeplay.model.list('pods')")
    nodes_with_pods = len({p["node"] for p in pods_of if p["namespace"] == "default"})
    expect(page.locator("svg.diagram path.edge-ready")).to_have_count(nodes_with_pods)
    expect(endpoints).to_have_accessible_name(re.compile("3 ready"))
    screenshot("2-room")

    service.click()
    inspector = page.get_by_role("tabpanel", name="Inspector")
    expect(inspector).to_be_visible()
    expect(inspector.get_by_role("heading", name=re.compile(r"Service kubia"))).to_be_visible()
    expect(inspector).to_contain_text("Selector:")  # kubectl describe
    expect(inspector.get_by_role("table")).to_contain_text("has app=kubia")
    expect(inspector.get_by_role("table").get_by_role("row")).to_have_count(4)
    inspector.get_by_text("YAML", exact=True).click()
    expect(inspector).to_contain_text("apiVersion: v1")
    screenshot("2-inspector-service")

    # Keyboard: Tab to a pod, Enter opens it.
    pods.first.focus()
    page.keyboard.press("Enter")
    expect(inspector.get_by_role("heading", name=re.compile(r"^Pod kubia-"))).to_be_visible()
    expect(inspector.get_by_role("table")).to_contain_text("gets traffic")
    endpoints.click()
    expect(inspector.get_by_role("heading", name=re.compile(r"Endpoints kubia"))).to_be_visible()
    node.click(position=NODE_HEADER)
    expect(inspector.get_by_role("button", name="Cordon")).to_be_visible()


def test_ready_and_not_ready_pods_look_different(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "readiness"))
    pods = pod_buttons(page)
    expect(pods).to_have_count(2)
    expect(pods.first).to_have_accessible_name(re.compile("not ready"))
    not_ready = page.locator("svg.diagram .kind-pod.state-notready .box").first
    style = not_ready.evaluate(
        "e => [getComputedStyle(e).strokeDasharray, getComputedStyle(e).fill]"
    )
    # Make one ready with its probe's own mechanism and compare.
    pods.first.click()
    inspector = page.get_by_role("tabpanel", name="Inspector")
    inspector.get_by_role("button", name=re.compile("Toggle readiness")).click()
    ready = page.locator("svg.diagram .kind-pod.state-ready .box")
    expect(ready).to_have_count(1)
    ready_style = ready.evaluate(
        "e => [getComputedStyle(e).strokeDasharray, getComputedStyle(e).fill]"
    )
    assert style != ready_style
    assert ready_style[0] == "none"
    expect(page.locator("svg.diagram path.edge-ready")).to_have_count(1)
    expect(page.locator("svg.diagram path.edge-notready")).to_have_count(1)
    screenshot("2-ready-and-not-ready")
