"""Browser tests: Debian's Chromium, driven by Playwright, against a live daphne.

pytest-django's live_server cannot serve websockets, so daphne runs in a
subprocess with production settings (DEBUG off) and its own file database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling Google's
# services, which this sandbox's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    """Start daphne on a free loopback port and return its base URL."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "playground.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'browser.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    # Bind here and hand daphne the listening socket: no race for the port.
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "daphne", "--fd", str(listener.fileno()), "-v0"]
            + ["tests.browser.asgi:application"],
            cwd=ROOT,
            env=env,
            pass_fds=[listener.fileno()],
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"daphne exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"daphne did not answer at {url} within {timeout} s")


# Package scope: Playwright's sync API keeps an asyncio loop running while it
# is open, which would break async tests that run after the browser tests.
@pytest.fixture(scope="package")
def browser():
    # Fail, never skip, never download: a missing browser must show in CI.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (./dev test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Errors the page logged or threw; the test errors out if any remain at the end."""
    errors: list[str] = []
    yield errors
    if errors:
        pytest.fail("Browser console errors:\n" + "\n".join(errors))


@pytest.fixture
def page(browser, console_errors):
    context = browser.new_context(viewport={"width": 1024, "height": 640})
    page = context.new_page()
    page.on(
        "console",
        lambda message: message.type == "error" and console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a PNG of the page under var/screenshots/ (git-ignored) and return its path."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
