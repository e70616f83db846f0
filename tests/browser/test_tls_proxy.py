"""Through a real TLS-terminating reverse proxy: Debian's nginx with deploy/nginx.conf.

nginx (installed by `./dev test`) serves HTTPS with a throwaway self-signed
certificate and passes everything to two daphne processes run as
`manage.py serve` runs them (playground/server.py), with the documented
production environment (deploy/production.env: HTTPS, HSTS, secure cookies,
the proxy's TLS header) and Redis. A browser creates a room through the form
(CSRF behind the proxy), applies manifests and streams over wss://, with the
Content-Security-Policy enforced.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MANIFESTS, pod_buttons, run
from tests.fixtures.servers import ROOT, Daphne, Redis, free_port, server_env
from tests.web.test_settings import production_env

NGINX = "/usr/sbin/nginx"


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_config(folder: Path, https: int, http: int, upstream: list[int], static: Path) -> Path:
    """deploy/nginx.conf with this test's ports, certificate and folders, in a main config
    of its own (nginx runs in the foreground, as this user, with its files in `folder`)."""
    cert, key = certificate(folder)
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("kubeplay.example.com", "localhost")
    site = site.replace("/etc/ssl/kubeplay/fullchain.pem", str(cert))
    site = site.replace("/etc/ssl/kubeplay/privkey.pem", str(key))
    site = site.replace("/srv/kubeplay/var/static/", f"{static}/")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http};")
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstream)
    site = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, site)
    assert f"server 127.0.0.1:{upstream[0]};" in site
    main = folder / "nginx.conf"
    # Started by root, nginx's workers would run as nobody, who cannot read this test's
    # private temporary folder (the static files).
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n"
        f"  proxy_temp_path {folder}/proxy;\n  types {{ text/css css; "
        f"application/javascript js; }}\n{site}\n}}\n"
    )
    return main


@pytest.fixture
def behind_nginx(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: install Debian's nginx (./dev test does).")
    https, http = free_port(), free_port()
    origin = f"https://localhost:{https}"
    redis = Redis()
    static = tmp_path / "static"
    documented = production_env()  # with this machine's host instead of the example's
    documented.update(
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_CSRF_TRUSTED_ORIGINS=origin,
        DJANGO_SECRET_KEY="a-throwaway-key-for-this-test-only-" + "x" * 40,
        DJANGO_STATIC_ROOT=str(static),
        REDIS_URL=redis.url,
    )
    env = server_env(tmp_path / "db.sqlite3", **documented)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # As `manage.py serve` runs them: the client's address from the proxy's header.
    servers = [
        Daphne(env, app="playground.asgi:application", options=("--proxy-headers",))
        for _ in range(2)
    ]
    config = nginx_config(tmp_path, https, http, [s.port for s in servers], static)
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp_path)])
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["curl", "-skf", "-o", "/dev/null", origin + "/"]).returncode:
            assert nginx.poll() is None, (tmp_path / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not serve the site"
            time.sleep(0.2)
        yield origin
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for server in servers:
            server.close()
        redis.close()


def test_a_room_over_https_and_wss_through_nginx(behind_nginx, browser, console_errors):
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket.url))

    response = page.goto(behind_nginx + "/")
    headers = response.headers
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["content-security-policy"]
    csrf = next(c for c in context.cookies() if c["name"] == "csrftoken")
    assert csrf["secure"]
    # The home page's form posts through the proxy (CSRF with the proxy's TLS header).
    editor = page.get_by_role("textbox", name="Manifests (YAML)")
    editor.fill((MANIFESTS / "kubia.yaml").read_text())
    page.get_by_role("button", name="Simulate").click()
    expect(page).to_have_url(re.compile(r"^https://localhost:\d+/rooms/[a-z0-9]+/$"))
    expect(page.get_by_role("status", name="Server connection")).to_have_text("connected")
    expect(pod_buttons(page)).to_have_count(3)
    assert sockets
    assert all(url.startswith("wss://localhost:") for url in sockets)

    # Apply from the editor, run a command, start a stream: all over the wss:// socket.
    page.get_by_role("tab", name="Manifests").click()
    manifests = page.get_by_role("textbox", name="Room manifests (YAML)")
    manifests.fill((MANIFESTS / "kubia.yaml").read_text().replace("replicas: 3", "replicas: 4"))
    page.get_by_role("button", name="Apply").click()
    expect(pod_buttons(page)).to_have_count(4)
    run(page, "kubectl get pods")
    expect(page.get_by_role("log", name="Terminal output")).to_contain_text("Running")
    page.get_by_role("tab", name="Traffic").click()
    page.get_by_role("button", name="Start stream").click()
    expect(page.get_by_role("list", name="Hits per pod").get_by_role("listitem")).not_to_have_count(
        0
    )
    context.close()
