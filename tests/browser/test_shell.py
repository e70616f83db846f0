"""The notes' interactive steps in a real browser: a shell in a pod, and `kubectl edit`."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, pod_buttons, run


def first_pod(page) -> str:
    label = pod_buttons(page).first.get_attribute("aria-label")
    return label.split(",")[0].removeprefix("Pod ")


def test_a_shell_in_a_pod_runs_lines_until_exit_or_ctrl_c(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "kubia"))
    output = page.get_by_role("log", name="Terminal output")
    command = page.get_by_role("textbox", name="Command")
    prompt = page.locator(".terminal-form .prompt")
    pod = first_pod(page)

    run(page, f"kubectl exec -it {pod} -- bash")
    expect(prompt).to_have_text(f"root@{pod}:/#")
    run(page, "curl -s http://kubia")
    expect(output).to_contain_text(f"root@{pod}:/# curl -s http://kubia")
    expect(output).to_contain_text(re.compile(r"You've hit kubia-"))
    run(page, "hostname")
    expect(output.locator(".out").last).to_have_text(f"{pod}\n")
    run(page, "env | grep KUBERNETES_SERVICE_HOST")
    expect(output.locator(".out").last).to_have_text("KUBERNETES_SERVICE_HOST=10.96.0.1\n")
    run(page, "cat /etc/resolv.conf")
    expect(output).to_contain_text("search default.svc.cluster.local svc.cluster.local")
    run(page, "nosuch")
    expect(output.locator(".err").last).to_contain_text("command terminated with exit code 127")
    screenshot("shell-in-pod")

    run(page, "exit")
    expect(prompt).to_have_text("$")
    run(page, "kubectl get pods | grep -c kubia")
    expect(output.locator(".out").last).to_have_text("3\n")

    # Ctrl-C leaves a shell too, and the terminal stays usable.
    run(page, f"kubectl exec -it {pod} -- sh")
    expect(prompt).to_have_text("#")
    command.fill("sleep 100")
    command.press("Control+c")
    expect(prompt).to_have_text("$")
    expect(output).to_contain_text("# sleep 100^C")
    run(page, "alias k=kubectl")
    run(page, "k get deploy kubia -o name")
    expect(output.locator(".out").last).to_have_text("deployment.apps/kubia\n")


def test_kubectl_edit_opens_the_object_in_the_manifests_panel(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "kubia"))
    output = page.get_by_role("log", name="Terminal output")
    run(page, "kubectl edit deploy kubia")
    expect(output).to_contain_text("Opened deployment.apps/kubia in the Manifests panel")
    panel = page.get_by_role("tabpanel", name="Manifests")
    expect(panel).to_be_visible()
    editor = panel.get_by_role("textbox")
    expect(editor).to_have_value(re.compile(r"^# Please edit the object below"))
    expect(panel.locator("[data-editing-ref]")).to_have_text("deployment.apps/kubia")
    text = editor.input_value().replace("replicas: 3", "replicas: 2", 1)
    editor.fill(text)
    screenshot("kubectl-edit")
    panel.get_by_role("button", name="Apply").click()
    expect(output).to_contain_text("deployment.apps/kubia configured")
    expect(pod_buttons(page)).to_have_count(2)
    panel.get_by_role("button", name="Back to the room's manifests").click()
    expect(editor).to_have_value(re.compile(r"^apiVersion: v1\nkind: Service"))
