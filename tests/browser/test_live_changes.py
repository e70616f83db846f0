"""Flow 4: change the cluster from the UI; every browser on the room redraws in place."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import NODE_HEADER, create_room, open_room, pod_buttons


def test_live_changes_reach_every_browser_without_a_reload(new_page, live_server_url, screenshot):
    alice, bob = new_page(), new_page()
    url = create_room(alice, live_server_url, "readiness")
    open_room(alice, url)
    open_room(bob, url)
    for page in (alice, bob):
        page.evaluate("window.notReloaded = true")
    inspector = alice.get_by_role("tabpanel", name="Inspector")

    # Readiness: the toggle runs the probe's own command; the next probe makes the pod ready.
    name = inspect_first_pod(alice)
    inspector.get_by_role("button", name="Toggle readiness: touch /var/ready").click()
    ready = re.compile(rf"^Pod {name}, ready")
    expect(bob.get_by_role("button", name=ready)).to_be_visible()
    expect(inspector.get_by_role("button", name="Toggle readiness: rm /var/ready")).to_be_visible()
    # The probe's timing, from the same read as the rest of the inspector.
    probe = inspector.get_by_role("region", name="Readiness probe")
    expect(probe).to_contain_text(re.compile(r"exec on kubia every 1 s:\s+next at t = [\d.]+ s"))
    expect(probe).to_contain_text("ready.")
    screenshot("4-inspector-pod", alice)
    inspector.get_by_role("button", name="Toggle readiness: rm /var/ready").click()
    expect(bob.get_by_role("button", name=re.compile(rf"^Pod {name}, not ready"))).to_be_visible()

    # Delete a pod: the ReplicationController replaces it with a new name.
    victim = inspect_first_pod(alice)
    inspector.get_by_role("button", name="Delete pod").click()
    for page in (alice, bob):
        expect(page.get_by_role("button", name=re.compile(rf"^Pod {victim},"))).to_have_count(0)
        expect(pod_buttons(page)).to_have_count(2)

    # Scale the workload from a pod's inspector.
    inspect_first_pod(alice)
    inspector.get_by_role("spinbutton", name="Replicas").fill("4")
    inspector.get_by_role("button", name="Scale").click()
    for page in (alice, bob):
        expect(pod_buttons(page)).to_have_count(4)

    # Label and unlabel: without app=kubia the pod leaves the Service and the RC replaces it.
    orphan = inspect_first_pod(alice)
    inspector.get_by_role("textbox", name="Label").fill("tier=web")
    inspector.get_by_role("button", name="Set label").click()
    expect(inspector.get_by_role("list").filter(has_text="tier=web")).to_be_visible()
    # The labels and `kubectl describe` come from one read: they agree.
    expect(inspector.locator("details", has_text="kubectl describe")).to_contain_text("tier=web")
    inspector.get_by_role("button", name="Remove label app").click()
    expect(pod_buttons(bob)).to_have_count(5)  # the orphan stays, a new pod replaces it
    # The orphan is no longer listed: one edge per node that runs a listed pod.
    bob.wait_for_function(
        "() => window.kubeplay.model.get('endpoints', 'default/kubia').addresses.length === 4"
    )
    listed = bob.evaluate(
        "() => new Set(window.kubeplay.model.get('endpoints', 'default/kubia')"
        ".addresses.map((a) => a.node)).size"
    )
    expect(
        bob.locator("svg.diagram path.edge-ready, svg.diagram path.edge-notready")
    ).to_have_count(listed)
    screenshot("4-live-changes", bob)

    # Cordon a node, then remove another: its pods move to the nodes left.
    inspect_node(alice, "worker-1")
    inspector.get_by_role("button", name="Cordon").click()
    expect(bob.get_by_role("button", name=re.compile(r"^Node worker-1 .*cordoned"))).to_be_visible()
    inspect_node(alice, "worker-2")
    inspector.get_by_role("button", name="Remove node").click()
    expect(bob.get_by_role("button", name=re.compile(r"^Node worker-2"))).to_have_count(0)
    expect(pod_buttons(bob)).not_to_have_count(0)
    # The orphan has no controller: if it ran on worker-2, it is gone for good.
    orphans = bob.get_by_role("button", name=re.compile(rf"^Pod {orphan},")).count()

    # Edit and re-apply the manifests.
    alice.get_by_role("tab", name="Manifests").click()
    editor = alice.get_by_role("textbox", name="Room manifests (YAML)")
    editor.fill(editor.input_value().replace("replicas: 2", "replicas: 6"))
    alice.get_by_role("button", name="Apply").click()
    manifests = alice.get_by_role("tabpanel", name="Manifests")
    expect(manifests).to_contain_text("Applied")
    # The validation of the text typed just before the click answers 300 ms after the
    # last keystroke; it must not replace the apply's result.
    alice.wait_for_timeout(1000)
    expect(manifests).to_contain_text("Applied")
    expect(pod_buttons(bob)).to_have_count(6 + orphans)
    for page in (alice, bob):
        assert page.evaluate("window.notReloaded") is True
    screenshot("4-after-reapply", bob)

    # A refused apply: the server's problems list, whose lines move the cursor.
    editor.fill(editor.input_value().replace("containerPort: 8080", "containerPort: eighty"))
    alice.get_by_role("button", name="Apply").click()
    problem = manifests.get_by_role("button", name=re.compile(r"^Error Line \d+"))
    expect(problem).to_have_count(1)
    expect(manifests.get_by_role("heading", name="1 problem")).to_be_visible()
    screenshot("4-apply-refused", alice)
    problem.click()
    line = int(re.search(r"Line (\d+)", problem.inner_text()).group(1))
    assert editor.evaluate("e => e.value.slice(0, e.selectionStart).split('\\n').length") == line


def inspect_first_pod(page) -> str:
    """Open the first pod in the inspector and return its name.

    The pod is clicked by the name read, not as "the first" again: a live redraw in
    between may put another pod first.
    """
    label = pod_buttons(page).first.get_attribute("aria-label")
    name = label.split(",")[0].removeprefix("Pod ")
    page.get_by_role("button", name=re.compile(rf"^Pod {re.escape(name)},")).click()
    heading = page.get_by_role("tabpanel", name="Inspector").get_by_role("heading", level=2)
    expect(heading).to_have_text(f"Pod {name}")
    return name


def inspect_node(page, name: str) -> None:
    page.get_by_role("button", name=re.compile(rf"^Node {name} ")).click(position=NODE_HEADER)
    heading = page.get_by_role("tabpanel", name="Inspector").get_by_role("heading", level=2)
    expect(heading).to_have_text(f"Node {name}")
