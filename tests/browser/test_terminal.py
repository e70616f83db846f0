"""Flow 5: a terminal for CONTRACT.md commands, with history; its requests animate too."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, run, watch_dots_at_answer


def test_terminal_runs_commands_with_history(page, live_server_url, screenshot):
    open_room(page, create_room(page, live_server_url, "traffic"))
    output = page.get_by_role("log", name="Terminal output")
    command = page.get_by_role("textbox", name="Command")

    run(page, "kubectl get pods -o wide")
    expect(output).to_contain_text(
        re.compile(r"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE")
    )
    run(page, "kubectl get svc")
    expect(output).to_contain_text(
        re.compile(r"kubia\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080/TCP")
    )
    run(page, "kubectl describe endpoints kubia")
    expect(output).to_contain_text("Subsets:")

    # curl from the terminal: output, and a dot on the diagram. The answer is written
    # when the dot arrives, so the dots in flight are read as the answer appears (after
    # it, the dot may already be gone on a slow machine).
    watch_dots_at_answer(page)
    run(page, "curl -s http://kubia.example.com/")
    expect(output).to_contain_text("You've hit kubia-")
    assert page.evaluate("window.dotsAtAnswer") > 0
    pod = page.get_by_role("button", name=re.compile(r"^Pod kubia-")).first
    name = pod.get_attribute("aria-label").split(",")[0].removeprefix("Pod ")
    run(page, f"kubectl exec {name} -- nslookup kubia")
    expect(output).to_contain_text("kubia.default.svc.cluster.local")
    run(page, "kubectl get pods nope")
    expect(output.locator(".err").last).to_contain_text(
        'Error from server (NotFound): pods "nope" not found'
    )
    run(page, "kubectl get pods '<b>bold</b>'")
    expect(output).to_contain_text("<b>bold</b>")  # shown as text
    expect(output.locator("b")).to_have_count(0)

    # sleep moves the simulated clock.
    page.get_by_role("button", name="Pause the clock").click()
    # Read the time once the pause has reached the server and come back.
    expect(page.get_by_role("button", name="Play the clock")).to_be_visible()
    before = float(
        re.search(r"[\d.]+", page.get_by_role("status", name="Simulated time").inner_text())[0]
    )
    run(page, "sleep 30")
    expect(page.get_by_role("status", name="Simulated time")).to_have_text(
        re.compile(rf"t = {int(before + 30)}")
    )

    # History: up and down arrows walk it.
    command.press("ArrowUp")
    expect(command).to_have_value("sleep 30")
    command.press("ArrowUp")
    expect(command).to_have_value("kubectl get pods '<b>bold</b>'")
    command.press("ArrowDown")
    expect(command).to_have_value("sleep 30")
    command.fill("")
    run(page, "help")
    expect(output).to_contain_text("Up and down arrows walk the history")
    screenshot("5-terminal")


def test_commands_to_try_fill_in_the_placeholders(page, live_server_url):
    open_room(page, create_room(page, live_server_url, "readiness", example="readiness"))
    page.get_by_role("combobox", name="Commands to try").select_option(index=2)
    value = page.get_by_role("textbox", name="Command").input_value()
    assert value
    assert "POD" not in value
