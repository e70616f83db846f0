"""Browser tests: Debian's Chromium, driven by Playwright, against a live daphne.

pytest-django's live_server cannot serve websockets, so daphne runs in a
subprocess with production settings (DEBUG off) and its own file database.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

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
MANIFESTS = ROOT / "tests" / "fixtures" / "manifests"
VIEWPORT = {"width": 1366, "height": 768}
#: Where to click a node so that none of its pods takes the click.
NODE_HEADER = {"x": 30, "y": 14}
expect.set_options(timeout=10_000)


class Server:
    """daphne in a subprocess on a listening socket this process keeps, so it can restart."""

    def __init__(self, database: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        self.env.pop("DJANGO_DEBUG", None)
        self.env.pop("REDIS_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        # Bind here and hand daphne the listening socket: no race for the port, and
        # a restarted daphne takes over the same address.
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "--fd", str(self.listener.fileno()), "-v0"]
            + ["tests.browser.asgi:application"],
            cwd=ROOT,
            env=self.env,
            pass_fds=[self.listener.fileno()],
        )
        wait_until_serving(self.url, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        self.listener.close()


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory):
    """Start daphne on a free loopback port and return its base URL."""
    server = Server(tmp_path_factory.mktemp("db") / "browser.sqlite3")
    try:
        server.start()
        yield server.url
    finally:
        server.close()


@pytest.fixture
def restartable_server(tmp_path):
    """A daphne of the test's own, which the test may restart."""
    server = Server(tmp_path / "restart.sqlite3")
    try:
        server.start()
        yield server
    finally:
        server.close()


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
def new_page(browser, console_errors):
    """Open pages (each in its own browser context, as separate people would)."""
    contexts = []

    def open_page(viewport=VIEWPORT, *, enforce_csp=False):
        # Playwright's wait_for_function evaluates its predicate with eval, which the
        # site's Content-Security-Policy forbids: pages ignore the policy here, and
        # test_csp.py (and the TLS proxy test) drive every page under it.
        context = browser.new_context(
            viewport=viewport, accept_downloads=True, bypass_csp=not enforce_csp
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: message.type == "error" and console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(page):
    """Save a PNG of the page under var/screenshots/ (git-ignored) and return its path."""

    def take(name: str, target=None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        target = target or page
        target.wait_for_timeout(400)  # let the diagram's animations settle
        target.screenshot(path=path)
        return path

    return take


def create_room(page, base_url: str, manifest: str = "kubia", example: str = "") -> str:
    """Create a room through the home page's form endpoint; return its URL."""
    text = (MANIFESTS / f"{manifest}.yaml").read_text()
    page.context.request.get(base_url + "/")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.context.request.post(
        base_url + "/rooms/",
        form={"manifests": text, "example": example},
        headers={"X-CSRFToken": token, "Referer": base_url + "/"},
    )
    assert response.ok, response.text()
    assert re.search(r"/rooms/[a-z0-9]+/$", response.url)
    return response.url


def open_room(page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    expect(page.locator("svg.diagram .kind-pod").first).to_be_visible()


def pod_buttons(page, prefix: str = "kubia-"):
    return page.get_by_role("button", name=re.compile(rf"^Pod {prefix}"))


def run(page, line: str) -> None:
    """Type a command into the room's terminal and wait for it to finish."""
    command = page.get_by_role("textbox", name="Command")
    command.fill(line)
    command.press("Enter")
    expect(command).to_have_value("")


def watch_dots_at_answer(page) -> None:
    """Record in `window.dotsAtAnswer` how many request dots are on the diagram when the
    terminal next shows a curl answer ("You've hit"): the answer waits for its dot, which
    may be gone by the time a later check runs on a slow machine."""
    page.evaluate(
        """() => {
          window.dotsAtAnswer = null;
          const out = document.querySelector("[data-terminal-output]");
          new MutationObserver((_, observer) => {
            if (!out.textContent.includes("You've hit")) return;
            window.dotsAtAnswer = window.kubeplay.dots.inFlight;
            observer.disconnect();
          }).observe(out, {childList: true, subtree: true, characterData: true});
        }"""
    )
