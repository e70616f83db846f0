from __future__ import annotations

from playwright.sync_api import expect


def test_home_page_reaches_the_server_over_a_websocket(page, live_server_url, screenshot):
    page.goto(live_server_url)
    expect(page).to_have_title("Kubeplay")
    expect(page.get_by_role("heading", name="Kubeplay")).to_be_visible()
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    screenshot("home")
