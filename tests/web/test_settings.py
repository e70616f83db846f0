"""Settings switch on environment variables; defaults need none of them."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest
from channels_redis.core import RedisChannelLayer
from channels_redis.utils import create_pool
from django.conf import settings as live_settings

SETTINGS_FILE = live_settings.BASE_DIR / "playground" / "settings.py"
ENV_VARS = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_HTTPS",
    "DJANGO_HSTS_SECONDS",
    "DJANGO_HSTS_SUBDOMAINS",
    "DJANGO_HSTS_PRELOAD",
]
ROOT = live_settings.BASE_DIR
PRODUCTION_ENV = ROOT / "deploy" / "production.env"


@pytest.fixture
def load_settings(monkeypatch):
    """Run settings.py afresh under the given environment; return its namespace."""

    def load(**env: str) -> dict:
        for name in ENV_VARS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_defaults_are_safe_and_self_contained(load_settings):
    settings = load_settings()
    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert str(database["NAME"]).endswith("var/db.sqlite3")
    layer = settings["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert settings["KUBEPLAY_ROOM_LEASES"] is False


@pytest.mark.parametrize(
    ("value", "debug"),
    [pytest.param("1", True, id="1 turns it on"), pytest.param("true", False, id="only 1 does")],
)
def test_debug_only_when_asked(load_settings, value, debug):
    assert load_settings(DJANGO_DEBUG=value)["DEBUG"] is debug


def test_allowed_hosts_from_env(load_settings):
    settings = load_settings(DJANGO_ALLOWED_HOSTS=" kubeplay.example.com, ,10.0.0.5 ")
    assert settings["ALLOWED_HOSTS"] == ["kubeplay.example.com", "10.0.0.5"]


def test_database_url_selects_postgresql(load_settings):
    settings = load_settings(DATABASE_URL="postgres://kube:secret@db.internal:5432/kubeplay")
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["PORT"] == 5432
    assert database["NAME"] == "kubeplay"


def test_redis_url_selects_channels_redis_with_a_large_pool(load_settings):
    settings = load_settings(REDIS_URL="redis://cache.internal:6379/1")
    layer = settings["CHANNEL_LAYERS"]["default"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    [host] = layer["CONFIG"]["hosts"]
    assert host["address"] == "redis://cache.internal:6379/1"
    assert host["max_connections"] == 1000
    # channels_redis hands the dict to redis-py; building the pool connects to nothing.
    pool = create_pool(dict(host))
    assert pool.max_connections == 1000
    # A read may outlast one of channels_redis's blocking reads (which redis-py's default
    # read timeout equals) by far: test_redis_layer stalls Redis across one's end.
    assert pool.connection_kwargs["socket_timeout"] >= RedisChannelLayer.brpop_timeout + 20
    assert pool.connection_kwargs["socket_keepalive"] is True
    # Several processes share the rooms: each room is leased to one of them.
    assert settings["KUBEPLAY_ROOM_LEASES"] is True


def test_secret_key_from_env(load_settings):
    assert load_settings(DJANGO_SECRET_KEY="from-the-env")["SECRET_KEY"] == "from-the-env"


def test_secret_key_is_generated_once_and_kept(load_settings):
    assert load_settings()["SECRET_KEY"] == load_settings()["SECRET_KEY"]


def test_secret_key_file_is_private_and_stable(load_settings, tmp_path):
    read_or_create = load_settings()["read_or_create_secret_key"]
    path = tmp_path / "secret_key"
    key = read_or_create(path)
    assert len(key) >= 50
    assert read_or_create(path) == key
    assert path.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_behind_a_tls_proxy_origins_and_the_proxy_header_come_from_the_env(load_settings):
    settings = load_settings(
        DJANGO_CSRF_TRUSTED_ORIGINS="https://kubeplay.example.com, https://class.example.org",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )
    assert settings["CSRF_TRUSTED_ORIGINS"] == [
        "https://kubeplay.example.com",
        "https://class.example.org",
    ]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_without_a_proxy_header_no_request_is_taken_for_https(load_settings):
    settings = load_settings(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert "SECURE_PROXY_SSL_HEADER" not in settings
    assert settings["CSRF_TRUSTED_ORIGINS"] == []


def test_https_turns_on_hsts_secure_cookies_and_the_redirect(load_settings):
    plain = load_settings()
    assert plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SESSION_COOKIE_SECURE"] is plain["CSRF_COOKIE_SECURE"] is False
    secure = load_settings(DJANGO_HTTPS="1")
    assert secure["SECURE_HSTS_SECONDS"] == 31536000
    assert secure["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is secure["SECURE_HSTS_PRELOAD"] is True
    assert secure["SESSION_COOKIE_SECURE"] is secure["CSRF_COOKIE_SECURE"] is True
    assert secure["SECURE_SSL_REDIRECT"] is True
    assert load_settings(DJANGO_HTTPS="1", DJANGO_HSTS_PRELOAD="0")["SECURE_HSTS_PRELOAD"] is False


def test_the_content_security_policy_allows_no_inline_script_or_style(load_settings):
    directives = load_settings()["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def production_env() -> dict[str, str]:
    """deploy/production.env (the documented production environment) as a dict."""
    env = {}
    for line in PRODUCTION_ENV.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip().strip('"')
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in ENV_VARS}
    env.update(production_env())
    env["DJANGO_SECRET_KEY"] = "k" * 10 + "-documented-example-is-replaced-by-a-real-one-" + "z" * 9
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Without it, Django names what is missing: the test can tell the difference.
    bare = {name: value for name, value in env.items() if not name.startswith("DJANGO_HTTPS")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_the_sqlite_file_and_its_folder_are_private(load_settings, tmp_path):
    path = tmp_path / "state" / "db.sqlite3"
    settings = load_settings(DATABASE_URL=f"sqlite:///{path}")
    assert settings["DATABASES"]["default"]["NAME"] == str(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert (live_settings.VAR_DIR.stat().st_mode & 0o777) == 0o700
