"""Settings switch on environment variables; defaults need none of them."""

from __future__ import annotations

import runpy

import pytest
from channels_redis.utils import create_pool
from django.conf import settings as live_settings

SETTINGS_FILE = live_settings.BASE_DIR / "playground" / "settings.py"
ENV_VARS = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
]


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
    assert host == {"address": "redis://cache.internal:6379/1", "max_connections": 1000}
    # channels_redis hands the dict to redis-py; building the pool connects to nothing.
    assert create_pool(dict(host)).max_connections == 1000
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
