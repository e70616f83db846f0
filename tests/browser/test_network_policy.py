"""Flow: NetworkPolicy in a room. Deny all ingress to web, see requests stop red at the pod
with the policy named, read the matrix, allow one app, see its requests pass."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import MANIFESTS, create_room, open_room, pod_buttons, run

DENY = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-deny-all
spec:
  podSelector:
    matchLabels:
      app: web
  ingress: []
"""
ALLOW_CLIENT = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow-client
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: client
"""


def apply_manifests(page, text: str) -> None:
    """Apply YAML from the Manifests panel, as a learner would."""
    page.get_by_role("tab", name="Manifests").click()
    panel = page.get_by_role("tabpanel", name="Manifests")
    panel.get_by_role("textbox", name="Room manifests (YAML)").fill(text)
    panel.get_by_role("button", name="Apply").click()
    terminal = page.get_by_role("log", name="Terminal output")
    expect(terminal).to_contain_text("networkpolicy.networking.k8s.io/")


def send_from_client(page) -> None:
    page.get_by_role("tab", name="Traffic").click()
    panel = page.get_by_role("tabpanel", name="Traffic")
    panel.get_by_role("combobox", name="From").select_option("pod/default/client")
    panel.get_by_role("combobox", name="To").select_option(label="web (Service)")
    panel.get_by_role("button", name="Send one request").click()


def test_deny_then_allow_one_app_with_the_matrix(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "netpol-app"))
    web = pod_buttons(page, "web-")
    expect(web).to_have_count(2)
    recent = page.get_by_role("log", name="Recent requests")
    send_from_client(page)
    expect(recent.get_by_role("listitem").first).to_contain_text(
        re.compile(r"✓ client → http://web\.default\.svc\.cluster\.local/: 200 web-")
    )

    # Deny all ingress to web: its pods get a wall, the policy a box pointing at them.
    manifests = (MANIFESTS / "netpol-app.yaml").read_text()
    apply_manifests(page, manifests + DENY)
    policy = page.get_by_role("button", name=re.compile(r"^NetworkPolicy web-deny-all"))
    expect(policy).to_have_accessible_name(
        re.compile(r"web-deny-all, ingress: deny, app=web, 2 pods$")
    )
    expect(web.first).to_have_accessible_name(re.compile("isolated for ingress by web-deny-all"))
    expect(page.locator("svg.diagram .iso-in")).to_have_count(2)
    # One link from each band of web pods (they run on two nodes).
    expect(page.locator("svg.diagram path.edge-policy")).to_have_count(2)
    client = pod_buttons(page, "client")
    expect(client).not_to_have_accessible_name(re.compile("isolated"))

    # The request now stops red at the web pod, the policy named.
    send_from_client(page)
    failed = recent.get_by_role("listitem").first
    expect(failed).to_contain_text("✗ client → http://web.default.svc.cluster.local/")
    expect(failed).to_contain_text("dropped by web-deny-all (ingress)")
    expect(failed).to_contain_text("where a NetworkPolicy dropped it")
    expect(failed).to_have_class("fail")
    page.wait_for_function("window.kubeplay.dots.inFlight > 0")
    screenshot("np-1-denied")

    # The inspector: what the policy selects and allows.
    policy.click()
    inspector = page.get_by_role("tabpanel", name="Inspector")
    expect(inspector.get_by_role("heading", name="NetworkPolicy web-deny-all")).to_be_visible()
    expect(inspector.get_by_role("region", name="Selected pods")).to_contain_text("Selects 2 pods")
    expect(inspector.get_by_role("region", name="Ingress rules")).to_contain_text(
        "No rule: the selected pods are isolated and nothing gets in."
    )
    expect(inspector).to_contain_text("(Selected pods are isolated for ingress connectivity)")
    screenshot("np-2-inspector")

    # The matrix: nobody reaches web; clicking a cell sends that very request.
    page.get_by_role("tab", name="Reachability").click()
    matrix = page.get_by_role("table", name="Reachability matrix")
    cell = matrix.get_by_role("button", name=re.compile(r"^client to web-[a-z0-9-]+ port 80.TCP:"))
    expect(cell.first).to_have_accessible_name(
        re.compile(r"dropped by the destination's ingress policies \(web-deny-all\)")
    )
    screenshot("np-3-matrix-denied")
    cell.first.click()
    terminal = page.get_by_role("log", name="Terminal output")
    expect(terminal).to_contain_text(
        re.compile(r"curl: \(28\) Failed to connect to 10\.244\.\d+\.\d+ port 80")
    )

    # Allow one app: the matrix turns green for client alone, live.
    apply_manifests(page, manifests + DENY + ALLOW_CLIENT)
    page.get_by_role("tab", name="Reachability").click()
    expect(cell.first).to_have_accessible_name(re.compile(r": passes$"))
    other = matrix.get_by_role("button", name=re.compile(r"^other to web-[a-z0-9-]+ port 80.TCP:"))
    expect(other.first).to_have_accessible_name(re.compile("dropped by the destination's ingress"))
    screenshot("np-4-matrix-allowed")

    send_from_client(page)
    expect(recent.get_by_role("listitem").first).to_contain_text(
        re.compile(r"✓ client → http://web\.default\.svc\.cluster\.local/: 200 web-")
    )
    run(page, "kubectl exec other -- curl -sS --connect-timeout 1 http://web")
    expect(terminal).to_contain_text("curl: (28) Failed to connect to web port 80 after 1001 ms")
    screenshot("np-5-allowed")
