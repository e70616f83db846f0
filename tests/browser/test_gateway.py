"""Gateway API in the room: the Convert button on the TLS Ingress example, and the same
request before (through ingress-nginx) and after (through the Gateway); a NetworkPolicy on
the canary's pods, which the Gateway's nginx meets."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from simulator.scenarios import get
from tests.browser.conftest import open_room, pod_buttons, run
from tests.browser.test_lessons import WORDS, expect_current, lesson_page, open_lesson, step
from tests.browser.test_network_policy import apply_manifests

__all__ = ["lesson_page"]  # the fixture, shared with the lessons' tests


def create_example_room(page, base_url: str, slug: str) -> str:
    page.context.request.get(base_url + "/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.context.request.post(
        base_url + "/rooms/",
        form={"manifests": get(slug).manifest, "example": slug},
        headers={"X-CSRFToken": token, "Referer": base_url + "/"},
    )
    assert response.ok, response.text()
    return response.url


def test_convert_the_tls_ingress_example_then_the_same_request_goes_through_the_gateway(
    page, live_server_url, screenshot
):
    open_room(page, create_example_room(page, live_server_url, "ingress-tls"))
    terminal = page.get_by_role("log", name="Terminal output")
    recent = page.get_by_role("log", name="Recent requests")

    # Before: ingress-nginx serves the host.
    run(page, "curl -sk https://kubia.example.com/")
    expect(terminal).to_contain_text("You've hit kubia-")
    expect(recent.get_by_role("listitem").first).to_contain_text(
        "ingress kubia: host kubia.example.com"
    )
    notice = page.locator("[data-retired]")
    expect(notice).to_contain_text("ingress-nginx is retired")
    screenshot("gateway-1-ingress")

    # Convert: the Ingress beside ingress2gateway's Gateway and HTTPRoutes, then apply.
    notice.get_by_role("button", name="Convert to Gateway API").click()
    dialog = page.get_by_role("dialog", name="Convert to Gateway API")
    expect(dialog.locator("figcaption")).to_have_text(
        ["Ingress (ingress-nginx)", "Gateway API (ingress2gateway)"]
    )
    expect(dialog.get_by_label("Ingress YAML")).to_contain_text("secretName: tls-secret")
    gateway_yaml = dialog.get_by_label("Gateway API YAML")
    expect(gateway_yaml).to_contain_text("name: kubia-kubia-example-com")
    expect(gateway_yaml).to_contain_text("type: RequestRedirect")  # ssl-redirect on port 80
    expect(dialog).to_contain_text("URL normalization")  # what does not convert
    screenshot("gateway-2-convert")
    dialog.get_by_role("button", name="Apply the Gateway API objects").click()
    expect(dialog).to_be_hidden()
    expect(terminal).to_contain_text(
        "$ ingress2gateway print --providers=ingress-nginx -A | kubectl apply -f -"
    )
    expect(terminal).to_contain_text("gateway.gateway.networking.k8s.io/nginx created")
    expect(terminal).to_contain_text(
        "httproute.gateway.networking.k8s.io/kubia-kubia-example-com created"
    )

    # The Gateway and its routes in their own columns; the Gateway gets an address.
    gateway = page.get_by_role("button", name=re.compile(r"^Gateway nginx,"))
    expect(gateway).to_have_attribute("aria-label", re.compile(r"programmed"))
    expect(
        page.get_by_role("button", name=re.compile(r"^HTTPRoute kubia-kubia-example-com,"))
    ).to_be_visible()

    # After: the same request, now through the Gateway's listener, route and rule.
    run(page, "curl -sk https://kubia.example.com/")
    first = recent.get_by_role("listitem").first
    expect(first).to_contain_text(
        "gateway nginx: listener kubia-example-com-https, httproute kubia-kubia-example-com rule 0"
    )
    expect(first).to_contain_text("200 kubia-")
    run(page, "kubectl get gateway,httproute")
    expect(terminal).to_contain_text(
        re.compile(r"gateway.gateway.networking.k8s.io/nginx\s+nginx\s+192\.168\.49\.\d+\s+True")
    )
    screenshot("gateway-3-after")


def test_a_route_that_does_not_resolve_is_drawn_so_with_its_reason(
    page, live_server_url, screenshot
):
    open_room(page, create_example_room(page, live_server_url, "gateway-canary"))
    # The split rule's edges carry each backend's share of its traffic.
    labels = page.locator("svg.diagram text.edge-label")
    expect(labels.filter(has_text=re.compile(r"^90%$"))).to_have_count(1)
    expect(labels.filter(has_text=re.compile(r"^10%$"))).to_have_count(1)
    # Traffic through the Gateway: a dot goes client -> Gateway -> route -> Service -> pod.
    run(page, "curl -s -H 'env: canary' http://kubia.example.com/")
    recent = page.get_by_role("log", name="Recent requests")
    expect(recent.get_by_role("listitem").first).to_contain_text("httproute kubia rule 0")
    # Point the canary rule at a Service that does not exist: accepted, but not resolved.
    patch = '[{"op": "replace", "path": "/spec/rules/0/backendRefs/0/name", "value": "kubia-v3"}]'
    run(page, f"kubectl patch httproute kubia --type=json -p '{patch}'")
    route = page.get_by_role("button", name=re.compile(r"^HTTPRoute kubia,"))
    expect(route).to_have_attribute("aria-label", re.compile(r"kubia-v3 \(BackendNotFound\)"))
    expect(route.locator(".broken-rule")).to_have_count(1)
    reason = route.locator(".reason")
    expect(reason).to_contain_text("kubia-v3: Backend")  # the row may be cut to fit the box
    expect(reason.locator("title")).to_have_text(
        re.compile(r'spec\.rules\[0\]\.backendRefs\[0\]\.name: Not found: "kubia-v3"')
    )
    run(page, "curl -s -H 'env: canary' http://kubia.example.com/")
    expect(recent.get_by_role("listitem").first).to_contain_text("500")
    route.click()
    inspector = page.get_by_role("tabpanel", name="Inspector")
    conditions = inspector.get_by_role("region", name="Status conditions")
    expect(conditions).to_contain_text("ResolvedRefs False BackendNotFound")
    expect(conditions).to_contain_text('spec.rules[0].backendRefs[0].name: Not found: "kubia-v3"')
    screenshot("gateway-4-unresolved")

    # A Gateway's listeners and conditions in the inspector.
    page.get_by_role("button", name=re.compile(r"^Gateway kubia,")).click()
    expect(conditions).to_contain_text("Programmed True Programmed")
    expect(conditions).to_contain_text("listener http")


CANARY_DENIED = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: v2-deny-all
spec:
  podSelector:
    matchLabels:
      version: v2
  ingress: []
"""


def test_a_network_policy_on_the_canary_makes_the_gateway_answer_504_naming_it(
    page, live_server_url, screenshot
):
    open_room(page, create_example_room(page, live_server_url, "gateway-canary"))
    apply_manifests(page, get("gateway-canary").manifest + CANARY_DENIED)
    # The policy's box beside the Gateway's, and a wall on the canary pod.
    policy = page.get_by_role("button", name=re.compile(r"^NetworkPolicy v2-deny-all"))
    expect(policy).to_have_accessible_name(re.compile(r"ingress: deny, version=v2, 1 pod$"))
    canary = pod_buttons(page, "kubia-v2-")
    expect(canary).to_have_accessible_name(re.compile("isolated for ingress by v2-deny-all"))
    expect(pod_buttons(page, "kubia-v1-").first).not_to_have_accessible_name(re.compile("isolated"))
    expect(page.locator("svg.diagram .iso-in")).to_have_count(1)
    # The canary request: the Gateway's nginx waits out its connect, then answers 504.
    run(page, "curl -sS -H 'env: canary' http://kubia.example.com/")
    terminal = page.get_by_role("log", name="Terminal output")
    expect(terminal).to_contain_text("504 Gateway Time-out")
    page.get_by_role("tab", name="Traffic").click()
    failed = page.get_by_role("log", name="Recent requests").get_by_role("listitem").first
    expect(failed).to_contain_text("dropped by v2-deny-all (ingress)")
    expect(failed).to_contain_text("504")
    screenshot("gateway-5-network-policy")
    # Without the header the rule splits 90/10, and v1, which no policy isolates, still
    # answers: five requests all drawing v2 would happen once in 100,000 rooms.
    for _ in range(5):
        run(page, "curl -sS http://kubia.example.com/")
    expect(terminal).to_contain_text("You've hit kubia-v1-")


@pytest.mark.parametrize("lesson_page", ["zh-CN"], indirect=True)
def test_the_gateway_api_lesson_in_chinese_through_show_me(
    lesson_page, live_server_url, screenshot
):
    """The Gateway API lesson in Simplified Chinese, each step done by its "show me": the
    checks tick, the Gateway and its routes appear, and the last step's unresolved backend
    is drawn with its reason."""
    page, language = lesson_page
    words = WORDS[language]
    open_lesson(page, live_server_url, "gateway-api", words)
    expect(page.locator("[data-lesson]")).to_contain_text("Gateway API：用 Gateway 重做 Ingress")
    for index in range(6):
        expect_current(page, index, 6, words)
        step(page, index).get_by_role("button", name=words["show"]).click()
    expect(page.locator("[data-lesson] [data-lesson-done]")).to_be_visible()
    route = page.locator('svg.diagram [data-object="HTTPRoute|default|kubia-v3"]')
    expect(route).to_have_attribute("aria-label", re.compile(r"kubia-v3 \(BackendNotFound\)"))
    expect(page.locator('svg.diagram [data-object="Gateway|default|kubia"]')).to_be_visible()
    screenshot(f"gateway-lesson-{language}", page)
