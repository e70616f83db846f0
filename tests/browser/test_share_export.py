"""Flow 7: a share link that another browser opens live, and a YAML download."""

from __future__ import annotations

import re

import yaml
from playwright.sync_api import expect

from tests.browser.conftest import create_room, open_room, pod_buttons, run


def test_share_link_opens_the_same_live_room(new_page, live_server_url, screenshot):
    teacher = new_page()
    url = create_room(teacher, live_server_url, "kubia")
    open_room(teacher, url)
    teacher.get_by_role("button", name="Share").click()
    dialog = teacher.get_by_role("dialog", name="Share this room")
    expect(dialog).to_be_visible()
    link = dialog.get_by_role("textbox", name="Link").input_value()
    assert link == url
    screenshot("7-share", teacher)
    dialog.get_by_role("button", name="Close").click()

    student = new_page()
    open_room(student, link)
    names = sorted(
        pod_buttons(teacher).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    )
    expect(pod_buttons(student)).to_have_count(3)
    assert (
        sorted(
            pod_buttons(student).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        )
        == names
    )

    run(teacher, "kubectl scale deployment kubia --replicas=1")
    expect(pod_buttons(student)).to_have_count(1)
    expect(student.get_by_role("log", name="Terminal output")).to_contain_text(
        "kubectl scale deployment kubia --replicas=1   # run by presenter"
    )


def test_export_downloads_yaml_that_applies(page, live_server_url):
    open_room(page, create_room(page, live_server_url, "kubia"))
    run(page, "kubectl label deployment kubia tier=web")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export YAML").click()
    assert re.fullmatch(r"kubeplay-[a-z0-9]+\.yaml", download.value.suggested_filename)
    documents = [d for d in yaml.safe_load_all(download.value.path().read_text()) if d]
    kinds = {d["kind"] for d in documents}
    assert {"Service", "Deployment", "Ingress"} <= kinds
    assert "Pod" not in kinds
    assert "ReplicaSet" not in kinds
    deployment = next(d for d in documents if d["kind"] == "Deployment")
    assert deployment["metadata"]["labels"] == {"tier": "web"}
    assert "status" not in deployment
